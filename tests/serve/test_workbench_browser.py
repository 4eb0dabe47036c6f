"""The workbench page in a real Chromium (Debian's /usr/bin/chromium, driven by Playwright):
import an article, post-edit it with the keyboard, reload, export, escaping, two tabs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.formats import conformance
from tests.serve.serverkit import start_server

pytestmark = pytest.mark.issue(14)

CHROMIUM = "/usr/bin/chromium"
ARTICLE = "một hai ba.\n\nbốn năm.\n\nsáu bảy.\n\nẢnh: Sputnik\n"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    binary = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if binary is None:
        pytest.skip(f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=binary, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(trained_ct2_model: Path, tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("wb-browser") / "workbench.sqlite"
    srv = start_server(trained_ct2_model, "--workbench-db", str(db))
    yield srv
    assert srv.stop() == 0, srv.stderr()


def open_page(browser, url: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}") or dialog.dismiss())
    page.goto(url + "/")
    return page, errors


def import_article(page, text: str, name: str = "article.txt") -> None:
    page.fill("#doc-name", name)
    page.fill("#paste", text)
    page.click("#paste-form button[type=submit]")
    page.locator("#status", has_text="Translated").wait_for()
    page.locator("#grid textarea:focus").wait_for()


def target(page, n: int):
    return page.locator("#grid .row").nth(n).locator("textarea")


def wait_state(page, n: int, state: str) -> None:
    # Locators, not wait_for_function: the page's CSP forbids the eval that one needs.
    page.locator("#grid .row").nth(n).locator(f".state > span.{state}").wait_for()


def state_of(page, n: int) -> str:
    return page.locator("#grid .row").nth(n).locator(".state > span").inner_text()


def test_post_edit_with_the_keyboard_reload_and_export(browser, server, tmp_path):
    page, errors = open_page(browser, server.url)
    import_article(page, ARTICLE)
    rows = page.locator("#grid .row")
    assert rows.count() == 4
    assert [state_of(page, n) for n in range(4)] == ["initial"] * 4
    assert "credit" in rows.nth(3).inner_text() and "templated" in rows.nth(3).inner_text()
    page.screenshot(path=str(tmp_path / "workbench-imported.png"), full_page=True)
    # The first segment has the focus: retype it, confirm with Ctrl+Enter, land on the next.
    page.keyboard.press("Control+a")
    page.keyboard.type("One, two, three.")
    page.keyboard.press("Control+Enter")
    wait_state(page, 0, "final")
    assert page.evaluate("document.activeElement === "
                         "document.querySelectorAll('#grid textarea')[1]")  # fmt: skip
    # Second: edit without confirming (saved as translated), then Alt+Down, Alt+M on the third.
    page.keyboard.press("End")
    page.keyboard.type(" (edited)")
    wait_state(page, 1, "translated")
    mt_third = page.evaluate("document.querySelectorAll('#grid textarea')[2].value")
    page.keyboard.press("Alt+ArrowDown")
    page.keyboard.press("Control+a")
    page.keyboard.type("scrap")
    page.keyboard.press("Alt+m")
    assert target(page, 2).input_value() == mt_third
    assert "(1/4 final)" in page.locator("#document").inner_text()  # kept up to date
    page.screenshot(path=str(tmp_path / "workbench-edited.png"), full_page=True)
    second = target(page, 1).input_value()
    page.reload()
    page.wait_for_selector("#grid .row")
    assert target(page, 0).input_value() == "One, two, three."
    assert target(page, 1).input_value() == second and second.endswith(" (edited)")
    assert [state_of(page, n) for n in range(2)] == ["final", "translated"]
    assert "1 of 4 confirmed" in page.inner_text("#progress")
    assert "(1/4 final)" in page.locator("#document").inner_text()
    href = page.get_attribute("#export-xliff", "href")
    xliff = page.request.get(server.url + href).text()
    assert conformance.CHECKS["xliff"](xliff) == []
    assert 'state="final"' in xliff and "One, two, three." in xliff
    assert errors == []
    page.close()


def test_a_second_document_reuses_the_confirmed_segment(browser, server, tmp_path):
    page, errors = open_page(browser, server.url)
    import_article(page, "chín mười.\n\nmột hai.\n", name="first.txt")
    page.keyboard.press("Control+a")
    page.keyboard.type("Nine, ten.")
    page.keyboard.press("Control+Enter")
    wait_state(page, 0, "final")
    import_article(page, "chín mười.\n\nbảy tám.\n", name="second.txt")
    first = page.locator("#grid .row").first
    assert "TM 100%" in first.inner_text() and target(page, 0).input_value() == "Nine, ten."
    assert state_of(page, 0) == "translated" and "TM" not in page.locator("#grid .row").nth(1)\
        .locator(".badges").inner_text()
    import_article(page, "chín mươi.\n", name="third.txt")  # one letter off: a fuzzy match
    fuzzy = page.locator("#grid .row").first.locator(".tm-fuzzy")
    assert "TM 90%" in fuzzy.inner_text() and "Nine, ten." in fuzzy.inner_text()
    assert fuzzy.locator("mark").all_inner_texts() == ["mười."]  # the word that differs
    page.keyboard.press("Alt+t")
    assert target(page, 0).input_value() == "Nine, ten."
    page.screenshot(path=str(tmp_path / "workbench-tm.png"), full_page=True)
    assert errors == []
    page.close()


def test_the_article_is_text_never_markup(browser, server, tmp_path):
    page, errors = open_page(browser, server.url)
    payload = 'một <script>alert("x")</script> hai <img src=x onerror=alert(1)> ba.\n'
    import_article(page, payload, name="<b>bold</b>.txt")
    source = page.locator("#grid .row").first.locator(".src").inner_text()
    assert '<script>alert("x")</script>' in source and "<img src=x onerror=alert(1)>" in source
    assert page.locator("#grid script, #grid img, #grid b").count() == 0
    assert "<b>bold</b>.txt" in page.locator("#document").inner_text()
    page.screenshot(path=str(tmp_path / "workbench-escaped.png"), full_page=True)
    assert errors == []
    page.close()


def test_two_pages_one_segment_the_second_save_is_a_conflict(browser, server, tmp_path):
    first, errors1 = open_page(browser, server.url)
    import_article(first, "một hai.\n", name="conflict.txt")
    second, errors2 = open_page(browser, first.url.split("#")[0].rstrip("/") + "/#" +
                                first.url.split("#")[1])  # fmt: skip
    second.wait_for_selector("#grid .row")
    target(first, 0).fill("From the first tab.")
    first.locator("#status", has_text="Saved segment 1").wait_for()
    target(second, 0).fill("From the second tab.")
    second.wait_for_selector("#grid .row.conflict")
    note = second.locator("#grid .row.conflict .note").inner_text()
    assert "From the first tab." in note
    second.screenshot(path=str(tmp_path / "workbench-conflict.png"), full_page=True)
    second.click("text=Use that version")
    assert target(second, 0).input_value() == "From the first tab."
    assert errors1 == [] and errors2 == []
    first.close()
    second.close()


def test_readable_at_700_px(browser, server, tmp_path):
    page, errors = open_page(browser, server.url, width=700)
    import_article(page, ARTICLE, name="narrow.txt")
    src = page.locator("#grid .row").first.locator(".src").bounding_box()
    tgt = page.locator("#grid .row").first.locator(".tgt").bounding_box()
    assert src["width"] > 200 and abs(src["width"] - tgt["width"]) < 2  # two equal columns
    assert page.evaluate("document.documentElement.scrollWidth") <= 700  # no sideways scroll
    page.screenshot(path=str(tmp_path / "workbench-700px.png"), full_page=True)
    assert errors == []
    page.close()
