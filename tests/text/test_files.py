"""Reading inputs and writing outputs atomically."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from vi2en.errors import InputError, Vi2enError
from vi2en.text import files
from vi2en.text.files import atomic_write, load_document, read_bytes, remove_stale_temps


def test_load_document_cleans_and_records(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffHà\u200bNội.\r\n".encode())
    doc = load_document(path)
    assert doc.text == "HàNội.\n"
    assert doc.source == str(path)
    assert any("zero-width" in c for c in doc.changes)


def test_load_document_from_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("Xin chào.".encode())))
    assert load_document("-").text == "Xin chào."


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), ("dir", "is a folder"), (b"  \n\t\n", "only whitespace")],
)
def test_bad_inputs(tmp_path, content, message):
    path = tmp_path / "in.txt"
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_document(path)


MARKUP = [
    ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0"'
     ' version="2.1"><file id="f"><unit id="p1"><segment><source>Hà Nội.</source></segment>'
     "</unit></file></xliff>", "an XLIFF file"),
    ('<xliff version="1.2"><file><body/></file></xliff>', "an XLIFF file"),
    ('<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4"/>',
     "a TMX file"),
    ("<!DOCTYPE html>\n<html lang=\"vi\"><body><p>Hà Nội mưa to.</p></body></html>",
     "an HTML page"),
    ('  <html><head><title>Tin</title></head><body>Hà Nội.</body></html>', "an HTML page"),
    ('{"format": "vi2en-jsonl", "version": 1, "text": "Hà Nội."}\n', "a vi2en jsonl file"),
    ('<?xml version="1.0"?><tin><p>Hà Nội.</p></tin>', "an XML file"),
]


@pytest.mark.issue(11)
@pytest.mark.parametrize(("text", "kind"), MARKUP, ids=[kind for _, kind in MARKUP])
def test_markup_is_not_translated_tags_and_all(tmp_path, text: str, kind: str):
    """Issue 11 item 10: an XLIFF or HTML file given to translate was translated, markup too."""
    path = tmp_path / "in.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=f"^{path} is {kind}, not an article: vi2en reads plain"):
        load_document(path)


@pytest.mark.parametrize("text", ["<Ảnh: Sputnik> Hà Nội mưa.", "Hà Nội <b>mưa</b> to.",
                                  "1 < 2 và 3 > 2."])  # fmt: skip
def test_text_with_angle_brackets_is_still_an_article(tmp_path, text: str):
    path = tmp_path / "in.txt"
    path.write_text(text, encoding="utf-8")
    assert load_document(path).text == text


def test_an_article_in_another_script_is_refused(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("北京今天下雨。气温很低。", encoding="utf-8")
    with pytest.raises(InputError, match="does not look like Vietnamese: 100% of its letters"):
        load_document(path)


def test_huge_input_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_text("Một câu rất dài.")
    with pytest.raises(InputError, match="larger than"):
        read_bytes(path)


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    out = tmp_path / "sub" / "out.txt"
    atomic_write(out, "một")
    atomic_write(out, b"hai")
    assert out.read_bytes() == b"hai"
    assert os.listdir(out.parent) == ["out.txt"]


def test_atomic_write_into_unwritable_place_is_a_clean_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(Vi2enError, match="cannot write"):
        atomic_write(blocker / "out.txt", "x")


def test_atomic_write_gives_the_mode_a_plain_open_would(tmp_path):
    atomic_write(tmp_path / "a.txt", "x")
    (tmp_path / "b.txt").write_text("x")
    assert (tmp_path / "a.txt").stat().st_mode == (tmp_path / "b.txt").stat().st_mode


@pytest.mark.issue(11)
def test_atomic_write_keeps_an_existing_files_mode_and_refuses_a_read_only_one(tmp_path):
    out = tmp_path / "a.txt"
    out.write_text("x")
    out.chmod(0o640)
    atomic_write(out, "y")
    assert out.read_text() == "y" and stat.S_IMODE(out.stat().st_mode) == 0o640
    if os.geteuid() != 0:  # root may write anything
        out.chmod(0o444)
        with pytest.raises(Vi2enError, match="read-only"):
            atomic_write(out, "z")


@pytest.mark.issue(11)
def test_atomic_write_refuses_folders_and_block_devices(tmp_path):
    with pytest.raises(Vi2enError, match="it is a folder"):
        atomic_write(tmp_path, "x")
    with pytest.raises(Vi2enError, match="folder name; give a file name"):
        atomic_write(f"{tmp_path}/new/", "x")
    if os.geteuid() == 0:
        node = tmp_path / "disk"
        os.mknod(node, stat.S_IFBLK | 0o600, os.makedev(7, 0))  # a loop device node, never opened
        with pytest.raises(Vi2enError, match="not a regular file"):
            atomic_write(node, "x")
        assert stat.S_ISBLK(node.stat().st_mode)


@pytest.mark.issue(11)
def test_reading_through_a_file_says_which_part_is_a_file(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(InputError, match=r"a\.txt is a file, not a folder"):
        read_bytes(tmp_path / "a.txt" / "b.txt")


@pytest.mark.issue(11)
def test_stale_temps_are_removed_but_a_running_writers_is_not(tmp_path):
    out = tmp_path / "a.en.txt"
    stale = tmp_path / ".a.en.txt.k2j4_x9q.tmp"  # what a killed writer leaves
    stale.write_text("half")
    foreign = [tmp_path / ".b.en.txt.abcdefgh.tmp", tmp_path / ".a.en.txt.tmp", tmp_path / "x.tmp"]
    for path in foreign:  # another output's temp file, or not a temp file of ours
        path.write_text("keep")
    fd, live = files._locked_temp(out)  # a concurrent writer, between creating and renaming
    try:
        assert remove_stale_temps([out]) == [stale]
        assert Path(live).exists() and all(path.exists() for path in foreign)
    finally:
        os.close(fd)
    assert remove_stale_temps([out]) == [Path(live)]  # its writer died without renaming it
    assert remove_stale_temps([tmp_path / "missing" / "a.txt"]) == []


@pytest.mark.issue(11)
def test_a_writer_whose_temp_file_was_cleaned_takes_another(tmp_path, monkeypatch):
    made = []
    real_mkstemp = files.tempfile.mkstemp

    def mkstemp_then_cleaner(**kwargs):
        fd, name = real_mkstemp(**kwargs)
        made.append(name)
        if len(made) == 1:  # a cleaner gets in between mkstemp and the lock
            assert remove_stale_temps([tmp_path / "a.txt"]) == [Path(name)]
        return fd, name

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp_then_cleaner)
    atomic_write(tmp_path / "a.txt", "whole")
    assert len(made) == 2 and (tmp_path / "a.txt").read_text() == "whole"
    assert os.listdir(tmp_path) == ["a.txt"]
