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
from dataclasses import dataclass
from decimal import Decimal

from vi2en.doc import Document, Flag, SegmentType
from vi2en.errors import InputError
from vi2en.flags import LENGTH_RATIO_BOUNDS, MIN_CHARS_FOR_RATIO, MIN_REPEATS, Stage, codes
from vi2en.text import facts
from vi2en.text.facts import VIETNAMESE_LETTER
from vi2en.text.names import names_missing

# The codes QA sets and their thresholds, from the one table of flag codes (`vi2en.flags`).
CODES = codes(Stage.QA)
MIN_LENGTH_RATIO, MAX_LENGTH_RATIO = LENGTH_RATIO_BOUNDS
WORD = re.compile(r"\w+", re.UNICODE)
Date = tuple[int | None, int, int | None]  # (day, month, year)
BRACKETS = {"(": ")", "[": "]", "{": "}"}
# `d"état`, `Dragons" Den`: a straight double quote typed where an apostrophe belongs
APOSTROPHE_QUOTE = re.compile(r'(?<=[^\W\d_])"(?=[^\W\d_])|(?<=s)"(?=\s+\w)')
# A single quote that opens (after a space, not an apostrophe: `O'Hagan`, `Beacon’s`) and one
# that closes (before a space or punctuation)
SINGLE_OPEN = re.compile(r"(?<![^\s(\[“\"—-])[‘'](?=\w)")
SINGLE_CLOSE = re.compile(r"(?<=\S)[’'](?!\w)")
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


# ---------------------------------------------------------------------------------------------
# Numbers, dates and percentages, read by vi2en.text.facts (both conventions: MT sometimes copies
# the Vietnamese `11.000,5` instead of writing `11,000.5`).

_NUM = facts.NUMBER.pattern
VI_PERCENT = re.compile(
    "(" + _NUM + "|" + facts.VI_NUMBER_IN_WORDS + r")\s*(?:%|(?i:phần\s+trăm))"
)
EN_PERCENT = re.compile(
    "(" + facts.EN_NUMBER_OR_WORD + r")\s*-?\s*(?:%|percent(?:age\s+points?)?\b|per\s+cent\b"
    r"|percentage\s+points?\b)",
    re.I,
)
# A number with what follows it: a scale word (`3 triệu`, `2.1 billion`) or a unit (`50km`,
# `18 feet`, `300 km/h`); looked at, not consumed, so `0800 555 111` is three numbers.
NUMBER = re.compile(_NUM + r"(?=[-\s]?(?P<next>[^\W\d_]+(?:/[^\W\d_]+)?)?)")
# Units of one dimension with their size in a base unit, for conversions the MT or a human
# translator adds or makes (`30 mét` = `100 feet`, `800 kph` = `497 mph`).
UNITS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(("km", "kilometer", "kilometers", "kilometre", "kilometres", "cây số"),
                    ("length", 1000.0)),
    **dict.fromkeys(("m", "mét", "meter", "meters", "metre", "metres"), ("length", 1.0)),
    **dict.fromkeys(("cm", "centimeter", "centimeters", "centimetre", "centimetres"),
                    ("length", 0.01)),
    **dict.fromkeys(("feet", "foot", "ft"), ("length", 0.3048)),
    **dict.fromkeys(("inch", "inches"), ("length", 0.0254)),
    **dict.fromkeys(("mile", "miles", "mi", "dặm"), ("length", 1609.344)),
    **dict.fromkeys(("kg", "kilogram", "kilograms", "kilôgam", "ký"), ("mass", 1.0)),
    **dict.fromkeys(("pound", "pounds", "lb", "lbs"), ("mass", 0.4536)),
    **dict.fromkeys(("km/h", "kph", "km/giờ"), ("speed", 1.0)),
    **dict.fromkeys(("mph", "dặm/giờ"), ("speed", 1.609344)),
}  # fmt: skip
# `Q.8` (quận 8, District 8), `P.12`, `F.5`, `TX.2`: a number after an abbreviation's dot
VI_ADMIN_NUMBER = re.compile(r"(?<![\w.])(?:Q|P|F|H|TX|TT|TP|KP)\.\s?(\d+)(?!\d|[.,]\d)")
CONVERSION_TOLERANCE = 0.1  # `300 km (190 miles)` is 186 miles, rounded
# What stands between a quantity and its conversion: `30 mét (100 feet)`, `300 km [186 miles]`
CONVERSION_OPENING = re.compile(r"\s*[(\[]\s*(?:about|some|around|khoảng|~)?\s*")
# `1/3 thời gian` is a third, not March 1: a small fraction is vouched for by its word
FRACTION_WORDS = {2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters")}
Values = set[Decimal]


@dataclass(eq=False)
class Quantity:
    """A number as written (every reading of it) and its unit, if it has a known one."""

    values: Values
    unit: str | None = None
    start: int = -1
    end: int = -1
    converts: Quantity | None = None  # `30 meters (100 feet)`: the quantity this one restates

    def equals(self, other: Quantity) -> bool:
        """Same value, and not two different units of one dimension (`300 km` != `300 miles`)."""
        if not self.values & other.values:
            return False
        if self.unit and other.unit:
            (dim_a, size_a), (dim_b, size_b) = UNITS[self.unit], UNITS[other.unit]
            return dim_a != dim_b or size_a == size_b
        return True

    def converts_to(self, other: Quantity) -> bool:
        """Whether `other` is this quantity in another unit of the same dimension."""
        if not (self.unit and other.unit) or self.unit == other.unit:
            return False
        (dim_a, size_a), (dim_b, size_b) = UNITS[self.unit], UNITS[other.unit]
        if dim_a != dim_b or size_a == size_b:
            return False
        return any(
            abs(float(a) * size_a - float(b) * size_b) <= CONVERSION_TOLERANCE * float(b) * size_b
            for a in self.values for b in other.values if b
        )


@dataclass
class _Facts:
    """What one side of a pair states: dates, percentages, numbers, and values that only vouch
    for a number on the other side (number words, weekdays `thứ 2`, minutes of `7:00`)."""

    dates: list[Date]
    percents: list[Values]
    numbers: list[Quantity]
    vouchers: Values


def _read(text: str, *, source: bool) -> _Facts:
    found, text = facts.vietnamese_dates(text) if source else facts.english_dates(text)
    vouchers: Values = set()
    if source:
        weekdays, text = facts.vietnamese_weekdays(text)
        vouchers.update(Decimal(n) for n in weekdays)
    clock, text = facts.times(text)
    # `7 giờ` = `7:00`; `10:15` is the numbers 10 and 15
    numbers = [Quantity({Decimal(n)}) for h, m in clock for n in ((h, m) if m else (h,))]
    pattern = VI_PERCENT if source else EN_PERCENT
    percents = [_percent(m.group(1), source=source) for m in pattern.finditer(text)]
    text = pattern.sub(" ", text)
    if source:
        numbers += [Quantity({Decimal(m.group(1))}) for m in VI_ADMIN_NUMBER.finditer(text)]
        text = VI_ADMIN_NUMBER.sub(" ", text)
    previous: Quantity | None = None
    for match in NUMBER.finditer(text):
        quantity = _quantity(match, source=source)
        if (previous and CONVERSION_OPENING.fullmatch(text, previous.end, match.start())
                and quantity.converts_to(previous)):
            quantity.converts = previous
        numbers.append(quantity)
        previous = quantity
    if source:
        vouchers |= facts.vietnamese_number_words(text)
    else:
        vouchers |= facts.english_number_words(text)
    # a date's day or year vouches for a number (`ngày 29 tháng 9` -> `on the 29th`)
    vouchers.update(Decimal(x) for d in found for x in (d.day, d.year) if x is not None)
    return _Facts([d.key for d in found], percents, numbers, vouchers)


def _percent(token: str, *, source: bool) -> Values:
    if source and not token[:1].isdigit():
        value = facts.read_vietnamese_number(token)
        return {value} if value is not None else set()
    if source:
        return facts.number_readings(token, vietnamese_first=True)
    if token[:1].isdigit():
        return facts.number_readings(token)
    value = facts.read_english_number(token)
    return {value} if value is not None else set()


def _quantity(match: re.Match[str], *, source: bool) -> Quantity:
    """A number's readings, times its scale word (`3 triệu`), with its unit (`50km`)."""
    values = facts.number_readings(match.group(0), vietnamese_first=source)
    after = (match.group("next") or "").casefold()
    scale = (facts.VI_SCALES if source else facts.EN_SCALES).get(after)
    if scale:
        return Quantity(values | {v * scale for v in values}, None, match.start(), match.end())
    if source and after == "cây":  # `5 cây số` (km)
        after = "cây số"
    unit = after if after in UNITS else None
    end = match.end("next") if unit else match.end()  # the unit ends it: `30 mét (100 feet)`
    return Quantity(values, unit, match.start(), end)


def _fmt(values: Values) -> str:
    return "/".join(facts.format_number(v) for v in sorted(values))


def _date_text(date: Date) -> str:
    day, month, year = date
    return "/".join(str(x) for x in (day, month, year) if x is not None)


def date_mismatches(source: str, target: str) -> list[str]:
    """Dates in one language without an equal date in the other."""
    src, tgt = _read(source, source=True).dates, _read(target, source=False).dates
    lowered = target.casefold()
    problems = [
        f"source date {_date_text(d)} is not in the target" for d in src
        if d not in tgt and (d[1], d[0], d[2]) not in tgt
        and not (d[2] is None and d[0] is not None and d[0] < d[1] in FRACTION_WORDS
                 and any(w in lowered for w in FRACTION_WORDS[d[1]]))
    ]
    problems += [f"target date {_date_text(d)} is not in the source" for d in tgt
                 if d not in src and (d[1], d[0], d[2]) not in src]
    return problems


def percent_mismatches(source: str, target: str) -> list[str]:
    """Percentages in one language without an equal one in the other."""
    src, tgt = _read(source, source=True).percents, _read(target, source=False).percents
    problems = [f"source {_fmt(v)}% is not in the target" for v in src
                if not any(v & t for t in tgt)]
    problems += [f"target {_fmt(v)}% is not in the source" for v in tgt
                 if not any(v & s for s in src)]
    return problems


def number_mismatches(source: str, target: str) -> list[str]:
    """Numbers in one language without an equal number (or number word, or the same quantity
    in another unit) in the other."""
    src, tgt = _read(source, source=True), _read(target, source=False)

    def missing(side: _Facts, other: _Facts) -> list[Quantity]:
        unmatched = [q for q in side.numbers
                     if not (any(q.equals(o) for o in other.numbers) or q.values & other.vouchers)]
        # a conversion written beside its quantity (`30 meters (100 feet)`) is as right as the
        # quantity it restates, whether the other side has it or not
        return [q for q in unmatched
                if not (q.converts and all(q.converts is not u for u in unmatched))]

    problems = [f"source number {_fmt(q.values)}{' ' + q.unit if q.unit else ''} is not in the "
                "target" for q in missing(src, tgt)]
    problems += [f"target number {_fmt(q.values)}{' ' + q.unit if q.unit else ''} is not in the "
                 "source" for q in missing(tgt, src)]
    return problems
