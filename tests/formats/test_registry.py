"""The format registry: every format describes itself; writers and readers are found by name."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.formats.article import article
from tests.formats.sample_doc import make_document
from vi2en.errors import FormatError
from vi2en.formats import FORMATS, get_format, get_renderer
from vi2en.formats.jsonl import render as render_jsonl


def test_every_format_describes_itself_and_writes() -> None:
    suffixes = [spec.suffix for spec in FORMATS.values()]
    assert len(set(suffixes)) == len(suffixes)  # a folder run never mixes two formats up
    for name, spec in FORMATS.items():
        assert spec.name == name and spec.description and spec.suffix.startswith(".")
        text = get_renderer(name)(article())
        assert isinstance(text, str) and text


def test_readers_read_back_what_the_writers_wrote() -> None:
    doc = make_document()
    assert [name for name, spec in FORMATS.items() if spec.reads] == ["jsonl", "xliff", "xliff12"]
    back = get_format("jsonl").read(render_jsonl(doc))
    assert [seg.translation and seg.translation.text for seg in back] == [
        seg.translation and seg.translation.text for seg in doc
    ]
    for name in ("xliff", "xliff12"):
        read = get_format(name).read(get_renderer(name)(doc).encode("utf-8"))
        assert [seg.source for seg in read.segments] == [seg.text for seg in doc]
    with pytest.raises(FormatError, match="cannot read tmx files back"):
        get_format("tmx").read(b"<tmx/>")


def test_unknown_format_lists_the_registered_ones() -> None:
    with pytest.raises(FormatError, match="unknown format 'docx'; choose one of: txt, jsonl"):
        get_format("docx")


def test_the_registry_imports_no_format_module() -> None:
    code = ("import sys, vi2en.formats; "
            "print(sorted(m for m in sys.modules if m.startswith('vi2en.formats.')), "
            "'lxml' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    assert out.strip() == "[] False"
