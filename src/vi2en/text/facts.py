"""Facts of written Vietnamese and English that several jobs share: letters, numbers, months, dates.

One place for what QA (`vi2en.qa`), the sentence aligner's anchors (`vi2en.align.anchors`) and
ingest (`vi2en.text.decode`) each used to spell out on their own:

- **Letters.** `VIETNAMESE_LETTERS` is every non-ASCII letter Vietnamese writes (the 12 vowels
  `a ă â e ê i o ô ơ u ư y` under the 6 tones, and `đ`; both cases). `VIETNAMESE_ONLY_LETTERS` is
  the part of it outside Latin-1 (`ă đ ĩ ũ ơ ư ạ ế ...`): letters French, Spanish or German names
  never carry, so they tell Vietnamese apart from `José` or `Müller`, and Unicode from legacy
  8-bit encodings.
- **Numbers.** Vietnamese writes `11.000,5`, English `11,000.5`, and MT sometimes copies the
  Vietnamese form. `read_number` reads one convention strictly, `number_readings` gives every
  reading a token can have, `number_value` the one most likely meant.
- **Months and dates.** `EN_MONTHS` (names and abbreviations), `tháng 3`, `tháng Giêng`, and
  `vietnamese_dates` / `english_dates`, which find `27/3`, `ngày 27 tháng 3 năm 2025`,
  `tháng 2/2025`, `March 27, 2025`, `27th of March`, `February 2025`, `in May` as (day, month,
  year) with their spans.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

# ------------------------------------------------------------------------------------ letters

_VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # ngang huyền sắc hỏi ngã nặng


def _vietnamese_letters() -> frozenset[str]:
    lower = {unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES} | {"đ"}
    lower = {ch for ch in lower if not ch.isascii()}
    return frozenset(lower | {ch.upper() for ch in lower})


VIETNAMESE_LETTERS = _vietnamese_letters()  # 67 lower + 67 upper
VIETNAMESE_ONLY_LETTERS = frozenset(ch for ch in VIETNAMESE_LETTERS if ord(ch) > 0xFF)
VIETNAMESE_LETTER = re.compile("[" + "".join(sorted(VIETNAMESE_LETTERS)) + "]")
VIETNAMESE_ONLY_LETTER = re.compile("[" + "".join(sorted(VIETNAMESE_ONLY_LETTERS)) + "]")


def vietnamese_share(text: str) -> float:
    """The share of letters in `text` that are Vietnamese non-ASCII letters (0 if no letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(ch in VIETNAMESE_LETTERS for ch in letters) / len(letters)


# ------------------------------------------------------------------------------------ numbers

# Digits with group/decimal marks: 11.000, 11,000, 3,5, 2019. A space is not a separator:
# `năm 2019 100 người` is two numbers. Letters may touch it (`50km`, `1870s`, `WW1`); a dot
# before it may not (`H.264`).
NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")
# `7:00`, `7: 00`, `05:00`, `20h30`: a time of day (hour and minutes), not two numbers.
TIME = re.compile(r"(?<![\d.,:])(?P<h>[01]?\d|2[0-4])\s?[:h]\s?(?P<min>[0-5]\d)(?![\d:])")
VI_SCALES = {"nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
EN_SCALES = {"thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_0_TO_20 = re.findall(r"\w+", """zero one two three four five six seven eight nine ten eleven
    twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty""")
_EN_ORDINALS = re.findall(r"\w+", """zeroth first second third fourth fifth sixth seventh eighth
    ninth tenth eleventh twelfth""")
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}  # fmt: skip
EN_NUMBER_WORDS: dict[str, Decimal] = {w: Decimal(v) for v, w in enumerate(_EN_0_TO_20)}
EN_NUMBER_WORDS.update({w: Decimal(v) for v, w in enumerate(_EN_ORDINALS) if v})
EN_NUMBER_WORDS.update({w: Decimal(v) for w, v in _EN_TENS.items()})
EN_NUMBER_WORDS.update(
    hundred=Decimal(100), dozen=Decimal(12), half=Decimal("0.5"), quarter=Decimal("0.25"),
    # `a year` for `1 năm`, `once`: these only ever vouch for a 1 the other side writes
    a=Decimal(1), an=Decimal(1), single=Decimal(1), once=Decimal(1), twice=Decimal(2),
)  # fmt: skip
# `năm` (five) is left out: it also means "year".
VI_NUMBER_WORDS = {w: Decimal(v) for w, v in (
    ("một", 1), ("hai", 2), ("ba", 3), ("bốn", 4), ("tư", 4), ("sáu", 6), ("bảy", 7),
    ("tám", 8), ("chín", 9), ("mười", 10), ("trăm", 100), ("nửa", Decimal("0.5")),
    ("rưỡi", Decimal("0.5")),
)}  # fmt: skip
_EN_UNITS = {w: v for v, w in enumerate(_EN_0_TO_20[:10]) if v}
_EN_WORD = "|".join(sorted(EN_NUMBER_WORDS, key=len, reverse=True))
# `twenty-four`, `Twenty four`, `twenty-first` -> 24, 21
EN_COMPOUND_NUMBER = re.compile(
    r"\b(?P<tens>" + "|".join(_EN_TENS) + r")[-\s](?P<unit>" + "|".join(_EN_UNITS)
    + "|" + "|".join(_EN_ORDINALS[1:10]) + r")\b", re.I
)
# `a quarter of a million`, `half a million`, `two million`, `a billion`
EN_SCALED_WORDS = re.compile(
    r"\b(?P<n>(?:a\s+)?quarter\s+of\s+an?|half\s+an?|" + _EN_WORD + r")\s+(?P<scale>"
    + "|".join(EN_SCALES) + r")\b", re.I
)
# `World War I`, `World War II`: a Roman numeral that is a number
EN_ROMAN_WAR = re.compile(r"\bWar\s+(?P<r>I{1,3}|IV)\b")
# The number written as a word, for patterns that take either (`three per cent`)
EN_NUMBER_OR_WORD = (
    r"(?:(?<![\d.,])\d+(?:[.,]\d+)*|\b(?:" + "|".join(_EN_TENS) + r")[-\s](?:" + "|".join(_EN_UNITS)
    + r")|\b(?:" + _EN_WORD + r")\b)"
)


def read_number(token: str, *, vietnamese: bool) -> Decimal | None:
    """Read `token` by one convention: Vietnamese (`.` thousands, `,` decimal) or English.

    Returns None when the token is not well formed in that convention (`3.5` is no Vietnamese
    number: its `.` would group thousands, and a group has three digits).
    """
    thousands, decimal = (".", ",") if vietnamese else (",", ".")
    whole, _, frac = token.partition(decimal)
    if decimal in frac or thousands in frac:
        return None
    groups = whole.split(thousands)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    if not all(g.isdigit() for g in groups) or (frac and not frac.isdigit()):
        return None
    return Decimal("".join(groups) + ("." + frac if frac else ""))


def number_readings(token: str, *, vietnamese_first: bool = False) -> set[Decimal]:
    """Every value `token` can be read as, by either convention.

    With `vietnamese_first` (a Vietnamese text) the English reading is taken only when the
    Vietnamese one fails (`3.5` is an English-style decimal) or when a comma could group
    thousands (`26,750 đô la`: Vietnamese news copies English figures).
    """
    vi = read_number(token, vietnamese=True)
    en = read_number(token, vietnamese=False)
    if vietnamese_first and vi is not None and not (en is not None and "," in token):
        return {vi}
    return {v for v in (vi, en) if v is not None}


def number_value(token: str) -> Decimal | None:
    """The value `token` most likely means, whichever convention wrote it.

    A single kind of separator before groups of exactly three digits groups thousands
    (`11.000`, `11,000` -> 11000); otherwise the one well-formed reading (`3,5`, `3.5` -> 3.5;
    `1.234.567,5`). None when no convention reads it (`20.08.2014`).
    """
    readings = number_readings(token)
    if len(readings) == 2:  # `11.000` / `11,000`: the grouping reading is the larger one
        return max(readings)
    return next(iter(readings), None)


def format_number(value: Decimal) -> str:
    """`11000`, `3.5`, `0.75`: no exponent, no trailing zeros."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def read_english_number(text: str) -> Decimal | None:
    """The value of one number written in digits or words (`3`, `three`, `twenty-four`)."""
    if text[:1].isdigit():
        return number_value(text)
    compound = EN_COMPOUND_NUMBER.fullmatch(text)
    if compound:
        return Decimal(_EN_TENS[compound["tens"].lower()] + _unit(compound["unit"]))
    return EN_NUMBER_WORDS.get(text.casefold())


def _unit(word: str) -> int:
    word = word.lower()
    return _EN_UNITS.get(word) or _EN_ORDINALS.index(word)


def english_number_words(text: str) -> set[Decimal]:
    """Values written as English words: `three`, `twenty-four`, `ninth`, `a dozen`, `half a
    million`, `World War II`."""
    values: set[Decimal] = set()
    for m in EN_SCALED_WORDS.finditer(text):
        n = m["n"].casefold()
        base = (Decimal("0.25") if "quarter" in n else Decimal("0.5") if "half" in n
                else EN_NUMBER_WORDS[n])
        values.add(base * EN_SCALES[m["scale"].casefold()])
    for m in EN_COMPOUND_NUMBER.finditer(text):
        values.add(Decimal(_EN_TENS[m["tens"].lower()] + _unit(m["unit"])))
    values.update(Decimal(len(m["r"]) if m["r"] != "IV" else 4)
                  for m in EN_ROMAN_WAR.finditer(text))
    for word in re.findall(r"[a-z]+", EN_COMPOUND_NUMBER.sub(" ", text).casefold()):
        if word in EN_NUMBER_WORDS:
            values.add(EN_NUMBER_WORDS[word])
    return values


_VI_DIGITS = {"một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
              "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}  # fmt: skip
_VI_DIGIT = "|".join(sorted(_VI_DIGITS, key=len, reverse=True))
# `ba`, `mười`, `mười lăm`, `hai mươi`, `hai mươi mốt` (1-99 in words), case-insensitive
VI_NUMBER_IN_WORDS = (
    r"(?i:\b(?:(?:" + _VI_DIGIT + r")\s+mươi(?:\s+(?:" + _VI_DIGIT + r"))?|mười(?:\s+(?:"
    + _VI_DIGIT + r"))?|" + _VI_DIGIT + r")\b)"
)


def read_vietnamese_number(text: str) -> Decimal | None:
    """The value of a number in digits or words (`20`, `hai mươi`, `mười lăm`, `ba`)."""
    if text[:1].isdigit():
        return number_value(text)
    words = text.casefold().split()
    if not words or any(w not in _VI_DIGITS and w not in ("mười", "mươi") for w in words):
        return None
    if words[0] == "mười":
        return Decimal(10 + (_VI_DIGITS[words[1]] if len(words) > 1 else 0))
    if len(words) >= 2 and words[1] == "mươi":
        return Decimal(10 * _VI_DIGITS[words[0]] + (_VI_DIGITS[words[2]] if len(words) > 2 else 0))
    return Decimal(_VI_DIGITS[words[0]]) if len(words) == 1 else None


def vietnamese_number_words(text: str) -> set[Decimal]:
    """Values written as Vietnamese words: `hai`, `mười`, `nửa`."""
    return {VI_NUMBER_WORDS[w] for w in re.findall(r"\w+", text.casefold()) if w in VI_NUMBER_WORDS}


def times(text: str) -> tuple[list[tuple[int, int]], str]:
    """Times of day (`7:00`, `05:00`, `20h30`) as (hour, minute), and the text without them."""
    found = [(int(m["h"]), int(m["min"])) for m in TIME.finditer(text)]
    return found, TIME.sub(lambda m: " " * len(m.group(0)), text)


# ------------------------------------------------------------------------------ months, dates

EN_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
# `tháng Giêng` (January), `tháng Chạp` (December), `tháng Sáu` (June), `tháng Mười Một`
VI_MONTH_NAMES = {"giêng": 1, "chạp": 12, "một": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5,
                  "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11,
                  "mười hai": 12}  # fmt: skip


@dataclass(frozen=True)
class DateFact:
    """A date (or part of one) found in text: its span and day, month, year as written."""

    start: int
    end: int
    day: int | None
    month: int
    year: int | None

    @property
    def key(self) -> tuple[int | None, int, int | None]:
        return (self.day, self.month, self.year)


# Capitalised English month names only, so the verb `may` and `march` are not months.
_MONTH = (
    r"(?P<m>(?:" + "|".join(n.capitalize() for n in sorted(EN_MONTHS, key=len, reverse=True))
    + r")\b\.?)"
)
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>\d{4})"

# The month after `tháng`: a number, `Giêng`/`Chạp` in any case, or a capitalised number word
# (`tháng Sáu` is June; `tháng ba lần` is "three times a month").
_VI_MONTH = (
    r"(?P<m>\d{1,2}(?!\d)|(?i:giêng|chạp)|Mười Một|Mười Hai|Mười|Một|Hai|Ba|Tư|Năm|Sáu|Bảy|Tám"
    r"|Chín)(?!\w)"
)
_VI_YEAR = r"(?:\s*/\s*|\s+năm\s+|,\s*)(?P<y>\d{4})(?!\d)"
# `ngày 27 tháng 3 năm 2025`, `27 tháng 3`, `ngày 10 tháng Mười`
VI_DAY_MONTH = re.compile(
    r"(?:(?i:ngày)\s+)?(?<![\d.,])(?P<d>\d{1,2})\s+(?i:tháng)\s+" + _VI_MONTH + "(?:" + _VI_YEAR
    + ")?"
)
# `27/3`, `27/3/2025`, `27-3-2025`, `27/03/25`; day first unless the second number cannot be
# a month (`3/27`)
SLASH_DATE = re.compile(
    r"(?<![\d/.,-])(?P<a>\d{1,2})(?P<sep>[/-])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
    r"(?![\d/]|-\d)"
)
# `tháng 2/2025`, `tháng 2 năm 2025`, `tháng 7, 2017`, `tháng 2`, `tháng Giêng`
VI_MONTH_DATE = re.compile(r"(?i:tháng)\s+" + _VI_MONTH + "(?:" + _VI_YEAR + ")?")
# `March 27`, `March 27th, 2025`, `September 29,2018`
EN_MONTH_DAY = re.compile(
    _MONTH + r"\s+(?P<d>\d{1,2})" + _ORD + r"(?!\d)(?:(?:,\s*|\s+)" + _YEAR + ")?"
)
# `27 March`, `27th of March 2025`
EN_DAY_MONTH = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + ")?"
)
# `February 2025`, `March` (the month alone)
EN_MONTH_YEAR = re.compile(_MONTH + r"(?:,?\s+(?:of\s+)?" + _YEAR + ")?")
# Before a month standing alone, a word that makes it a date: `in May`, `early June`. Without
# one, `May` and `April`, `June`, `August` are more often names (`Theresa May`).
_DATE_CUE = re.compile(
    r"\b(?:in|of|since|until|till|by|from|to|through|during|before|after|early|late|mid|the|"
    r"last|next|this|each|every|between|and|or)[\s-]+$",
    re.I,
)
_NAME_MONTHS = {"may", "april", "june", "august"}
_ABBREVIATIONS = {name for name in EN_MONTHS if len(name) <= 4 and name not in ("may", "june",
                                                                              "july")}
# `thứ 2` is Monday, but `lần thứ 3` is "the third time": neither surely a date nor a number
VI_WEEKDAY = re.compile(r"(?i:thứ)\s+(?P<n>[2-7])(?!\d)")


def _month_number(text: str) -> int:
    name = " ".join(text.rstrip(".").casefold().split())
    return EN_MONTHS.get(name) or VI_MONTH_NAMES.get(name) or int(name)


def _collect(
    text: str, patterns: list[re.Pattern[str]], found: list[DateFact], *, english: bool = False
) -> str:
    """Add the dates `patterns` find to `found`; return `text` with them blanked out."""
    for pattern in patterns:
        def take(match: re.Match[str]) -> str:
            groups = match.groupdict()
            if "a" in groups:  # a slash date: day first unless that is impossible
                if groups["sep"] == "-" and not groups["y"]:
                    return match.group(0)  # `2-1` is a score or a range, not a date
                a, b = int(groups["a"]), int(groups["b"])
                day, month = (b, a) if b > 12 >= a else (a, b)
            else:
                month = _month_number(groups["m"])
                day = int(groups["d"]) if groups.get("d") else None
                name = groups["m"].casefold()
                if english and day is None and groups.get("y") is None and (
                    (name in _ABBREVIATIONS)  # `Jan Gelfand`, `Jun`; `Jan.` is a month
                    or (name in _NAME_MONTHS and not _DATE_CUE.search(
                        match.string, max(0, match.start() - 12), match.start()))
                ):
                    return match.group(0)  # `Theresa May`: a name, not a month
            year_text = groups.get("y") or groups.get("Y")
            if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                return match.group(0)
            found.append(DateFact(match.start(), match.end(), day, month,
                                  int(year_text) if year_text else None))
            return " " * len(match.group(0))

        text = pattern.sub(take, text)
    return text


def vietnamese_dates(text: str) -> tuple[list[DateFact], str]:
    """Dates in Vietnamese text, and the text with them blanked out."""
    found: list[DateFact] = []
    rest = _collect(text, [VI_DAY_MONTH, SLASH_DATE, VI_MONTH_DATE], found)
    return sorted(found, key=lambda d: d.start), rest


def vietnamese_weekdays(text: str) -> tuple[list[int], str]:
    """The N of each `thứ N` (Monday is `thứ 2`), and the text with them blanked out."""
    found = [int(m["n"]) for m in VI_WEEKDAY.finditer(text)]
    return found, VI_WEEKDAY.sub(lambda m: " " * len(m.group(0)), text)


def english_dates(text: str) -> tuple[list[DateFact], str]:
    """Dates in English text, and the text with them blanked out."""
    found: list[DateFact] = []
    rest = _collect(text, [EN_MONTH_DAY, EN_DAY_MONTH, EN_MONTH_YEAR, SLASH_DATE], found,
                    english=True)
    return sorted(found, key=lambda d: d.start), rest
