"""Ingest normalization: the text every later offset counts in.

NFC always (Windows-1258 and Unikey's "Unicode tổ hợp" give composite text that SentencePiece
turns into `<unk>`, and NFD breaks metrics: vietnamese-text.md §2.2), zero-width characters
removed, odd whitespace folded to a plain space, line breaks kept (they carry the article's
structure: headlines, captions, bylines).
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters pasted from web pages and MT interfaces (NTREX has 23 U+200B).
ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")
# Line separators other than \n: CRLF, CR, NEL, LS, PS, VT, FF -> \n.
LINE_BREAKS = re.compile("\r\n|[\r\u0085\u2028\u2029\x0b\x0c]")
# Horizontal whitespace that is not a plain space: tab, NBSP, en/em/thin spaces, ideographic.
ODD_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Other control characters carry nothing a reader sees.
CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# `a   b` -> `a b`; then single spaces at either end of a line are dropped (see clean_text).
SPACE_RUNS = re.compile(" {2,}")


def clean_text(text: str) -> tuple[str, list[str]]:
    """Normalize decoded text for segmentation and translation.

    Args:
        text: decoded text, any normalization form.

    Returns:
        The cleaned text and a list of human-readable changes made (empty when none).
    """
    changes: list[str] = []

    def apply(pattern: re.Pattern[str], repl: str, what: str, value: str) -> str:
        new, count = pattern.subn(repl, value)
        if count:
            changes.append(f"{what} ({count})")
        return new

    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        marks = sum(1 for ch in text if unicodedata.combining(ch))
        changes.append(f"normalized to NFC ({marks} combining marks in the input)")
    text = apply(ZERO_WIDTH, "", "removed zero-width characters", nfc)
    text = apply(LINE_BREAKS, "\n", "unified line breaks to \\n", text)
    text = apply(ODD_SPACES, " ", "folded tabs and odd spaces to plain spaces", text)
    text = apply(CONTROLS, " ", "replaced control characters with spaces", text)
    text = apply(SPACE_RUNS, " ", "collapsed runs of spaces", text)
    # After SPACE_RUNS a line edge holds at most one space; str.replace beats a regex here.
    edges = text.count(" \n") + text.count("\n ") + text.startswith(" ") + text.endswith(" ")
    if edges:
        text = text.replace(" \n", "\n").replace("\n ", "\n").strip(" ")
        changes.append(f"trimmed spaces at line ends ({edges})")
    return text, changes
