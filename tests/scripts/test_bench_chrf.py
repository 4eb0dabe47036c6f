"""scripts/bench_chrf.py and eval/align_sentences.py --bridge on a slice of NTREX-128 with its
real opus-mt output: both chrF paths agree, and the `vi2en align` command scores as the library."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BRIDGE = "opus-mt-outputs/ntrex128.opus-2020-09-10.en"


@pytest.fixture
def ntrex_slice(shared_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The first 5 NTREX-128 documents and their lines of the real MT output."""
    data = shared_dir / "data"
    ids = (data / "ntrex128" / "document_ids.tsv").read_text(encoding="utf-8").splitlines()
    first = set(list(dict.fromkeys(ids))[:5])
    keep = sum(doc_id in first for doc_id in ids)
    for name in ("document_ids.tsv", "ntrex.vi", "ntrex.en"):
        lines = (data / "ntrex128" / name).read_text(encoding="utf-8").splitlines()[:keep]
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    bridge = (data / BRIDGE).read_text(encoding="utf-8").splitlines()[:keep]
    (tmp_path / "bridge.en").write_text("\n".join(bridge) + "\n", encoding="utf-8")
    return tmp_path, tmp_path / "bridge.en"


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, timeout=600, cwd=REPO
    )


def test_bench_chrf_finds_identical_beads(ntrex_slice) -> None:
    data, bridge = ntrex_slice
    done = run(
        "scripts/bench_chrf.py", "--rounds", "1", "--data", str(data), "--bridge", str(bridge)
    )
    assert done.returncode == 0, done.stderr
    assert "identical beads and scores: True" in done.stdout
    assert re.search(r"median speed-up \d+\.\dx", done.stdout)


def test_eval_bridge_rows_and_the_cli_rows_agree(ntrex_slice) -> None:
    data, bridge = ntrex_slice
    done = run(
        "eval/align_sentences.py", "--data", str(data), "--bridge", str(bridge), "--long", "10"
    )
    assert done.returncode == 0, done.stderr
    rows = {line[:32].strip(): line[32:].split()[:2] for line in done.stdout.splitlines()}
    assert rows["vi2en align (CLI, default)"] == rows["length + anchors (default)"]
    assert rows["vi2en align --bridge"] == rows["+ bridge bridge.en"]


def test_eval_refuses_a_bridge_of_the_wrong_length(ntrex_slice, tmp_path: Path) -> None:
    data, _ = ntrex_slice
    short = tmp_path / "short.en"
    short.write_text("One line.\n", encoding="utf-8")
    done = run("eval/align_sentences.py", "--data", str(data), "--bridge", str(short))
    assert done.returncode == 2
    assert "has 1 lines" in done.stderr
