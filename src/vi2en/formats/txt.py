"""Plain text: the English article with the source's paragraph and line structure.

Segments are replaced by their translations; the text between segments (spaces, line breaks,
blank lines) is kept exactly as in the source, so paragraphs and lines stay where they were.
"""

from __future__ import annotations

from vi2en.doc import Document
from vi2en.errors import FormatError


def render(doc: Document) -> str:
    """The translated article as text, ending with a newline.

    Raises:
        FormatError: a segment has no translation yet.
    """
    gaps = doc.gaps()
    out = [gaps[0]]
    for seg, gap in zip(doc.segments, gaps[1:], strict=True):
        if seg.translation is None:
            raise FormatError(
                f"segment {seg.index} has no translation; translate the document first"
            )
        out.append(seg.translation.text)
        out.append(gap)
    text = "".join(out)
    return text if text.endswith("\n") or not text else text + "\n"
