"""The data model: spans into one text, translations and links that survive a round trip."""

from __future__ import annotations

import json

import pytest

from vi2en.doc import Document, Flag, SegmentType, Translation, WordLink


def make_doc() -> Document:
    doc = Document(text="Tiêu đề\nCâu một. Câu hai.\nẢnh: AP")
    doc.add_segment(0, 7, SegmentType.HEADING, paragraph=0, sentence=0)
    doc.add_segment(8, 16, SegmentType.BODY, paragraph=1, sentence=0)
    doc.add_segment(17, 25, SegmentType.BODY, paragraph=1, sentence=1)
    doc.add_segment(26, 33, SegmentType.CREDIT, paragraph=2, sentence=0)
    return doc


def test_segment_text_is_a_view_of_the_document():
    doc = make_doc()
    assert [seg.text for seg in doc] == ["Tiêu đề", "Câu một.", "Câu hai.", "Ảnh: AP"]
    assert all(doc.text[seg.start : seg.end] == seg.text for seg in doc)
    assert [seg.index for seg in doc] == [0, 1, 2, 3]
    assert [seg.translated for seg in doc] == [True, True, True, False]


def test_gaps_and_segments_rebuild_the_text():
    doc = make_doc()
    gaps = doc.gaps()
    rebuilt = "".join(g + s.text for g, s in zip(gaps, doc, strict=False)) + gaps[-1]
    assert rebuilt == doc.text
    assert [[s.index for s in p] for p in doc.paragraphs()] == [[0], [1, 2], [3]]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(5, 5, "bad span"), (-1, 3, "bad span"), (0, 99, "bad span"), (20, 24, "overlaps")],
)
def test_add_segment_refuses_bad_spans(start, end, message):
    doc = make_doc()
    with pytest.raises(ValueError, match=message):
        doc.add_segment(start, end, SegmentType.BODY, paragraph=9, sentence=0)


def test_round_trip_through_json_keeps_translations_links_and_flags():
    doc = make_doc()
    doc.changes.append("removed zero-width characters (1)")
    doc.source, doc.segmenter = "a.txt", "vi2en-rules-1"
    doc.segments[1].translation = Translation(
        text="Sentence one.",
        score=-0.25,
        flags=[Flag("length-ratio", "short")],
        links=[WordLink(0, 0, 8, 11, 0, 8)],
    )
    doc.segments[3].translation = Translation(text="Photo: AP", method="template")
    again = Document.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert again.to_dict() == doc.to_dict()
    assert again.segments[1].translation.links[0].src_end == 11
    assert again.segments[3].type is SegmentType.CREDIT
