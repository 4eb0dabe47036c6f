"""Words and pieces as character spans: syllables, grouping, punctuation, decoded piece spans."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.align import alignkit
from vi2en.align.wordspans import is_punctuation, target_pieces, word_spans
from vi2en.engines.base import Piece


def words(text: str, **kwargs) -> list[str]:
    return [text[s:e] for s, e in word_spans(text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tổng thống Putin, ngày 27/3.", ["Tổng", "thống", "Putin", ",", "ngày", "27/3", "."]),
        ("tại TP.HCM: 11.000 người", ["tại", "TP.HCM", ":", "11.000", "người"]),
        ("“Hoà bình”…", ["“", "Hoà", "bình", "”", "…"]),
        ("tăng 3,5% (VOV)", ["tăng", "3,5", "%", "(", "VOV", ")"]),
        ("He didn't say -- well.", ["He", "didn't", "say", "-", "-", "well", "."]),
        ("", []),
        ("  \n\t ", []),
        ("một", ["một"]),
    ],
)
def test_word_spans_cut_syllables_and_punctuation(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("grouped", "expected"),
    [
        # underthesea style: words joined by spaces, tone style rewritten (hoà -> hòa)
        (["Máy bay", "không người lái", "hòa bình", "."],
         ["Máy bay", "không người lái", "hoà bình", "."]),
        # pyvi style: syllables joined by `_`
        (["Máy_bay", "không_người_lái", "hoà_bình", "."],
         ["Máy bay", "không người lái", "hoà bình", "."]),
        # a grouper that splits more finely than syllables never splits a syllable
        (["Máy", "bay", "không", "người", "lái", "hoà", "bình", "."],
         ["Máy", "bay", "không", "người", "lái", "hoà", "bình", "."]),
    ],
)
def test_word_spans_group_merges_syllables(grouped: list[str], expected: list[str]) -> None:
    text = "Máy bay không người lái hoà bình."
    assert words(text, group=lambda _: grouped) == expected


def test_word_spans_group_that_changes_the_text_is_refused() -> None:
    with pytest.raises(ValueError, match="grouper returned 5 non-space characters"):
        word_spans("xin chào", group=lambda _: ["xin", "ch"])


@pytest.mark.parametrize(("word", "punct"), [(".", True), ("“", True), ("--", True),
                                             ("3,5", False), ("Hà", False)])
def test_is_punctuation(word: str, punct: bool) -> None:
    assert is_punctuation(word) is punct


# --- target piece spans --------------------------------------------------------------------------


def test_target_pieces_by_construction() -> None:
    pieces = ["▁He", "llo", "▁wor", "ld", ".", "▁", "<0xC3>", "<0xA9>"]
    spans = target_pieces(pieces, "Hello world. é")
    assert [(p.start, p.end) for p in spans] == [
        (0, 2), (2, 5), (6, 9), (9, 11), (11, 12), (13, 13), (13, 14), (13, 14)
    ]


def test_target_pieces_located_in_a_changed_text() -> None:
    text = "Photo: Hello “world”."
    spans = target_pieces(["▁He", "llo", "▁\"", "world", "\"", "."], text)
    assert [text[p.start:p.end] for p in spans] == ["He", "llo", "", "world", "", "."]


@given(alignkit.texts_with_pieces())
def test_piece_spans_spell_the_text(case: tuple[str, list[Piece]]) -> None:
    text, pieces = case
    assert "".join(text[p.start:p.end] for p in pieces) == text.replace(" ", "")
    assert all(0 <= p.start <= p.end <= len(text) for p in pieces)


@given(st.text(max_size=40))
def test_word_spans_never_crash_and_are_ordered(text: str) -> None:
    spans = word_spans(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert all(not text[s:e].isspace() for s, e in spans)
