"""Translate a test set with vi2en's pipeline and score it in one go (`vi2en eval`).

The hypothesis file and the reports (JSON with everything, HTML, Markdown) are kept in the
output folder. For a Moses-tokenised set (IWSLT'15) the source is detokenised before
translation and the references are detokenised before scoring, and the report says so.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from vi2en.errors import Vi2enError
from vi2en.evaluate import normalize as norm
from vi2en.evaluate.evaluation import score_lines
from vi2en.evaluate.inputs import check_same_length, read_lines
from vi2en.evaluate.report import render
from vi2en.evaluate.results import ScoreOptions, ScoreReport, TranslationRun
from vi2en.evaluate.scores import build_metrics
from vi2en.evaluate.testsets import EvalSet, verify_checksums

REPORT_FORMATS = {"json": "report.json", "html": "report.html", "markdown": "report.md"}


def run_eval(
    output_dir: str | os.PathLike[str],
    *,
    source: str | os.PathLike[str] | None = None,
    references: Sequence[str | os.PathLike[str]] = (),
    docids: str | os.PathLike[str] | None = None,
    testset: EvalSet | None = None,
    translator_options: dict[str, Any] | None = None,
    options: ScoreOptions | None = None,
    models: Sequence[str] = (),
) -> ScoreReport:
    """Translate `source` (or the test set's source), score it, write files into `output_dir`.

    Args:
        output_dir: folder for `<name>.hyp.en`, report.json, report.html and report.md.
        source: Vietnamese source file, one segment per line (unless `testset`).
        references: English reference file(s) (unless `testset`).
        docids: optional document-id file (unless `testset`, which brings its own).
        testset: a registered set from `testsets.resolve_testset`.
        translator_options: keyword arguments for `vi2en.translator.Translator`
            (model, engine, device, beam_size, ...).
        options: scoring options (the set's own normalisation steps are added).
        models: several models to compare in one report (each translates the set; one
            hypothesis file each, `<name>.<model>.hyp.en`; paired bootstrap against the first
            unless another paired test is asked for). Empty: `translator_options`' model.

    Returns:
        The report, with `translation`, `testset`, `anchors` and `files` set.

    Raises:
        ModelNotFound, EngineError: the model cannot be loaded.
        InputError, MismatchError: unreadable or mismatched files.
        Vi2enError: neither a test set nor source and reference given.
    """
    options = options or ScoreOptions()
    notes: list[str] = []
    if testset is not None:
        source, references, docids = testset.source, [testset.reference], testset.docids
        notes += verify_checksums(testset)
        steps = norm.parse_steps([*options.normalize, *testset.normalize])
        options = replace(options, normalize=steps)
    if source is None or not references:
        raise Vi2enError("give --testset NAME, or --src FILE and --ref FILE")
    src_lines = read_lines(source, notes=notes, vietnamese=True)
    refs = [(str(path), read_lines(path, notes=notes)) for path in references]
    ids = (str(docids), [line.strip() for line in read_lines(docids)]) if docids else None
    check_same_length(refs[1:] + ([ids] if ids else []), against=refs[0])
    check_same_length([(str(source), src_lines)], against=refs[0])

    # Scoring options fail before the long translation, not after it (a BLEU tokenizer
    # that needs an extra or a download, for instance).
    build_metrics(options.metrics, [lines for _, lines in refs], bleu_options=options.bleu,
                  chrf_options=options.chrf, ter_options=options.ter)  # fmt: skip

    mt_input = src_lines
    if "moses" in options.normalize:  # the model wants natural text, not `don &apos;t`
        mt_input = norm.normalize_lines(src_lines, ("moses",))
        notes.append("source detokenised (Moses unescape + detokenise) before translation")

    from vi2en.text.files import atomic_write

    out_dir = Path(output_dir)
    name = testset.name if testset else Path(source).stem
    base = dict(translator_options or {})
    choices = list(models) or [base.get("model")]
    if len(set(choices)) != len(choices):
        raise Vi2enError("a model is given twice; give each --model once")
    if len(choices) > 1 and not options.paired:
        options = replace(options, paired=("bs",))  # compare them: paired bootstrap
    systems: list[tuple[str, list[str]]] = []
    runs: list[TranslationRun] = []
    slugs = [_slug(str(model)) for model in choices]
    if len(set(slugs)) != len(slugs):  # two folders of the same name
        slugs = [f"{i + 1}-{slug}" for i, slug in enumerate(slugs)]
    for model, slug in zip(choices, slugs, strict=True):
        settings = base if model is None else {**base, "model": model}
        hyps, run = _translate(settings, mt_input)
        suffix = "" if len(choices) == 1 else f".{slug}"
        hyp_path = out_dir / f"{name}{suffix}.hyp.en"
        atomic_write(hyp_path, "".join(line + "\n" for line in hyps))
        systems.append((str(hyp_path), hyps))
        runs.append(run)
    report = score_lines(refs, systems, source=(str(source), src_lines), docids=ids,
                         options=options)  # fmt: skip
    report.notes = notes + report.notes
    report.translation = runs[0]
    report.translations = runs
    report.testset = testset.describe() if testset else None
    report.anchors = testset.anchors if testset else []
    report.files = {"hypothesis": systems[0][0]}
    if len(systems) > 1:
        report.files.update({f"hypothesis {i + 1}": path for i, (path, _) in enumerate(systems)})
    for fmt, file_name in REPORT_FORMATS.items():
        report.files[fmt] = str(out_dir / file_name)
    for fmt, file_name in REPORT_FORMATS.items():
        atomic_write(out_dir / file_name, render(report, fmt))
    return report


def _translate(settings: dict[str, Any], lines: Sequence[str]) -> tuple[list[str], TranslationRun]:
    """Translate `lines` with one model (loaded, used, released): hypotheses and what ran."""
    from vi2en.translator import Translator

    translator = Translator(**settings)
    started = time.perf_counter()
    translations = translator.translate_segments(lines)
    seconds = time.perf_counter() - started
    # One hypothesis per line, whatever the model emits: inner line breaks become spaces.
    hyps = [" ".join(tr.text.split("\n")) for tr in translations]
    signature = translator.signature()  # what ran (engine "auto" resolved), not what was asked
    run = TranslationRun(
        signature=signature.to_dict(),
        signature_text=signature.format(),
        segments=len(hyps),
        seconds=round(seconds, 3),
        split_segments=sum(1 for tr in translations if tr.parts > 1),
    )
    return hyps, run


def _slug(model: str) -> str:
    """A file-name part for a model: its last path or id part (`opus-mt-vi-en`)."""
    import re

    tail = model.rstrip("/").replace("\\", "/").split("/")[-1] or "model"
    return re.sub(r"[^\w.+-]+", "_", tail)[-60:]
