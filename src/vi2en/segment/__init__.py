"""News-aware sentence segmentation of Vietnamese text into typed, offset-exact segments.

Lines come first: a line (paragraph) is never merged with the next, and every non-empty line
gives at least one segment. Within a line, sentences end at `.?!…` under the rules in
`segment.rules`; `segment.layout` types each piece (heading, lead, body, caption, credit,
byline, source, skipped).

    >>> doc = segment_text("Mỹ và Hàn Quốc lo sốt vó\\nÔng đến TP. HCM hôm qua. Trời mưa.")
    >>> [seg.type.value for seg in doc], doc.segments[1].text
    (['heading', 'lead', 'lead'], 'Ông đến TP. HCM hôm qua.')
"""

from __future__ import annotations

from vi2en.doc import Document
from vi2en.segment.layout import plan_lines
from vi2en.segment.splitter import line_spans, sentence_spans

# Bumped whenever a rule changes what the segmenter outputs (recorded in doc.segmenter).
RULES_VERSION = "2"

__all__ = ["RULES_VERSION", "line_spans", "segment_document", "segment_text", "sentence_spans"]


def segment_document(doc: Document) -> Document:
    """Fill `doc.segments` with typed sentence spans of `doc.text`.

    `doc.text` must already be normalized (NFC, cleaned); offsets index it directly.
    Paragraph index = index of the non-empty line; sentence index counts the segments
    within that paragraph (an outlet prefix or a credit counts as one).

    Args:
        doc: A document with no segments yet.

    Returns:
        The same document, segmented (`doc.segmenter` records the rules version).

    Raises:
        ValueError: If the document already has segments (they may carry translations).
    """
    if doc.segments:
        raise ValueError("segment_document: document already has segments; use a fresh Document")
    for paragraph, line in enumerate(plan_lines(doc.text, line_spans(doc.text))):
        for sentence, (start, end, seg_type) in enumerate(line.pieces):
            doc.add_segment(start, end, seg_type, paragraph=paragraph, sentence=sentence)
    doc.segmenter = f"vi2en-rules-{RULES_VERSION}"
    return doc


def segment_text(text: str) -> Document:
    """Segment a normalized string into a new `Document`.

    Args:
        text: Normalized (NFC, cleaned) article text.

    Returns:
        A `Document` owning `text`, with its segments filled.
    """
    return segment_document(Document(text=text))
