"""Corpus, sentence and document scores from sacreBLEU's own metric classes.

Every number here comes from `sacrebleu.metrics.BLEU`, `CHRF` and `TER`: we never reimplement a
metric. The trick that keeps reports fast is sacreBLEU's own design: a metric turns each segment
into *sufficient statistics* (n-gram counts, edit counts) once, and any score is then an
aggregation of those statistics. So we extract statistics once per system and derive from them
the corpus score (exactly what `corpus_score` does), per-document scores (the same over a
slice), sentence scores (one row, BLEU with effective order as `sacrebleu -sl` does), bootstrap
CIs and the paired tests (see `significance.py`). The sacreBLEU internals this takes are all
behind `vi2en.evaluate.sacrebleu_api`.

References are tokenised once per metric (`references=` at construction, sacreBLEU's reference
cache). Extraction is the slow part (TER: about 4 ms a segment), so it runs on several processes
when asked, each on a slice of the reference cache, and identical (line, hypothesis) pairs shared
by several systems are scored once.
"""

from __future__ import annotations

import copy
import multiprocessing
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from vi2en.defaults import DEFAULT_METRICS
from vi2en.errors import Vi2enError
from vi2en.evaluate import sacrebleu_api
from vi2en.evaluate.results import CorpusScore, to_dict

METRIC_CHOICES = DEFAULT_METRICS  # every metric vi2en scores is a default one
# Below this many segments a process pool costs more than it saves.
MIN_SEGMENTS_PER_JOB = 200
CHUNK_SEGMENTS = 250

Stats = sacrebleu_api.Stats


def build_metrics(
    names: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    bleu_options: Mapping[str, Any] | None = None,
    chrf_options: Mapping[str, Any] | None = None,
    ter_options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Create sacreBLEU metric objects with the reference cache filled.

    Args:
        names: metric names from `METRIC_CHOICES` ("chrf++" is CHRF with word_order=2).
        references: one list of lines per reference file (sacreBLEU's `refs` layout).
        bleu_options: keyword arguments for `sacrebleu.metrics.BLEU` (tokenize, lowercase,
            smooth_method, smooth_value, force).
        chrf_options: keyword arguments for `CHRF` (char_order, beta, lowercase, whitespace,
            eps_smoothing), shared by chrF and chrF++.
        ter_options: keyword arguments for `TER` (case_sensitive, normalized, no_punct,
            asian_support).

    Returns:
        sacreBLEU score name ("BLEU", "chrF2", "chrF2++", "TER") -> metric, in the given order.

    Raises:
        Vi2enError: an unknown metric name or an option sacreBLEU rejects.
    """
    from sacrebleu.metrics import BLEU, CHRF, TER
    from sacrebleu.metrics.chrf import CHRFScore

    sacrebleu_api.check_api()
    refs = [list(ref) for ref in references]
    out: dict[str, Any] = {}
    for name in dict.fromkeys(n.lower() for n in names):
        try:
            if name == "bleu":
                metric = _bleu(BLEU, dict(bleu_options or {}), refs)
                key = "BLEU"
            elif name in ("chrf", "chrf++"):
                word_order = 2 if name == "chrf++" else 0
                metric = CHRF(**dict(chrf_options or {}), word_order=word_order, references=refs)
                key = CHRFScore(0.0, metric.char_order, metric.word_order, metric.beta).name
            elif name == "ter":
                metric = TER(**dict(ter_options or {}), references=refs)
                key = "TER"
            else:
                raise Vi2enError(
                    f"unknown metric {name!r}; choose from {', '.join(METRIC_CHOICES)}"
                )
        except (TypeError, ValueError, AssertionError) as exc:
            raise Vi2enError(f"sacreBLEU rejected the {name} options: {exc}") from None
        out[key] = metric
    if not out:
        raise Vi2enError(f"no metric chosen; choose from {', '.join(METRIC_CHOICES)}")
    return out


def _bleu(bleu_class: Any, options: dict[str, Any], refs: list[list[str]]) -> Any:
    """sacreBLEU's BLEU, with its tokenizer's failures turned into what the user must do.

    A tokenizer may need an extra (`ja-mecab`, `ko-mecab`: RuntimeError naming the pip extra)
    or a SentencePiece model that sacreBLEU downloads on first use (`spm`, `flores101`,
    `flores200`: URLError offline).
    """
    tokenize = options.get("tokenize")
    try:
        return bleu_class(**options, references=refs)
    except (RuntimeError, ImportError) as exc:
        extra = re.search(r"pip install (\S+)", str(exc))
        fix = f"pip install '{extra.group(1)}'" if extra else "install what it needs"
        raise Vi2enError(
            f"BLEU tokenizer {tokenize!r} needs packages that are not installed: {fix} "
            "(or choose another --tokenize)"
        ) from None
    except OSError as exc:  # urllib's URLError is an OSError
        from sacrebleu.tokenizers import tokenizer_spm

        url = tokenizer_spm.SPM_MODELS.get(str(tokenize), {}).get("url", "")
        folder = Path(tokenizer_spm.SACREBLEU_DIR) / "models"
        path = folder / Path(url).name if url else folder
        reason = getattr(exc, "reason", exc)
        raise Vi2enError(
            f"BLEU tokenizer {tokenize!r} needs sacreBLEU's SentencePiece model {path}, which "
            f"sacreBLEU downloads from {url or 'the internet'} on first use, and that failed "
            f"({reason}); run once with internet, or copy the file there ($SACREBLEU moves "
            "the folder), or choose another --tokenize"
        ) from None


# State handed to forked workers (set just before the pool forks, read-only in children).
_FORK_STATE: tuple[Mapping[str, Any], list[tuple[int, str]]] | None = None


def _extract_chunk(job: tuple[str, int, int]) -> tuple[str, int, list[Stats]]:
    """Statistics for tasks[start:end] of one metric, with sacreBLEU's own extraction loop."""
    key, start, end = job
    assert _FORK_STATE is not None  # set by extract_statistics before any call
    metrics, tasks = _FORK_STATE
    chunk = tasks[start:end]
    stats = sacrebleu_api.extract(
        metrics[key], [hyp for _, hyp in chunk], [line for line, _ in chunk]
    )
    return key, start, stats


def extract_statistics(
    metrics: Mapping[str, Any], systems: Sequence[Sequence[str]], *, jobs: int = 1
) -> dict[str, list[list[Stats]]]:
    """Per-segment sufficient statistics: metric name -> system index -> segment -> stats.

    Args:
        metrics: from `build_metrics` (reference caches filled).
        systems: hypotheses, one list per system, each as long as the references.
        jobs: worker processes (fork); 1 runs in this process.
    """
    global _FORK_STATE
    task_index: dict[tuple[int, str], int] = {}
    for lines in systems:
        for line, hyp in enumerate(lines):
            task_index.setdefault((line, hyp), len(task_index))
    tasks = list(task_index)
    chunks = [
        (key, start, min(start + CHUNK_SEGMENTS, len(tasks)))
        for key in metrics
        for start in range(0, len(tasks), CHUNK_SEGMENTS)
    ]
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    jobs = min(jobs, max(1, len(tasks) // MIN_SEGMENTS_PER_JOB))
    flat: dict[str, list[Stats]] = {key: [[] for _ in tasks] for key in metrics}
    _FORK_STATE = (metrics, tasks)
    try:
        if jobs > 1 and can_fork:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                results = list(pool.imap_unordered(_extract_chunk, chunks))
        else:
            results = [_extract_chunk(chunk) for chunk in chunks]
    finally:
        _FORK_STATE = None
    for key, start, stats in results:
        flat[key][start : start + len(stats)] = stats
    return {
        key: [[flat[key][task_index[(line, hyp)]] for line, hyp in enumerate(lines)]
              for lines in systems]
        for key in metrics
    }


def score_details(score: Any) -> dict[str, Any]:
    """The public fields of a sacreBLEU Score (BLEU's counts, bp, ratio; TER's edits...)."""
    skip = {"name", "score", "prec_str"}
    fields = {k: v for k, v in vars(score).items() if not k.startswith("_") and k not in skip}
    return to_dict(fields)


def corpus_result(
    metric: Any, stats: Sequence[Stats], *, confidence_n: int = 0, width: int = 1
) -> CorpusScore:
    """Corpus score from statistics, as `metric.corpus_score` computes it.

    With `confidence_n` > 1, adds sacreBLEU's bootstrap estimate (`mean`, `ci` = half-width of
    the 95% interval, seed from SACREBLEU_SEED, default 12345) and, as `corpus_score` does,
    records the resample count and seed in the metric so its signature shows `bs:N|rs:SEED`.
    """
    score = sacrebleu_api.aggregate(metric, stats)
    mean = ci = None
    if confidence_n > 1:
        metric.n_bootstrap = confidence_n
        metric.seed, samples = sacrebleu_api.bootstrap(metric, stats, confidence_n)
        mean, ci = sacrebleu_api.estimate(score, samples)
    return CorpusScore(score=float(score.score), text=score.format(width=width),
                       details=score_details(score), mean=mean, ci=ci)  # fmt: skip


def sentence_metric(metric: Any) -> Any:
    """The metric as `sacrebleu --sentence-level` uses it: BLEU switches on effective order."""
    from sacrebleu.metrics import BLEU

    sentence = copy.copy(metric)
    if isinstance(sentence, BLEU):
        sentence.effective_order = True
    sentence.n_bootstrap = None
    sentence.seed = None
    return sentence


def sentence_scores(metric: Any, stats: Sequence[Stats]) -> list[float]:
    """One score per segment, equal to `sacrebleu -sl` on that segment (pass `sentence_metric`)."""
    return [float(sacrebleu_api.sentence_score(metric, row).score) for row in stats]


def document_spans(docids: Sequence[str]) -> list[tuple[str, int, int]]:
    """Runs of equal ids -> (id, start, end) line spans; a repeated later run is a new document."""
    spans: list[tuple[str, int, int]] = []
    for line, doc_id in enumerate(docids):
        if spans and spans[-1][0] == doc_id and spans[-1][2] == line:
            spans[-1] = (doc_id, spans[-1][1], line + 1)
        else:
            spans.append((doc_id, line, line + 1))
    return spans


def document_scores(
    metric: Any, stats: Sequence[Stats], spans: Sequence[tuple[str, int, int]]
) -> list[float]:
    """Corpus-style score of each document span (what `corpus_score` gives on those lines)."""
    return [float(sacrebleu_api.aggregate(metric, stats[a:b]).score) for _, a, b in spans]


def higher_is_better(metric_name: str) -> bool:
    """TER counts edits (lower is better); BLEU and chrF count matches."""
    return metric_name != "TER"
