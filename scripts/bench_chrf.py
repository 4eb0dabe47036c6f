"""Time the MT bridge's chrF: packed n-grams (`SpanChrf`, the default) against n-gram sets.

Aligns NTREX-128 (the English re-segmented as `eval/align_sentences.py` does, seed 13) with the
real opus-mt-vi-en output as the bridge, once with each chrF implementation, rotating them over
`--rounds` rounds in this one process; prints CPU seconds per round, the median ratio, and
whether every bead (indices and scores) came out identical.

Usage: python scripts/bench_chrf.py [--bridge FILE] [--rounds 3] [--data NTREX_DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))

import align_sentences as evaluation  # noqa: E402
from vi2en.align import chrf, sentences  # noqa: E402

DEFAULT_BRIDGE = REPO.parent / "shared/data/opus-mt-outputs/ntrex128.opus-2020-09-10.en"


def run(docs, perturbed, bridge: list[str], *, packed: bool) -> tuple[float, list]:
    """CPU seconds and beads of one pass over every document."""
    original = chrf.SpanChrf.for_sentences
    if not packed:
        chrf.SpanChrf.for_sentences = classmethod(lambda cls, hyps, refs: None)  # type: ignore[method-assign]
    try:
        started, pos, beads = time.process_time(), 0, []
        for (vi, _), en in zip(docs, perturbed, strict=True):
            beads.append(sentences.align_sentences(vi, en, bridge=bridge[pos : pos + len(vi)]))
            pos += len(vi)
        return time.process_time() - started, beads
    finally:
        chrf.SpanChrf.for_sentences = original  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bridge", type=Path, default=DEFAULT_BRIDGE)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=evaluation.NTREX, help="NTREX-128 folder")
    args = parser.parse_args(argv)
    if not args.bridge.is_file() or not (args.data / "ntrex.vi").is_file():
        print(f"bench_chrf: need {args.bridge} and {args.data}/ntrex.vi", file=sys.stderr)
        return 2
    docs = evaluation.load_documents(args.data)
    rng = random.Random(13)
    perturbed = [evaluation.perturb(en, rng)[0] for _, en in docs]
    bridge = args.bridge.read_text(encoding="utf-8").splitlines()
    ratios, same = [], True
    for round_ in range(args.rounds):
        packed_s, packed_beads = run(docs, perturbed, bridge, packed=True)
        sets_s, sets_beads = run(docs, perturbed, bridge, packed=False)
        same &= packed_beads == sets_beads
        ratios.append(sets_s / packed_s)
        print(f"round {round_ + 1}: packed {packed_s:.2f} s CPU, sets {sets_s:.2f} s CPU")
    print(f"median speed-up {statistics.median(ratios):.1f}x; identical beads and scores: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
