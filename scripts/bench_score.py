"""Benchmark `vi2en score`: 2,000 segments, three systems, BLEU/chrF/chrF++/TER, paired bootstrap.

    python scripts/bench_score.py                 # vi2en's path (statistics once, parallel)
    python scripts/bench_score.py --jobs 1        # the same on one process
    python scripts/bench_score.py --naive         # also time sacreBLEU's API used directly

References are the NTREX-128 English lines (cycled to 2,000); the three systems are
deterministic perturbations of them (dropped, swapped and re-cased words), so the scores are
in a realistic range and TER has shifts to search. Prints wall and CPU seconds per phase.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NTREX_EN = REPO.parent / "shared" / "data" / "ntrex128" / "ntrex.en"


def perturb(lines: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for line in lines:
        words = line.split()
        for _ in range(rng.randrange(0, 1 + len(words) // 4)):
            i, op = rng.randrange(len(words)), rng.random()
            if op < 0.3 and len(words) > 1:
                del words[i]
            elif op < 0.6:
                words[i] = words[i].lower()
            else:
                j = rng.randrange(len(words))
                words[i], words[j] = words[j], words[i]
        out.append(" ".join(words))
    return out


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the worker pool)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--naive", action="store_true",
                        help="also time corpus_score + PairedTest straight from sacreBLEU")
    parser.add_argument("--references", type=Path, default=NTREX_EN)
    args = parser.parse_args()

    from vi2en.evaluate.evaluation import ScoreOptions, score_lines

    base = args.references.read_text(encoding="utf-8").splitlines()
    refs = [base[i % len(base)] for i in range(args.segments)]
    systems = [(f"sys{k}", perturb(refs, k)) for k in (1, 2, 3)]
    options = ScoreOptions(paired=("bs",), paired_bs_n=args.resamples, jobs=args.jobs, worst=10)

    wall, cpu = time.perf_counter(), cpu_seconds()
    report = score_lines([("ref", refs)], systems, options=options)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    print(f"vi2en score: {args.segments} segments x 3 systems, BLEU chrF2 chrF2++ TER, "
          f"paired bootstrap {args.resamples} resamples, jobs={args.jobs}: "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU (load average {os.getloadavg()[0]:.1f})")
    for row in report.significance[0].results:
        cells = "  ".join(f"{k} {row.scores[k].score:.2f}" + (
            f" p={row.scores[k].p_value:.3f}" if row.scores[k].p_value is not None else "")
            for k in report.metrics)  # fmt: skip
        print(f"  {row.system}: {cells}")

    if args.naive:
        from sacrebleu.metrics import BLEU, CHRF, TER
        from sacrebleu.significance import PairedTest

        wall, cpu = time.perf_counter(), cpu_seconds()
        metrics = {"BLEU": BLEU(references=[refs]), "chrF2": CHRF(references=[refs]),
                   "chrF2++": CHRF(word_order=2, references=[refs]),
                   "TER": TER(references=[refs])}
        for _, hyps in systems:
            for metric in metrics.values():
                metric.corpus_score(hyps, None)
        PairedTest(systems, metrics, None, test_type="bs", n_samples=args.resamples)()
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        print(f"sacreBLEU API directly (corpus_score per system + PairedTest): "
              f"{wall:.1f} s wall, {cpu:.1f} s CPU")


if __name__ == "__main__":
    main()
