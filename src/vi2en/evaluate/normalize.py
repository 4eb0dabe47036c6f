"""Evaluator-controlled normalisation, applied identically to hypotheses and references.

sacreBLEU's defaults apply no normalisation at all, and vi2en's default is the same, so scores
match the `sacrebleu` command line. An evaluator may opt into these steps; the report lists the
ones applied (`describe`), because they change the numbers:

- `moses`: undo Moses-style tokenisation (IWSLT'15 references): unescape `&apos;`, `&quot;`,
  `&amp;`, `&#91;`... and detokenise (`don 't` -> `don't`, `word ,` -> `word,`) with sacremoses'
  `MosesDetokenizer` (English rules).
- `nfc`: Unicode NFC (composed characters; NFD text scores lower in chrF and BLEU).
- `punct`: typographic punctuation to ASCII: curly quotes, dashes, `…`, and unusual spaces
  (one quote style alone turns BLEU 100 into 33.9, see ../shared/docs/vietnamese-text.md §3).

Steps always run in the order above, whatever order they were named in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from vi2en.errors import Vi2enError

STEPS = ("moses", "nfc", "punct")

STEP_DESCRIPTIONS = {
    "moses": "Moses unescape + detokenise (sacremoses MosesDetokenizer, lang=en)",
    "nfc": "Unicode NFC",
    "punct": "punctuation to ASCII: ‘’‚‛′ -> ', “”„‟″«» -> \", ‐‑‒–—―− -> -, … -> ..., "
    "NBSP and other spaces -> one space",
}

# Curly and angle quotes -> ASCII: `“modern warfare”` -> `"modern warfare"`.
SINGLE_QUOTES = "‘’‚‛′"
DOUBLE_QUOTES = "“”„‟″«»"
# Hyphen-like dashes and the minus sign -> ASCII hyphen: `2019–2020` -> `2019-2020`.
DASHES = "‐‑‒–—―−"
PUNCT_TABLE = str.maketrans(
    {
        **dict.fromkeys(SINGLE_QUOTES, "'"),
        **dict.fromkeys(DOUBLE_QUOTES, '"'),
        **dict.fromkeys(DASHES, "-"),
        "…": "...",
    }
)
# NBSP, narrow NBSP, thin/en/em spaces, ideographic space, tabs: `10\u00a0km` -> `10 km`.
ODD_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def parse_steps(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """Turn `"nfc,punct"` (or a list of names) into the ordered tuple of steps to apply.

    Raises:
        Vi2enError: an unknown step name (the message lists the valid ones).
    """
    if spec is None:
        return ()
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    wanted = {name.strip().lower() for name in names if name.strip()}
    wanted.discard("none")
    unknown = sorted(wanted - set(STEPS))
    if unknown:
        raise Vi2enError(
            f"unknown normalisation step {', '.join(unknown)}; choose from {', '.join(STEPS)}"
        )
    return tuple(step for step in STEPS if step in wanted)


def describe(steps: Sequence[str]) -> str:
    """One human line naming the steps, for reports (`none (sacreBLEU defaults)` if empty)."""
    if not steps:
        return "none (sacreBLEU defaults: text scored as read)"
    return "; ".join(STEP_DESCRIPTIONS[step] for step in steps)


def normalize_punctuation(line: str) -> str:
    """Map typographic quotes, dashes, ellipsis and odd spaces to plain ASCII."""
    return ODD_SPACES.sub(" ", line.translate(PUNCT_TABLE)).strip()


def _moses_detokenizer():  # -> sacremoses.MosesDetokenizer
    try:
        from sacremoses import MosesDetokenizer
    except ImportError:
        raise Vi2enError(
            "normalisation step 'moses' needs sacremoses: pip install sacremoses"
        ) from None
    return MosesDetokenizer(lang="en")


def normalize_lines(lines: Sequence[str], steps: Sequence[str]) -> list[str]:
    """Apply `steps` (from `parse_steps`) to every line; the line count never changes.

    Raises:
        Vi2enError: 'moses' was asked for and sacremoses is not installed.
    """
    out = list(lines)
    if "moses" in steps:
        detok = _moses_detokenizer()
        # MosesDetokenizer also unescapes &apos; &quot; &amp; &#91; &#93; &lt; &gt;.
        out = [detok.detokenize(line.split()) for line in out]
    if "nfc" in steps:
        out = [unicodedata.normalize("NFC", line) for line in out]
    if "punct" in steps:
        out = [normalize_punctuation(line) for line in out]
    return out
