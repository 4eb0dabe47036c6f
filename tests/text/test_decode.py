"""Decoding raw bytes: UTF-8, Windows-1258, BOMs, binary, mojibake and legacy encodings."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from vi2en.errors import InputError
from vi2en.text.decode import check_vietnamese, decode_bytes, suspect_legacy_encoding

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


# The same sentence in encodings that Windows-1258 decodes without error (issue 11 item 9: GBK
# Chinese was accepted as garbage Vietnamese by the Windows-1258 fallback).
FOREIGN_8BIT = [
    ("中华人民共和国国务院总理今天在北京会见了越南代表团。", "gbk"),
    ("北京", "gbk"),
    ("中華民國總統今天在台北會見了越南代表團。", "big5"),
    ("한국 대통령은 오늘 서울에서 베트남 대표단을 만났습니다.", "euc-kr"),
    ("Президент России встретился с делегацией Вьетнама.", "cp1251"),
    ("Президент России встретился с делегацией Вьетнама.", "koi8-r"),
    ("นายกรัฐมนตรีไทยพบคณะผู้แทนเวียดนาม", "tis-620"),
]


@pytest.mark.issue(11)
@pytest.mark.parametrize(("text", "encoding"), FOREIGN_8BIT, ids=[e for _, e in FOREIGN_8BIT])
def test_other_8bit_encodings_are_refused_not_read_as_windows_1258(text: str, encoding: str):
    data = text.encode(encoding)
    data.decode("cp1258")  # it would decode, as garbage
    with pytest.raises(InputError, match=r"read as Windows-1258 it is not text .*save it as UTF-8"):
        decode_bytes(data, name="x")


@pytest.mark.parametrize(
    "text", ["Die Straße in München führt über die Brücke.", "He said “it’s fine” – café…"]
)
def test_western_8bit_text_still_decodes_as_windows_1258(text: str):
    assert decode_bytes(text.encode("cp1252"), exact=True)[0] == text
    if "“" in text:
        assert decode_bytes(text.encode("cp1252"))[0] == text


def test_every_ntrex_sentence_in_windows_1258_is_accepted(shared_dir):
    """The Windows-1258 plausibility check on 1,997 real news sentences: none refused."""
    lines = (shared_dir / "data/ntrex128/ntrex.vi").read_text(encoding="utf-8").splitlines()
    for line in lines:
        data = composite(line).encode("cp1258", errors="replace")
        text, _ = decode_bytes(data, name="line")
        assert unicodedata.normalize("NFC", text) == unicodedata.normalize(
            "NFC", composite(line).encode("cp1258", errors="replace").decode("cp1258"))


@pytest.mark.issue(11)
def test_a_repair_that_leaves_replacement_characters_does_not_claim_success():
    """Issue 11 item 10: 'repaired' was said while U+FFFD remained in the text."""
    # Shown through cp1252, whose undefined byte 0x81 (in `ề`) became U+FFFD: lost for good.
    mojibake = "Quân đội Triều Tiên".encode().decode("cp1252", errors="replace")
    text, changes = decode_bytes(mojibake.encode("utf-8"))
    assert text == "Quân đội Tri\ufffdu Tiên"
    assert changes[0].startswith("partly repaired")
    assert changes[-1].startswith("warning: 1 character(s) were already lost")
    whole = "Quân đội Tiên".encode().decode("cp1252")
    clean, changes = decode_bytes(whole.encode())
    assert clean == "Quân đội Tiên" and changes == [
        "repaired UTF-8 text that had been read as cp1252/Latin-1 (mojibake)"]


def test_exact_mode_keeps_utf8_as_it_is():
    data = "\ufeffQuÃ¢n Ä‘á»™i".encode()
    assert decode_bytes(data, exact=True) == ("\ufeffQuÃ¢n Ä‘á»™i", [])
    assert decode_bytes("Café".encode("cp1252"), exact=True)[0] == "Café"


@pytest.mark.issue(11)
@pytest.mark.parametrize(
    ("text", "script"),
    [("北京今天下雨，气温很低。", "Han \\(Chinese\\)"), ("Москва сегодня. Hà Nội", "Cyrillic"),
     ("東京は雨です", "Han \\(Chinese\\)"), ("きょうはあめです", "Japanese \\(hiragana\\)"),
     ("서울은 비가 옵니다", "Hangul \\(Korean\\)")],
)
def test_text_mostly_in_another_script_is_not_vietnamese(text: str, script: str):
    with pytest.raises(InputError, match=rf"x does not look like Vietnamese: \d+% of its letters "
                                         rf"are ({script}) script"):
        check_vietnamese(text, name="x")


def test_vietnamese_passes_and_long_latin_text_without_vietnamese_letters_is_warned():
    assert check_vietnamese(SENTENCE * 20) == []
    assert check_vietnamese("Hà Nội mưa to. 北京") == []  # a quoted name in Han is fine
    assert check_vietnamese("Short English line.") == []  # too short to judge
    english = "The government said the new policy would help people in the city. " * 5
    (warning,) = check_vietnamese(english)
    assert warning.startswith("warning: no Vietnamese letter")
