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
        (b"ok\n\xff\xfe\n", r"f is not valid UTF-8 \(byte 0xff on line 2\)"),
    ],
)
def test_bad_data_raises_one_line(data, message):
    with pytest.raises(InputError, match=message):
        decode_lines(data, name="f")


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
