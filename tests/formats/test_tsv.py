"""TSV output: two escaped columns per segment."""

from __future__ import annotations

from tests.formats.article import article
from vi2en.doc import Document, Translation
from vi2en.formats.tsv import escape, render


def test_tsv_has_one_row_of_two_columns_per_segment() -> None:
    doc = article()
    rows = render(doc).splitlines()
    assert len(rows) == len(doc.segments)
    assert all(row.count("\t") == 1 for row in rows)
    assert rows[0] == "Nga và Triều Tiên\tNGA VÀ TRIỀU TIÊN"
    assert rows[5] == "Ảnh: Sputnik\tPhoto: Sputnik"


def test_tsv_escapes_tabs_newlines_and_backslashes() -> None:
    assert escape("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    doc = Document(text="x\ty")
    doc.add_segment(0, 3, "body", paragraph=0, sentence=0).translation = Translation("p\nq")
    assert render(doc) == "x\\ty\tp\\nq\n"
