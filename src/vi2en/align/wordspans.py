"""Words and pieces as character spans: the two sides word alignment links.

Vietnamese is written in syllables, so a source text is cut into syllables (whitespace tokens with
punctuation split off, `TP.HCM`, `27/3`, `11.000` kept whole); a pluggable `group` callable (for
example `underthesea.word_tokenize`) can merge syllables into multi-syllable words. English is cut
the same way into words and punctuation. Decoded target pieces get their spans in the final
translation text, even when the pipeline changed that text after decoding.

Offsets are code points.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence

from vi2en.engines.base import Piece
from vi2en.engines.spm import SPACE_MARK

Span = tuple[int, int]
Grouper = Callable[[str], Sequence[str]]


# One token: a run of word characters (combining marks included, for un-normalised input) that
# may contain inner `.,/:'’-` between word characters, or one punctuation character.
#   `Tổng thống Putin, ngày 27/3, tại TP.HCM: 11.000 người.`
#   -> Tổng | thống | Putin | , | ngày | 27/3 | , | tại | TP.HCM | : | 11.000 | người | .
WORD_TOKEN = re.compile(r"[\w\u0300-\u036f]+(?:[.,/:'’\-][\w\u0300-\u036f]+)*|[^\w\s]")
# A word with no letter or digit in it is punctuation.
CONTENT_CHAR = re.compile(r"\w")
# SentencePiece byte-fallback piece: `<0xE1>`.
BYTE_PIECE = re.compile(r"<0x([0-9A-Fa-f]{2})>")
UNK_PIECE = "<unk>"
UNK_SURFACE = " \u2047 "  # what SentencePiece's decoder writes for `<unk>`


def word_spans(text: str, *, group: Grouper | None = None) -> list[Span]:
    """Cut text into words and punctuation, as character spans.

    Without `group` every syllable (whitespace token, punctuation split off) is a word; this is
    also how the English side is cut. `group` merges Vietnamese syllables into lexical words: it
    takes the text and returns its words in order, the syllables of a word joined by spaces or
    `_` (`underthesea.word_tokenize` and `lambda t: pyvi.ViTokenizer.tokenize(t).split()` fit as
    they are). Only the boundaries it draws are used, matched on the non-space characters, so a
    grouper that rewrites tone marks (`hoà` -> `hòa`) still works; a syllable is never split.

    Args:
        text: the text to cut.
        group: optional word grouper, see above.

    Returns:
        `(start, end)` spans in text order, non-overlapping, never empty.

    Raises:
        ValueError: when the grouper's words do not spell the same characters as `text`.
    """
    spans = [m.span() for m in WORD_TOKEN.finditer(text)]
    if group is None or not spans:
        return spans
    return _merge_groups(text, spans, group(text))


def _merge_groups(text: str, spans: list[Span], words: Sequence[str]) -> list[Span]:
    # Ordinal of every non-space character of `text`, counted the way the grouper's words are.
    ordinal, count = [0] * (len(text) + 1), 0
    for i, ch in enumerate(text):
        ordinal[i] = count
        if not (ch.isspace() or ch == "_"):
            count += 1
    bounds, total = [], 0
    for word in words:
        total += sum(1 for ch in word if not (ch.isspace() or ch == "_"))
        bounds.append(total)
    if total != count:
        raise ValueError(
            f"word_spans: the grouper returned {total} non-space characters for a text of {count};"
            " it must return the text's own words in order"
        )
    merged: list[Span] = []
    last_group, word_index = -1, 0
    for start, end in spans:
        while word_index < len(bounds) and bounds[word_index] <= ordinal[start]:
            word_index += 1
        if word_index == last_group:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
            last_group = word_index
    return merged


def is_punctuation(word: str) -> bool:
    """Whether a word has no letter or digit (`.`, `“`, `--`)."""
    return CONTENT_CHAR.search(word) is None


def target_pieces(pieces: Sequence[str], text: str) -> list[Piece]:
    """Character spans of decoded target pieces in the translation text.

    Spans are built by decoding the pieces the way SentencePiece does (`▁` starts a word, byte
    pieces join into characters, `<unk>` becomes ` ⁇ `). When `text` is exactly that decoding the
    spans are used as built; otherwise (the pipeline re-attached a prefix, normalised quotes) the
    decoding is aligned to `text` character by character and the spans are carried over.

    Args:
        pieces: the hypothesis' pieces, `</s>` excluded.
        text: the translation text the spans must point into.

    Returns:
        One `Piece` per input piece; a piece that produced no visible character has an empty span.
    """
    out: list[tuple[str, int, int]] = []
    decoded = ""
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if BYTE_PIECE.fullmatch(piece):
            j, raw = i, bytearray()
            while j < len(pieces) and (m := BYTE_PIECE.fullmatch(pieces[j])):
                raw.append(int(m.group(1), 16))
                j += 1
            start = len(decoded)
            decoded += raw.decode("utf-8", errors="replace")
            out.extend((pieces[k], start, len(decoded)) for k in range(i, j))
            i = j
            continue
        surface = UNK_SURFACE if piece == UNK_PIECE else piece.replace(SPACE_MARK, " ")
        stripped = surface.strip(" ")
        start = len(decoded) + (surface.find(stripped) if stripped else len(surface))
        out.append((piece, start, start + len(stripped)))
        decoded += surface
        i += 1
    # SentencePiece drops the whitespace its dummy prefix put at the start.
    lead = len(decoded) - len(decoded.lstrip(" "))
    decoded = decoded[lead:]
    out = [(p, max(s - lead, 0), max(e - lead, 0)) for p, s, e in out]
    if decoded == text:
        return [Piece(p, s, e) for p, s, e in out]
    char_map = _char_map(decoded, text)
    result = []
    for piece, start, end in out:
        hits = [char_map[k] for k in range(start, end) if char_map[k] >= 0]
        result.append(Piece(piece, hits[0], hits[-1] + 1) if hits else Piece(piece, 0, 0))
    return result


def _char_map(old: str, new: str) -> list[int]:
    """For each character of `old`, its index in `new`, or -1 where the texts differ."""
    # Differences are usually local (a prefix re-attached, a quote normalised): match the common
    # head and tail directly and leave only the middle to difflib, which is quadratic at worst.
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    mapping = list(range(head)) + [-1] * (len(old) - head - tail)
    mapping += list(range(len(new) - tail, len(new)))
    old_mid, new_mid = old[head:len(old) - tail], new[head:len(new) - tail]
    if old_mid and new_mid:
        matcher = difflib.SequenceMatcher(None, old_mid, new_mid, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                mapping[head + a + k] = head + b + k
    return mapping
