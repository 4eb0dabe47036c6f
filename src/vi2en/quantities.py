"""QA's number, date and percentage checks: what one side of a sentence pair states, compared
with the other (`number-mismatch`, `date-mismatch`, `percent-mismatch` in `vi2en.qa`).

The text is read by `vi2en.text.facts` in both conventions (MT sometimes copies the Vietnamese
`11.000,5` instead of writing `11,000.5`), with number words (`Twenty-four`, `a quarter of a
million`), times (`7 giờ` = `7:00`), district numbers (`Q.8`), units and the conversions written
beside a quantity (`30 mét` = `30 meters (100 feet)`, but `300 km` != `300 miles`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from vi2en.text import facts

Date = tuple[int | None, int, int | None]  # (day, month, year)


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
