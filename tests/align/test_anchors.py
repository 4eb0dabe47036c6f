"""Anchors: numbers, dates, names, URLs and quotes normalised across Vietnamese and English."""

from __future__ import annotations

import pytest

from vi2en.align.anchors import extract_anchors, is_foreign_name, normalise_number


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("11.000", "11000"),
        ("11,000", "11000"),
        ("11000", "11000"),
        ("3,5", "3.5"),
        ("3.5", "3.5"),
        ("1.234.567", "1234567"),
        ("1,234,567.50", "1234567.5"),
        ("1.234.567,5", "1234567.5"),
        ("2019", "2019"),
        ("0,75", "0.75"),
        ("007", "7"),
    ],
)
def test_normalise_number(written: str, value: str) -> None:
    assert normalise_number(written) == value


@pytest.mark.parametrize(
    ("vi", "en"),
    [
        ("Có 11.000 người.", "There were 11,000 people."),
        ("Có 11.000 người.", "There were 11000 people."),
        ("Tăng 3,5% so với năm ngoái.", "Up 3.5% on last year."),
        ("Ngày 27/3, trời mưa.", "On March 27 it rained."),
        ("Ngày 27 tháng 3, trời mưa.", "It rained on 27 March."),
        ("Ngày 27/3/2025 ông Putin đến Kharkov.", "Putin came to Kharkov on March 27, 2025."),
        ("Hãng KCNA đưa tin.", "KCNA reported."),
        ("Xem https://vnexpress.net/a-1.html.", "See https://vnexpress.net/a-1.html."),
        ("Gửi thư tới tin@bbc.co.uk nhé.", "Write to tin@bbc.co.uk."),
        ("Ông nói: “Tôi sẽ đến”.", 'He said: "I will come".'),
    ],
)
def test_translation_pairs_share_their_anchors(vi: str, en: str) -> None:
    vi_keys, en_keys = extract_anchors(vi), extract_anchors(en)
    shared = vi_keys & en_keys
    # every anchor of the Vietnamese side that is not a stray word is found in the English
    assert shared
    assert {k for k in vi_keys if not k.startswith("n:")} <= set(en_keys)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ngày 27/3 trời mưa.", {"#27", "m:3"}),
        ("Ngày 27/3/2025 trời mưa.", {"#27", "m:3", "#2025"}),
        ("On 3/27 it rained.", {"#27", "m:3"}),  # US order: the month cannot be 27
        ("Tháng Giêng năm 2020.", {"m:1", "#2020"}),
        ("Lãi suất 3,5%.", {"#3.5"}),
    ],
)
def test_dates_and_percentages(text: str, expected: set[str]) -> None:
    keys = extract_anchors(text)
    assert expected <= set(keys)


def test_vietnamese_words_are_not_names_but_latin_names_are() -> None:
    keys = extract_anchors("Tổng thống Putin và Thủ tướng Việt Nam gặp ông Kharkov ở Mỹ.")
    names = {k for k in keys if k.startswith("n:")}
    assert names == {"n:putin", "n:kharkov"}
    assert is_foreign_name("KCNA")
    assert not is_foreign_name("Việt")


def test_a_url_is_one_anchor_not_numbers() -> None:
    keys = extract_anchors("Xem www.bbc.co.uk/news/world-4567, trang 2.")
    assert keys["u:www.bbc.co.uk/news/world-4567"] == 1
    assert "#4567" not in keys
    assert keys["#2"] == 1


def test_counts_are_a_multiset() -> None:
    keys = extract_anchors("Năm 2019 và năm 2019 nữa, 'một' và 'hai'.")
    assert keys["#2019"] == 2
    assert keys["q"] == 2


def test_text_without_anchors_gives_nothing() -> None:
    assert not extract_anchors("trời hôm nay đẹp quá")
