"""TMX 1.4b export: header, one <tu> per machine-translated sentence, structural validity."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.formats.sample_doc import HEADING, make_document
from vi2en.doc import Flag
from vi2en.formats import get_renderer
from vi2en.formats.schemas import check_tmx14
from vi2en.formats.tmx import XML_LANG, render


def test_tmx_passes_the_structural_dtd_check() -> None:
    assert check_tmx14(render(make_document())) == []


def test_header_has_the_required_attributes() -> None:
    header = etree.fromstring(render(make_document()).encode()).find("header")
    assert header.attrib == {
        "creationtool": "vi2en",
        "creationtoolversion": header.get("creationtoolversion"),
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "vi",
        "o-tmf": "vi2en",
    }


def test_one_tu_per_machine_translated_segment() -> None:
    doc = make_document()
    doc.segments[0].translation.flags.append(Flag("glossary", "'a' must be 'b'"))
    root = etree.fromstring(render(doc).encode())
    tus = root.findall("body/tu")
    # credit (template), byline (copy) and the untranslated line are not memory material
    assert [tu.get("tuid") for tu in tus] == ["s1", "s2", "s3"]
    first = tus[0]
    assert [(t.get(XML_LANG), t.findtext("seg")) for t in first.findall("tuv")] == [
        ("vi", HEADING),
        ("en", "Petrol prices rise 3.5% from March 27"),
    ]
    props = {p.text for p in first.findall("prop")}
    assert {"heading", "glossary: 'a' must be 'b'", "split-clause: split at clause boundaries"} <= (
        props
    )


def test_tmx_is_deterministic_and_in_the_registry() -> None:
    assert render(make_document()) == get_renderer("tmx")(make_document())


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('segtype="sentence"', 'segtype="line"', "segtype"),
        (' o-tmf="vi2en"', "", "o-tmf"),
        ('version="1.4"', 'version="2.0"', "tmx version"),
        ('<tu tuid="s2">', '<tu tuid="s1">', "tuid"),
        ('xml:lang="en"', 'xml:lang=""', "xml:lang"),
        ('<prop type="x-vi2en-segment-type">', "<prop>", "lacks type"),
    ],
)
def test_tmx_check_catches_broken_files(old: str, new: str, problem: str) -> None:
    out = render(make_document())
    assert old in out
    problems = check_tmx14(out.replace(old, new, 1))
    assert any(problem in p for p in problems), problems
