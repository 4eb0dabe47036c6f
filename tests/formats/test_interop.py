"""Interop with tools nobody here wrote (issue 15 item 7): translate-toolkit (what Weblate and
Pootle use) loads vi2en's XLIFF 2.1, XLIFF 1.2 and TMX, a target edited and saved there is still
valid against the official schema and `vi2en postedit-report` measures the edit; OmegaT 3.6
(Debian's `omegat`, console mode) fills a source article from vi2en's TMX."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.formats.conformance import check_xliff12, check_xliff21
from tests.formats.sample_doc import BODY_1, make_document
from vi2en.cli.main import main
from vi2en.formats import tmx, xliff
from vi2en.qa import check_document

EDITED = "Hanoi received 11,000 visitors in February 2025."


@pytest.fixture
def doc():
    return check_document(make_document())


def _save_and_measure(store, unit, original: Path, check) -> str:
    """Edit `unit`'s target in translate-toolkit, save, check the file against the standard,
    and have `vi2en postedit-report` find exactly that edit; the saved file's text."""
    unit.target = EDITED
    edited = original.with_name("article.edited.xlf")
    edited.write_bytes(bytes(store))
    assert check(edited.read_bytes()) == []  # the official schema and the spec rules
    out = original.with_name("effort.json")
    assert main(["postedit-report", str(original), str(edited), "-o", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["measured_segments"] == 3
    [changed] = [s for s in report["segments"] if not s["unchanged"]]
    assert changed["id"] == "s2" and changed["hter"] > 0
    return edited.read_text(encoding="utf-8")


def test_translate_toolkit_round_trips_xliff_2(doc, tmp_path: Path) -> None:
    xliff2 = pytest.importorskip("translate.storage.xliff2")
    original = tmp_path / "article.xlf"
    original.write_text(xliff.render(doc), encoding="utf-8")
    store = xliff2.Xliff2File.parsefile(str(original))
    units = {u.getid(): u for u in store.unit_iter()}
    # what a translate-toolkit user sees: unit::segment ids, MT (state initial) as fuzzy,
    # templated and kept lines as translated, the skipped line untranslated and empty
    assert list(units) == ["p1::s1", "p2::s2", "p2::s3", "p3::s4", "p4::s5", "p5::s6"]
    assert [u.isfuzzy() for u in units.values()] == [True, True, True, False, False, False]
    assert [u.istranslated() for u in units.values()] == [False] * 3 + [True, True, False]
    assert units["p5::s6"].target is None
    assert units["p2::s2"].source == BODY_1
    saved = _save_and_measure(store, units["p2::s2"], original, check_xliff21)
    assert "approved" not in saved


def test_translate_toolkit_round_trips_xliff_1_2(doc, tmp_path: Path) -> None:
    tt_xliff = pytest.importorskip("translate.storage.xliff")
    original = tmp_path / "article.xliff12.xlf"
    original.write_text(xliff.render_12(doc), encoding="utf-8")
    store = tt_xliff.xlifffile.parsefile(str(original))
    units = list(store.unit_iter())
    assert len(units) == 6
    # 1.2 shows vi2en's notes (segment type, QA flags); every target is fuzzy there, templated
    # and kept lines too (no approved="yes"), and the skipped line has none
    assert "heading" in units[0].getnotes() and "split-clause" in units[0].getnotes()
    assert [u.isfuzzy() for u in units] == [True] * 5 + [False]
    assert units[5].target in (None, "")
    body = next(u for u in units if u.source == BODY_1)
    saved = _save_and_measure(store, body, original, check_xliff12)
    # translate-toolkit approves what it saved: the edited unit only
    assert saved.count('approved="yes"') == 1
    assert 'state="translated" state-qualifier="leveraged-mt">' + EDITED in saved


def test_translate_toolkit_reads_the_tmx(doc, tmp_path: Path) -> None:
    tt_tmx = pytest.importorskip("translate.storage.tmx")
    path = tmp_path / "article.tmx"
    path.write_text(tmx.render(doc), encoding="utf-8")
    store = tt_tmx.tmxfile.parsefile(str(path))
    pairs = [(u.source, u.target) for u in store.unit_iter()]
    assert (BODY_1, "Hanoi welcomed 11,000 visitors in February 2025.") in pairs
    assert len(pairs) == 3  # MT pairs only: credits, bylines and skipped lines are not memory


def _omegat() -> str:
    found = shutil.which("omegat")
    if not found or not shutil.which("java"):
        pytest.skip("OmegaT is not installed (Debian: apt-get install omegat)")
    return found


PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>source</source_dir><source_dir_excludes/><target_dir>target</target_dir>
    <tm_dir>tm</tm_dir><glossary_dir>glossary</glossary_dir>
    <glossary_file>glossary/glossary.txt</glossary_file><dictionary_dir>dictionary</dictionary_dir>
    <source_lang>VI</source_lang><target_lang>EN</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneDefaultTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>true</sentence_seg><support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def make_omegat_project(folder: Path, article: str, memory: str) -> Path:
    """An OmegaT project: the article in source/, vi2en's TMX in tm/auto/ (applied as is)."""
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (folder / sub).mkdir(parents=True, exist_ok=True)  # OmegaT wants omegat/ to exist
    (folder / "omegat.project").write_text(PROJECT, encoding="utf-8")
    (folder / "source" / "article.txt").write_text(article, encoding="utf-8")
    (folder / "tm" / "auto" / "vi2en.tmx").write_text(memory, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_omegat_console_fills_the_article_from_vi2en_tmx(doc, tmp_path: Path) -> None:
    omegat = _omegat()
    project = make_omegat_project(tmp_path / "project", doc.text, tmx.render(doc))
    run = subprocess.run(
        [omegat, "--mode=console-translate", "--disable-project-locking",
         f"--config-dir={tmp_path / 'config'}", str(project)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    translated = (project / "target" / "article.txt").read_text(encoding="utf-8")
    for seg in doc.segments[:3]:  # the MT sentences, from the memory
        assert seg.translation.text in translated
    assert "Ảnh: TTXVN" in translated  # credits are not in the TMX: OmegaT keeps the source
