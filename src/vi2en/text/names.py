"""Latin-script names in Vietnamese text, and whether an English text still has them.

Vietnamese news writes foreign names as they are (`Trump`, `Sainsbury’s`, `Baden-Wuerttemberg`)
and a translation should keep them. What is a name: a capitalised word with no Vietnamese letter
that is not shaped like a Vietnamese syllable (`Nam`, `Theo`, `Trong` are; `Putin`, `Kharkov`
are not), at least three letters long. Acronyms are left out (`UBND`, `CNTT` are Vietnamese and
get translated). Used by the aligner's anchors and by QA's `entity-mismatch`.
"""

from __future__ import annotations

import re
import unicodedata

from vi2en.text.facts import VIETNAMESE_LETTERS

# A Vietnamese syllable written without tone marks: Nam, Anh, Nga, Theo, Trong, Khi.
# A capitalised word of this shape is more likely Vietnamese than a foreign name
# (Putin, Trump, Kharkov, Hanoi do not fit it); English words like `The`, `On` fit too,
# which is also right: they are not names to keep.
VIETNAMESE_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?",
    re.IGNORECASE,
)
# Consecutive capitalised words: one name (`Brett Kavanaugh`, `Jaguar Land Rover`).
NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*")
# Other forms a translation rightly uses for a name.
NAME_FORMS = {
    "wales": ("welsh",), "scotland": ("scottish", "scots"), "twitter": ("tweet",),
    "netherlands": ("dutch",), "britain": ("british",), "england": ("english",),
    "france": ("french",), "spain": ("spanish",), "switzerland": ("swiss",),
    "napoli": ("naples",), "philippines": ("filipino",), "denmark": ("danish",),
    "sweden": ("swedish",), "finland": ("finnish",), "poland": ("polish",),
    "turkey": ("turkish",), "ireland": ("irish",), "greece": ("greek",), "thailand": ("thai",),
}  # fmt: skip
MIN_NAME_LETTERS = 3


def is_foreign_name(word: str) -> bool:
    """Whether a capitalised word looks like a Latin-script name, not a Vietnamese word.

    Acronyms (`KCNA`, `NATO`) count; a word with a Vietnamese letter (`Việt`) or shaped like one
    Vietnamese syllable (`Nam`, `Theo`) does not.
    """
    if any(ch in VIETNAMESE_LETTERS for ch in word):
        return False
    if len(word) > 1 and word.isupper():
        return True
    return not VIETNAMESE_SYLLABLE.fullmatch(word)


def fold(text: str) -> str:
    """Lowercase, accents and typographic apostrophes removed (`L’Oréal` -> `l'oreal`)."""
    text = unicodedata.normalize("NFD", text.replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _kept(name: str, folded: str, words: list[str]) -> bool:
    key = re.sub(r"'s$", "", fold(name))
    if re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", folded):
        return True
    stem = key[: max(4, len(key) // 2 + 1)]  # `Mexico` -> `Mexican`, `Syria` -> `Syrian`
    if any(word.startswith(stem) for word in words):
        return True
    return any(form in folded for form in NAME_FORMS.get(key, ()))


def names_missing(source: str, target: str) -> list[str]:
    """The Latin-script names of `source` that `target` neither keeps nor renders in a usual
    form. A name of several words of which the target keeps one is kept (`Brett Kavanaugh` ->
    `Kavanaugh`: a first name dropped, not a wrong name)."""
    folded = fold(target)
    words = re.findall(r"[\w']+", folded)
    missing: list[str] = []
    for run in NAME_RUN.finditer(source):
        parts = [p.rstrip("'’-") for p in run.group(0).split()]
        names = [p for p in parts if len(p) >= MIN_NAME_LETTERS and not p.isupper()
                 and is_foreign_name(p)]
        if not names:
            continue
        lost = [p for p in names if not _kept(p, folded, words)]
        if len(lost) == len(names):  # kept one part: `Brett Kavanaugh` -> `Kavanaugh` is fine
            missing.extend(lost)
    return missing
