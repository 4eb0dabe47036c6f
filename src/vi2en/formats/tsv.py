"""Tab-separated source/target pairs, one line per segment, no header line.

Tabs, line breaks and backslashes inside a text are escaped as `\\t`, `\\n`, `\\r` and `\\\\`,
so every line has exactly two columns. Untranslated segments have an empty target.
"""

from __future__ import annotations

from vi2en.doc import Document

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def escape(text: str) -> str:
    """Escape a cell: `a<TAB>b` -> `a\\tb`."""
    return text.translate(_ESCAPES)


def render(doc: Document) -> str:
    """Source and target columns, one row per segment in document order."""
    rows = []
    for seg in doc.segments:
        target = "" if seg.translation is None else seg.translation.text
        rows.append(f"{escape(seg.text)}\t{escape(target)}\n")
    return "".join(rows)
