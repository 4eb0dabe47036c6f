"""Every use of sacreBLEU's private API, in one place.

vi2en scores from sacreBLEU's own sufficient statistics (see `vi2en.evaluate.scores`): extract
them once per system, then aggregate any slice (a corpus, a document, one sentence, a bootstrap
sample). sacreBLEU's public API only offers "score these lines", which re-extracts every time, so
vi2en calls the private methods behind it. They are named in `PRIVATE_API`; `check_api` finds a
missing or re-shaped one and raises one clear error instead of an AttributeError deep inside a
report, and `tests/evaluate/test_sacrebleu_api.py` fails loudly when a sacreBLEU release changes
any of them (and checks each against the public result it stands for).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from vi2en.errors import Vi2enError

Stats = list[float]

# Private methods of every metric class vi2en scores with, and their parameters after `self`.
METRIC_CLASSES = ("BLEU", "CHRF", "TER")
METRIC_METHODS = {
    "_extract_corpus_statistics": ("hypotheses", "references"),
    "_aggregate_and_compute": ("stats",),
    "_compute_score_from_stats": ("stats",),
}
# Private functions: (module, name, parameters).
FUNCTIONS = (("sacrebleu.significance", "_bootstrap_resample", ("stats", "metric", "n_samples")),)
# Attributes set on instances (checked on live objects by the test): the reference cache a
# metric fills at construction, and the bootstrap estimate `Score.estimate_ci` stores.
INSTANCE_ATTRIBUTES = {"metric": ("_ref_cache",), "score": ("_mean", "_ci")}


def _shape_problem(where: str, target: Any, params: tuple[str, ...]) -> str | None:
    names = [p for p in inspect.signature(target).parameters if p != "self"]
    if names[: len(params)] != list(params):
        return f"{where} takes ({', '.join(names)}), vi2en expects ({', '.join(params)})"
    return None


def api_problems() -> list[str]:
    """What of the private API above this sacreBLEU lacks or has re-shaped (empty: all there)."""
    import importlib

    import sacrebleu.metrics

    targets = [
        (f"sacrebleu.metrics.{cls}.{method}", getattr(sacrebleu.metrics, cls, None), method, params)
        for cls in METRIC_CLASSES
        for method, params in METRIC_METHODS.items()
    ]
    for module_name, name, params in FUNCTIONS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            module = None
        targets.append((f"{module_name}.{name}", module, name, params))
    problems = []
    for where, owner, name, params in targets:
        target = getattr(owner, name, None)
        if target is None:
            problems.append(f"{where} is missing")
        elif problem := _shape_problem(where, target, params):
            problems.append(problem)
    return problems


def check_api() -> None:
    """Raise one clear error if this sacreBLEU lacks what vi2en's scoring relies on.

    Raises:
        Vi2enError: a private method is missing or takes other parameters.
    """
    problems = api_problems()
    if problems:
        import sacrebleu

        raise Vi2enError(
            f"sacreBLEU {sacrebleu.__version__} changed the internals vi2en scores with "
            f"({'; '.join(problems)}); install a sacreBLEU vi2en supports: "
            "pip install 'sacrebleu>=2.4,<3'"
        )


def extract(metric: Any, hypotheses: Sequence[str], lines: Sequence[int]) -> list[Stats]:
    """Statistics of `hypotheses[k]` against the metric's references for line `lines[k]`, by
    sacreBLEU's own extraction loop on a shallow copy that holds just those lines' cache."""
    part = copy.copy(metric)  # shares tokenizers, gets its own slice of the reference cache
    part._ref_cache = [metric._ref_cache[line] for line in lines]
    return part._extract_corpus_statistics(list(hypotheses), None)


def aggregate(metric: Any, stats: Sequence[Stats]) -> Any:
    """The corpus `Score` of these statistics: what `metric.corpus_score` computes."""
    return metric._aggregate_and_compute(list(stats))


def sentence_score(metric: Any, row: Stats) -> Any:
    """The `Score` of one segment's statistics: what `metric.sentence_score` computes."""
    return metric._compute_score_from_stats(row)


def bootstrap(metric: Any, stats: Sequence[Stats], n_samples: int) -> tuple[int, Any]:
    """sacreBLEU's bootstrap resampling (seed from SACREBLEU_SEED): (seed, sample scores)."""
    from sacrebleu.significance import _bootstrap_resample

    return _bootstrap_resample(list(stats), metric, n_samples)


def estimate(score: Any, samples: Any) -> tuple[float, float]:
    """(mean, half-width of the 95% interval) of the bootstrap `samples`, as sacreBLEU's
    `corpus_score(n_bootstrap=...)` reports them."""
    score.estimate_ci(samples)
    return float(score._mean), float(score._ci)


@contextmanager
def serve_statistics(metric: Any, cache: Mapping[int, Sequence[Stats]]) -> Iterator[None]:
    """Within the block, sacreBLEU's code that asks `metric` to extract statistics for a
    hypothesis list in `cache` (keyed by `id(list)`) gets the ones extracted earlier.

    `PairedTest` calls `metric._extract_corpus_statistics(hyps, None)` for every system; TER
    extraction is the slow part of a report, so it is not done twice.
    """
    original = metric._extract_corpus_statistics

    def served(hypotheses: Sequence[str], references: Any) -> list[Stats]:
        stats = cache.get(id(hypotheses))
        if stats is None or references is not None:
            return original(hypotheses, references)
        return [list(row) for row in stats]

    metric._extract_corpus_statistics = served
    try:
        yield
    finally:
        del metric._extract_corpus_statistics  # back to the class method
