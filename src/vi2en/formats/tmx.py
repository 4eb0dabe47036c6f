"""TMX 1.4b export: one `<tu>` per machine-translated sentence, for translation memories.

Only segments translated by the model (`Translation.method == "mt"`) become translation units:
bylines, sources and template-made credits are not translation-memory material. Each `<tu>`
carries `tuid` = the segment id used in the XLIFF export (`s1`, `s2`...), the segment type and
the QA flags as `<prop type="x-vi2en-...">`, so a memory can be filtered on them. No creation
date is written, so the same input gives the same file byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from vi2en.doc import Document
from vi2en.formats.xmlio import (
    SRC_LANG,
    TRG_LANG,
    XML_LANG,
    segment_id,
    serialize,
    signature_fields,
    sub_element,
)


def render(doc: Document, *, edits: Mapping[int, tuple[str, str]] | None = None) -> str:
    """Render the machine-translated sentence pairs of `doc` as TMX 1.4b.

    Args:
        doc: a translated document.
        edits: segment index -> (XLIFF state, post-edited target) from the workbench: those
            pairs carry the post-edited target (and `x-vi2en-state`) instead of the MT.

    Returns:
        The XML text, UTF-8 declared.

    Raises:
        FormatError: the text holds characters XML 1.0 cannot carry.
    """
    from vi2en import __version__

    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        {
            "creationtool": "vi2en",
            "creationtoolversion": __version__,
            "datatype": "plaintext",
            "segtype": "sentence",
            "adminlang": "en",
            "srclang": SRC_LANG,
            "o-tmf": "vi2en",
        },
    )
    if doc.signature is not None:  # one prop per field, so a memory can be filtered on them
        header = root.find("header")
        sub_element(header, "prop", doc.signature.format(), type="x-vi2en-signature")
        for key, value in signature_fields(doc.signature):
            sub_element(header, "prop", value, type=f"x-vi2en-{key.replace('_', '-')}")
    body = etree.SubElement(root, "body")
    for seg in doc.segments:
        tr = seg.translation
        edit = (edits or {}).get(seg.index)
        target = edit[1] if edit is not None else tr.text if tr is not None else ""
        if tr is None or tr.method != "mt" or not target.strip():
            continue
        tu = sub_element(body, "tu", tuid=segment_id(seg))
        sub_element(tu, "prop", seg.type.value, type="x-vi2en-segment-type")
        if edit is not None:
            sub_element(tu, "prop", edit[0], type="x-vi2en-state")
        for flag in tr.flags:
            sub_element(tu, "prop", f"{flag.code}: {flag.message}", type="x-vi2en-qa")
        for lang, text in ((SRC_LANG, seg.text), (TRG_LANG, target)):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            sub_element(tuv, "seg", text)
    return serialize(root)


def render_memory(entries: list[tuple[str, str, str]]) -> str:
    """A translation memory as TMX 1.4b: one `<tu>` per (source, target, provenance), the
    provenance as `<prop type="x-vi2en-provenance">`. Same entries, same bytes.

    Raises:
        FormatError: the text holds characters XML 1.0 cannot carry.
    """
    from vi2en import __version__

    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "vi2en", "creationtoolversion": __version__, "datatype": "plaintext",
        "segtype": "sentence", "adminlang": "en", "srclang": SRC_LANG, "o-tmf": "vi2en",
    })  # fmt: skip
    body = etree.SubElement(root, "body")
    for source, target, provenance in entries:
        tu = etree.SubElement(body, "tu")
        sub_element(tu, "prop", provenance, type="x-vi2en-provenance")
        for lang, text in ((SRC_LANG, source), (TRG_LANG, target)):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            sub_element(tuv, "seg", text)
    return serialize(root)


def parse_memory(data: bytes) -> list[tuple[str, str]]:
    """(Vietnamese, English) pairs of a TMX file (any tool's; inline markup read as text).

    Raises:
        FormatError: not safe, well-formed TMX.
    """
    from vi2en.errors import FormatError
    from vi2en.formats.xmlio import parse_xml

    root = parse_xml(data, what="TMX")
    if root.tag != "tmx":
        raise FormatError(f"not a TMX file (its root is <{root.tag}>)")
    pairs = []
    for tu in root.iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower().split("-")[0]
            seg = tuv.find("seg")
            if seg is not None and lang:
                texts[lang] = "".join(seg.itertext())
        if texts.get(SRC_LANG, "").strip() and texts.get(TRG_LANG, "").strip():
            pairs.append((texts[SRC_LANG], texts[TRG_LANG]))
    return pairs
