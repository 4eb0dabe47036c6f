"""Bytes -> str, the one reader of every command: binary and mojibake refused or fixed.

Order of checks (see ../shared/docs/vietnamese-text.md §2.3):
1. empty, then binary (a known file signature, NUL bytes, many control characters);
2. a UTF-16/UTF-32 byte-order mark decodes as that encoding; a UTF-8 BOM is dropped;
3. strict UTF-8, else Windows-1258 (the only Vietnamese codec in the stdlib) — but only when
   the result reads as text: Windows-1258 decodes almost any bytes, so GBK Chinese, Big5, EUC-KR
   or Cyrillic 8-bit text would come out as `ÖĐ»ªÈËĂñ` (runs of non-ASCII characters and tone
   marks on no vowel, which Vietnamese never has) and is refused instead;
4. mojibake: UTF-8 read as cp1252/Latin-1 (`QuÃ¢n Ä‘á»™i`) is repaired with ftfy, which does
   this right; text in the legacy 8-bit encodings TCVN3/ABC, VNI or VISCII (`Céng hoµ x· héi`)
   is refused with a message naming the suspected encoding, since no well-kept library converts
   them reliably (viparse is young and misdetects VISCII on short text).

`decode_bytes(..., exact=True)` is the same reader for files scored as sacreBLEU reads them
(`vi2en score`, references of `vi2en eval`): valid UTF-8 comes back exactly as it is (a UTF-8
BOM kept, nothing repaired), so scores equal sacreBLEU's; everything else is accepted or refused
as for every other command. `check_vietnamese` is what inputs meant to be Vietnamese add: text
mostly in another script is refused; Latin text without a single Vietnamese letter is warned
about (it may be Vietnamese typed without diacritics).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from vi2en.errors import InputError
from vi2en.text.facts import VIETNAMESE_ONLY_LETTER

# File signatures of formats people pass by mistake: `vi2en segment article.pdf`.
BINARY_SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.xlsx/.odt file)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file (.doc/.xls)",
    b"{\\rtf": "an RTF file",
}

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# UTF-8 bytes shown through cp1252/Latin-1: `Ã¢` (â), `Ä‘` (đ), `á»` (ộ...), `â€œ` (“), `Æ°` (ư).
UTF8_AS_CP1252 = re.compile(
    r"Ã[\u0080-\u00bf\u0152-\u0178\u2013-\u203a]|Ä[\u0080-\u00bf‘’]|á[»º]|â€|Æ[°¡]"
)

# Latin-1 range characters that are no Vietnamese letter; legacy 8-bit encodings put their
# accented letters there, so they show up *inside* words: `héi`, `x·`, `ViÖt`, `Coäng`.
_FOREIGN_LATIN1 = "¡¢£¤¥¦§¨©ª«¬\u00ad®¯±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ₫"
LEGACY_IN_WORD = re.compile(
    rf"(?<=[A-Za-z])[{_FOREIGN_LATIN1}\u0080-\u009f]|[{_FOREIGN_LATIN1}\u0080-\u009f](?=[A-Za-z])"
)
# What tells the three legacy encodings apart (measured on converted samples, see tests).
VNI_MARK = re.compile(r"[aeiouyAEIOUY][øùûõïäåæëöüÄÅÖÜØÛ]|ñ[aeiouyAEIOUY]")  # `hoøa`, `ñoäi`
TCVN3_MARK = re.compile(r"[µ¶·¸¹®¨©§]")  # `hoµ`, `x·`, `®éi`
VISCII_MARK = re.compile(r"[ßþ₫¤¦ðÐª«¬\u0080-\u009f]")  # `ðßþc`, `ð¦y`, `Tri«u`

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # not \t \n \f \r
# Vietnamese in Windows-1258 never has more than three non-ASCII characters in a row (`được`,
# `đường`: at most 43% of a news sentence's non-ASCII characters are in such runs, measured on
# NTREX-128); other encodings read as Windows-1258 are nearly all runs.
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{3,}")
MAX_RUN_SHARE = 0.6
REPLACEMENT = "\ufffd"  # what a decoder before us put where it lost a character
# `check_vietnamese`: a text with at least this many letters and no Vietnamese one is warned about.
MIN_LETTERS_TO_JUDGE = 200
# The first word of a letter's Unicode name -> what to call its script in a message.
SCRIPT_NAMES = {"CJK": "Han (Chinese)", "HIRAGANA": "Japanese (hiragana)",
                "KATAKANA": "Japanese (katakana)", "HANGUL": "Hangul (Korean)"}  # fmt: skip
LETTERS = re.compile(r"[^\W\d_]")


def decode_bytes(
    data: bytes, *, name: str = "input", exact: bool = False
) -> tuple[str, list[str]]:
    """Decode raw input into text, refusing what is not text.

    Args:
        data: the raw bytes of a file or of standard input.
        name: how to call the input in messages (a path or "stdin").
        exact: valid UTF-8 is returned exactly as it is (BOM kept, no repair), as sacreBLEU
            reads files; other encodings are still decoded and reported.

    Returns:
        The decoded text (not yet NFC) and a list of what decoding changed (entries starting
        with "warning:" are shown even without --verbose).

    Raises:
        InputError: empty, binary, undecodable or legacy-encoded input; the message names it.
    """
    changes: list[str] = []
    if not data:
        raise InputError(f"{name} is empty")
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"{name} is {kind}, not text; give a plain-text article")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name} has a {encoding} byte-order mark but is not valid {encoding}"
                ) from exc
            changes.append(f"decoded as {encoding.upper()} (byte-order mark)")
            return _check_text(text, name=name), _lost_characters(text, changes)
    if b"\x00" in data:
        raise InputError(f"{name} looks binary (it contains NUL bytes), not text")
    if data.startswith(codecs.BOM_UTF8) and not exact:
        data = data[len(codecs.BOM_UTF8) :]
        changes.append("removed UTF-8 byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _decode_cp1258(data, name=name, bad_byte=exc.start)
        changes.append(f"decoded as Windows-1258 (not valid UTF-8 at byte {exc.start})")
    else:
        if exact:
            _check_text(text, name=name)
            return text, _lost_characters(text, changes)
    text = _check_text(text, name=name)
    if not exact:  # a file scored as it is: no repair, and no Vietnamese legacy encodings
        text = _repair_mojibake(text, name=name, changes=changes)
    return text, _lost_characters(text, changes)


def _decode_cp1258(data: bytes, *, name: str, bad_byte: int) -> str:
    """The Windows-1258 reading of bytes that are not UTF-8, if it reads as text."""
    undecodable = (
        f"{name} is neither UTF-8 nor Windows-1258 (undecodable byte at offset {bad_byte}); "
        "save it as UTF-8"
    )
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise InputError(undecodable) from None
    composed = unicodedata.normalize("NFC", text)
    non_ascii = sum(not ch.isascii() for ch in composed)
    in_runs = sum(len(run) for run in NON_ASCII_RUN.findall(composed))
    stray_marks = any(unicodedata.combining(ch) for ch in composed)
    if stray_marks or in_runs > MAX_RUN_SHARE * non_ascii:
        raise InputError(
            f"{name} is not UTF-8, and read as Windows-1258 it is not text (another encoding: "
            "GBK, Big5, Shift-JIS, EUC-KR, KOI8-R...?); save it as UTF-8"
        )
    return text


def _lost_characters(text: str, changes: list[str]) -> list[str]:
    lost = text.count(REPLACEMENT)
    if lost:
        changes.append(
            f"warning: {lost} character(s) were already lost before vi2en read the text (shown "
            "as U+FFFD '\ufffd'); only the original file can bring them back"
        )
    return changes


def _check_text(text: str, *, name: str) -> str:
    controls = len(CONTROL_CHARS.findall(text))
    if controls > max(8, len(text) // 100):
        raise InputError(f"{name} looks binary ({controls} control characters), not text")
    return text


def _repair_mojibake(text: str, *, name: str, changes: list[str]) -> str:
    if len(UTF8_AS_CP1252.findall(text)) >= 2:
        import ftfy  # only when needed: it is a fair amount of import

        fixed = ftfy.fix_encoding(text)
        if fixed != text and not UTF8_AS_CP1252.search(fixed):
            if REPLACEMENT in fixed:
                # Characters lost before (or bytes ftfy could not recover): not a whole repair.
                changes.append(
                    "partly repaired UTF-8 text that had been read as cp1252/Latin-1 (mojibake)"
                )
            else:
                changes.append(
                    "repaired UTF-8 text that had been read as cp1252/Latin-1 (mojibake)"
                )
            return fixed
        raise InputError(
            f"{name} looks like UTF-8 text that was read as cp1252/Latin-1 (`Ã¢`, `Ä‘`) and could "
            "not be repaired; re-save the original as UTF-8"
        )
    suspected = suspect_legacy_encoding(text)
    if suspected:
        raise InputError(
            f"{name} looks like Vietnamese in the legacy {suspected} encoding, not Unicode; "
            "convert it to UTF-8 first (e.g. with UniKey's converter)"
        )
    return text


def suspect_legacy_encoding(text: str) -> str | None:
    """Name the legacy 8-bit encoding the text seems to be in, or None if it looks like Unicode.

    Legacy text shows Latin-1 symbols inside words (`ViÖt`, `hoøa`) and almost no letters that
    only Unicode Vietnamese has (ă đ ơ ư ạ ế ...).
    """
    inside = len(LEGACY_IN_WORD.findall(text))
    if inside < 3 or inside < 0.02 * len(LETTERS.findall(text)):
        return None
    if len(VIETNAMESE_ONLY_LETTER.findall(text)) > inside:
        return None  # real Vietnamese with a few foreign names (`Müller`) is not mojibake
    scores = {
        "VNI": len(VNI_MARK.findall(text)),
        "TCVN3 (ABC)": len(TCVN3_MARK.findall(text)),
        "VISCII": len(VISCII_MARK.findall(text)),
    }
    best = max(scores, key=scores.__getitem__)
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] == 0 or ranked[0] < 1.5 * ranked[1]:
        return "TCVN3/VNI/VISCII (undetermined which)"
    return best


def check_vietnamese(text: str, *, name: str = "input") -> list[str]:
    """Refuse text that is not plausibly Vietnamese; return warnings for doubtful text.

    Vietnamese is written in Latin script: text whose letters are mostly of another script
    (Han, Cyrillic, Thai, Hangul...) is refused. Latin text of at least `MIN_LETTERS_TO_JUDGE`
    letters without one Vietnamese letter (ă â đ ê ô ơ ư or a tone mark) is warned about only:
    it may be English given by mistake, or Vietnamese typed without diacritics.

    Raises:
        InputError: mostly another script; the message names the script.
    """
    from vi2en.text.facts import VIETNAMESE_LETTER

    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return []
    scripts: dict[str, int] = {}
    for ch in letters:
        if ch.isascii():
            continue
        script = unicodedata.name(ch, "UNKNOWN").split()[0]
        scripts[script] = scripts.get(script, 0) + 1
    latin = len(letters) - sum(n for script, n in scripts.items() if script != "LATIN")
    if latin < len(letters) / 2:
        other = max((s for s in scripts if s != "LATIN"), key=scripts.__getitem__)
        share = 100 * scripts[other] / len(letters)
        script = SCRIPT_NAMES.get(other, other.title())
        raise InputError(
            f"{name} does not look like Vietnamese: {share:.0f}% of its letters are {script} "
            "script, not Latin; vi2en translates Vietnamese"
        )
    if len(letters) >= MIN_LETTERS_TO_JUDGE and not VIETNAMESE_LETTER.search(text):
        return [
            f"warning: no Vietnamese letter (ă â đ ê ô ơ ư, tone marks) in {len(letters)} "
            "letters: is this Vietnamese? (vi2en translates Vietnamese; text typed without "
            "diacritics translates poorly)"
        ]
    return []
