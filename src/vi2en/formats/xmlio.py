"""XML in and out for the exchange formats (XLIFF, TMX): safe parsing, writing, stable ids.

Untrusted XML is parsed without DTDs, entities or network access. Ids are stable across runs of
the same input: a document is `vi2en-` + 12 hex digits of the SHA-1 of its text, a segment `s1`,
`s2`, ... in sentence order.
"""

from __future__ import annotations

import hashlib
import json

from lxml import etree

from vi2en.doc import Document, Segment, TranslationSignature
from vi2en.errors import FormatError

SRC_LANG = "vi"
TRG_LANG = "en"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def document_id(doc: Document) -> str:
    """The stable file id of `doc`: `vi2en-` + 12 hex digits of the SHA-1 of its text."""
    return "vi2en-" + hashlib.sha1(doc.text.encode("utf-8")).hexdigest()[:12]


def segment_id(seg: Segment) -> str:
    """The stable id of a segment (sentence order, 1-based)."""
    return f"s{seg.index + 1}"


def signature_fields(signature: TranslationSignature) -> list[tuple[str, str]]:
    """(field, text) of every signature field, for XML metadata (JSON for the generation config,
    empty for a field that has no value)."""
    out = []
    for key, value in signature.to_dict().items():
        if isinstance(value, dict):
            value = json.dumps(value, sort_keys=True, ensure_ascii=False)
        out.append((key, "" if value is None else str(value)))
    return out


def sub_element(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    """A child element with text; `attrs` names use `_` for `-` (`state_qualifier`).

    Raises:
        FormatError: the text holds control characters XML 1.0 cannot carry.
    """
    el = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        try:
            el.text = text
        except ValueError:  # control characters cannot be written in XML 1.0
            bad = sorted({f"U+{ord(c):04X}" for c in text if ord(c) < 32 and c not in "\t\n\r"})
            raise FormatError(
                f"cannot write XLIFF/TMX: the text holds control characters ({', '.join(bad)}); "
                "clean the input text first"
            ) from None
    return el


def serialize(root: etree._Element) -> str:
    """The document as UTF-8-declared, indented XML text."""
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data.decode("utf-8")


def parse_xml(data: bytes, *, what: str = "XLIFF") -> etree._Element:
    """Parse untrusted XML bytes safely: no DTD, no entities, no network, no huge trees.

    Raises:
        FormatError: not well-formed, empty, or it declares a DTD or entities.
    """
    if not data.strip():
        raise FormatError(f"{what} file is empty")
    head = data[:4096].replace(b"\x00", b"")  # UTF-16 files: look through the zero bytes
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in data.replace(b"\x00", b"").upper():
        raise FormatError(f"{what} file declares a DTD or entities; refused for safety")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"{what} file is not well-formed XML: {exc}") from None
    if tree.getroottree().docinfo.internalDTD is not None or tree.getroottree().docinfo.doctype:
        raise FormatError(f"{what} file declares a DTD or entities; refused for safety")
    return tree
