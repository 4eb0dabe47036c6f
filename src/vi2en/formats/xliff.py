"""XLIFF 2.1 and 1.2 export of a translated Document, and a tolerant, safe import.

Layout (both versions): one file per document, one unit (1.2: `<group>`) per paragraph, one
segment (1.2: `<trans-unit>`) per sentence, including the sentences vi2en does not translate
(bylines, sources, skipped lines), so a round trip loses nothing.

Ids are stable across runs of the same input: the file id is `vi2en-` + the first 12 hex digits
of the SHA-1 of the document text, units are `p1, p2, ...` (paragraph order) and segments are
`s1, s2, ...` (sentence order). The import matches segments by these ids.

How machine translation is marked:
- 2.1: `state="initial"` + `subState="vi2en:mt"` (subState's `prefix:value` form is the spec's
  extension point for "how the target was made"); template-made credits are
  `state="translated" subState="vi2en:template"`, kept-as-is text `subState="vi2en:copy"`.
- 1.2: `<target state="needs-review-translation" state-qualifier="leveraged-mt">` plus an
  `<alt-trans origin="machine-translation">` holding the raw MT, so the suggestion survives
  post-editing.
Segment types and QA flags are notes (2.1: `<notes>` of the unit, category `vi2en:type` /
`vi2en:qa:<code>`, text prefixed with the segment id; 1.2: `<note from="vi2en">`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from vi2en.doc import Document, Segment
from vi2en.errors import FormatError
from vi2en.formats.xmlio import (
    SRC_LANG,
    TRG_LANG,
    document_id,
    parse_xml,
    segment_id,
    serialize,
    signature_fields,
    sub_element,
)

NS_20 = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.1 keeps the 2.0 core namespace
NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_MDA = "urn:oasis:names:tc:xliff:metadata:2.0"  # XLIFF 2 Metadata module: the signature
MT_SUBSTATE = "vi2en:mt"

# Translation.method -> (2.1 state, 1.2 state, 1.2 state-qualifier or None).
STATES: dict[str, tuple[str, str, str | None]] = {
    "mt": ("initial", "needs-review-translation", "leveraged-mt"),
    "template": ("translated", "translated", None),
    "copy": ("translated", "translated", None),
}

# Inline elements whose content is native code, not text (1.2 `<bpt>...`, 2.x has none with text).
CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "sub"})


def _notes_for(seg: Segment) -> list[tuple[str, str, str]]:
    """(category suffix, id suffix, text) for a segment's type and all its flags."""
    sid = segment_id(seg)
    notes = [("type", "type", f"{sid}: {seg.type.value}")]
    flags = [] if seg.translation is None else seg.translation.flags
    for n, flag in enumerate(flags, start=1):
        notes.append((f"qa:{flag.code}", f"qa{n}", f"{sid}: {flag.code}: {flag.message}"))
    return notes


# A post-editor's work on one segment: (XLIFF 2 state, target text); see `render`'s `edits`.
Edit = tuple[str, str]
STATES_12 = {"initial": "needs-review-translation", "translated": "translated", "final": "final"}


def render(doc: Document, *, edits: Mapping[int, Edit] | None = None) -> str:
    """Render `doc` as XLIFF 2.1 (see the module docstring for the layout).

    Args:
        doc: a segmented (usually translated) document.
        edits: segment index -> (state, post-edited target) from the workbench; those segments
            get that target and state (`subState="vi2en:postedit"`), the others stay as made.

    Returns:
        The XML text, UTF-8 declared.

    Raises:
        FormatError: the text holds characters XML 1.0 cannot carry.
    """
    q = f"{{{NS_20}}}"
    root = etree.Element(
        q + "xliff",
        {"version": "2.1", "srcLang": SRC_LANG, "trgLang": TRG_LANG},
        nsmap={None: NS_20, "mda": NS_MDA},
    )
    file_el = sub_element(root, q + "file", id=document_id(doc))
    if doc.signature is not None:  # machine-readable (Metadata module), then for the translator
        mda = f"{{{NS_MDA}}}"
        group = sub_element(sub_element(file_el, mda + "metadata"), mda + "metaGroup",
                            category="vi2en:signature")
        for key, value in signature_fields(doc.signature):
            sub_element(group, mda + "meta", value, type=key)
        notes = sub_element(file_el, q + "notes")
        sub_element(notes, q + "note", f"translated by {doc.signature.format()}",
                    id="signature", category="vi2en:signature")
    for para in doc.paragraphs():
        unit = sub_element(file_el, q + "unit", id=f"p{para[0].paragraph + 1}")
        notes = sub_element(unit, q + "notes")
        for seg in para:
            for category, suffix, text in _notes_for(seg):
                applies = "source" if category == "type" else "target"
                sub_element(notes, q + "note", text, id=f"{segment_id(seg)}-{suffix}",
                     category=f"vi2en:{category}", appliesTo=applies)
        for seg in para:
            tr = seg.translation
            attrs = {"id": segment_id(seg)}
            edit = (edits or {}).get(seg.index)
            target = None if tr is None else tr.text
            if edit is not None:
                attrs["state"], target = edit
                attrs["subState"] = "vi2en:postedit"
            elif tr is None:
                attrs["state"] = "initial"  # nothing made yet: the translator sees an empty target
            else:
                attrs["state"] = STATES.get(tr.method, STATES["mt"])[0]
                attrs["subState"] = f"vi2en:{tr.method}"
            seg_el = sub_element(unit, q + "segment", **attrs)
            sub_element(seg_el, q + "source", seg.text)
            if target is not None:
                sub_element(seg_el, q + "target", target)
    return serialize(root)


def render_12(doc: Document, *, edits: Mapping[int, Edit] | None = None) -> str:
    """Render `doc` as XLIFF 1.2 for older CAT tools (see the module docstring).

    Args:
        doc: a segmented (usually translated) document.
        edits: as for `render`; an edited MT segment keeps the MT in its `<alt-trans>`.

    Returns:
        The XML text, UTF-8 declared.

    Raises:
        FormatError: the text holds characters XML 1.0 cannot carry.
    """
    from vi2en import __version__

    q = f"{{{NS_12}}}"
    root = etree.Element(q + "xliff", {"version": "1.2"}, nsmap={None: NS_12})
    file_el = sub_element(root, q + "file", original=document_id(doc), datatype="plaintext",
                   source_language=SRC_LANG, target_language=TRG_LANG)
    header = sub_element(file_el, q + "header")
    sub_element(header, q + "tool", tool_id="vi2en", tool_name="vi2en", tool_version=__version__)
    if doc.signature is not None:
        sub_element(header, q + "note", f"translated by {doc.signature.format()}",
                    **{"from": "vi2en"})
    body = sub_element(file_el, q + "body")
    for para in doc.paragraphs():
        group = sub_element(body, q + "group", id=f"p{para[0].paragraph + 1}")
        for seg in para:
            tr = seg.translation
            unit = sub_element(group, q + "trans-unit", id=segment_id(seg), resname=seg.type.value)
            sub_element(unit, q + "source", seg.text)
            edit = (edits or {}).get(seg.index)
            if edit is not None:
                sub_element(unit, q + "target", edit[1], state=STATES_12[edit[0]])
            elif tr is not None:
                _, state, qualifier = STATES.get(tr.method, STATES["mt"])
                attrs = {"state": state}
                if qualifier:
                    attrs["state_qualifier"] = qualifier
                sub_element(unit, q + "target", tr.text, **attrs)
            for category, _suffix, text in _notes_for(seg):
                sub_element(unit, q + "note", text, **{"from": "vi2en"},
                     annotates="source" if category == "type" else "target")
            if tr is not None and tr.method == "mt":
                alt = sub_element(unit, q + "alt-trans", origin="machine-translation",
                                  tool_id="vi2en")
                sub_element(alt, q + "target", tr.text)
    return serialize(root)


# ---------------------------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class XliffSegment:
    """One segment read back from an XLIFF file (text with inline codes dropped)."""

    id: str
    unit: str
    source: str
    target: str | None
    state: str | None
    origin: str | None  # "mt", "template", "copy" when vi2en wrote it, else None


@dataclass
class XliffFile:
    """What `parse` returns: languages, the file id and the segments in document order."""

    version: str
    file_id: str | None
    src_lang: str | None
    trg_lang: str | None
    segments: list[XliffSegment] = field(default_factory=list)

    def by_id(self) -> dict[str, XliffSegment]:
        return {seg.id: seg for seg in self.segments}


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in el if _local(child) == name]


def _text_of(el: etree._Element) -> str:
    """Text of a source/target, keeping text inside inline markup (`<g>`, `<pc>`, `<mrk>`) and
    dropping native codes (`<bpt>`, `<ph>`...); `<cp hex="..."/>` becomes its character."""
    parts = [el.text or ""]
    for child in el:
        name = _local(child)
        if name == "cp" and child.get("hex"):
            with contextlib.suppress(ValueError, OverflowError):
                parts.append(chr(int(child.get("hex"), 16)))
        elif name and name not in CODE_ELEMENTS:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _origin(sub_state: str | None, qualifier: str | None) -> str | None:
    if sub_state and sub_state.startswith("vi2en:"):
        return sub_state.split(":", 1)[1]
    if qualifier in ("leveraged-mt", "mt-suggestion"):
        return "mt"
    return None


def _origin_12(unit: etree._Element, target: etree._Element) -> str | None:
    """1.2: MT when the target says `leveraged-mt` or the unit keeps an MT `<alt-trans>`."""
    if _origin(None, target.get("state-qualifier")) == "mt":
        return "mt"
    for alt in _children(unit, "alt-trans"):
        if alt.get("origin") == "machine-translation":
            return "mt"
    return None


def parse(data: bytes) -> XliffFile:
    """Read an XLIFF 2.x or 1.2 file (ours or post-edited by a CAT tool).

    Tolerant of reordered attributes, namespace prefixes, extra elements and inline markup:
    elements are found by local name, and only the direct `source`/`target` children of a
    segment count (not those in `mtc:match` or `alt-trans`).

    Args:
        data: the file's bytes, untrusted.

    Returns:
        An `XliffFile` with segments in document order.

    Raises:
        FormatError: not XLIFF, an unsupported version, unsafe XML, or duplicate segment ids.
    """
    root = parse_xml(data)
    if _local(root) != "xliff":
        raise FormatError(f"not an XLIFF file: the root element is <{_local(root)}>")
    version = (root.get("version") or "").strip()
    if version.startswith("2."):
        out = _parse_2(root, version)
    elif version.startswith("1."):
        out = _parse_12(root, version)
    else:
        raise FormatError(f"unsupported XLIFF version {version!r}; use 2.x or 1.2")
    seen: set[str] = set()
    for seg in out.segments:
        if seg.id in seen:
            raise FormatError(f"XLIFF file has duplicate segment id {seg.id!r}")
        seen.add(seg.id)
    return out


def _parse_2(root: etree._Element, version: str) -> XliffFile:
    files = _children(root, "file")
    if len(files) != 1:
        raise FormatError(f"XLIFF file has {len(files)} <file> elements; expected exactly 1")
    out = XliffFile(version, files[0].get("id"), root.get("srcLang"), root.get("trgLang"))
    for unit in files[0].iter():
        if _local(unit) != "unit":
            continue
        for pos, seg_el in enumerate(_children(unit, "segment"), start=1):
            sources = _children(seg_el, "source")
            if not sources:
                raise FormatError(f"XLIFF unit {unit.get('id')!r} has a segment without <source>")
            targets = _children(seg_el, "target")
            out.segments.append(
                XliffSegment(
                    id=seg_el.get("id") or f"{unit.get('id')}#{pos}",
                    unit=unit.get("id") or "",
                    source=_text_of(sources[0]),
                    target=_text_of(targets[0]) if targets else None,
                    state=seg_el.get("state"),
                    origin=_origin(seg_el.get("subState"), None),
                )
            )
    return out


def _parse_12(root: etree._Element, version: str) -> XliffFile:
    files = _children(root, "file")
    if len(files) != 1:
        raise FormatError(f"XLIFF file has {len(files)} <file> elements; expected exactly 1")
    file_el = files[0]
    out = XliffFile(
        version,
        file_el.get("original"),
        file_el.get("source-language"),
        file_el.get("target-language"),
    )
    for unit in file_el.iter():
        if _local(unit) != "trans-unit":
            continue
        sources = _children(unit, "source")
        if not sources or not unit.get("id"):
            raise FormatError("XLIFF 1.2 <trans-unit> without an id or a <source>")
        targets = _children(unit, "target")
        parent = unit.getparent()
        out.segments.append(
            XliffSegment(
                id=unit.get("id"),
                unit=(parent.get("id") or "") if parent is not None else "",
                source=_text_of(sources[0]),
                target=_text_of(targets[0]) if targets else None,
                state=targets[0].get("state") if targets else None,
                origin=_origin_12(unit, targets[0]) if targets else None,
            )
        )
    return out
