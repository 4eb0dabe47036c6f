"""Scoring files or lines into one `ScoreReport`: the engine behind `vi2en score` and `vi2en eval`.

`score_files` reads and checks the inputs (as sacreBLEU reads them), applies the evaluator's
normalisation to hypotheses and references alike, optionally sentence-aligns a differently
segmented hypothesis, and hands the lines to `score_lines`, which builds the typed report
(`vi2en.evaluate.results`): corpus scores with signatures and optional bootstrap CIs, paired
tests against a baseline, sentence and per-document scores, the worst segments and length
ratios. `report.py` and `report_html.py` render it; nothing in it needs recomputing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from vi2en.errors import Vi2enError
from vi2en.evaluate import normalize as norm
from vi2en.evaluate.inputs import check_same_length, read_lines
from vi2en.evaluate.results import (
    Alignment,
    DocumentScores,
    DocumentSpan,
    LengthStats,
    Normalization,
    ScoreOptions,
    ScoreReport,
    WorstSegment,
    WorstSegments,
)
from vi2en.evaluate.scores import (
    Stats,
    build_metrics,
    corpus_result,
    document_scores,
    document_spans,
    extract_statistics,
    higher_is_better,
    sentence_metric,
    sentence_scores,
)
from vi2en.evaluate.significance import paired_test

# sacreBLEU warns at 100 hypotheses ending in " ." (tokenized output); so do we, in the report.
TOKENIZED_PERIOD_LINES = 100
DEFAULT_OPTIONS = ScoreOptions()  # sacreBLEU's defaults


def score_files(
    references: Sequence[str | os.PathLike[str]],
    hypotheses: Sequence[str | os.PathLike[str]],
    *,
    source: str | os.PathLike[str] | None = None,
    docids: str | os.PathLike[str] | None = None,
    align: bool = False,
    options: ScoreOptions = DEFAULT_OPTIONS,
) -> ScoreReport:
    """Read, check, normalise (and optionally align) files, then `score_lines` them.

    Args:
        references: one or more reference files (line n of each is a reference for line n).
        hypotheses: one or more system outputs; the first is the default baseline.
        source: optional source file, shown beside the worst segments.
        docids: optional file with one document id per line (a document = a run of equal ids).
        align: sentence-align a differently segmented hypothesis to the references first.
        options: metrics, normalisation, significance and report options.

    Raises:
        InputError: a missing, empty, binary or undecodable file.
        MismatchError: line counts differ (the message names both files and counts).
        Vi2enError: bad options.
    """
    if not references or not hypotheses:
        raise Vi2enError("give at least one reference (-r) and one hypothesis file")
    notes: list[str] = []  # what decoding changed, file by file
    refs = [(str(path), read_lines(path, notes=notes)) for path in references]
    systems = [(str(path), read_lines(path, notes=notes)) for path in hypotheses]
    src = (str(source), read_lines(source, notes=notes)) if source is not None else None
    ids = (str(docids), [line.strip() for line in read_lines(docids)]) if docids else None
    check_same_length(refs[1:] + ([src] if src else []) + ([ids] if ids else []), against=refs[0])
    alignment = None
    if align:
        if len(systems) != 1:
            raise Vi2enError("--align works on one hypothesis at a time")
        aligned, alignment = align_to_reference(systems[0][1], refs, src, ids)
        systems = [(systems[0][0], aligned["hypothesis"])]
        refs = list(zip([name for name, _ in refs], aligned["references"], strict=True))
        src = (src[0], aligned["source"]) if src else None
        ids = (ids[0], aligned["docids"]) if ids else None
    else:
        check_same_length(systems, against=refs[0])
    report = score_lines(
        refs, systems, source=src, docids=ids, options=options, alignment=alignment
    )
    report.notes[:0] = notes
    return report


def align_to_reference(
    hyp: list[str],
    refs: list[tuple[str, list[str]]],
    src: tuple[str, list[str]] | None,
    ids: tuple[str, list[str]] | None,
) -> tuple[dict[str, Any], Alignment]:
    """Group hypothesis and reference lines into aligned beads (vi2en's sentence aligner).

    The first reference decides the beads; the other references, the source and the document
    ids follow the reference side of each bead.
    """
    from vi2en.align.sentences import align_sentences

    # English-English alignment: the hypothesis is its own "bridge" for the chrF similarity.
    beads = align_sentences(hyp, refs[0][1], bridge=hyp)
    out: dict[str, Any] = {"hypothesis": [], "references": [[] for _ in refs], "source": [],
                           "docids": []}
    last_id = ids[1][0] if ids else None
    for bead in beads:
        out["hypothesis"].append(" ".join(hyp[i] for i in bead.src))
        for k, (_, lines) in enumerate(refs):
            out["references"][k].append(" ".join(lines[j] for j in bead.tgt))
        if src:
            out["source"].append(" ".join(src[1][j] for j in bead.tgt))
        if ids:
            last_id = ids[1][bead.tgt[0]] if bead.tgt else last_id
            out["docids"].append(last_id)
    merged = sum(1 for bead in beads if len(bead.src) != 1 or len(bead.tgt) != 1)
    info = Alignment(
        method="vi2en.align.sentences.align_sentences (bridge = the hypothesis, chrF)",
        hypothesis_lines=len(hyp),
        reference_lines=len(refs[0][1]),
        beads=len(beads),
        beads_not_one_to_one=merged,
    )
    return out, info


def score_lines(
    references: Sequence[tuple[str, Sequence[str]]],
    systems: Sequence[tuple[str, Sequence[str]]],
    *,
    source: tuple[str, Sequence[str]] | None = None,
    docids: tuple[str, Sequence[str]] | None = None,
    options: ScoreOptions = DEFAULT_OPTIONS,
    alignment: Alignment | None = None,
) -> ScoreReport:
    """Score line-aligned systems against references.

    Args:
        references: (name, lines) per reference.
        systems: (name, lines) per system, each as long as the references.
        source: optional (name, lines) of the source, for the worst-segments view.
        docids: optional (name, ids), one id per line, for per-document scores.
        options: see `ScoreOptions`.
        alignment: what `align_to_reference` reported, if the hypothesis was aligned.

    Raises:
        MismatchError: line counts differ.
        Vi2enError: bad options (unknown metric, baseline, test).
    """
    import sacrebleu

    from vi2en import __version__

    check_same_length(list(systems) + list(references[1:]), against=references[0])
    names = [name for name, _ in systems]
    if len(set(names)) != len(names):
        raise Vi2enError("two systems have the same name; give each hypothesis file once")
    baseline = _baseline_name(options.baseline, names)
    steps = norm.parse_steps(options.normalize)
    refs = [norm.normalize_lines(lines, steps) for _, lines in references]
    hyps = [norm.normalize_lines(lines, steps) for _, lines in systems]
    metrics = build_metrics(
        options.metrics, refs, bleu_options=options.bleu, chrf_options=options.chrf,
        ter_options=options.ter,
    )  # fmt: skip
    stats = extract_statistics(metrics, hyps, jobs=options.jobs)
    corpus = {
        name: {key: corpus_result(metric, stats[key][i], confidence_n=options.confidence_n,
                                  width=options.width)
               for key, metric in metrics.items()}
        for i, name in enumerate(names)
    }  # fmt: skip
    signatures = {key: m.get_signature().format(options.short) for key, m in metrics.items()}
    sentence_metrics = {key: sentence_metric(m) for key, m in metrics.items()}
    sentences = {
        name: {key: sentence_scores(sentence_metrics[key], stats[key][i]) for key in metrics}
        for i, name in enumerate(names)
    }
    for metric in metrics.values():  # the CI resamples belong to the corpus signatures only
        metric.n_bootstrap = metric.seed = None
    significance = [
        paired_test(metrics, list(zip(names, hyps, strict=True)), stats, test=test,
                    baseline=names.index(baseline),
                    n_samples=options.paired_bs_n if test == "bs" else options.paired_ar_n,
                    short=options.short)
        for test in dict.fromkeys(options.paired)
    ]  # fmt: skip
    return ScoreReport(
        vi2en_version=__version__,
        sacrebleu_version=sacrebleu.__version__,
        references=[name for name, _ in references],
        systems=names,
        source=source[0] if source else None,
        docids=docids[0] if docids else None,
        segments=len(refs[0]),
        normalization=Normalization(list(steps), norm.describe(steps)),
        alignment=alignment,
        options=options,
        metrics=list(metrics),
        notes=_notes(hyps, refs, names, steps),
        corpus=corpus,
        signatures=signatures,
        sentence_signatures={
            key: m.get_signature().format(options.short) for key, m in sentence_metrics.items()
        },
        sentences=sentences,
        length={name: _length(corpus[name], hyps[i], refs[0]) for i, name in enumerate(names)},
        baseline=baseline,
        significance=significance,
        documents=_documents(metrics, stats, names, docids[1]) if docids else None,
        worst=_worst(sentences, list(metrics), options, names, hyps, refs,
                     source[1] if source else None),
    )


def _documents(metrics: dict[str, Any], stats: dict[str, list[list[Stats]]], names: list[str],
               ids: Sequence[str]) -> DocumentScores:
    spans = document_spans(ids)
    return DocumentScores(
        spans=[DocumentSpan(doc_id, a + 1, b) for doc_id, a, b in spans],
        scores={name: {key: document_scores(metric, stats[key][i], spans)
                       for key, metric in metrics.items()}
                for i, name in enumerate(names)},
    )  # fmt: skip


def _baseline_name(wanted: str | None, names: list[str]) -> str:
    if wanted is None:
        return names[0]
    matches = [n for n in names if n == wanted or os.path.basename(n) == wanted]
    if len(matches) != 1:
        raise Vi2enError(f"--baseline {wanted!r} names none of the systems: {', '.join(names)}")
    return matches[0]


def _length(corpus: dict[str, Any], hyp: Sequence[str], ref: Sequence[str]) -> LengthStats:
    hyp_words = sum(len(line.split()) for line in hyp)
    ref_words = sum(len(line.split()) for line in ref)
    hyp_chars, ref_chars = sum(map(len, hyp)), sum(map(len, ref))
    bleu = corpus.get("BLEU")  # the ratio evaluators quote: BLEU's, over tokenised words
    return LengthStats(
        hyp_words=hyp_words, ref_words=ref_words,
        word_ratio=hyp_words / ref_words if ref_words else None,
        hyp_chars=hyp_chars, ref_chars=ref_chars,
        char_ratio=hyp_chars / ref_chars if ref_chars else None,
        bleu_ratio=None if bleu is None else bleu.details.get("ratio"),
    )  # fmt: skip


def _notes(hyps: list[list[str]], refs: list[list[str]], names: list[str],
           steps: Sequence[str]) -> list[str]:
    notes = []
    for name, lines in zip(names, hyps, strict=True):
        tokenized = sum(1 for line in lines if line.endswith(" ."))
        if tokenized >= TOKENIZED_PERIOD_LINES:
            notes.append(f"{name}: {tokenized} lines end in ' .' and look tokenized; "
                         "detokenize them (or use --normalize moses) for comparable BLEU")
    if "moses" not in steps:
        escaped = sum(1 for lines in refs for line in lines if "&apos;" in line or "&quot;" in line)
        if escaped:
            notes.append(f"{escaped} reference lines contain Moses escapes (&apos; &quot;); "
                         "use --normalize moses to unescape and detokenize them")
    if any(lines and lines[0].startswith("\ufeff") for lines in refs + hyps):
        notes.append("a file starts with a UTF-8 byte order mark, kept as sacreBLEU keeps it")
    return notes


def _worst(sentences: dict[str, dict[str, list[float]]], keys: list[str], options: ScoreOptions,
           names: list[str], hyps: list[list[str]], refs: list[list[str]],
           src: Sequence[str] | None) -> WorstSegments | None:
    if options.worst <= 0:
        return None
    by = options.worst_by or ("chrF2" if "chrF2" in keys else keys[0])
    if by not in keys:
        raise Vi2enError(f"--worst-by {by!r} is not among the metrics scored: {', '.join(keys)}")
    sign = 1 if higher_is_better(by) else -1
    out = WorstSegments(metric=by, n=options.worst, segments={})
    for i, name in enumerate(names):
        scores = sentences[name][by]
        order = sorted(range(len(scores)), key=lambda line: (sign * scores[line], line))
        rows = []
        for line in order[: options.worst]:
            ref_words = len(refs[0][line].split())
            rows.append(WorstSegment(
                line=line + 1,
                score=scores[line],
                scores={key: sentences[name][key][line] for key in keys},
                source=src[line] if src is not None else None,
                references=[ref[line] for ref in refs],
                hypothesis=hyps[i][line],
                length_ratio=len(hyps[i][line].split()) / ref_words if ref_words else None,
            ))  # fmt: skip
        out.segments[name] = rows
    return out
