"""Text facts shared by QA, the aligner and ingest: letters, numbers, months, dates."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from vi2en.text.facts import (
    VIETNAMESE_LETTERS,
    VIETNAMESE_ONLY_LETTERS,
    english_dates,
    english_number_words,
    format_number,
    number_readings,
    number_value,
    read_number,
    vietnamese_dates,
    vietnamese_number_words,
    vietnamese_share,
)


def test_vietnamese_letters_are_every_toned_vowel_and_d_with_stroke() -> None:
    # 12 vowels x 6 tones, less the 6 plain ASCII vowels, plus đ: 67 per case.
    assert len(VIETNAMESE_LETTERS) == 134
    assert all(unicodedata.is_normalized("NFC", ch) for ch in VIETNAMESE_LETTERS)
    for word in ("Nguyễn", "Đà Nẵng", "thuỷ", "hĩnh", "lũ", "Ứng", "ỷ"):
        assert any(ch in VIETNAMESE_LETTERS for ch in word), word
    assert not any(ch in VIETNAMESE_LETTERS for ch in "Müller Ñandu ç ß ö")


def test_vietnamese_only_letters_leave_out_what_western_names_carry() -> None:
    assert {"ă", "đ", "ơ", "ư", "ĩ", "ũ", "ạ", "ế", "Ự"} <= VIETNAMESE_ONLY_LETTERS
    assert not {"é", "à", "â", "ê", "ô", "õ", "ý"} & VIETNAMESE_ONLY_LETTERS
    assert VIETNAMESE_ONLY_LETTERS < VIETNAMESE_LETTERS


def test_vietnamese_share() -> None:
    assert vietnamese_share("") == 0.0
    assert vietnamese_share("Hello world") == 0.0
    assert 0.2 < vietnamese_share("Hôm nay trời mưa rất to ở Hà Nội.") < 0.5


@pytest.mark.parametrize(
    ("token", "vi", "en"),
    [
        ("11.000", Decimal(11000), Decimal(11)),
        ("11,000", Decimal(11), Decimal(11000)),
        ("3,5", Decimal("3.5"), None),
        ("3.5", None, Decimal("3.5")),
        ("1.234.567,5", Decimal("1234567.5"), None),
        ("1,234,567.50", None, Decimal("1234567.50")),
        ("12.34", None, Decimal("12.34")),
        ("2019", Decimal(2019), Decimal(2019)),
        ("20.08.2014", None, None),
    ],
)
def test_read_number_by_convention(token: str, vi: Decimal | None, en: Decimal | None) -> None:
    assert read_number(token, vietnamese=True) == vi
    assert read_number(token, vietnamese=False) == en


def test_number_readings_and_value() -> None:
    assert number_readings("11.000") == {Decimal(11000), Decimal(11)}
    assert number_readings("11.000", vietnamese_first=True) == {Decimal(11000)}
    assert number_readings("3.5", vietnamese_first=True) == {Decimal("3.5")}
    assert number_value("11,000") == number_value("11.000") == 11000
    assert number_value("3,5") == number_value("3.5") == Decimal("3.5")
    assert number_value("20.08.2014") is None
    assert [format_number(Decimal(x)) for x in ("11000", "3.50", "0.75", "1E+3")] == [
        "11000", "3.5", "0.75", "1000",
    ]


def test_number_words() -> None:
    assert english_number_words("Twenty-four-year-old") == {Decimal(24)}
    assert Decimal(3) in english_number_words("three people and a dozen eggs")
    assert Decimal(12) in english_number_words("three people and a dozen eggs")
    assert vietnamese_number_words("hai người và mười con") == {Decimal(2), Decimal(10)}
    assert vietnamese_number_words("năm 2020") == set()  # `năm` is "year" too


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Ngày 27/3, trời mưa.", [(27, 3, None)]),
        ("Ngày 27 tháng 3 năm 2025 ông đến.", [(27, 3, 2025)]),
        ("Trong tháng 2/2025 xuất khẩu tăng.", [(None, 2, 2025)]),
        ("Tháng Giêng năm 2020 trời lạnh.", [(None, 1, 2020)]),
        ("Hẹn gặp 27-03-2025.", [(27, 3, 2025)]),
        ("Đội nhà thắng 2-1.", []),  # a score, not a date
        ("Hôm thứ 2 ông đến.", []),
    ],
)
def test_vietnamese_dates(text: str, keys: list[tuple[int | None, int, int | None]]) -> None:
    assert [d.key for d in vietnamese_dates(text)[0]] == keys


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("On March 27, 2025 it rained.", [(27, 3, 2025)]),
        ("On the 27th of March it rained.", [(27, 3, None)]),
        ("In February 2025 exports rose.", [(None, 2, 2025)]),
        ("On 3/27 it rained.", [(27, 3, None)]),  # the month cannot be 27: US order
        ("Exports rose in May.", [(None, 5, None)]),
        ("By mid-June they had left.", [(None, 6, None)]),
        ("Theresa May said on Monday.", []),
        ("After the June summit in Singapore.", [(None, 6, None)]),
        ("April Ryan asked.", []),
        ("They may march in March.", [(None, 3, None)]),
    ],
)
def test_english_dates(text: str, keys: list[tuple[int | None, int, int | None]]) -> None:
    assert [d.key for d in english_dates(text)[0]] == keys


def test_dates_are_blanked_with_their_spans() -> None:
    text = "Ngày 27/3, giá 11.000 đồng."
    found, rest = vietnamese_dates(text)
    assert len(rest) == len(text) and "27" not in rest and "11.000" in rest
    assert text[found[0].start : found[0].end] == "27/3"
