"""The score report as typed records, and the one function that serialises it.

`vi2en.evaluate.evaluation.score_lines` builds a `ScoreReport`; the renderers
(`vi2en.evaluate.report`, `report_html`) read its fields; `to_dict` turns it into plain JSON
types (the `-f json` report, `report.json` of `vi2en eval`) and `report_from_dict` reads that
back into an equal `ScoreReport`. Scores are keyed by system name, then by sacreBLEU's metric
name ("BLEU", "chrF2", "chrF2++", "TER").
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

from vi2en.defaults import DEFAULT_METRICS, DEFAULT_PAIRED_SAMPLES

T = TypeVar("T")
PerMetric = dict[str, T]  # sacreBLEU score name -> value
PerSystem = dict[str, T]  # system (hypothesis file) name -> value


@dataclass(frozen=True)
class ScoreOptions:
    """How to score; the defaults are sacreBLEU's, so scores equal the `sacrebleu` CLI's.

    `bleu`, `chrf` and `ter` are keyword arguments for sacreBLEU's BLEU, CHRF and TER classes.
    `paired` lists tests among "bs" and "ar"; `confidence_n` > 1 adds bootstrap CIs;
    `worst_by` defaults to chrF2 (the better sentence-level metric) or the first metric.
    """

    metrics: tuple[str, ...] = DEFAULT_METRICS
    bleu: dict[str, Any] = field(default_factory=dict)
    chrf: dict[str, Any] = field(default_factory=dict)
    ter: dict[str, Any] = field(default_factory=dict)
    normalize: tuple[str, ...] = ()
    confidence_n: int = 0
    paired: tuple[str, ...] = ()
    paired_bs_n: int = DEFAULT_PAIRED_SAMPLES["bs"]
    paired_ar_n: int = DEFAULT_PAIRED_SAMPLES["ar"]
    baseline: str | None = None
    worst: int = 10
    worst_by: str | None = None
    jobs: int = 1
    short: bool = False
    width: int = 1


@dataclass
class CorpusScore:
    """One metric's corpus score for one system, as `metric.corpus_score` gives it.

    `mean` and `ci` (half-width of the 95% interval) are sacreBLEU's bootstrap estimate, set
    when confidence intervals were asked for; `details` are the Score's public fields (BLEU's
    counts, bp and ratio; TER's edits...); `text` is sacreBLEU's own formatted line.
    """

    score: float
    text: str
    details: dict[str, Any]
    mean: float | None = None
    ci: float | None = None


@dataclass
class LengthStats:
    """Hypothesis vs first reference length, in whitespace words and characters."""

    hyp_words: int
    ref_words: int
    word_ratio: float | None
    hyp_chars: int
    ref_chars: int
    char_ratio: float | None
    bleu_ratio: float | None = None  # BLEU's own ratio (tokenised words), when BLEU was scored

    @property
    def ratio(self) -> float | None:
        """The ratio evaluators quote: BLEU's when there is one, else whitespace words'."""
        return self.word_ratio if self.bleu_ratio is None else self.bleu_ratio


@dataclass
class PairedScore:
    """One metric's result for one system in a paired test (`p_value` None: the baseline)."""

    score: float
    p_value: float | None
    mean: float | None
    ci: float | None
    significant: bool | None


@dataclass
class PairedSystem:
    system: str
    baseline: bool
    scores: PerMetric[PairedScore]


@dataclass
class SignificanceTest:
    """A paired test of every system against the baseline, as `sacrebleu --paired-TEST`."""

    test: str  # "bs" or "ar"
    description: str
    n_samples: int
    baseline: str
    signatures: PerMetric[str]
    results: list[PairedSystem]  # the baseline first


@dataclass
class DocumentSpan:
    id: str
    first_line: int  # 1-based, inclusive
    last_line: int


@dataclass
class DocumentScores:
    """Corpus-style scores of each document (a run of equal ids in the docids file)."""

    spans: list[DocumentSpan]
    scores: PerSystem[PerMetric[list[float]]]  # one score per span


@dataclass
class WorstSegment:
    line: int  # 1-based
    score: float
    scores: PerMetric[float]
    source: str | None
    references: list[str]
    hypothesis: str
    length_ratio: float | None  # hypothesis / first reference, whitespace words


@dataclass
class WorstSegments:
    metric: str
    n: int
    segments: PerSystem[list[WorstSegment]]


@dataclass
class Normalization:
    steps: list[str]
    description: str


@dataclass
class Alignment:
    """How a differently segmented hypothesis was sentence-aligned to the references."""

    method: str
    hypothesis_lines: int
    reference_lines: int
    beads: int
    beads_not_one_to_one: int

    @property
    def summary(self) -> str:
        return (f"{self.hypothesis_lines} hypothesis lines to {self.reference_lines} reference "
                f"lines in {self.beads} beads ({self.beads_not_one_to_one} not 1-1) by "
                f"{self.method}")  # fmt: skip


@dataclass
class TranslationRun:
    """What translated the hypothesis in `vi2en eval`: the signature of what ran, and timing."""

    signature: dict[str, Any]  # `TranslationSignature.to_dict()`
    signature_text: str
    segments: int
    seconds: float
    split_segments: int

    @property
    def summary(self) -> str:
        """`model (engine E, device D, compute, beam B)`, from the signature."""
        s = self.signature
        return (f"{s['model']} (engine {s['engine']}, device {s['device']}, "
                f"{s['compute_type']}, beam {s['beam_size']})")  # fmt: skip


@dataclass
class ScoreReport:
    """Everything `vi2en score` and `vi2en eval` report; nothing in it needs recomputing."""

    vi2en_version: str
    sacrebleu_version: str
    references: list[str]
    systems: list[str]
    source: str | None
    docids: str | None
    segments: int
    normalization: Normalization
    alignment: Alignment | None
    options: ScoreOptions
    metrics: list[str]
    notes: list[str]
    corpus: PerSystem[PerMetric[CorpusScore]]
    signatures: PerMetric[str]
    sentence_signatures: PerMetric[str]
    sentences: PerSystem[PerMetric[list[float]]]  # one score per line, as `sacrebleu -sl`
    length: PerSystem[LengthStats]
    baseline: str
    significance: list[SignificanceTest]
    documents: DocumentScores | None
    worst: WorstSegments | None
    # Set by `vi2en eval` (`vi2en.evaluate.eval_run`): `translation` is the first system's,
    # `translations` one per system (several with `--model A --model B`), in `systems` order.
    translation: TranslationRun | None = None
    translations: list[TranslationRun] = field(default_factory=list)
    testset: dict[str, Any] | None = None  # `EvalSet.describe()`
    anchors: list[dict[str, Any]] = field(default_factory=list)  # published scores of the set
    files: dict[str, str] = field(default_factory=dict)  # what eval wrote, by kind

    @property
    def width(self) -> int:
        """Decimals to print scores with."""
        return self.options.width


def to_dict(value: Any) -> Any:
    """A report (or any part of it) as plain JSON types: the one serialiser of score results.

    Tuples become lists, numpy scalars plain numbers, NaN None.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_dict(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_dict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_dict(v) for v in value]
    if hasattr(value, "tolist"):  # numpy scalar or array: float32 is not JSON serializable
        return to_dict(value.tolist())
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def report_from_dict(data: dict[str, Any]) -> ScoreReport:
    """Read `to_dict(report)` (a `report.json`) back into a `ScoreReport`.

    Raises:
        ValueError: a field is missing or of the wrong kind.
    """
    return _build(ScoreReport, data)


def _build(kind: Any, data: Any) -> Any:
    """`data` (plain JSON types) as an instance of the annotation `kind`."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _build(inner, data)
    if dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise ValueError(f"{kind.__name__}: expected an object, got {type(data).__name__}")
        hints = typing.get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        if set(data) - names:
            raise ValueError(f"{kind.__name__}: unknown fields {sorted(set(data) - names)}")
        try:
            return kind(**{name: _build(hints[name], value) for name, value in data.items()})
        except TypeError as exc:
            raise ValueError(f"{kind.__name__}: {exc}") from None
    if origin is list:
        return [_build(args[0], v) for v in data]
    if origin is tuple:
        return tuple(_build(args[0], v) for v in data)
    if origin is dict:
        return {k: _build(args[1], v) for k, v in data.items()}
    if kind is float and isinstance(data, int):
        return float(data)
    return data
