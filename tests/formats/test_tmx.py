"""TMX 1.4b export: header, one <tu> per MT sentence, valid against the official DTD."""

from __future__ import annotations

from lxml import etree

from tests.formats.conformance import check_tmx14
from tests.formats.sample_doc import HEADING, make_document
from vi2en.doc import Flag
from vi2en.formats import get_renderer
from vi2en.formats.tmx import XML_LANG, render


def test_tmx_conforms_to_the_official_dtd_and_spec() -> None:
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
