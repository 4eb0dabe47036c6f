"""Text, JSON and Markdown rendering."""

from __future__ import annotations

import json

import pytest

from vi2en.errors import Vi2enError
from vi2en.evaluate.evaluation import ScoreOptions, score_lines
from vi2en.evaluate.report import render

REF = ["a | b", "It rained all day.", "Prices rose in March."]
SYS1 = ["a | c", "It rained.", "Prices rose in March."]
SYS2 = ["a | b", "It rained all day long.", "Costs rose."]


@pytest.fixture(scope="module")
def report():
    out = score_lines([("ref.en", REF)], [("s1.en", SYS1), ("s2.en", SYS2)],
                      source=("src.vi", ["x", "y", "z"]), docids=("ids", ["d1", "d1", "d2"]),
                      options=ScoreOptions(metrics=("bleu", "chrf"), paired=("bs",),
                                           paired_bs_n=50, worst=1))
    out["anchors"] = [{"system": "published", "BLEU": 23.2, "chrF2": 51.3}]
    return out


def test_json_round_trips_everything(report):
    data = json.loads(render(report, "json"))
    assert data["significance"][0]["results"][1]["BLEU"]["p_value"] is not None
    assert set(data["sentences"]["s1.en"]) == {"BLEU", "chrF2"}


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
