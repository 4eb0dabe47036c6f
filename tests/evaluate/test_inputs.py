"""Reading evaluation files exactly as sacreBLEU does, with one-line errors."""

from __future__ import annotations

import gzip

import pytest

from vi2en.errors import InputError, MismatchError
from vi2en.evaluate.inputs import check_same_length, decode_lines, read_lines


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"a\nb\n", ["a", "b"]),
        (b"a\nb", ["a", "b"]),
        (b"a\r\nb  \r\n", ["a", "b"]),  # sacreBLEU rstrips every line
        (b"a\n\nb\n", ["a", "", "b"]),
        ("x\u2028y\n".encode(), ["x\u2028y"]),  # only LF ends a line (newline="\n")
        (b"\xef\xbb\xbfa\n", ["\ufeffa"]),  # the BOM is kept, as sacreBLEU keeps it
    ],
)
def test_lines_split_like_sacrebleu(data, lines):
    assert decode_lines(data, name="f") == lines


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "f is empty"),
        (b" \n\n", "f is empty"),
        (b"ab\x00c\n", "f looks binary"),
        ("ok\n北京\n".encode("gbk"), r"f is not UTF-8, and read as Windows-1258 it is not text"),
        (b"ok\n\x81\n", r"f is neither UTF-8 nor Windows-1258 \(undecodable byte at offset 3\)"),
    ],
)
def test_bad_data_raises_one_line(data, message):
    with pytest.raises(InputError, match=message):
        decode_lines(data, name="f")


@pytest.mark.issue(11)
@pytest.mark.parametrize(
    ("data", "note"),
    [
        ("Café au lait\n".encode("cp1252"),
         "f: decoded as Windows-1258 (not valid UTF-8 at byte 3)"),
        ("Café au lait\n".encode("utf-16"), "f: decoded as UTF-16-LE (byte-order mark)"),
    ],
)
def test_files_every_other_command_reads_are_read_here_too_and_noted(data: bytes, note: str):
    """Issue 11 item 9: score refused cp1258 and called UTF-16 with a BOM binary."""
    notes: list[str] = []
    assert decode_lines(data, name="f", notes=notes) == ["Café au lait"]
    assert notes == [note]


def test_utf8_is_read_exactly_as_sacrebleu_reads_it():
    """A BOM stays (sacreBLEU keeps it) and mojibake is not repaired: scores stay sacreBLEU's."""
    notes: list[str] = []
    data = "\ufeffQuÃ¢n Ä‘á»™i\nb\n".encode()
    assert decode_lines(data, name="f", notes=notes) == ["\ufeffQuÃ¢n Ä‘á»™i", "b"]
    assert notes == []


@pytest.mark.issue(11)
def test_a_source_to_translate_is_read_as_translate_reads_an_article():
    tcvn3 = "Qu©n ®éi TriÒu Tiªn ®· ®\xadîc triÓn khai ®Õn khu vùc Kursk cña Nga.\n"
    with pytest.raises(InputError, match="legacy TCVN3"):
        decode_lines(tcvn3.encode("utf-8"), name="src.vi", vietnamese=True)
    with pytest.raises(InputError, match="Han \\(Chinese\\) script"):
        decode_lines("北京今天下雨。\n".encode(), name="src.vi", vietnamese=True)
    notes: list[str] = []
    mojibake = "QuÃ¢n Ä‘á»™i\n".encode()
    assert decode_lines(mojibake, name="src.vi", notes=notes, vietnamese=True) == ["Quân đội"]
    assert "repaired" in notes[0]


def test_gzip_files_are_read(tmp_path):
    path = tmp_path / "ref.en.gz"
    path.write_bytes(gzip.compress("Một\nhai\n".encode()))
    assert read_lines(path) == ["Một", "hai"]


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_lines(tmp_path / "nope.en")


def test_mismatch_names_both_and_counts():
    with pytest.raises(MismatchError, match=r"^hyp has 1 lines but ref has 2; files must"):
        check_same_length([("hyp", ["a"])], against=("ref", ["a", "b"]))
    check_same_length([("hyp", ["a", "b"])], against=("ref", ["x", "y"]))
