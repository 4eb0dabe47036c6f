"""QA flags on translated segments: the sentences a post-editor should look at first.

`check_document` adds `Flag`s to each translated segment's `translation.flags`. Codes are stable
(CAT tools and reports filter on them):

- `number-mismatch`: a number in one language has no equal in the other (`11.000` = `11,000`,
  `3,5 triệu` = `3.5 million`; number words like `two` only ever vouch for a number).
- `date-mismatch`: a day/month/year differs (`27/3` = `March 27` = `27 March`,
  `tháng 2/2025` = `February 2025`).
- `percent-mismatch`: `3,5%` = `3.5%` = `3.5 percent`.
- `untranslated`: the target is empty, a copy of the source, or still Vietnamese; on templated
  and kept lines, Vietnamese words left that are no name (`(biên dịch)`, `Theo CNN`).
- `repetition`: a word or phrase repeated 3+ times in a row (a decoding loop).
- `length-ratio`: the target is far shorter or longer than the source.
- `unbalanced-quotes`, `unbalanced-brackets`: in the target but not in the source.
- `glossary`: a glossary term in the source without its required English term in the target.
- `entity-mismatch`: a Latin-script name of the source (`Trump`, `Halkett`) that the target lost
  or changed (`Twain`, `Chalkett`); see `vi2en.text.names`.

Running it twice replaces the flags it made, never duplicates them.
"""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from collections.abc import Iterable

from vi2en.doc import Document, Flag, SegmentType
from vi2en.errors import InputError
from vi2en.flags import LENGTH_RATIO_BOUNDS, MIN_CHARS_FOR_RATIO, MIN_REPEATS, Stage, codes
from vi2en.quantities import date_mismatches, number_mismatches, percent_mismatches
from vi2en.text.facts import VIETNAMESE_LETTER
from vi2en.text.names import names_missing

__all__ = [
    "CODES", "check_document", "check_pair", "date_mismatches", "load_glossary",
    "number_mismatches", "parse_glossary", "percent_mismatches", "repeated_phrase",
    "vietnamese_left",
]  # fmt: skip

# The codes QA sets and their thresholds, from the one table of flag codes (`vi2en.flags`).
CODES = codes(Stage.QA)
MIN_LENGTH_RATIO, MAX_LENGTH_RATIO = LENGTH_RATIO_BOUNDS
WORD = re.compile(r"\w+", re.UNICODE)
BRACKETS = {"(": ")", "[": "]", "{": "}"}
# `d"état`, `Dragons" Den`: a straight double quote typed where an apostrophe belongs
APOSTROPHE_QUOTE = re.compile(r'(?<=[^\W\d_])"(?=[^\W\d_])|(?<=s)"(?=\s+\w)')
# A single quote that opens (after a space, not an apostrophe: `O'Hagan`, `Beacon’s`) and one
# that closes (before a space or punctuation)
SINGLE_OPEN = re.compile(r"(?<![^\s(\[“\"—-])[‘'](?=\w)")
SINGLE_CLOSE = re.compile(r"(?<=\S)[’'](?!\w)")
# A lead's outlet prefix: `(Dân trí) -`, `VOV.VN -`, `TTO –` (outlet names keep lowercase words)
OUTLET_TAG = re.compile(r"\(?[^()\n]{1,30}\)?\s*[-–—]")
# Words that start a Vietnamese source line or credit, capitalised or not: never a name there
VIETNAMESE_PHRASE_WORDS = frozenset(["theo", "nguồn", "ảnh", "bài", "đồ", "tổng", "biên"])
# Words said over and over in speech (`No, no, no`)
INTERJECTIONS = frozenset(
    ["no", "yes", "oh", "ah", "ha", "hey", "go", "bye", "wow", "please", "very", "so", "well"]
)


def check_document(doc: Document, *, glossary: dict[str, str] | None = None) -> Document:
    """Flag suspicious translations in `doc` (in place) and return it.

    Args:
        doc: a translated document. Machine-translated segments get every check; templated and
            kept ones (credits, bylines, source lines) only `untranslated`, for Vietnamese
            words left that are not names (`Ảnh: Công an cung cấp`); skipped lines none.
        glossary: Vietnamese term -> required English term (see `load_glossary`).

    Returns:
        The same document, each translated segment's `translation.flags` updated.
    """
    for seg in doc.segments:
        tr = seg.translation
        if tr is None or seg.type is SegmentType.SKIPPED:
            continue
        tr.flags = [f for f in tr.flags if f.code not in CODES]
        if seg.translated and tr.method == "mt":
            tr.flags.extend(check_pair(seg.text, tr.text, glossary=glossary))
        else:
            left = vietnamese_left(tr.text)
            if left:
                tr.flags.append(Flag("untranslated", f"Vietnamese left in a {tr.method} line "
                                     f"that is no name: {', '.join(repr(w) for w in left)}"))
    return doc


def vietnamese_left(text: str) -> list[str]:
    """Vietnamese words in a templated or kept line that are not part of a name.

    Names are capitalised (`Hồng Anh`, `Công an` is not: `an` is lowercase), so what is left is
    a lowercase word with a Vietnamese letter (`(biên dịch)`, `cung cấp`) or a word that opens a
    Vietnamese phrase even when capitalised (`Theo CNN`, `Ảnh:`, `Nguồn:`).
    """
    if OUTLET_TAG.fullmatch(text.strip()):
        return []  # `(Dân trí) -`, `TTO -`: an outlet's name, kept as it is
    found = []
    for match in WORD.finditer(text):
        word = match.group(0)
        if word.casefold() in VIETNAMESE_PHRASE_WORDS or (
            word[:1].islower() and VIETNAMESE_LETTER.search(word)
        ):
            found.append(word)
    return found


def check_pair(
    source: str, target: str, *, glossary: dict[str, str] | None = None
) -> list[Flag]:
    """All QA flags for one source sentence and its translation."""
    flags: list[Flag] = []
    untranslated = _untranslated(source, target)
    if untranslated:
        return [Flag("untranslated", untranslated)]  # every other check would only add noise
    for code, problems in (
        ("date-mismatch", date_mismatches(source, target)),
        ("percent-mismatch", percent_mismatches(source, target)),
        ("number-mismatch", number_mismatches(source, target)),
    ):
        if problems:
            flags.append(Flag(code, "; ".join(problems)))
    lost = list(dict.fromkeys(names_missing(source, target)))
    if lost:
        flags.append(Flag("entity-mismatch", "source name(s) not in the target: "
                          + ", ".join(repr(name) for name in lost)))
    loop = _repetition(source, target)
    if loop:
        flags.append(Flag("repetition", f"{loop!r} repeated {MIN_REPEATS}+ times in a row"))
    ratio = len(target.strip()) / max(len(source.strip()), 1)
    if len(source.strip()) >= MIN_CHARS_FOR_RATIO and not (
        MIN_LENGTH_RATIO <= ratio <= MAX_LENGTH_RATIO
    ):
        flags.append(
            Flag("length-ratio", f"target is {ratio:.2f}x the source length in characters "
                 f"(expected {MIN_LENGTH_RATIO}-{MAX_LENGTH_RATIO})")
        )
    if _quote_flag(source, target):
        flags.append(Flag("unbalanced-quotes", "the target's quotation marks do not pair up"))
    if _brackets_unbalanced(target) and not _brackets_unbalanced(source):
        flags.append(Flag("unbalanced-brackets", "the target's brackets do not pair up"))
    for term, required in (glossary or {}).items():
        if _contains(source, term) and not _contains(target, required):
            flags.append(Flag("glossary", f"{term!r} must be translated as {required!r}"))
    return flags


def _untranslated(source: str, target: str) -> str | None:
    src, tgt = source.strip(), target.strip()
    if src and not tgt:
        return "the translation is empty"
    if not WORD.search(src):
        return None  # punctuation or symbols only: nothing to translate
    if src.casefold() == tgt.casefold() and (VIETNAMESE_LETTER.search(src) or len(src) > 20):
        return "the target is a copy of the source"
    words = WORD.findall(tgt)
    vietnamese = sum(1 for w in words if VIETNAMESE_LETTER.search(w))
    if words and vietnamese / len(words) > 0.5:
        return f"{vietnamese} of {len(words)} target words are Vietnamese"
    return None


def repeated_phrase(text: str, *, source: str = "") -> str | None:
    """The first word n-gram (n = 1..4) repeated MIN_REPEATS+ times in a row, else None (the
    `repetition` check; the repetition guard uses it too)."""
    return _repetition(source, text)


def _repetition(source: str, target: str) -> str | None:
    """The first word n-gram (n = 1..4) repeated MIN_REPEATS+ times in a row in the target, else
    None. `No, no, no` is speech, not a loop, unless it runs longer than the source's own
    repetition allows."""
    words = [w.casefold() for w in WORD.findall(target)]
    for n in range(1, 5):
        for start in range(len(words) - n * MIN_REPEATS + 1):
            gram = words[start : start + n]
            run = 1
            while words[start + run * n : start + (run + 1) * n] == gram:
                run += 1
            if run < MIN_REPEATS:
                continue
            if n == 1 and gram[0] in INTERJECTIONS and run <= _longest_run(source) + 2:
                continue
            return " ".join(gram)
    return None


def _longest_run(text: str) -> int:
    """The longest run of one word repeated in a row (`Không, không, không` -> 3)."""
    words = [w.casefold() for w in WORD.findall(text)]
    best = run = min(len(words), 1)
    for before, word in itertools.pairwise(words):
        run = run + 1 if word == before else 1
        best = max(best, run)
    return best


def _double_quotes_unbalanced(text: str) -> bool:
    if text.count('"') % 2 and len(APOSTROPHE_QUOTE.findall(text)) % 2 == 0:
        return True  # `d"état`, `Lakers" office`: a `"` typed for an apostrophe is no quote
    return text.count("“") != text.count("”")


def _single_quote_left_open(text: str) -> bool:
    """Whether a single quote opens (`‘Bờ biển`, `: 'Tôi`) and nothing closes it after."""
    opening = SINGLE_OPEN.search(text)
    return bool(opening) and not SINGLE_CLOSE.search(text, opening.end())


def _has_quotes(text: str) -> bool:
    return any(q in text for q in '"“”‘') or bool(SINGLE_OPEN.search(text))


def _quote_flag(source: str, target: str) -> bool:
    """Whether the target's quotes are broken in a way the source's are not."""
    if not _double_quotes_unbalanced(target):
        return False
    if _double_quotes_unbalanced(source) or _single_quote_left_open(source):
        return False  # the source's quotation runs on too (MT often turns `‘` into `"`)
    # one quote mark and none in the source: a quotation that runs on from (or into) the next
    # sentence, as human translations of multi-sentence quotes do
    marks = target.count('"') + target.count("“") + target.count("”")
    return not (marks == 1 and not _has_quotes(source))


def _brackets_unbalanced(text: str) -> bool:
    stack: list[str] = []
    for char in text:
        if char in BRACKETS:
            stack.append(BRACKETS[char])
        elif char in BRACKETS.values() and (not stack or stack.pop() != char):
            return True
    return bool(stack)


def _contains(text: str, term: str) -> bool:
    """Whether `term` occurs in `text` as whole words, ignoring case."""
    pattern = r"(?<!\w)" + re.escape(term.casefold()) + r"(?!\w)"
    return re.search(pattern, unicodedata.normalize("NFC", text).casefold()) is not None


def parse_glossary(lines: Iterable[str], *, name: str = "glossary") -> dict[str, str]:
    """Read `Vietnamese term<TAB>English term` lines; `#` comments and blank lines are skipped.

    Raises:
        InputError: a line without exactly two non-empty tab-separated fields, or a term given
            twice with different translations.
    """
    terms: dict[str, str] = {}
    for number, raw in enumerate(lines, start=1):
        line = unicodedata.normalize("NFC", raw.rstrip("\r\n"))
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != 2 or not all(fields):
            raise InputError(
                f"{name} line {number}: expected 'Vietnamese term<TAB>English term', got {line!r}"
            )
        source, target = fields
        if terms.get(source, target) != target:
            raise InputError(f"{name} line {number}: {source!r} is already mapped to "
                             f"{terms[source]!r}")
        terms[source] = target
    if not terms:
        raise InputError(f"{name} has no terms")
    return terms


def load_glossary(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a UTF-8 glossary file (see `parse_glossary`).

    Raises:
        InputError: missing, unreadable, not UTF-8, or malformed.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(f"cannot read glossary {os.fspath(path)!r}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"glossary {os.fspath(path)!r} is not UTF-8 text") from None
    return parse_glossary(text.splitlines(), name=f"glossary {os.fspath(path)!r}")
