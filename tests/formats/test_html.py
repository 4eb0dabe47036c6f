"""The bilingual review page: escaping, self-containment, and hover highlighting in Chromium.

The browser test drives Debian's `chromium` over the Chrome DevTools protocol through
`--remote-debugging-pipe` (null-separated JSON on file descriptors 3 and 4), so it needs no
driver package, only the standard library. It skips, with the reason shown, where no Chromium
is installed.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.formats.sample_doc import BODY_2, HEADING, make_document
from vi2en.doc import Document
from vi2en.formats import get_renderer
from vi2en.formats.html import render
from vi2en.qa import check_document

SCRIPT_TARGET = "Mr Kim <script>alert(1)</script> arrived in Pyongyang."
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


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


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


class PipeBrowser:
    """A headless Chromium driven over `--remote-debugging-pipe` (CDP, stdlib only)."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def child_fds() -> None:  # the protocol's fixed descriptors: 3 in, 4 out
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.proc = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--remote-debugging-pipe", f"--user-data-dir={profile}",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=child_fds,
        )  # fmt: skip
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30.0) -> dict[str, Any]:
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        os.write(self._to_browser, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    def wait_event(self, method: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("method") == method:
                    self.events.remove(event)
                    return event
            self.events.append(self._read_message(deadline))

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", timeout=10)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture
def browser(tmp_path: Path):
    executable = find_browser()
    if executable is None:
        pytest.skip(f"no Chromium installed (looked for {', '.join(BROWSERS)}); "
                    "`apt-get install chromium` to run the browser test")
    driver = PipeBrowser(executable, tmp_path / "profile")
    yield driver
    driver.close()


def evaluate(browser: PipeBrowser, session: str, expression: str) -> Any:
    result = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                          session)
    return result["result"].get("value")


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
