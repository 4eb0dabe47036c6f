"""Reading line-aligned evaluation files exactly as the `sacrebleu` command line reads them.

sacreBLEU opens files as strict UTF-8 with `newline="\\n"` and `rstrip()`s every line; doing the
same is what makes our scores equal to its scores. Unlike sacreBLEU, bad files give one line
that says what is wrong (empty, binary, not UTF-8), never a traceback.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Sequence

from vi2en.errors import InputError, MismatchError
from vi2en.text.files import read_bytes


def decode_lines(data: bytes, *, name: str) -> list[str]:
    """Split UTF-8 bytes into lines the way sacreBLEU does (on LF only, each line rstripped).

    Raises:
        InputError: the data is empty, looks binary, or is not valid UTF-8.
    """
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{name} is not a readable gzip file: {exc}") from None
    if not data.strip():
        raise InputError(f"{name} is empty; expected one segment per line")
    if b"\x00" in data:
        raise InputError(f"{name} looks binary (it contains NUL bytes); expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_no = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name} is not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line_no}); "
            "convert it to UTF-8 first"
        ) from None
    lines = text.split("\n")
    if lines[-1] == "":  # the final newline ends the last line; it does not start a new one
        lines.pop()
    return [line.rstrip() for line in lines]


def read_lines(path: str | os.PathLike[str]) -> list[str]:
    """Read a file (or "-" for stdin, or a .gz file) as sacreBLEU reads it.

    Raises:
        InputError: missing, unreadable, empty, binary or undecodable file.
    """
    return decode_lines(read_bytes(path), name=str(path))


def check_same_length(
    named: Sequence[tuple[str, Sequence[object]]], *, against: tuple[str, Sequence[object]]
) -> None:
    """Every (name, lines) must have as many lines as `against`; else one line naming both.

    Raises:
        MismatchError: the first file whose line count differs.
    """
    ref_name, ref_lines = against
    for name, lines in named:
        if len(lines) != len(ref_lines):
            raise MismatchError(
                f"{name} has {len(lines)} lines but {ref_name} has {len(ref_lines)}; "
                "files must correspond line by line (for a differently segmented "
                "hypothesis, use --align)"
            )
