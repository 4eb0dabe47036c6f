"""Check what vi2en writes against the standards: their own schemas, plus the rules they state
that a schema cannot express.

`validate_*`: XLIFF 2.1 against the OASIS core XSD, XLIFF 1.2 against the OASIS strict XSD, TMX
1.4b against the LISA DTD, all in `../shared/schemas`, with lxml (libxml2), offline: the 1.2 XSDs
import the W3C `xml.xsd` by URL, which the shared XML catalog maps to its local copy.

`spec_problems_*`: what the specifications require and those files do not check (measured by
breaking vi2en's own output in each way, `tests/formats/test_conformance.py`): XLIFF 2.1's
version 2.1 (the core XSD takes any version), unique unit, segment and note ids (XLIFF 2.x
constraints the XSD leaves to its XSLT-2 Schematron, which lxml cannot run), `subState` as
`prefix:value` with a `state`; TMX's unique `tuid` and non-empty `xml:lang` (the DTD types them
CDATA). Everything else the schemas check.

`check_*` runs both and returns every problem (empty when the file conforms), so a test can also
check that a broken file is refused.

Where `../shared` is absent (a fresh clone) the tests that need these skip, with the reason
shown; with VI2EN_REQUIRE_SHARED=1 (CI) they fail instead.
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter

import pytest
from lxml import etree

from tests.conftest import SHARED

SCHEMAS = SHARED / "schemas"
XLIFF21_XSD = SCHEMAS / "xliff-2.1" / "xliff_core_2.0.xsd"
XLIFF12_XSD = SCHEMAS / "xliff-1.2" / "xliff-core-1.2-strict.xsd"
TMX14_DTD = SCHEMAS / "tmx-1.4b" / "tmx14.dtd"
CATALOG = SCHEMAS / "catalog.xml"


def require_schemas() -> None:
    """Skip (or fail, with VI2EN_REQUIRE_SHARED=1) when the shared schemas are absent."""
    if not XLIFF21_XSD.is_file():
        message = f"official schemas not found at {SCHEMAS} (a fresh clone has no ../shared)"
        if os.environ.get("VI2EN_REQUIRE_SHARED") == "1":
            pytest.fail(message + " and VI2EN_REQUIRE_SHARED=1")
        pytest.skip(message)


@functools.cache
def _validator(kind: str) -> etree.XMLSchema | etree.DTD:
    require_schemas()
    if kind == "tmx14":
        return etree.DTD(str(TMX14_DTD))
    # libxml2 reads XML_CATALOG_FILES when it first resolves an external entity: set it before
    # the first schema that imports http://www.w3.org/2001/xml.xsd is parsed.
    os.environ.setdefault("XML_CATALOG_FILES", str(CATALOG.resolve()))
    path = XLIFF21_XSD if kind == "xliff21" else XLIFF12_XSD
    return etree.XMLSchema(etree.parse(str(path)))


def _validate(kind: str, document: str | bytes) -> list[str]:
    data = document.encode("utf-8") if isinstance(document, str) else document
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        tree = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    validator = _validator(kind)
    if validator.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in validator.error_log]


def validate_xliff21(document: str | bytes) -> list[str]:
    """Problems the OASIS XLIFF 2.1 (core 2.0 namespace) XSD finds; empty when valid."""
    return _validate("xliff21", document)


def validate_xliff12(document: str | bytes) -> list[str]:
    """Problems the OASIS XLIFF 1.2 strict XSD finds; empty when valid."""
    return _validate("xliff12", document)


def validate_tmx14(document: str | bytes) -> list[str]:
    """Problems the LISA TMX 1.4b DTD finds; empty when valid."""
    return _validate("tmx14", document)


NS_20 = "urn:oasis:names:tc:xliff:document:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")  # BCP 47 shape: `vi`, `en-US`
SUBSTATE = re.compile(r"^[^:\s]+:\S+$")  # `prefix:value`


def _tree(document: str | bytes) -> etree._Element | None:
    data = document.encode("utf-8") if isinstance(document, str) else document
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None  # the validators report it


def _repeated(ids: list[str | None]) -> list[str | None]:
    return [value for value, count in Counter(ids).items() if count > 1 or value is None]


def spec_problems_xliff21(document: str | bytes) -> list[str]:
    """XLIFF 2.1 rules its core XSD cannot check."""
    root = _tree(document)
    if root is None:
        return []
    out = []
    if root.get("version") != "2.1":
        out.append(f"xliff version {root.get('version')!r} is not 2.1")
    q = f"{{{NS_20}}}"
    for file_el in root.iter(f"{q}file"):
        ids = [el.get("id") for el in file_el.iter(f"{q}unit", f"{q}group")]
        if dup := _repeated(ids):
            out.append(f"file {file_el.get('id')}: unit/group ids not unique: {dup}")
        for unit in file_el.iter(f"{q}unit"):
            parts = [el.get("id") for el in unit if el.tag in (f"{q}segment", f"{q}ignorable")]
            if dup := _repeated([i for i in parts if i is not None]):
                out.append(f"unit {unit.get('id')}: segment ids not unique: {dup}")
            for notes in unit.iter(f"{q}notes"):
                if dup := _repeated([n.get("id") for n in notes if n.get("id") is not None]):
                    out.append(f"unit {unit.get('id')}: note ids not unique: {dup}")
            for seg in unit.iter(f"{q}segment"):
                sub_state = seg.get("subState")
                if sub_state is not None and (
                    seg.get("state") is None or not SUBSTATE.match(sub_state)
                ):
                    out.append(f"segment {seg.get('id')}: subState {sub_state!r} needs a state "
                               "and the form prefix:value")  # fmt: skip
    return out


def spec_problems_tmx14(document: str | bytes) -> list[str]:
    """TMX 1.4b rules its DTD cannot check."""
    root = _tree(document)
    if root is None:
        return []
    out = []
    if dup := _repeated([tu.get("tuid") for tu in root.iter("tu") if tu.get("tuid") is not None]):
        out.append(f"tuid values not unique: {dup}")
    header = root.find("header")
    langs = [("header srclang", header.get("srclang"))] if header is not None else []
    langs += [(f"tuv of tu {tuv.getparent().get('tuid')}", tuv.get(XML_LANG))
              for tuv in root.iter("tuv")]  # fmt: skip
    for where, lang in langs:
        if lang != "*all*" and not LANG_TAG.match(lang or ""):
            out.append(f"{where}: xml:lang {lang!r} is not a language tag")
    return out


def check_xliff21(document: str | bytes) -> list[str]:
    """Every problem: the official XSD's and the rules beyond it."""
    return validate_xliff21(document) + spec_problems_xliff21(document)


def check_xliff12(document: str | bytes) -> list[str]:
    """Every problem: the official XSD checks all that vi2en's XLIFF 1.2 relies on."""
    return validate_xliff12(document)


def check_tmx14(document: str | bytes) -> list[str]:
    """Every problem: the official DTD's and the rules beyond it."""
    return validate_tmx14(document) + spec_problems_tmx14(document)


CHECKS = {"xliff": check_xliff21, "xliff12": check_xliff12, "tmx": check_tmx14}
