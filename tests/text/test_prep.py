"""OPUS-MT input preparation: replacements as preprocess-spm.sh does them, offsets that map back."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vi2en.text.prep import clause_cuts, prepare


@pytest.mark.parametrize(
    ("raw", "prepared"),
    [
        ("“Xin chào”", '"Xin chào"'),
        ("„a‟ b″", '"a" b"'),
        ("Anh’s ‘x’ ‚y‛ 5′", "Anh's 'x' 'y' 5'"),
        ("Chờ đã…", "Chờ đã..."),
        ("Ｈà Nội！（１２３）", "Hà Nội!(123)"),
        ("《Sách》「x」", '"Sách""x"'),
        ("a\u200bb\u2060c\ufeffd", "abcd"),
        ("a\tb\x07c\u200ed", "a b c d"),
        ("  nhiều   khoảng\n\n trắng  ", "nhiều khoảng trắng"),
        ("a\u00a0b", "a b"),
        ("Vie\u0302\u0323t", "Việt"),  # composite (cp1258-style) input -> NFC
        ("câu。tiếp", "câu. tiếp"),
        ("", ""),
    ],
)
def test_prepare_applies_the_opus_mt_replacements(raw: str, prepared: str) -> None:
    assert prepare(raw).text == prepared


def test_offsets_map_prepared_characters_back_to_original_spans() -> None:
    raw = "Ông “A”… \u200bnói"
    prep = prepare(raw)
    assert prep.text == 'Ông "A"... nói'
    assert raw[slice(*prep.original_span(4, 7))] == "“A”"
    assert raw[slice(*prep.original_span(7, 10))] == "…"
    assert raw[slice(*prep.original_span(11, 14))] == "nói"
    with pytest.raises(ValueError, match="bad span"):
        prep.original_span(3, 3)


TRICKY = st.sampled_from(list("aăêộ ̣́\n\t“”’…！０\u200b\u00a0\x07。 "))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=TRICKY | st.characters(), max_size=40))
def test_offset_map_is_monotone_and_inside_the_original(raw: str) -> None:
    prep = prepare(raw)
    assert len(prep.spans) == len(prep.text)
    assert prep.text == prep.text.strip()
    assert "  " not in prep.text
    for (s1, e1), (s2, e2) in zip(prep.spans, prep.spans[1:], strict=False):
        assert s1 <= s2 and e1 <= e2
    for start, end in prep.spans:
        assert 0 <= start < end <= len(raw)
    # Every letter or digit survives and maps to a span holding it (up to normalization).
    for char, (start, end) in zip(prep.text, prep.spans, strict=True):
        if char.isalnum() and char.isascii():
            assert char in unicodedata.normalize("NFKC", raw[start:end])


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Ông nói: tôi đi", [("Ông nói:", "tôi đi")]),
        ("a b; c d", [("a b;", "c d")]),
        ("a – b", [("a –", "b")]),
        ("a - b", [("a -", "b")]),
        ("anh về, nhưng chị ở", [("anh về,", "nhưng chị ở")]),
        ("anh về, Trong khi chị ở", [("anh về,", "Trong khi chị ở")]),
        ("vàng, bạc, vàng", []),  # a list, not clauses
        ("10:30 và COVID-19", []),
        ("cuối;", []),
    ],
)
def test_clause_cuts(text: str, parts: list[tuple[str, str]]) -> None:
    assert [(text[:a], text[b:]) for a, b in clause_cuts(text)] == parts
