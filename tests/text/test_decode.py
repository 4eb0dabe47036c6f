"""Decoding raw bytes: UTF-8, Windows-1258, BOMs, binary, mojibake and legacy encodings."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from vi2en.errors import InputError
from vi2en.text.decode import decode_bytes, suspect_legacy_encoding

SENTENCE = "Quân đội Triều Tiên đã được “triển khai” đến khu vực Kursk."
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def composite(text: str) -> str:
    """The Windows-1258 form: shape marks precomposed (ê, ơ...), tone marks combining."""
    out = []
    for ch in text:
        nfd = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in nfd if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES)) + tone)
    return "".join(out)


# Legacy 8-bit text as a cp1252/latin-1 reader shows it (made with viparse's tables and the
# viscii codec from "Quân đội Triều Tiên đã được triển khai đến khu vực Kursk của Nga ...").
TCVN3 = (
    "Qu©n ®éi TriÒu Tiªn ®· ®\xadîc triÓn khai ®Õn khu vùc Kursk cña Nga ®Ó ®Èy lïi cuéc tÊn c«ng."
)
VNI = (
    "Quaân ñoäi Trieàu Tieân ñaõ ñöôïc trieån khai ñeán khu vöïc Kursk cuûa Nga ñeå ñaåy "
    "luøi cuoäc taán coâng."
)
VISCII = (
    "Quân ðµi Tri«u Tiên ðã ðßþc tri¬n khai ðªn khu vñc Kursk cüa Nga ð¬ ð¦y lùi cuµc t¤n công."
)


def test_utf8_passes_unchanged():
    assert decode_bytes(SENTENCE.encode("utf-8")) == (SENTENCE, [])


def test_utf8_bom_is_dropped_and_reported():
    text, changes = decode_bytes(codecs.BOM_UTF8 + SENTENCE.encode("utf-8"))
    assert text == SENTENCE
    assert changes == ["removed UTF-8 byte-order mark"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_bom(encoding):
    text, changes = decode_bytes(SENTENCE.encode(encoding))
    assert text == SENTENCE
    assert "byte-order mark" in changes[0]


def test_windows_1258_fallback_gives_composite_text():
    data = composite(SENTENCE).encode("cp1258")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, changes = decode_bytes(data)
    assert unicodedata.normalize("NFC", text) == SENTENCE
    assert "Windows-1258" in changes[0]


def test_utf8_read_as_cp1252_is_repaired():
    # How browsers and editors show it: cp1252, with its five undefined bytes as Latin-1.
    mojibake = "".join(
        bytes([b]).decode("cp1252", errors="replace").replace("\ufffd", chr(b))
        for b in SENTENCE.encode("utf-8")
    )
    assert "Ä‘" in mojibake
    text, changes = decode_bytes(mojibake.encode("utf-8"))
    assert text == SENTENCE
    assert "mojibake" in changes[0]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (TCVN3, "TCVN3"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc.", "TCVN3"),
        (VNI, "VNI"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Ñoäc laäp - Töï do - Haïnh phuùc.", "VNI"),
        (VISCII, "VISCII"),
    ],
)
def test_legacy_encodings_are_refused_by_name(text, encoding):
    data = text.encode("latin-1")
    with pytest.raises(InputError, match=f"legacy {encoding}.*convert it to UTF-8"):
        decode_bytes(data, name="bai.txt")


@pytest.mark.parametrize(
    "text",
    [
        SENTENCE,
        "Ông Müller và bà Schröder đã gặp nhau ở Köln; Ủy ban châu Âu xác nhận điều này.",
        "Nhiệt độ 30°C, giá 5 € và © 2025 Báo Điện tử.",
    ],
)
def test_unicode_vietnamese_is_not_suspected(text):
    assert suspect_legacy_encoding(text) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"%PDF-1.7\n%\xe2\xe3", "is a PDF file"),
        (b"PK\x03\x04\x14\x00", "ZIP archive"),
        (b"abc\x00def", "NUL bytes"),
        (bytes(range(1, 32)) * 20, "control characters"),
        (b"\xff\xfe\x00\xd8", "not valid utf-16"),
    ],
)
def test_bad_input_is_refused(data, message):
    with pytest.raises(InputError, match=message):
        decode_bytes(data, name="x.txt")


def test_bytes_undefined_in_cp1258_are_refused():
    # 0x8A is undefined in Windows-1258 and invalid as UTF-8.
    with pytest.raises(InputError, match="neither UTF-8 nor Windows-1258"):
        decode_bytes("Tin tức ".encode() + b"\x8a\x8a", name="x.txt")
