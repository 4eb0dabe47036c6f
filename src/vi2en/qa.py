"""QA flags on translated segments: the sentences a post-editor should look at first.

`check_document` adds `Flag`s to each translated segment's `translation.flags`. Codes are stable
(CAT tools and reports filter on them):

- `number-mismatch`: a number in one language has no equal in the other (`11.000` = `11,000`,
  `3,5 triệu` = `3.5 million`; number words like `two` only ever vouch for a number).
- `date-mismatch`: a day/month/year differs (`27/3` = `March 27` = `27 March`,
  `tháng 2/2025` = `February 2025`).
- `percent-mismatch`: `3,5%` = `3.5%` = `3.5 percent`.
- `untranslated`: the target is empty, a copy of the source, or still Vietnamese.
- `repetition`: a word or phrase repeated 3+ times in a row (a decoding loop).
- `length-ratio`: the target is far shorter or longer than the source.
- `unbalanced-quotes`, `unbalanced-brackets`: in the target but not in the source.
- `glossary`: a glossary term in the source without its required English term in the target.

Running it twice replaces the flags it made, never duplicates them.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from vi2en.doc import Document, Flag
from vi2en.errors import InputError
from vi2en.flags import LENGTH_RATIO_BOUNDS, MIN_CHARS_FOR_RATIO, MIN_REPEATS, Stage, codes
from vi2en.text import facts
from vi2en.text.facts import VIETNAMESE_LETTER

# The codes QA sets and their thresholds, from the one table of flag codes (`vi2en.flags`).
CODES = codes(Stage.QA)
MIN_LENGTH_RATIO, MAX_LENGTH_RATIO = LENGTH_RATIO_BOUNDS
WORD = re.compile(r"\w+", re.UNICODE)
Date = tuple[int | None, int, int | None]  # (day, month, year)
BRACKETS = {"(": ")", "[": "]", "{": "}"}


def check_document(doc: Document, *, glossary: dict[str, str] | None = None) -> Document:
    """Flag suspicious translations in `doc` (in place) and return it.

    Args:
        doc: a translated document; segments without a translation, or whose text was kept or
            templated rather than translated, are left alone.
        glossary: Vietnamese term -> required English term (see `load_glossary`).

    Returns:
        The same document, each translated segment's `translation.flags` updated.
    """
    for seg in doc.segments:
        tr = seg.translation
        if tr is None or not seg.translated or tr.method != "mt":
            continue
        tr.flags = [f for f in tr.flags if f.code not in CODES]
        tr.flags.extend(check_pair(seg.text, tr.text, glossary=glossary))
    return doc


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
    loop = _repetition(target)
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
    if _quotes_unbalanced(target) and not _quotes_unbalanced(source):
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


def repeated_phrase(text: str) -> str | None:
    """The first word n-gram (n = 1..4) repeated MIN_REPEATS+ times in a row, else None (the
    `repetition` check; the repetition guard uses it too)."""
    return _repetition(text)


def _repetition(text: str) -> str | None:
    """The first word n-gram (n = 1..4) repeated MIN_REPEATS+ times in a row, else None."""
    words = [w.casefold() for w in WORD.findall(text)]
    for n in range(1, 5):
        for start in range(len(words) - n * MIN_REPEATS + 1):
            gram = words[start : start + n]
            if all(
                words[start + k * n : start + (k + 1) * n] == gram for k in range(1, MIN_REPEATS)
            ):
                return " ".join(gram)
    return None


def _quotes_unbalanced(text: str) -> bool:
    if text.count('"') % 2:
        return True
    return text.count("“") != text.count("”")


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


# ---------------------------------------------------------------------------------------------
# Numbers, dates and percentages, read by vi2en.text.facts (both conventions: MT sometimes copies
# the Vietnamese `11.000,5` instead of writing `11,000.5`).

_NUM = facts.NUMBER.pattern
VI_PERCENT = re.compile("(" + _NUM + r")\s*(?:%|phần\s+trăm)", re.I)
EN_PERCENT = re.compile("(" + _NUM + r")\s*(?:%|percent\b|per\s+cent\b)", re.I)
NUMBER = re.compile(_NUM + r"(?:\s+(\w+))?")  # with the word after it, for `3 triệu`
Values = set[Decimal]


def _split_source(text: str) -> tuple[list[Date], list[Values], list[Values], Values]:
    found, text = facts.vietnamese_dates(text)
    percents = [facts.number_readings(m.group(1), vietnamese_first=True)
                for m in VI_PERCENT.finditer(text)]
    text = VI_PERCENT.sub(" ", text)
    numbers = [_scaled(m, source=True) for m in NUMBER.finditer(text)]
    return [d.key for d in found], percents, numbers, facts.vietnamese_number_words(text)


def _split_target(text: str) -> tuple[list[Date], list[Values], list[Values], Values]:
    found, text = facts.english_dates(text)
    percents = [facts.number_readings(m.group(1)) for m in EN_PERCENT.finditer(text)]
    text = EN_PERCENT.sub(" ", text)
    numbers = [_scaled(m, source=False) for m in NUMBER.finditer(text)]
    return [d.key for d in found], percents, numbers, facts.english_number_words(text)


def _scaled(match: re.Match[str], *, source: bool) -> Values:
    """A number's readings, plus the scaled value when a scale word follows (`3 triệu`)."""
    token = match.group(0).split()[0]
    values = facts.number_readings(token, vietnamese_first=source)
    scale = (facts.VI_SCALES if source else facts.EN_SCALES).get((match.group(1) or "").casefold())
    return values | {v * scale for v in values} if scale else values


def _fmt(values: Values) -> str:
    return "/".join(facts.format_number(v) for v in sorted(values))


def date_mismatches(source: str, target: str) -> list[str]:
    """Dates in one language without an equal date in the other."""
    src_dates, tgt_dates = _split_source(source)[0], _split_target(target)[0]
    problems = [f"source date {d}/{m}{'/' + str(y) if y else ''} is not in the target"
                .replace("None/", "") for d, m, y in src_dates if (d, m, y) not in tgt_dates
                and (m, d, y) not in tgt_dates]
    problems += [f"target date {d}/{m}{'/' + str(y) if y else ''} is not in the source"
                 .replace("None/", "") for d, m, y in tgt_dates if (d, m, y) not in src_dates
                 and (m, d, y) not in src_dates]
    return problems


def percent_mismatches(source: str, target: str) -> list[str]:
    """Percentages in one language without an equal one in the other."""
    src, tgt = _split_source(source)[1], _split_target(target)[1]
    problems = [f"source {_fmt(v)}% is not in the target" for v in src
                if not any(v & t for t in tgt)]
    problems += [f"target {_fmt(v)}% is not in the source" for v in tgt
                 if not any(v & s for s in src)]
    return problems


def number_mismatches(source: str, target: str) -> list[str]:
    """Numbers in one language without an equal number (or number word) in the other."""
    _, _, src_nums, src_words = _split_source(source)
    _, _, tgt_nums, tgt_words = _split_target(target)
    problems = [f"source number {_fmt(v)} is not in the target" for v in src_nums
                if not (any(v & t for t in tgt_nums) or v & tgt_words)]
    problems += [f"target number {_fmt(v)} is not in the source" for v in tgt_nums
                 if not (any(v & s for s in src_nums) or v & src_words)]
    return problems
