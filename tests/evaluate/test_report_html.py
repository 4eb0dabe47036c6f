"""The HTML report: one offline file, charts as inline SVG, every text escaped."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from vi2en.evaluate.evaluation import ScoreOptions, score_lines
from vi2en.evaluate.report import render

EVIL = '<script>alert("x")</script> & “quotes”'


@pytest.fixture(scope="module")
def page() -> str:
    report = score_lines(
        [("ref<1>.en", [EVIL, "It rained all day.", "Prices rose."])],
        [("<b>sys</b>.en", ["<img src=x onerror=alert(1)>", "It rained.", "Prices rose."])],
        source=("src.vi", ["Nguồn <i>", "Trời mưa.", "Giá tăng."]),
        docids=("ids", ['doc"1<', 'doc"1<', "d2"]),
        options=ScoreOptions(metrics=("bleu", "chrf"), worst=3),
    )
    return render(report, "html")


def test_no_script_no_external_resource(page):
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//script") == [] and tree.xpath("//img") == []
    assert tree.xpath("//*[@src]") == [] and tree.xpath("//link") == []
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "&lt;b&gt;sys&lt;/b&gt;.en" in page


def test_charts_are_inline_svg(page):
    tree = lxml_html.fromstring(page)
    svgs = tree.xpath("//svg")
    assert len(svgs) == 2  # per-document bars + sentence histogram
    bars = svgs[0].xpath(".//rect")
    assert len(bars) == 2  # two documents
    titles = [t.text_content() for t in svgs[0].xpath(".//title")]
    assert any(t.startswith('doc"1< (lines 1-2)') for t in titles)
    assert sum(int(t.text_content().split(": ")[1]) for t in svgs[1].xpath(".//rect/title")) == 3


def test_worst_segments_side_by_side_and_signatures(page):
    tree = lxml_html.fromstring(page)
    (table,) = tree.xpath("//table[@class='seg']")
    headers = [th.text_content() for th in table.xpath(".//th")]
    assert headers == ["line", "chrF2", "length ratio", "source", "reference", "hypothesis"]
    cells = [td.text_content() for td in table.xpath(".//tr[2]/td")]
    assert cells[0] == "1"  # the worst line: every piece of its text survives escaping
    assert cells[3:] == ["Nguồn <i>", EVIL, "<img src=x onerror=alert(1)>"]
    assert "nrefs:1|case:mixed|eff:no|tok:13a" in page
