"""A hand-made translated Document for the post-editing tests (no model needed)."""

from __future__ import annotations

from vi2en.doc import Document, Flag, SegmentType, Translation, WordLink

HEADING = "Giá xăng tăng 3,5% từ ngày 27/3"
BODY_1 = "Hà Nội đón 11.000 khách trong tháng 2/2025."
BODY_2 = "Ông Kim đến Bình Nhưỡng."
CREDIT = "Ảnh: TTXVN"
BYLINE = "Hồng Anh/VOV.VN"
RELATED = "Tin liên quan"
TEXT = f"{HEADING}\n\n{BODY_1} {BODY_2}\n\n{CREDIT}\n\n{BYLINE}\n\n{RELATED}"

TARGETS = {
    HEADING: "Petrol prices rise 3.5% from March 27",
    BODY_1: "Hanoi welcomed 11,000 visitors in February 2025.",
    BODY_2: "Mr Kim arrived in Pyongyang.",
}
# (source word, target word) pairs of the heading's word alignment.
HEADING_LINKS = [("Giá", "prices"), ("xăng", "Petrol"), ("tăng", "rise"), ("27/3", "March")]


def _links(src: str, src_offset: int, tgt: str, pairs: list[tuple[str, str]]) -> list[WordLink]:
    src_words, tgt_words = src.split(), tgt.split()
    links = []
    for s_word, t_word in pairs:
        s_i, t_i = src_words.index(s_word), tgt_words.index(t_word)
        s_start = src.index(s_word)
        t_start = tgt.index(t_word)
        links.append(WordLink(s_i, t_i, src_offset + s_start, src_offset + s_start + len(s_word),
                              t_start, t_start + len(t_word)))
    return links


def make_document(*, targets: dict[str, str] | None = None, text: str = TEXT) -> Document:
    """Heading, two body sentences, a templated credit, a kept byline, an untranslated line."""
    targets = {**TARGETS, **(targets or {})}
    doc = Document(text)
    layout = [
        (HEADING, SegmentType.HEADING, 0, 0),
        (BODY_1, SegmentType.BODY, 1, 0),
        (BODY_2, SegmentType.BODY, 1, 1),
        (CREDIT, SegmentType.CREDIT, 2, 0),
        (BYLINE, SegmentType.BYLINE, 3, 0),
        (RELATED, SegmentType.SKIPPED, 4, 0),
    ]
    pos = 0
    for sentence, seg_type, paragraph, number in layout:
        start = text.index(sentence, pos)
        seg = doc.add_segment(start, start + len(sentence), seg_type, paragraph=paragraph,
                              sentence=number)
        pos = seg.end
        if sentence in targets:
            seg.translation = Translation(targets[sentence], method="mt", score=-0.3)
        elif seg_type is SegmentType.CREDIT:
            seg.translation = Translation("Photo: VNA", method="template")
        elif seg_type is SegmentType.BYLINE:
            seg.translation = Translation(sentence, method="copy")
    heading = doc.segments[0]
    heading.translation.links = _links(HEADING, heading.start, heading.translation.text,
                                       HEADING_LINKS)
    heading.translation.flags.append(Flag("split-clause", "split at clause boundaries"))
    return doc
