"""scripts/bench_serve.py runs end to end on the tiny trained model: both server children answer
every request, the offline system counts the same sentences, and the report's ratios come from
those runs. No timings are asserted (`python scripts/bench_serve.py` is the benchmark)."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))

import bench_serve  # noqa: E402

pytestmark = pytest.mark.issue(13)


def test_requests_are_one_to_three_ntrex_sentences(shared_dir: Path):
    requests = bench_serve.requests_from_ntrex(50)
    assert len(requests) == 50 and {n for _, n in requests} == {1, 2, 3}
    lines = (shared_dir / "data/ntrex128/ntrex.vi").read_text("utf-8").splitlines()
    assert requests[0][0].startswith(lines[0])


def test_a_level_runs_all_three_systems(shared_dir: Path, trained_ct2_model: Path, capsys):
    args = argparse.Namespace(length=5, beam=2, seconds=60, rounds=1, min_requests=4)
    servers = {name: bench_serve.start_child(trained_ct2_model, args, batching)
               for name, batching in (("a", "on"), ("b", "off"))}  # fmt: skip
    try:
        offline = bench_serve.Offline(trained_ct2_model, args)
        level = bench_serve._level(servers, offline, 3, args)
        idle = bench_serve._idle(servers["a"][1], offline, args)
    finally:
        for proc, _, _ in servers.values():
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(60) == 0
    expected = sum(n for _, n in bench_serve.requests_from_ntrex(4, seed=3))
    for name in "abc":
        (run,) = level["runs"][name]
        assert run["sentences"] == expected
    assert level["runs"]["a"][0]["errors"] == level["runs"]["b"][0]["errors"] == 0
    assert level["a_over_c"] == pytest.approx(
        level["runs"]["a"][0]["sent_per_s"] / level["runs"]["c"][0]["sent_per_s"])
    assert idle["request_ms"] > 0 and idle["direct_ms"] > 0
    assert "(a)/(c)" in capsys.readouterr().out
