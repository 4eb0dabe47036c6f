"""Plain-text output keeps the article's structure."""

from __future__ import annotations

import pytest

from tests.formats.article import article
from vi2en.doc import Document
from vi2en.errors import FormatError
from vi2en.formats import get_renderer
from vi2en.formats.txt import render


def test_txt_keeps_lines_paragraphs_and_gaps() -> None:
    assert render(article()) == (
        "NGA VÀ TRIỀU TIÊN\n"
        "\n"
        "(Dân trí) - HAI NƯỚC KÝ HIỆP ƯỚC.\tCÂU THỨ HAI.\n"
        "TỔNG THỐNG PHÁT BIỂU. Photo: Sputnik\n"
        "Hồng Anh/VOV.VN\n"
    )


def test_txt_is_the_registered_renderer() -> None:
    assert get_renderer("txt")(article()) == render(article())


def test_txt_adds_a_final_newline() -> None:
    doc = Document(text="Câu.")
    doc.add_segment(0, 4, "body", paragraph=0, sentence=0).translation = None
    with pytest.raises(FormatError, match="no translation"):
        render(doc)
    doc.segments[0].translation = article().segments[0].translation
    assert render(doc) == "NGA VÀ TRIỀU TIÊN\n"
