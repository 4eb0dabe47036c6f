"""A small hand-segmented article for format tests, translated by the fake engine (so it
carries a signature, as every translated document does)."""

from __future__ import annotations

from tests.fake_engine import FakeEngine
from vi2en.doc import Document, SegmentType
from vi2en.translator import Translator

TEXT = (
    "Nga và Triều Tiên\n"
    "\n"
    "(Dân trí) - Hai nước ký hiệp ước.\tCâu thứ hai.\n"
    "Tổng thống phát biểu. Ảnh: Sputnik\n"
    "Hồng Anh/VOV.VN\n"
)
# (segment text, type, paragraph); located in TEXT in order.
SEGMENTS = [
    ("Nga và Triều Tiên", SegmentType.HEADING, 0),
    ("(Dân trí) -", SegmentType.SOURCE, 1),
    ("Hai nước ký hiệp ước.", SegmentType.LEAD, 1),
    ("Câu thứ hai.", SegmentType.LEAD, 1),
    ("Tổng thống phát biểu.", SegmentType.CAPTION, 2),
    ("Ảnh: Sputnik", SegmentType.CREDIT, 2),
    ("Hồng Anh/VOV.VN", SegmentType.BYLINE, 3),
]


def article(*, translate: bool = True) -> Document:
    doc = Document(text=TEXT)
    pos = 0
    for i, (text, seg_type, paragraph) in enumerate(SEGMENTS):
        start = TEXT.index(text, pos)
        doc.add_segment(start, start + len(text), seg_type, paragraph=paragraph, sentence=i)
        pos = start + len(text)
    doc.source = "article.txt"
    # QA off: these test the formats; a copy in capitals would draw `untranslated` everywhere.
    return Translator(engine=FakeEngine(), qa=False).translate_document(doc) if translate else doc
