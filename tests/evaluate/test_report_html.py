"""The HTML report: one offline file, charts as inline SVG, every text escaped."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from tests.chromium import evaluate, load_page, screenshot
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


def paired_report_page() -> str:
    """A baseline, a clearly better and a clearly worse system, paired bootstrap."""
    rng = __import__("random").Random(3)
    words = ["rain", "price", "city", "river", "market", "people", "police", "school", "road"]
    refs = [" ".join(rng.choice(words) for _ in range(8)) + "." for _ in range(60)]

    def damaged(line: str, keep: float) -> str:
        return " ".join(w if rng.random() < keep else "zzz" for w in line.split())

    return render(
        score_lines(
            [("ref.en", refs)],
            [
                ("base.en", [damaged(r, 0.6) for r in refs]),
                ("good.en", [damaged(r, 0.95) for r in refs]),
                ("bad.en", [damaged(r, 0.2) for r in refs]),
            ],
            options=ScoreOptions(metrics=("bleu", "chrf", "ter"), paired=("bs",), paired_bs_n=200),
        ),
        "html",
    )


@pytest.mark.issue(15)
def test_significant_results_are_coloured_by_direction():
    tree = lxml_html.fromstring(paired_report_page())
    table = tree.xpath("//h2[starts-with(., 'Paired test')]/following-sibling::table[1]")[0]
    rows = {
        row.xpath("./td[1]")[0].text_content(): [
            span.get("class", "") for span in row.xpath("./td/span")
        ]
        for row in table.xpath(".//tr[td]")
    }
    # BLEU, chrF and TER (lower is better): the good system is better on all three
    assert rows["good.en"] == ["sig better"] * 3
    assert rows["bad.en"] == ["sig worse"] * 3
    assert rows["base.en"] == [""] * 3
    css = tree.xpath("//style")[0].text
    assert ".sig.better{color:#080}" in css and ".sig.worse{color:#b00}" in css


@pytest.mark.issue(15)
def test_score_report_does_not_overflow_at_700px(browser, tmp_path):
    rng = __import__("random").Random(4)
    words = ["rain", "price", "city", "river", "market", "people", "police", "school"]
    refs = [" ".join(rng.choice(words) for _ in range(12)) + "." for _ in range(150)]
    hyps = [" ".join(w if rng.random() < 0.7 else "x" * 60 for w in r.split()) for r in refs]
    long_name = "he-thong-dich-" * 8 + ".en"
    report = score_lines(
        [("ref.en", refs)],
        [(long_name, hyps), ("base.en", refs[:1] + hyps[1:])],
        source=("src.vi", ["Câu " + "dài " * 40 for _ in refs]),
        docids=("ids", [f"doc{k // 2}" for k in range(len(refs))]),  # 75 documents
        options=ScoreOptions(paired=("bs",), paired_bs_n=100, confidence_n=100, worst=5),
    )
    page = tmp_path / "report.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    session = load_page(browser, page, width=700)
    scroll_width, client_width = evaluate(
        browser, session,
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]",
    )  # fmt: skip
    assert scroll_width <= client_width <= 700  # (a vertical scroll bar may take some)
    # the per-document chart (75 bars, wider than the page) is scaled down, not cut
    chart = evaluate(
        browser, session, "document.querySelector('svg').getBoundingClientRect().width"
    )
    assert 0 < chart <= 700
    screenshot(browser, session, tmp_path / "report-700.png")
