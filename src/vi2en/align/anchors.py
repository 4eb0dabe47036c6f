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

from vi2en.text.facts import (
    EN_MONTHS,
    NUMBER,
    english_dates,
    format_number,
    number_value,
    vietnamese_dates,
    vietnamese_weekdays,
)
from vi2en.text.names import is_foreign_name

__all__ = ["anchor_weight", "extract_anchors", "is_foreign_name", "normalise_number"]

# https://x.vn/a?b=1, www.bbc.co.uk/news -> one URL token (trailing punctuation excluded).
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’]+[^\s<>\"“”‘’.,;:!?)\]]", re.IGNORECASE)
# an.nguyen@vnexpress.net -> one e-mail token.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Putin, KCNA, McDonald's, Kharkov -> a Latin-script word starting with a capital.
CAPITALISED = re.compile(r"\b[A-Z][A-Za-z\u00c0-\u024f\u1e00-\u1eff'’-]*\b")
# “...”, "...", ‘...’ (at least two characters inside, so an apostrophe is not a quote).
QUOTED = re.compile(r"“[^”]{2,}”|\"[^\"]{2,}\"|‘[^’]{2,}’|(?<!\w)'[^']{2,}'(?!\w)")

# Weights: how much a shared key of each kind says that two sentences are translations.
# Numbers, names, URLs are rare and specific; a quote or a month is common and weak.
KIND_WEIGHT = {"#": 1.0, "n": 1.0, "u": 1.5, "e": 1.5, "m": 0.7, "q": 0.5}


def normalise_number(token: str) -> str:
    """The canonical value of a number written the Vietnamese or the English way.

    `11.000`, `11,000` -> `11000`; `3,5`, `3.5` -> `3.5` (see `vi2en.text.facts.number_value`).
    A token no convention reads (`20.08.2014`) is its own key.
    """
    value = number_value(token)
    return token if value is None else format_number(value)


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
    vi_dates, rest = vietnamese_dates(rest)
    _, rest = vietnamese_weekdays(rest)  # `thứ 2` is Monday: no number in the English
    en_dates, rest = english_dates(rest)
    for date in vi_dates + en_dates:
        keys[f"m:{date.month}"] += 1
        for number in (date.day, date.year):
            if number is not None:
                keys[f"#{number}"] += 1
    for match in NUMBER.finditer(rest):
        keys[f"#{normalise_number(match.group(0))}"] += 1
    for match in CAPITALISED.finditer(rest):
        word = match.group(0).rstrip("'’-")
        if len(word) > 1 and is_foreign_name(word) and word.lower() not in EN_MONTHS:
            keys[f"n:{word.lower()}"] += 1
    keys["q"] += len(QUOTED.findall(text))
    if not keys["q"]:
        del keys["q"]
    return keys


def anchor_weight(key: str) -> float:
    """How strongly one shared occurrence of `key` signals a translation pair."""
    return KIND_WEIGHT.get(key[0] if key[0] in "#q" else key.split(":", 1)[0], 1.0)
