"""Public API: offsets round-trip for any text (hypothesis), the example article, errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vi2en.doc import Document, SegmentType
from vi2en.segment import RULES_VERSION, segment_document, segment_text

# Pieces that exercise the rules: abbreviations, initials, credits, bylines, quotes, dots.
TOKENS = [
    "Ông ",
    "Nguyễn Văn A. ",
    "TP.",
    "TP.HCM",
    " Tp. ",
    "PGS.TS. ",
    "Ảnh: ",
    "(Ảnh: Reuters)",
    "Theo ",
    "CNN, Fox News",
    "(TTXVN)",
    "(Dân trí) - ",
    "VOV.VN - ",
    "Hồng Anh/VOV.VN ",
    "(biên dịch) ",
    "Xem thêm: ",
    "Thứ Năm, 27/03/2025 08:30 (GMT+7)",
    "1. ",
    "11.000",
    "3,5%",
    "“",
    "”",
    '"',
    "’",
    "'",
    "«",
    "»",
    "(",
    ")",
    "[",
    "]",
    ".",
    "...",
    "…",
    "?!",
    "!",
    "?",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\u2028",
    "\x85",
    "\u00a0",
    "\u200b",
    "Đ",
    "ạ",
    "ỹ",
    "Chelsea. ",
    "Ý. ",
    "v.v. ",
    "Hammel chia sẻ thêm.",
    "-",
    "–",
    "a",
    "Z",
    "0",
]
ODD_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(TOKENS), max_size=60).map("".join),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=5)), max_size=40).map("".join),
)


def check_invariants(doc: Document) -> None:
    text = doc.text
    pos = 0
    last_key = (-1, -1)
    for index, seg in enumerate(doc):
        assert seg.index == index
        assert pos <= seg.start < seg.end <= len(text)  # in order, non-overlapping, non-empty
        assert text[seg.start : seg.end] == seg.text
        assert not seg.text[0].isspace() and not seg.text[-1].isspace()
        assert len(seg.text.splitlines()) == 1  # never spans a line break
        key = (seg.paragraph, seg.sentence)
        assert key > last_key
        if seg.paragraph == last_key[0]:
            assert seg.sentence == last_key[1] + 1
        else:
            assert seg.sentence == 0
        last_key = key
        pos = seg.end
    gaps = doc.gaps()
    rebuilt = "".join(g + s.text for g, s in zip(gaps, doc.segments, strict=False)) + gaps[-1]
    assert rebuilt == text
    # every non-empty line gives at least one segment; paragraph = index of the non-empty line
    lines = [line for line in text.splitlines() if line.strip()]
    assert sorted({seg.paragraph for seg in doc}) == list(range(len(lines)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ODD_TEXT)
@example("0\xa0Ảnh: Ông ")  # a no-break space between a caption and its credit (was kept)
def test_spans_round_trip_for_any_text(text):
    check_invariants(segment_text(text))


def test_example_article(shared_dir):
    path = shared_dir / "examples" / "vov-russia-north-korea.vi.txt"
    text = path.read_text(encoding="utf-8")
    doc = segment_text(text)
    check_invariants(doc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # no heading or caption merged into a paragraph: each keeps its own paragraph index
    headings = [seg.text for seg in doc if seg.type == SegmentType.HEADING]
    assert headings == [
        "Quan hệ hợp tác ngày càng sâu rộng giữa Nga và Triều Tiên",
        "Mỹ và Hàn Quốc lo sốt vó",
    ]
    for seg in doc:
        if seg.type == SegmentType.HEADING:
            assert [s.text for s in doc if s.paragraph == seg.paragraph] == [seg.text]
            assert lines[seg.paragraph] == seg.text
    caption = [(s.type, s.text) for s in doc if s.paragraph == 1]
    assert caption == [
        (
            SegmentType.CAPTION,
            "Tổng thống Nga Vladimir Putin và nhà lãnh đạo Triều Tiên Kim Jong Un.",
        ),
        (SegmentType.CREDIT, "Ảnh: Spunik"),
    ]
    last = [(s.type, s.text) for s in doc if s.paragraph == len(lines) - 1]
    assert last == [
        (SegmentType.BYLINE, "Hồng Anh/VOV.VN (biên dịch)"),
        (SegmentType.SOURCE, "Theo CNN, Fox News"),
    ]
    # the first line is not a title: it is the lead; everything else between is body
    assert doc.segments[0].type == SegmentType.LEAD
    assert {s.type for s in doc if 1 < s.paragraph < len(lines) - 1} == {
        SegmentType.BODY,
        SegmentType.HEADING,
    }
    assert len(doc) == 40
    assert doc.segmenter == f"vi2en-rules-{RULES_VERSION}"
    # a trailing newline changes nothing but the final gap
    doc_nl = segment_text(text.rstrip("\n") + "\n")
    assert [(s.start, s.end, s.type) for s in doc_nl] == [(s.start, s.end, s.type) for s in doc]


def test_segment_document_fills_the_given_document():
    doc = Document(text="Tiêu đề\nMột câu. Hai câu.", changes=["nfc"])
    assert segment_document(doc) is doc
    assert [seg.text for seg in doc] == ["Tiêu đề", "Một câu.", "Hai câu."]
    assert doc.changes == ["nfc"]


def test_segment_document_refuses_a_segmented_document():
    doc = segment_text("Một câu.")
    with pytest.raises(ValueError, match="already has segments"):
        segment_document(doc)


def test_round_trip_through_to_dict():
    doc = segment_text("Tiêu đề\n(Dân trí) - Một câu. Ảnh: TTXVN\nHồng Anh/VOV.VN (biên dịch)")
    again = Document.from_dict(doc.to_dict())
    assert [(s.start, s.end, s.type, s.paragraph, s.sentence) for s in again] == [
        (s.start, s.end, s.type, s.paragraph, s.sentence) for s in doc
    ]
