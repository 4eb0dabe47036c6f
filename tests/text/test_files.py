"""Reading inputs and writing outputs atomically."""

from __future__ import annotations

import io
import os

import pytest

from vi2en.errors import InputError, Vi2enError
from vi2en.text import files
from vi2en.text.files import atomic_write, load_document, read_bytes


def test_load_document_cleans_and_records(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffHà\u200bNội.\r\n".encode())
    doc = load_document(path)
    assert doc.text == "HàNội.\n"
    assert doc.meta["source"] == str(path)
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
