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

from vi2en.doc import Document, Flag
from vi2en.errors import InputError

CODES = (
    "number-mismatch", "date-mismatch", "percent-mismatch", "untranslated", "repetition",
    "length-ratio", "unbalanced-quotes", "unbalanced-brackets", "glossary",
)  # fmt: skip

# Target/source length in characters outside this range is an outlier (vi->en news is ~0.8-1.4).
MIN_LENGTH_RATIO = 0.5
MAX_LENGTH_RATIO = 2.2
MIN_CHARS_FOR_RATIO = 20  # short lines (`Hà Nội`) vary too much to judge
MIN_REPEATS = 3
# Letters Vietnamese writes and English does not: ă â đ ê ô ơ ư, the tone-marked vowels of
# U+1EA0-U+1EF9 and those in Latin-1 (`à á ã è é ì í ò ó õ ù ú ý`).
VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáãèéìíòóõùúýÀÁÃÈÉÌÍÒÓÕÙÚÝ\u1ea0-\u1ef9]")
WORD = re.compile(r"\w+", re.UNICODE)
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
# Numbers, dates and percentages. Vietnamese writes `11.000,5`, English `11,000.5`; MT sometimes
# copies the Vietnamese form, so target numbers are also read the Vietnamese way.

MONTHS = {
    name: number
    for number, names in enumerate(
        [("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"),
         ("May",), ("June", "Jun"), ("July", "Jul"), ("August", "Aug"),
         ("September", "Sept", "Sep"), ("October", "Oct"), ("November", "Nov"),
         ("December", "Dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_ORD = r"(?:st|nd|rd|th)?"
_NUM = r"\d+(?:[.,]\d+)*"
Date = tuple[int | None, int, int | None]  # (day, month, year)

# `ngày 27 tháng 3 năm 2025`
VI_FULL_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?", re.I)
# `27/3`, `27/3/2025` (day first)
SLASH_DATE = re.compile(r"(?<![\d/.,])(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])")
# `tháng 2/2025`, `tháng 2 năm 2025`, `tháng 2` (the month alone)
VI_MONTH_DATE = re.compile(r"tháng\s+(\d{1,2})(?:\s*/\s*(\d{4})|\s+năm\s+(\d{4}))?(?![\d/])", re.I)
# `March 27`, `March 27th, 2025`
EN_MONTH_DAY = re.compile(_MONTH + r"\s+(\d{1,2})" + _ORD + r"(?!\d)(?:,?\s+(\d{4}))?")
# `27 March`, `27th of March 2025`
EN_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH
                          + r"(?:,?\s+(\d{4}))?")
# `February 2025`, `March` (the month alone; capitalized, so the verb `may` is not a month)
EN_MONTH_YEAR = re.compile(_MONTH + r"(?:,?\s+(?:of\s+)?(\d{4}))?")
VI_WEEKDAY = re.compile(r"thứ\s+[2-7](?!\d)", re.I)  # `thứ 2` is Monday, not a number
VI_PERCENT = re.compile(r"(?<![\d.,])(" + _NUM + r")\s*(?:%|phần\s+trăm)", re.I)
EN_PERCENT = re.compile(r"(?<![\d.,])(" + _NUM + r")\s*(?:%|percent\b|per\s+cent\b)", re.I)
NUMBER = re.compile(r"(?<![\d.,])" + _NUM + r"(?:\s+(\w+))?")
VI_SCALE = {"nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
EN_SCALE = {"thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
EN_WORDS: dict[str, float] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20,
}  # fmt: skip
EN_WORDS.update(thirty=30, forty=40, fifty=50, hundred=100, dozen=12, half=0.5)
VI_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
            "mười": 10, "trăm": 100}  # `năm` (five) is left out: it also means "year"


def _read_number(token: str, *, vietnamese: bool) -> float | None:
    """Read `token` with Vietnamese (`.` thousands, `,` decimal) or English conventions."""
    thousands, decimal = (".", ",") if vietnamese else (",", ".")
    whole, _, frac = token.partition(decimal)
    if decimal in frac:
        return None
    groups = whole.split(thousands)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    if thousands in frac:
        return None
    return float("".join(groups) + ("." + frac if frac else ""))


def _values(token: str, *, source: bool) -> set[float]:
    """Readings of a number token: Vietnamese first in the source, both in the target."""
    readings = [True] if source else [False, True]
    values = {v for vi in readings if (v := _read_number(token, vietnamese=vi)) is not None}
    if source and not values:  # `3.5` in a Vietnamese text: an English-style decimal
        values = {v for v in [_read_number(token, vietnamese=False)] if v is not None}
    return values


def _dates(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> tuple[list[Date], str]:
    """Dates found by `patterns` (each with its group order), and `text` with them blanked."""
    found: list[Date] = []
    for pattern, order in patterns:
        def take(match: re.Match[str], order: str = order) -> str:
            groups = dict(zip(order, match.groups(), strict=True))
            month = groups.get("m")
            month_n = MONTHS[month] if month in MONTHS else int(month)
            day = int(groups["d"]) if groups.get("d") else None
            year_text = groups.get("y") or groups.get("Y")
            if not 1 <= month_n <= 12 or (day is not None and not 1 <= day <= 31):
                return match.group(0)
            found.append((day, month_n, int(year_text) if year_text else None))
            return " " * len(match.group(0))

        text = pattern.sub(take, text)
    return found, text


def _split_source(text: str) -> tuple[list[Date], list[set[float]], list[set[float]], set[float]]:
    dates, text = _dates(text, [(VI_FULL_DATE, "dmy"), (SLASH_DATE, "dmy"),
                                (VI_MONTH_DATE, "myY")])
    text = VI_WEEKDAY.sub(" ", text)
    percents = [_values(m.group(1), source=True) for m in VI_PERCENT.finditer(text)]
    text = VI_PERCENT.sub(" ", text)
    numbers = [_scaled(m, source=True) for m in NUMBER.finditer(text)]
    words = {VI_WORDS[w] for w in WORD.findall(text.casefold()) if w in VI_WORDS}
    return dates, percents, numbers, words


def _split_target(text: str) -> tuple[list[Date], list[set[float]], list[set[float]], set[float]]:
    dates, text = _dates(text, [(EN_MONTH_DAY, "mdy"), (EN_DAY_MONTH, "dmy"),
                                (EN_MONTH_YEAR, "my"), (SLASH_DATE, "dmy")])
    percents = [_values(m.group(1), source=False) for m in EN_PERCENT.finditer(text)]
    text = EN_PERCENT.sub(" ", text)
    numbers = [_scaled(m, source=False) for m in NUMBER.finditer(text)]
    words = {EN_WORDS[w] for w in WORD.findall(text.casefold()) if w in EN_WORDS}
    return dates, percents, numbers, words


def _scaled(match: re.Match[str], *, source: bool) -> set[float]:
    """A number's readings, plus the scaled value when a scale word follows (`3 triệu`)."""
    token = match.group(0).split()[0]
    values = _values(token, source=source)
    scale = (VI_SCALE if source else EN_SCALE).get((match.group(1) or "").casefold())
    return values | {v * scale for v in values} if scale else values


def _fmt(values: set[float]) -> str:
    return "/".join(f"{v:g}" for v in sorted(values))


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
