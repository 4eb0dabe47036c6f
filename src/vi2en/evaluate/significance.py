"""Paired significance tests against a baseline, with sacreBLEU's `PairedTest`, as typed results.

`sacrebleu --paired-bs` (paired bootstrap resampling, Koehn 2004) and `--paired-ar`
(approximate randomization, as Multeval) are run through sacreBLEU's own `PairedTest`, so the
p-values, means and CIs are the command line's. Two differences, both for the user's sake:
the per-segment statistics already extracted for the corpus scores are handed to it (sacreBLEU
would extract them again, and TER extraction is the slow part), and the results are converted
to plain floats (sacreBLEU 2.6.0 crashes writing them as JSON: `float32 is not JSON
serializable`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from typing import Any

from vi2en.defaults import DEFAULT_PAIRED_SAMPLES
from vi2en.errors import Vi2enError
from vi2en.evaluate import sacrebleu_api
from vi2en.evaluate.results import PairedScore, PairedSystem, SignificanceTest
from vi2en.evaluate.scores import Stats

TESTS = {"bs": "paired bootstrap resampling", "ar": "approximate randomization"}
DEFAULT_SAMPLES = DEFAULT_PAIRED_SAMPLES
ALPHA = 0.05


def paired_test(
    metrics: Mapping[str, Any],
    systems: Sequence[tuple[str, Sequence[str]]],
    stats: Mapping[str, Sequence[Sequence[Stats]]],
    *,
    test: str,
    baseline: int = 0,
    n_samples: int = 0,
    short: bool = False,
) -> SignificanceTest:
    """Compare every system with the baseline, as `sacrebleu -i BASE SYS... --paired-TEST`.

    Args:
        metrics: score name -> sacreBLEU metric (from `build_metrics`).
        systems: (name, hypotheses) for every system, in report order.
        stats: from `extract_statistics` for these systems, in the same order.
        test: "bs" (paired bootstrap) or "ar" (approximate randomization).
        baseline: index of the baseline system in `systems`.
        n_samples: resamples (bs) or trials (ar); 0 = sacreBLEU's default (1000 / 10000).
        short: short signatures.

    Returns:
        The test, its signatures (with bs/ar and seed) and one result per system, the
        baseline first, with score, p_value (None for the baseline), mean, ci and significant
        (p < 0.05) per metric.

    Raises:
        Vi2enError: fewer than two systems, an unknown test, or a bad baseline index.
    """
    from sacrebleu.significance import PairedTest

    if test not in TESTS:
        raise Vi2enError(f"unknown paired test {test!r}; choose from {', '.join(TESTS)}")
    if len(systems) < 2:
        raise Vi2enError("paired tests need at least two systems (a baseline and another)")
    if not 0 <= baseline < len(systems):
        raise Vi2enError(f"baseline index {baseline} is out of range for {len(systems)} systems")
    order = [baseline] + [i for i in range(len(systems)) if i != baseline]
    named = [(systems[i][0], list(systems[i][1])) for i in order]
    with_stats = {
        key: {id(named[pos][1]): stats[key][i] for pos, i in enumerate(order)} for key in metrics
    }
    with ExitStack() as stack:
        for key, metric in metrics.items():
            stack.enter_context(sacrebleu_api.serve_statistics(metric, with_stats[key]))
        runner = PairedTest(
            named, dict(metrics), references=None, test_type=test, n_samples=n_samples
        )
        signatures, table = runner()
    results = []
    for pos, (name, _) in enumerate(named):
        scores = {}
        for key in metrics:
            res = table[key][pos]
            p_value = None if res.p_value is None else float(res.p_value)
            scores[key] = PairedScore(
                score=float(res.score),
                p_value=p_value,
                mean=None if res.mean is None else float(res.mean),
                ci=None if res.ci is None else float(res.ci),
                significant=None if p_value is None else p_value < ALPHA,
            )
        results.append(PairedSystem(system=name, baseline=pos == 0, scores=scores))
    return SignificanceTest(
        test=test,
        description=TESTS[test],
        n_samples=int(runner.n_samples),
        baseline=named[0][0],
        signatures={key: sig.format(short) for key, sig in signatures.items()},
        results=results,
    )
