"""XLIFF 2.1/1.2 export, valid against the official schemas, tolerant and safe import."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from tests.formats.conformance import check_xliff12, check_xliff21
from tests.formats.sample_doc import BODY_1, make_document
from vi2en.doc import Document, Flag, SegmentType, Translation
from vi2en.errors import FormatError
from vi2en.formats import get_renderer
from vi2en.formats.xliff import NS_12, NS_20, document_id, parse, render, render_12

XLF = {"x": NS_20}


def test_xliff21_conforms_to_the_official_schema_and_spec() -> None:
    assert check_xliff21(render(make_document())) == []


def test_xliff12_conforms_to_the_official_schema() -> None:
    assert check_xliff12(render_12(make_document())) == []


def test_registry_serves_both_versions() -> None:
    doc = make_document()
    assert get_renderer("xliff")(doc) == render(doc)
    assert get_renderer("xliff12")(doc) == render_12(doc)


def test_xliff21_layout_units_per_paragraph_segments_per_sentence() -> None:
    doc = make_document()
    root = etree.fromstring(render(doc).encode())
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "vi", "en")
    units = root.findall(".//x:unit", XLF)
    assert [u.get("id") for u in units] == ["p1", "p2", "p3", "p4", "p5"]
    segments = root.findall(".//x:segment", XLF)
    assert [s.get("id") for s in segments] == [f"s{i}" for i in range(1, 7)]
    assert [len(u.findall("x:segment", XLF)) for u in units] == [1, 2, 1, 1, 1]
    assert root.find("x:file", XLF).get("id") == document_id(doc)


def test_xliff21_marks_mt_and_keeps_untranslated_segments() -> None:
    root = etree.fromstring(render(make_document()).encode())
    by_id = {s.get("id"): s for s in root.findall(".//x:segment", XLF)}
    assert (by_id["s1"].get("state"), by_id["s1"].get("subState")) == ("initial", "vi2en:mt")
    assert by_id["s1"].findtext("x:target", namespaces=XLF) == (
        "Petrol prices rise 3.5% from March 27"
    )
    assert by_id["s4"].get("subState") == "vi2en:template"
    assert by_id["s5"].get("subState") == "vi2en:copy"
    # The related-links line has no translation but is still there, source only.
    assert by_id["s6"].findtext("x:source", namespaces=XLF) == "Tin liên quan"
    assert by_id["s6"].find("x:target", XLF) is None


def test_xliff21_notes_carry_types_and_flags() -> None:
    doc = make_document()
    doc.segments[1].translation.flags.append(Flag("number-mismatch", "source 11000 missing"))
    root = etree.fromstring(render(doc).encode())
    notes = {n.get("id"): n for n in root.iterfind(".//x:note", XLF)}
    assert notes["s1-type"].text == "s1: heading"
    assert notes["s1-qa1"].get("category") == "vi2en:qa:split-clause"
    assert notes["s2-qa1"].text == "s2: number-mismatch: source 11000 missing"
    assert notes["s2-qa1"].get("appliesTo") == "target"


def test_xliff12_marks_mt_with_state_qualifier_and_alt_trans() -> None:
    root = etree.fromstring(render_12(make_document()).encode())
    ns = {"x": NS_12}
    unit = root.find(".//x:trans-unit[@id='s1']", ns)
    target = unit.find("x:target", ns)
    assert (target.get("state"), target.get("state-qualifier")) == (
        "needs-review-translation", "leveraged-mt",
    )
    alt = unit.find("x:alt-trans", ns)
    assert alt.get("origin") == "machine-translation"
    assert alt.findtext("x:target", namespaces=ns) == target.text
    assert root.find(".//x:trans-unit[@id='s6']", ns).find("x:target", ns) is None
    assert root.find("x:file", ns).get("source-language") == "vi"


@pytest.mark.parametrize("renderer", [render, render_12])
def test_ids_and_bytes_are_stable_across_runs(renderer) -> None:
    assert renderer(make_document()) == renderer(make_document())


def test_file_id_changes_with_the_input_text() -> None:
    other = make_document(text=make_document().text + "\n")
    assert document_id(other) != document_id(make_document())


@pytest.mark.parametrize("renderer", [render, render_12])
def test_parse_round_trips_sources_and_targets(renderer) -> None:
    doc = make_document()
    parsed = parse(renderer(doc).encode())
    assert [s.id for s in parsed.segments] == [f"s{i}" for i in range(1, 7)]
    assert [s.source for s in parsed.segments] == [seg.text for seg in doc]
    assert [s.target for s in parsed.segments] == [
        seg.translation.text if seg.translation else None for seg in doc
    ]
    assert parsed.segments[0].origin == "mt"
    assert parsed.file_id == document_id(doc)


def test_markup_in_text_is_escaped_and_round_trips() -> None:
    text = 'Bài có <script>alert(1)</script> & "ký tự" đặc biệt.'
    doc = Document(text)
    seg = doc.add_segment(0, len(text), SegmentType.BODY, paragraph=0, sentence=0)
    seg.translation = Translation('Text with <script>alert(1)</script> & "special" chars.')
    out = render(doc)
    assert "<script>" not in out
    assert parse(out.encode()).segments[0].target == seg.translation.text
    assert check_xliff21(out) == []


def test_control_characters_raise_a_format_error() -> None:
    doc = Document("Câu\x01 lỗi.")
    doc.add_segment(0, 9, SegmentType.BODY, paragraph=0, sentence=0)
    with pytest.raises(FormatError, match="cannot write"):
        render(doc)


# --- tolerant import: what CAT tools do to files ---------------------------------------------

EDITED_21 = f"""<?xml version="1.0" encoding="UTF-8"?>
<xlf:xliff trgLang="en" xmlns:xlf="{NS_20}" xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0"
  xmlns:acme="urn:acme" srcLang="vi" version="2.1">
 <xlf:file acme:stamp="1" id="vi2en-abc">
  <acme:settings><acme:x>1</acme:x></acme:settings>
  <xlf:unit id="p1">
   <mtc:matches><mtc:match ref="#s1"><xlf:source>x</xlf:source><xlf:target>WRONG</xlf:target>
   </mtc:match></mtc:matches>
   <xlf:segment subState="acme:done" state="reviewed" id="s1">
    <xlf:source>Giá <xlf:pc id="1">xăng</xlf:pc> tăng</xlf:source>
    <xlf:target>Petrol <xlf:pc id="1">prices</xlf:pc><xlf:ph id="2"/> <xlf:mrk id="m"
      translate="yes">rose</xlf:mrk><xlf:cp hex="0021"/></xlf:target>
   </xlf:segment>
  </xlf:unit>
 </xlf:file>
</xlf:xliff>"""

EDITED_12 = f"""<?xml version="1.0"?>
<xliff xmlns="{NS_12}" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" version="1.2">
 <file target-language="en" datatype="plaintext" source-language="vi" original="vi2en-abc">
  <body><group id="p1"><trans-unit sdl:x="1" id="s1">
   <source>Giá xăng tăng</source>
   <seg-source><mrk mtype="seg" mid="1">Giá xăng tăng</mrk></seg-source>
   <target state="translated"><mrk mtype="seg" mid="1">Petrol <g id="1">prices</g><bpt id="2">
   &lt;b&gt;</bpt> rose<ept id="2">&lt;/b&gt;</ept>!</mrk></target>
   <alt-trans origin="machine-translation"><target>WRONG</target></alt-trans>
  </trans-unit></group></body>
 </file>
</xliff>"""


@pytest.mark.parametrize("data", [EDITED_21, EDITED_12], ids=["2.1", "1.2"])
def test_parse_tolerates_prefixes_extra_elements_and_inline_markup(data: str) -> None:
    parsed = parse(data.encode())
    assert parsed.file_id == "vi2en-abc"
    [seg] = parsed.segments
    assert seg.id == "s1"
    assert seg.source == "Giá xăng tăng"
    assert re.sub(r"\s+", " ", seg.target) == "Petrol prices rose!"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xliff version="2.1" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="vi"><file id="f">
<unit id="u"><segment id="s1"><source>&lol3;</source></segment></unit></file></xliff>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xliff version="2.1" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="vi"><file id="f">
<unit id="u"><segment id="s1"><source>&xxe;</source></segment></unit></file></xliff>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "DTD or entities"),
        (EXTERNAL_ENTITY, "DTD or entities"),
        (BILLION_LAUGHS.decode().encode("utf-16"), "DTD or entities"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not well-formed"),
        (b"<xliff version='2.1'><file id='f'>", "not well-formed"),
        (b"<tmx version='1.4'/>", "not an XLIFF file"),
        (b"<xliff version='3.0'/>", "unsupported XLIFF version"),
        (
            f"<xliff xmlns='{NS_20}' version='2.1'><file id='a'/><file id='b'/></xliff>".encode(),
            "2 <file> elements",
        ),
        (
            f"<xliff xmlns='{NS_20}' version='2.1'><file id='a'><unit id='u'>"
            "<segment id='s'><source>a</source></segment><segment id='s'><source>b</source>"
            "</segment></unit></file></xliff>".encode(),
            "duplicate segment id",
        ),
    ],
    ids=["billion-laughs", "external-entity", "utf16-dtd", "empty", "binary", "truncated",
         "not-xliff", "version", "two-files", "duplicate-ids"],
)
def test_parse_refuses_unsafe_or_malformed_files(data: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        parse(data)


def test_body_sentence_text_is_exported_verbatim() -> None:
    assert f"<source>{BODY_1}</source>" in render(make_document())
