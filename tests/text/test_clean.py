"""Ingest normalization: NFC, zero-width characters, whitespace, line breaks kept."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from vi2en.text.clean import clean_text


def test_nfd_and_composite_become_nfc():
    nfc = "Việt Nam hòa bình thuỷ Nguyễn Ứng"
    for form in (
        unicodedata.normalize("NFD", nfc),
        "Vie\u0302\u0323t Nam hòa bình thuỷ Nguyễn Ứng",
    ):
        text, changes = clean_text(form)
        assert text == nfc
        assert changes and changes[0].startswith("normalized to NFC")


def test_zero_width_characters_are_removed():
    text, changes = clean_text("Hà\u200b\u200bNội\u2060 và\ufeff Huế")
    assert text == "HàNội và Huế"
    assert changes == ["removed zero-width characters (4)"]


def test_odd_whitespace_folds_and_line_breaks_stay():
    raw = "Tiêu đề\r\n\r\nĐoạn\u00a0một.\tCâu  hai. \nDòng\u2028ba\rbốn"
    text, _ = clean_text(raw)
    assert text == "Tiêu đề\n\nĐoạn một. Câu hai.\nDòng\nba\nbốn"


def test_clean_text_reports_nothing_for_clean_input():
    assert clean_text("Hà Nội.\nHuế.") == ("Hà Nội.\nHuế.", [])


@given(st.text())
def test_clean_is_idempotent_and_nfc(raw):
    text, _ = clean_text(raw)
    assert unicodedata.is_normalized("NFC", text)
    assert clean_text(text)[0] == text
    assert "\r" not in text and "\u200b" not in text and "\t" not in text
