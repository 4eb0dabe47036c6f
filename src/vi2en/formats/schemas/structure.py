"""Structural checks for XLIFF 2.1, XLIFF 1.2 and TMX 1.4b, standing in for the official schemas.

The OASIS XSDs and the LISA TMX DTD are not shipped by any package reachable here, so these checks
encode the rules of the specifications that matter for the elements vi2en writes and CAT tools
read: namespaces and versions, required elements and attributes, element order, id uniqueness,
language attributes and the enumerated values (`state`, `state-qualifier`, `segtype`...).
Each check returns a list of problems (empty when the file is fine), never raises on bad input
beyond `FormatError` for XML that cannot be parsed.
"""

from __future__ import annotations

import re

from lxml import etree

from vi2en.formats.xliff import NS_12, NS_20
from vi2en.formats.xmlio import parse_xml

LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")  # BCP 47 shape: `vi`, `en-US`
NMTOKEN = re.compile(r"^[\w.\-:]+$")
SUBSTATE = re.compile(r"^[^:\s]+:[^\s]+$")  # 2.x `subState`: `prefix:value`

XLIFF2_STATES = {"initial", "translated", "reviewed", "final"}
XLIFF2_INLINE = {"cp", "ph", "pc", "sc", "ec", "mrk", "sm", "em"}
XLIFF2_ATTRS = {
    "xliff": {"version", "srcLang", "trgLang"},
    "file": {"id", "canResegment", "original", "translate", "srcDir", "trgDir"},
    "unit": {"id", "name", "canResegment", "translate", "srcDir", "trgDir", "type"},
    "segment": {"id", "canResegment", "state", "subState"},
    "notes": set(),
    "note": {"id", "appliesTo", "category", "priority"},
    "source": set(),
    "target": {"order"},
}
XLIFF12_STATES = {
    "final", "needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n",
    "needs-review-translation", "needs-translation", "new", "signed-off", "translated",
}  # fmt: skip
XLIFF12_QUALIFIERS = {
    "exact-match", "fuzzy-match", "id-match", "leveraged-glossary", "leveraged-inherited",
    "leveraged-mt", "leveraged-repository", "leveraged-tm", "mt-suggestion", "rejected-grammar",
    "rejected-inaccurate", "rejected-length", "rejected-spelling", "tm-suggestion",
}  # fmt: skip
XLIFF12_UNIT_CHILDREN = {"target", "context-group", "count-group", "note", "alt-trans", "bin-unit"}
TMX_SEGTYPES = {"block", "paragraph", "sentence", "phrase"}
TMX_HEADER_REQUIRED = (
    "creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype",
)  # fmt: skip
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _name(el: etree._Element, ns: str | None) -> str | None:
    """Local name if `el` is an element in namespace `ns`, else None (comments, other ns)."""
    if not isinstance(el.tag, str):
        return None
    qname = etree.QName(el)
    return qname.localname if qname.namespace == ns else None


def _core_children(el: etree._Element, ns: str | None) -> list[etree._Element]:
    return [child for child in el if _name(child, ns) is not None]


def _check_attrs(el: etree._Element, name: str, allowed: set[str], where: str, out: list[str]):
    for attr in el.attrib:
        if not attr.startswith("{") and attr not in allowed:
            out.append(f"{where}: <{name}> has attribute {attr!r} the schema does not allow")


def check_xliff21(data: bytes | str) -> list[str]:
    """Problems in an XLIFF 2.1 file against the core rules of the OASIS specification."""
    root = parse_xml(data.encode("utf-8") if isinstance(data, str) else data)
    out: list[str] = []
    if _name(root, NS_20) != "xliff":
        return [f"root is {root.tag!r}, expected <xliff> in namespace {NS_20}"]
    if root.get("version") not in ("2.0", "2.1"):
        out.append(f"xliff version {root.get('version')!r} is not 2.1")
    for lang_attr in ("srcLang", "trgLang"):
        value = root.get(lang_attr)
        if value is None and lang_attr == "srcLang":
            out.append("xliff lacks the required srcLang")
        elif value is not None and not LANG_TAG.match(value):
            out.append(f"xliff {lang_attr}={value!r} is not a BCP 47 tag")
    _check_attrs(root, "xliff", XLIFF2_ATTRS["xliff"], "xliff", out)
    files = _core_children(root, NS_20)
    if not files or any(_name(f, NS_20) != "file" for f in files):
        out.append("xliff must contain one or more <file> and nothing else from the core")
    file_ids = [f.get("id") for f in files]
    if len(set(file_ids)) != len(file_ids) or None in file_ids:
        out.append("every <file> needs a unique id")
    any_target = False
    for file_el in files:
        _check_attrs(file_el, "file", XLIFF2_ATTRS["file"], "file", out)
        names = [_name(c, NS_20) for c in _core_children(file_el, NS_20)]
        body = [n for n in names if n not in ("skeleton", "notes")]
        if not body or any(n not in ("unit", "group") for n in body):
            out.append(f"file {file_el.get('id')}: needs units or groups and only those")
        if "notes" in names and names.index("notes") > min(
            (i for i, n in enumerate(names) if n in ("unit", "group")), default=len(names)
        ):
            out.append(f"file {file_el.get('id')}: <notes> must precede units")
        unit_ids: list[str | None] = []
        for unit in file_el.iter(f"{{{NS_20}}}unit", f"{{{NS_20}}}group"):
            unit_ids.append(unit.get("id"))
            if _name(unit, NS_20) == "unit":
                any_target |= _check_unit_21(unit, out)
        if None in unit_ids or len(set(unit_ids)) != len(unit_ids):
            out.append(f"file {file_el.get('id')}: unit/group ids must exist and be unique")
    if any_target and root.get("trgLang") is None:
        out.append("xliff has targets but no trgLang")
    return out


def _check_unit_21(unit: etree._Element, out: list[str]) -> bool:
    """Check one <unit>; return whether it has any target."""
    uid = unit.get("id")
    _check_attrs(unit, "unit", XLIFF2_ATTRS["unit"], f"unit {uid}", out)
    names = [_name(c, NS_20) for c in _core_children(unit, NS_20)]
    content = [n for n in names if n not in ("notes", "originalData")]
    if not content or any(n not in ("segment", "ignorable") for n in content):
        out.append(f"unit {uid}: needs segments/ignorables and only those after notes")
    if "notes" in names and names.index("notes") != 0:
        out.append(f"unit {uid}: <notes> must come first")
    seg_ids = [c.get("id") for c in _core_children(unit, NS_20) if c.get("id") is not None
               and _name(c, NS_20) in ("segment", "ignorable")]
    if len(set(seg_ids)) != len(seg_ids):
        out.append(f"unit {uid}: segment ids are not unique")
    for notes in unit.iterchildren(f"{{{NS_20}}}notes"):
        note_list = _core_children(notes, NS_20)
        if not note_list or any(_name(n, NS_20) != "note" for n in note_list):
            out.append(f"unit {uid}: <notes> must hold one or more <note>")
        note_ids = [n.get("id") for n in note_list if n.get("id") is not None]
        if len(set(note_ids)) != len(note_ids):
            out.append(f"unit {uid}: note ids are not unique")
        for note in note_list:
            _check_attrs(note, "note", XLIFF2_ATTRS["note"], f"unit {uid}", out)
            if note.get("appliesTo") not in (None, "source", "target"):
                out.append(f"unit {uid}: note appliesTo={note.get('appliesTo')!r}")
            if note.get("priority") not in (None, *map(str, range(1, 11))):
                out.append(f"unit {uid}: note priority={note.get('priority')!r} not 1-10")
    has_target = False
    for seg in unit.iterchildren(f"{{{NS_20}}}segment"):
        where = f"unit {uid} segment {seg.get('id')}"
        _check_attrs(seg, "segment", XLIFF2_ATTRS["segment"], where, out)
        if seg.get("state") not in (None, *XLIFF2_STATES):
            out.append(f"{where}: state={seg.get('state')!r} is not one of {sorted(XLIFF2_STATES)}")
        sub_state = seg.get("subState")
        if sub_state is not None and (seg.get("state") is None or not SUBSTATE.match(sub_state)):
            out.append(f"{where}: subState needs a state and the form prefix:value")
        parts = [_name(c, NS_20) for c in _core_children(seg, NS_20)]
        if parts not in (["source"], ["source", "target"]):
            out.append(f"{where}: must hold <source> then an optional <target>, got {parts}")
        has_target |= "target" in parts
        for text_el in _core_children(seg, NS_20):
            for inline in text_el.iter():
                name = _name(inline, NS_20)
                if inline is not text_el and name is not None and name not in XLIFF2_INLINE:
                    out.append(f"{where}: <{name}> is not an inline element")
    return has_target


def check_xliff12(data: bytes | str) -> list[str]:
    """Problems in an XLIFF 1.2 file against the rules of the OASIS 1.2 (strict) schema."""
    root = parse_xml(data.encode("utf-8") if isinstance(data, str) else data)
    out: list[str] = []
    if _name(root, NS_12) != "xliff":
        return [f"root is {root.tag!r}, expected <xliff> in namespace {NS_12}"]
    if root.get("version") != "1.2":
        out.append(f"xliff version {root.get('version')!r} is not 1.2")
    files = _core_children(root, NS_12)
    if not files or any(_name(f, NS_12) != "file" for f in files):
        out.append("xliff must contain one or more <file>")
    for file_el in files:
        for attr in ("original", "source-language", "datatype"):
            if not file_el.get(attr):
                out.append(f"<file> lacks the required {attr}")
        for attr in ("source-language", "target-language"):
            if file_el.get(attr) is not None and not LANG_TAG.match(file_el.get(attr)):
                out.append(f"<file> {attr}={file_el.get(attr)!r} is not a language tag")
        names = [_name(c, NS_12) for c in _core_children(file_el, NS_12)]
        if names not in (["body"], ["header", "body"]):
            out.append(f"<file> must hold an optional <header> then <body>, got {names}")
        for tool in file_el.iter(f"{{{NS_12}}}tool"):
            if not tool.get("tool-id") or not tool.get("tool-name"):
                out.append("<tool> needs tool-id and tool-name")
        ids = []
        for unit in file_el.iter(f"{{{NS_12}}}trans-unit"):
            uid = unit.get("id")
            ids.append(uid)
            parts = [_name(c, NS_12) for c in _core_children(unit, NS_12)]
            if not parts or parts[0] != "source" or parts.count("target") > 1 or any(
                p not in XLIFF12_UNIT_CHILDREN for p in parts[1:] if p != "seg-source"
            ) or ("target" in parts and parts.index("target") not in (1, 2)):
                out.append(f"trans-unit {uid}: bad content {parts}")
            for target in unit.iterchildren(f"{{{NS_12}}}target"):
                if target.get("state") not in (None, *XLIFF12_STATES):
                    out.append(f"trans-unit {uid}: target state={target.get('state')!r}")
                if target.get("state-qualifier") not in (None, *XLIFF12_QUALIFIERS):
                    out.append(f"trans-unit {uid}: state-qualifier invalid")
            for note in unit.iterchildren(f"{{{NS_12}}}note"):
                if note.get("annotates") not in (None, "source", "target", "general"):
                    out.append(f"trans-unit {uid}: note annotates={note.get('annotates')!r}")
            for alt in unit.iterchildren(f"{{{NS_12}}}alt-trans"):
                if [_name(c, NS_12) for c in _core_children(alt, NS_12)].count("target") != 1:
                    out.append(f"trans-unit {uid}: <alt-trans> needs exactly one <target>")
        if None in ids or len(set(ids)) != len(ids):
            out.append("trans-unit ids must exist and be unique within the file")
    return out


def check_tmx14(data: bytes | str) -> list[str]:
    """Problems in a TMX file against the rules of the TMX 1.4b DTD."""
    root = parse_xml(data.encode("utf-8") if isinstance(data, str) else data, what="TMX")
    out: list[str] = []
    if root.tag != "tmx" or root.get("version") != "1.4":
        return [f"root must be <tmx version='1.4'>, got <{root.tag}> {root.get('version')!r}"]
    names = [c.tag for c in root if isinstance(c.tag, str)]
    if names != ["header", "body"]:
        return [f"<tmx> must hold <header> then <body>, got {names}"]
    header, body = (c for c in root if isinstance(c.tag, str))
    for attr in TMX_HEADER_REQUIRED:
        if not header.get(attr):
            out.append(f"<header> lacks the required {attr}")
    if header.get("segtype") not in TMX_SEGTYPES:
        out.append(f"<header> segtype={header.get('segtype')!r} not in {sorted(TMX_SEGTYPES)}")
    srclang = header.get("srclang")
    tuids = []
    for tu in body:
        if not isinstance(tu.tag, str):
            continue
        if tu.tag != "tu":
            out.append(f"<body> may hold only <tu>, got <{tu.tag}>")
            continue
        tuids.append(tu.get("tuid"))
        parts = [c.tag for c in tu if isinstance(c.tag, str)]
        first_tuv = parts.index("tuv") if "tuv" in parts else len(parts)
        if first_tuv == len(parts) or any(p not in ("note", "prop") for p in parts[:first_tuv]) or (
            any(p != "tuv" for p in parts[first_tuv:])
        ):
            out.append(f"tu {tu.get('tuid')}: must be (note|prop)* then tuv+, got {parts}")
        for prop in tu.iterchildren("prop"):
            if not prop.get("type"):
                out.append(f"tu {tu.get('tuid')}: <prop> lacks type")
        langs = []
        for tuv in tu.iterchildren("tuv"):
            lang = tuv.get(XML_LANG)
            langs.append(lang)
            if not lang or not LANG_TAG.match(lang):
                out.append(f"tu {tu.get('tuid')}: <tuv> lacks a valid xml:lang")
            inner = [c.tag for c in tuv if isinstance(c.tag, str)]
            if not inner or inner[-1] != "seg" or inner.count("seg") != 1:
                out.append(f"tu {tu.get('tuid')}: <tuv> must end with exactly one <seg>")
        if srclang not in ("*all*", *langs):
            out.append(f"tu {tu.get('tuid')}: no <tuv> in srclang {srclang!r}")
    tuids = [t for t in tuids if t is not None]
    if len(set(tuids)) != len(tuids):
        out.append("tuid values are not unique")
    return out
