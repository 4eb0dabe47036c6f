"""Lexical anchors: tokens that survive translation from Vietnamese into English unchanged.

A Vietnamese sentence and its English translation share little vocabulary, but they share
numbers, dates, names written in Latin script, acronyms, URLs, e-mail addresses and quoted
spans. `extract_anchors` turns a sentence into a multiset of normalised anchor keys so that
the same fact written the Vietnamese way and the English way gives the same key:

    `11.000` (vi) == `11,000` (en) == `11000`      -> `#11000`
    `3,5%` (vi) == `3.5%` (en)                     -> `#3.5`
    `27/3`, `ngày 27 tháng 3`, `March 27`          -> `#27` + `m:3`
    `Putin`, `KCNA`                                -> `n:putin`, `n:kcna`
    `https://x.vn/a`, `a@b.vn`                     -> `u:https://x.vn/a`, `e:a@b.vn`
    “...” / "..." / ‘...’                          -> `q`

Keys are prefixed by kind so that a year never matches a name. Nothing here is
language-model based; it is cheap enough to run on every sentence of a long document.
"""

from __future__ import annotations

import re
from collections import Counter

# Letters that only Vietnamese (among Latin-script languages a news text quotes) writes:
# a capitalised word containing one of these is Vietnamese, not a foreign name.
VIETNAMESE_LETTERS = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
)

# A Vietnamese syllable written without tone marks: Nam, Anh, Nga, Theo, Trong, Khi.
# A capitalised word of this shape is more likely Vietnamese than a foreign name
# (Putin, Trump, Kharkov, Hanoi do not fit it); English words like `The`, `On` fit too,
# which is also right: they are not anchors.
VIETNAMESE_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?",
    re.IGNORECASE,
)
# https://x.vn/a?b=1, www.bbc.co.uk/news -> one URL token (trailing punctuation excluded).
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’]+[^\s<>\"“”‘’.,;:!?)\]]", re.IGNORECASE)
# an.nguyen@vnexpress.net -> one e-mail token.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 27/3/2025, 27/3, 3/27 -> a date; the year is optional (2 or 4 digits).
DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
# `ngày 27 tháng 3` / `tháng 3` (vi) -> month 3; `tháng Giêng` is January.
VI_MONTH = re.compile(r"\btháng\s+(\d{1,2}|giêng|chạp)\b", re.IGNORECASE)
# March 27, 27 March, Sept. 3 (en) -> month only; the day is picked up as a number.
EN_MONTH = re.compile(
    r"\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?(?=\s*\d)"
    r"|(?<=\d\s)(january|february|march|april|may|june|july|august|september|october"
    r"|november|december)\b",
    re.IGNORECASE,
)
EN_MONTH_NUMBER = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# 11.000, 11,000, 3,5, 3.5, 2019 -> one number (digits with group/decimal marks). A space
# is not a separator: `năm 2019 100 người` is two numbers.
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?!\w)")
# Group of exactly three digits after a separator: a thousands separator (11.000, 11,000).
THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
# Putin, KCNA, McDonald's, Kharkov -> a Latin-script word starting with a capital.
CAPITALISED = re.compile(r"\b[A-Z][A-Za-z\u00c0-\u024f\u1e00-\u1eff'’-]*\b")
# “...”, "...", ‘...’ (at least two characters inside, so an apostrophe is not a quote).
QUOTED = re.compile(r"“[^”]{2,}”|\"[^\"]{2,}\"|‘[^’]{2,}’|(?<!\w)'[^']{2,}'(?!\w)")

# Weights: how much a shared key of each kind says that two sentences are translations.
# Numbers, names, URLs are rare and specific; a quote or a month is common and weak.
KIND_WEIGHT = {"#": 1.0, "n": 1.0, "u": 1.5, "e": 1.5, "m": 0.7, "q": 0.5}


def normalise_number(token: str) -> str:
    """The canonical value of a number written the Vietnamese or the English way.

    A separator followed by exactly three digits groups thousands (`11.000`, `11,000`,
    -> `11000`); a single other separator is the decimal mark (`3,5`, `3.5` ->
    `3.5`). Leading zeros of the integer part and trailing decimal zeros are dropped.

    Args:
        token: digits with optional `.`/`,`/space separators, as matched in text.

    Returns:
        The number as a plain string, e.g. `11000` or `3.5`.
    """
    if THOUSANDS.match(token):
        value = re.sub(r"[.,]", "", token)
    else:
        parts = re.split(r"[.,]", token)
        if len(parts) == 1:
            value = parts[0]
        elif len(parts) == 2:
            value = f"{parts[0]}.{parts[1]}"
        else:  # 1.234.567,5 / 1,234,567.5: every mark but the last groups thousands
            value = "".join(parts[:-1]) + (f".{parts[-1]}" if len(parts[-1]) != 3 else parts[-1])
    whole, _, frac = value.partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def is_foreign_name(word: str) -> bool:
    """Whether a capitalised word looks like a Latin-script name, not a Vietnamese word.

    Acronyms (`KCNA`, `NATO`) count; a word with a Vietnamese-only letter (`Việt`) or shaped
    like one Vietnamese syllable (`Nam`, `Theo`) does not.
    """
    if any(ch in VIETNAMESE_LETTERS for ch in word):
        return False
    if len(word) > 1 and word.isupper():
        return True
    return not VIETNAMESE_SYLLABLE.fullmatch(word)


def extract_anchors(text: str) -> Counter[str]:
    """The anchor keys of one sentence, as a multiset.

    Args:
        text: one sentence, Vietnamese or English.

    Returns:
        A Counter of keys such as `#11000`, `m:3`, `n:putin`, `u:...`, `e:...`, `q`.
    """
    keys: Counter[str] = Counter()
    rest = text
    for pattern, kind in ((URL, "u"), (EMAIL, "e")):
        for match in pattern.finditer(rest):
            keys[f"{kind}:{match.group(0).lower()}"] += 1
        rest = pattern.sub(" ", rest)
    for match in DATE.finditer(rest):
        first, second, year = int(match.group(1)), int(match.group(2)), match.group(3)
        day, month = (second, first) if second > 12 >= first else (first, second)
        if 1 <= day <= 31 and 1 <= month <= 12:
            keys[f"#{day}"] += 1
            keys[f"m:{month}"] += 1
            if year:
                keys[f"#{normalise_number(year)}"] += 1
    rest = DATE.sub(" ", rest)
    for match in VI_MONTH.finditer(rest):
        name = match.group(1).lower()
        month = {"giêng": 1, "chạp": 12}.get(name) or int(name)
        if 1 <= month <= 12:
            keys[f"m:{month}"] += 1
    rest = VI_MONTH.sub(" ", rest)
    for match in EN_MONTH.finditer(rest):
        name = (match.group(1) or match.group(2)).lower()
        keys[f"m:{EN_MONTH_NUMBER[name]}"] += 1
    for match in NUMBER.finditer(rest):
        keys[f"#{normalise_number(match.group(0))}"] += 1
    for match in CAPITALISED.finditer(rest):
        word = match.group(0).rstrip("'’-")
        if len(word) > 1 and is_foreign_name(word) and word.lower() not in EN_MONTH_NUMBER:
            keys[f"n:{word.lower()}"] += 1
    keys["q"] += len(QUOTED.findall(text))
    if not keys["q"]:
        del keys["q"]
    return keys


def anchor_weight(key: str) -> float:
    """How strongly one shared occurrence of `key` signals a translation pair."""
    return KIND_WEIGHT.get(key[0] if key[0] in "#q" else key.split(":", 1)[0], 1.0)
