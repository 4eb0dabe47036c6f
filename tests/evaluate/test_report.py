"""Text, JSON and Markdown rendering."""

from __future__ import annotations

import dataclasses
import json

import pytest

from vi2en.errors import Vi2enError
from vi2en.evaluate.evaluation import ScoreOptions, score_lines
from vi2en.evaluate.report import render
from vi2en.evaluate.results import Alignment, TranslationRun, report_from_dict

REF = ["a | b", "It rained all day.", "Prices rose in March."]
SYS1 = ["a | c", "It rained.", "Prices rose in March."]
SYS2 = ["a | b", "It rained all day long.", "Costs rose."]


@pytest.fixture(scope="module")
def report():
    out = score_lines([("ref.en", REF)], [("s1.en", SYS1), ("s2.en", SYS2)],
                      source=("src.vi", ["x", "y", "z"]), docids=("ids", ["d1", "d1", "d2"]),
                      options=ScoreOptions(metrics=("bleu", "chrf"), paired=("bs",),
                                           paired_bs_n=50, worst=1, normalize=("nfc",),
                                           confidence_n=20))
    out.notes.append("a note")
    out.anchors = [{"system": "published", "BLEU": 23.2, "chrF2": 51.3}]
    out.testset = {"name": "tiny", "title": "a tiny set"}
    out.files = {"hypothesis": "s1.en"}
    out.translation = TranslationRun(
        signature={"model": "m", "engine": "ctranslate2", "device": "cpu",
                   "compute_type": "int8", "beam_size": 4},
        signature_text="vi2en:0.1.0|model:m", segments=3, seconds=1.5, split_segments=0,
    )  # fmt: skip
    out.translations = [out.translation]
    out.alignment = Alignment("aligner", 2, 3, 2, 1)
    return out


def _unset_fields(value, path="report"):
    """Paths of fields that are None or empty anywhere in `value` (a dataclass tree)."""
    if dataclasses.is_dataclass(value):
        items = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value[:1]))
    else:
        return []
    found = []
    for name, child in items:
        if child is None or (isinstance(child, (list, dict)) and not child):
            found.append(f"{path}.{name}")
        found += _unset_fields(child, f"{path}.{name}")
    return found


def test_json_round_trips_every_field(report):
    data = json.loads(render(report, "json"))
    # Every field of every record, at every level, comes back equal (dataclass equality).
    assert report_from_dict(data) == report
    # ...and the fixture sets them all, so the comparison covers every field: None is left
    # only where it means something (the baseline's p-value, the options left at sacreBLEU's
    # defaults).
    unset = {p for p in _unset_fields(report) if not p.startswith("report.options.")}
    meaningful = {f"report.significance.0.results.0.scores.{m}.{f}" for m in ("BLEU", "chrF2")
                  for f in ("p_value", "significant")}  # fmt: skip
    assert unset <= meaningful, unset - meaningful
    assert data["significance"][0]["results"][1]["scores"]["BLEU"]["p_value"] is not None
    assert set(data["sentences"]["s1.en"]) == {"BLEU", "chrF2"}


def test_a_report_with_a_field_too_many_is_refused(report):
    data = json.loads(render(report, "json"))
    data["corpus"]["s1.en"]["BLEU"]["extra"] = 1
    with pytest.raises(ValueError, match=r"CorpusScore: unknown fields \['extra'\]"):
        report_from_dict(data)


def test_table_shows_scores_signatures_tests_documents_and_anchors(report):
    text = render(report, "table", sentence=True)
    for needle in ["== Corpus scores ==", "BLEU|nrefs:1|case:mixed", "anchor: published",
                   "23.2", "== Paired test: paired bootstrap resampling (50 samples), "
                   "baseline s1.en ==", "p=", "S2 = s2.en", "== Documents (2) ==",
                   "S1:BLEU", "== Sentence scores ==", "  SRC: x"]:
        assert needle in text, needle


def test_markdown_escapes_pipes_in_cells(report):
    md = render(report, "markdown")
    assert "a \\| c" in md  # the hypothesis with a pipe stays in its cell
    assert "`BLEU|nrefs:1|" in md


def test_unknown_format(report):
    with pytest.raises(Vi2enError, match="unknown report format 'pdf'"):
        render(report, "pdf")
