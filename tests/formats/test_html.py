"""The bilingual review page: escaping, self-containment, and hover highlighting in Chromium.

The browser test drives Debian's `chromium` over the Chrome DevTools protocol through
`--remote-debugging-pipe` (null-separated JSON on file descriptors 3 and 4), so it needs no
driver package, only the standard library. It skips, with the reason shown, where no Chromium
is installed.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from pathlib import Path

import pytest

from tests.chromium import PipeBrowser, evaluate, load_page, screenshot
from tests.formats.sample_doc import BODY_2, HEADING, make_document
from vi2en.doc import Document
from vi2en.formats import get_renderer
from vi2en.formats.html import render
from vi2en.qa import check_document

SCRIPT_TARGET = "Mr Kim <script>alert(1)</script> arrived in Pyongyang."
def review_document() -> Document:
    """The sample article with a planted `<script>` in a target, QA-checked."""
    return check_document(make_document(targets={BODY_2: SCRIPT_TARGET}))


def test_every_text_is_escaped() -> None:
    page = render(review_document())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # only the page's own script


def test_page_is_self_contained() -> None:
    page = render(review_document())
    assert not re.search(r"""(src|href)\s*=|https?://|@import|url\(""", page)
    assert "default-src 'none'" in page  # the CSP forbids any external load
    assert get_renderer("html")(review_document()) == page


def test_the_title_names_the_input() -> None:
    doc = review_document()
    doc.source = "news/<ha-noi>.txt"
    page = render(doc)
    assert "<title>vi2en review: news/&lt;ha-noi&gt;.txt</title>" in page
    doc.source = None  # a document made in Python, from no file
    assert "<title>vi2en review: document</title>" in render(doc)


def test_paragraphs_types_and_flags_are_shown_in_order() -> None:
    page = render(review_document())
    assert re.findall(r'<section class="para" id="(p\d+)"', page) == [f"p{i}" for i in range(1, 6)]
    assert re.findall(r'class="seg [^"]*" id="(s\d+)"', page) == [f"s{i}" for i in range(1, 7)]
    assert 'class="seg type-body flagged" id="s3"' in page  # the planted number mismatch
    assert '<li class="flag" data-code="number-mismatch">' in page
    assert 'class="seg type-credit" id="s4"' in page
    assert '<div class="tgt empty" lang="en">(not translated)</div>' in page


def test_aligned_words_point_at_each_other() -> None:
    page = render(review_document())
    assert '<span class="w" id="s1-v0" data-peers="s1-e1">Giá</span>' in page
    assert '<span class="w" id="s1-e1" data-peers="s1-v0">prices</span>' in page


def test_bad_links_never_hide_text() -> None:
    doc = make_document()
    tr = doc.segments[0].translation
    tr.links = [*tr.links, type(tr.links[0])(0, 0, 0, 999, 0, 2)]  # a span past the text
    shown = html.unescape(re.sub(r"<[^>]+>", "", render(doc)))
    assert HEADING in shown
    assert tr.text in shown


# --- a real browser -------------------------------------------------------------------------


def test_hover_highlights_aligned_words_in_chromium(browser: PipeBrowser, tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    page.write_text(render(review_document()), encoding="utf-8")
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"
    ]
    browser.send("Page.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": 1200, "height": 800, "deviceScaleFactor": 1, "mobile": False}, session)
    browser.send("Page.navigate", {"url": page.as_uri()}, session)
    browser.wait_event("Page.loadEventFired")

    # The planted script is text on the page, not a script that ran.
    assert evaluate(browser, session, "document.scripts.length") == 1
    shown = evaluate(browser, session, "document.getElementById('s3').textContent")
    assert "<script>alert(1)</script>" in shown
    assert not any(e.get("method") == "Page.javascriptDialogOpening" for e in browser.events)

    # Hover "Giá" (source word 0 of s1): its aligned target word "prices" lights up.
    box = evaluate(browser, session, "JSON.stringify(document.getElementById('s1-v0')"
                   ".getBoundingClientRect())")
    rect = json.loads(box)
    x, y = rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2
    browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y}, session)
    state = evaluate(browser, session, """JSON.stringify({
        peer: document.getElementById('s1-e1').className,
        other: document.getElementById('s1-e0').className,
        color: getComputedStyle(document.getElementById('s1-e1')).backgroundColor})""")
    state = json.loads(state)
    assert state["peer"].split() == ["w", "hl"]
    assert state["other"] == "w"  # "Petrol" is aligned to another word: not lit
    assert state["color"] == "rgb(255, 225, 77)"

    shot = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"},
                                         session)["data"])
    (tmp_path / "review.png").write_bytes(shot)
    assert shot.startswith(b"\x89PNG\r\n\x1a\n") and len(shot) > 5000
    if os.environ.get("VI2EN_SCREENSHOT_DIR"):  # keep a copy for a human to look at
        Path(os.environ["VI2EN_SCREENSHOT_DIR"], "review.png").write_bytes(shot)


def layout_document() -> Document:
    """Rows of very different lengths, an unbreakable URL and a long file name."""
    url = "https://example.com/" + "duong-dan-rat-dai-" * 12 + ".html"
    texts = {
        HEADING: "Petrol prices rise 3.5% from March 27",
        BODY_2: f"Mr Kim arrived in Pyongyang; details at {url}",
    }
    doc = make_document(targets=texts)
    doc.source = "/tmp/" + "thu-muc-" * 10 + "bai-bao-gia-xang.txt"
    return doc


@pytest.mark.issue(15)
def test_review_page_columns_are_fixed_and_nothing_overflows_at_700px(
    browser: PipeBrowser, tmp_path: Path
) -> None:
    page = tmp_path / "layout.html"
    page.write_text(render(layout_document()), encoding="utf-8")
    assert "<title>vi2en review: " in page.read_text(encoding="utf-8")
    assert "bai-bao-gia-xang.txt</title>" in page.read_text(encoding="utf-8")
    columns = """JSON.stringify(Array.from(document.querySelectorAll('.seg')).map(function(row){
        var s=row.querySelector('.src').getBoundingClientRect(),
            t=row.querySelector('.tgt').getBoundingClientRect();
        return [s.left, s.width, t.left, t.width];}))"""
    overflow = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    for width in (1200, 700):
        session = load_page(browser, page, width=width)
        scroll_width, client_width = evaluate(browser, session, overflow)
        assert scroll_width <= client_width <= width, f"sideways overflow at {width} px"
        boxes = json.loads(evaluate(browser, session, columns))
        assert len(boxes) == 6
        # every row's source and English columns start at the same x and are as wide
        for box in boxes:
            assert box == pytest.approx(boxes[0], abs=0.5)
        assert boxes[0][1] == pytest.approx(boxes[0][3], abs=0.5)  # two equal text columns
        shot = screenshot(browser, session, tmp_path / f"review-{width}.png")
        assert shot.startswith(b"\x89PNG\r\n\x1a\n")
