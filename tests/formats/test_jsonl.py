"""JSONL output: header + one record per segment, and back into a Document."""

from __future__ import annotations

import json

import pytest

from tests.formats.article import TEXT, article
from vi2en import __version__
from vi2en.doc import Flag, WordLink
from vi2en.errors import FormatError
from vi2en.formats.jsonl import parse, render


def test_jsonl_header_and_records() -> None:
    doc = article()
    lines = [json.loads(line) for line in render(doc).splitlines()]
    header, records = lines[0], lines[1:]
    assert header["format"] == "vi2en-jsonl" and header["version"] == 1
    assert (header["vi2en"], header["model"], header["engine"]) == (
        __version__,
        "fake-model",
        "fake",
    )
    assert header["text"] == TEXT and header["segments"] == len(records) == len(doc.segments)
    assert records[2] == {
        "index": 2, "paragraph": 1, "sentence": 2, "type": "lead",
        "start": doc.segments[2].start, "end": doc.segments[2].end,
        "source": "Hai nước ký hiệp ước.", "target": "HAI NƯỚC KÝ HIỆP ƯỚC.",
        "method": "mt", "score": -2.5, "parts": 1, "flags": [],
    }  # fmt: skip
    assert [r["method"] for r in records] == ["mt", "copy", "mt", "mt", "mt", "template", "copy"]


def test_jsonl_round_trips_translations_flags_and_links() -> None:
    doc = article()
    doc.segments[0].translation.flags.append(Flag("length-ratio", "x"))
    doc.segments[0].translation.links = [WordLink(0, 0, 0, 3, 0, 3)]
    back = parse(render(doc))
    assert back.text == doc.text
    assert [s.to_dict() for s in back] == [s.to_dict() for s in doc]
    assert render(back) == render(doc)


def test_jsonl_of_an_untranslated_document_has_null_targets() -> None:
    back = parse(render(article(translate=False)))
    assert all(seg.translation is None for seg in back)


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda lines: lines[1:], "not a vi2en jsonl"),
        (lambda lines: [lines[0], "{oops"], "line 2: not JSON"),
        (lambda lines: lines[:-1], "announces 7 segments"),
        (lambda lines: [lines[0], lines[1].replace('"Nga', '"Ngà')], "does not match"),
        (lambda lines: [lines[0], "[1]"], "expected an object"),
        (lambda lines: [lines[0].replace('"version": 1', '"version": 9')], "unsupported"),
    ],
)
def test_jsonl_parse_rejects_broken_files(mangle, message: str) -> None:
    lines = render(article()).splitlines()
    with pytest.raises(FormatError, match=message):
        parse("\n".join(mangle(lines)))


def test_jsonl_keeps_the_documents_source_and_segmenter_and_reads_older_meta() -> None:
    doc = article()
    doc.segmenter = "vi2en-rules-9"
    back = parse(render(doc))
    assert (back.source, back.segmenter) == ("article.txt", "vi2en-rules-9")
    # Files written before `source`/`segmenter` were typed fields kept them in "meta".
    lines = render(doc).splitlines()
    header = json.loads(lines[0])
    header["meta"] = {"source": header.pop("source"), "segmenter": header.pop("segmenter")}
    older = parse("\n".join([json.dumps(header), *lines[1:]]))
    assert (older.source, older.segmenter) == ("article.txt", "vi2en-rules-9")
