"""What the official schemas catch, and what only the spec rules beside them catch.

Each case breaks vi2en's own output one way. `schema` cases are refused by the official XSD/DTD
alone; `spec` cases pass it, and only `tests/formats/conformance.py`'s rules (from the
specifications' text) refuse them. A rule whose case the schema starts catching, or a schema
case it stops catching, fails here: the rules stay exactly as large as the schemas leave them.
"""

from __future__ import annotations

import pytest

from tests.formats.conformance import CHECKS, validate_tmx14, validate_xliff12, validate_xliff21
from tests.formats.sample_doc import HEADING, make_document
from vi2en.formats import get_renderer

SOURCE = f"<source>{HEADING}</source>"
TARGET = "<target>Petrol prices rise 3.5% from March 27</target>"
CASES = [
    ("xliff", 'srcLang="vi" ', "", "schema"),
    ("xliff", 'trgLang="en"', 'trgLang="english language"', "schema"),
    ("xliff", 'state="initial"', 'state="draft"', "schema"),
    ("xliff", '<segment id="s2"', '<segment bogus="1" id="s2"', "schema"),
    ("xliff", SOURCE + "\n        " + TARGET, TARGET + SOURCE, "schema"),  # order
    ("xliff", 'subState="vi2en:mt"', 'subState="mt"', "spec"),
    ("xliff", '<unit id="p2">', '<unit id="p1">', "spec"),
    ("xliff", 'id="s1-type"', 'id="s1-qa1"', "spec"),
    ("xliff", 'version="2.1"', 'version="1.2"', "spec"),
    ("xliff12", 'state-qualifier="leveraged-mt"', 'state-qualifier="machine"', "schema"),
    ("xliff12", 'state="translated"', 'state="done"', "schema"),
    ("xliff12", 'datatype="plaintext" ', "", "schema"),
    ("xliff12", '<trans-unit id="s2"', '<trans-unit id="s1"', "schema"),
    ("xliff12", 'annotates="source"', 'annotates="everything"', "schema"),
    ("tmx", 'segtype="sentence"', 'segtype="line"', "schema"),
    ("tmx", ' o-tmf="vi2en"', "", "schema"),
    ("tmx", 'version="1.4"', 'version="2.0"', "schema"),
    ("tmx", '<prop type="x-vi2en-segment-type">', "<prop>", "schema"),
    ("tmx", '<tu tuid="s2">', '<tu tuid="s1">', "spec"),
    ("tmx", 'xml:lang="en"', 'xml:lang=""', "spec"),
]
SCHEMA = {"xliff": validate_xliff21, "xliff12": validate_xliff12, "tmx": validate_tmx14}


@pytest.mark.parametrize("fmt", list(CHECKS))
def test_vi2en_output_conforms(fmt: str) -> None:
    assert CHECKS[fmt](get_renderer(fmt)(make_document())) == []


@pytest.mark.parametrize(("fmt", "old", "new", "caught_by"), CASES)
def test_each_break_is_caught_by_the_schema_or_by_a_rule_it_cannot_express(
    fmt: str, old: str, new: str, caught_by: str
) -> None:
    out = get_renderer(fmt)(make_document())
    assert old in out
    broken = out.replace(old, new, 1)
    assert bool(SCHEMA[fmt](broken)) is (caught_by == "schema")
    assert CHECKS[fmt](broken) != []
