"""Model input as OPUS-MT saw it in training, with a map back to the original text.

OPUS-MT models were trained on text run through `scripts/preprocess-spm.sh` (OPUS-MT-train):
curly quotes, `…` and fullwidth punctuation folded to ASCII, control and format characters turned
into spaces, zero-width characters deleted, whitespace squeezed. `MarianTokenizer` does none of
this, so vi2en does it here (see ../shared/docs/vietnamese-text.md §2.1). Every prepared character
remembers the span of the original text it came from, so pieces and word links computed on the
prepared text map back to `doc.text` offsets.

This module also finds clause boundaries, where an over-long segment may be split (§5).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Bumped whenever preparation changes what the model is sent (recorded in the signature).
PREP_VERSION = "1"

# One original character -> its replacement (possibly empty or several characters).
# From preprocess-spm.sh, plus the other typographic quotes that never occur in its training data.
REPLACEMENTS: dict[str, str] = {
    "”": '"',
    "“": '"',
    "„": '"',
    "‟": '"',
    "″": '"',  # double quotes -> "
    "’": "'",
    "‘": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",  # single quotes -> '
    "《": '"',
    "》": '"',
    "「": '"',
    "」": '"',  # CJK quotes -> "
    "…": "...",
    "。": ". ",
    "．": ". ",
    "、": ",",
    "∶": ":",
    "━": "-",  # `。 *` -> `. ` in the script
    "〈": "<",
    "〉": ">",
    "【": "[",
    "】": "]",
}
# Fullwidth ASCII block U+FF01..U+FF5E -> U+0021..U+007E (！ -> !, ０ -> 0, ％ -> %).
REPLACEMENTS.update({chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)})
REPLACEMENTS["．"] = ". "
REPLACEMENTS["\u3000"] = " "  # ideographic space

# Deleted outright (the script deletes them rather than turning them into spaces):
# zero-width space, word joiner, BOM / zero-width no-break space.
DELETED = frozenset("\u200b\u2060\ufeff")

# Vietnamese conjunctions that may open a clause after a comma (`, nhưng ...` -> split before it).
CONJUNCTIONS = (
    "tuy nhiên",
    "trong khi",
    "bởi vì",
    "vì vậy",
    "do đó",
    "sau đó",
    "nhưng",
    "và",
    "còn",
    "vì",
    "nên",
    "song",
    "để",
    "mà",
    "do",
    "nếu",
    "khi",
    "hoặc",
    "hay",
    "rồi",
    "thì",
    "tuy",
)
# Clause boundaries: the cut is at the end of group 1; what follows (after spaces) starts a part.
#   `a; b` -> `a;` | `b`     `a: b` -> `a:` | `b`     `a – b` -> `a –` | `b`
#   `a, nhưng b` -> `a,` | `nhưng b`   (`,` alone is not a boundary: lists, numbers)
CLAUSE_BOUNDARY = re.compile(
    r"([;:]|\s[–—-])\s+(?=\S)"
    r"|(,)\s+(?=(?:" + "|".join(CONJUNCTIONS) + r")(?![\w]))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PreparedText:
    """Model input text plus, for each of its characters, the original span it came from.

    `spans[i]` is the `(start, end)` span in the original text of prepared character `i`; spans
    are monotone (starts and ends never decrease) and lie within the original.
    """

    text: str
    spans: tuple[tuple[int, int], ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covered by prepared characters `start:end` (non-empty)."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"PreparedText: bad span {start}:{end} of {len(self.text)}")
        return self.spans[start][0], self.spans[end - 1][1]


def _clusters(text: str) -> list[tuple[int, int]]:
    """Spans of a starter character plus its following combining marks (NFC works per cluster)."""
    out: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        if out and unicodedata.combining(char):
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def prepare(text: str) -> PreparedText:
    """Turn segment text into the model's input, the way OPUS-MT's preprocessing did.

    NFC; curly quotes, `…`, fullwidth and CJK punctuation to ASCII; U+200B, U+2060 and U+FEFF
    deleted; other control and format characters (and line breaks) to spaces; runs of whitespace
    squeezed to one space; leading and trailing whitespace removed.

    Args:
        text: original text (normally a segment's text, already NFC).

    Returns:
        The prepared text with its offset map back into `text`.
    """
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for start, end in _clusters(text):
        for char in unicodedata.normalize("NFC", text[start:end]):
            if char in DELETED:
                continue
            out = REPLACEMENTS.get(char, char)
            if unicodedata.category(char)[0] == "C":
                out = " "  # \p{C} -> space, as the script does
            for piece in out:
                if piece.isspace():
                    if not chars or chars[-1] == " ":
                        if chars:  # widen the squeezed space over the whole run
                            spans[-1] = (spans[-1][0], end)
                        continue
                    piece = " "
                chars.append(piece)
                spans.append((start, end))
    if chars and chars[-1] == " ":
        chars.pop()
        spans.pop()
    return PreparedText(text="".join(chars), spans=tuple(spans))


def clause_cuts(text: str) -> list[tuple[int, int]]:
    """Where `text` may be split into clauses: `(end of left part, start of right part)` pairs.

    A boundary is `;`, `:`, a spaced dash (` – `, ` - `, ` — `), or a comma before a Vietnamese
    conjunction (`, nhưng`, `, và`, `, trong khi` ...). Both parts are non-empty.
    """
    cuts = []
    for match in CLAUSE_BOUNDARY.finditer(text):
        group = 1 if match.group(1) is not None else 2
        left = match.end(group)
        if text[:left].strip() and text[match.end() :].strip():
            cuts.append((left, match.end()))
    return cuts
