"""Reading line-aligned evaluation files exactly as the `sacrebleu` command line reads them.

sacreBLEU opens files as strict UTF-8 with `newline="\\n"` and `rstrip()`s every line; doing the
same is what makes our scores equal to its scores. Bytes go through vi2en's one reader
(`vi2en.text.decode.decode_bytes`, exact for UTF-8): a UTF-8 file is read as sacreBLEU reads it;
UTF-16/32 with a byte-order mark and Windows-1258 are decoded as every other command decodes
them (sacreBLEU would fail on them) and say so in a note; binary data, other encodings and
legacy Vietnamese encodings give one line that says what is wrong, never a traceback. A source
file that is translated (`vi2en eval --src`) is read as `vi2en translate` reads an article.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Sequence

from vi2en.errors import InputError, MismatchError
from vi2en.text.files import read_bytes


def decode_lines(
    data: bytes, *, name: str, notes: list[str] | None = None, vietnamese: bool = False
) -> list[str]:
    """Split decoded bytes into lines the way sacreBLEU does (on LF only, each line rstripped).

    Args:
        data: the file's bytes (gzip-compressed when `name` ends in `.gz`).
        name: the file's name, for messages.
        notes: where to add what decoding changed (`name: decoded as Windows-1258 ...`).
        vietnamese: a source to translate: decoded, repaired and checked as `vi2en translate`
            does (`check_vietnamese`); otherwise UTF-8 is kept exactly.

    Raises:
        InputError: the data is empty, binary, undecodable, legacy-encoded or (a Vietnamese
            source) in another script.
    """
    from vi2en.text.decode import check_vietnamese, decode_bytes

    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{name} is not a readable gzip file: {exc}") from None
    if not data.strip():
        raise InputError(f"{name} is empty; expected one segment per line")
    text, changes = decode_bytes(data, name=name, exact=not vietnamese)
    if vietnamese:
        changes += check_vietnamese(text, name=name)
    if notes is not None:
        notes += [f"{name}: {change}" for change in changes]
    lines = text.split("\n")
    if lines[-1] == "":  # the final newline ends the last line; it does not start a new one
        lines.pop()
    return [line.rstrip() for line in lines]


def read_lines(
    path: str | os.PathLike[str], *, notes: list[str] | None = None, vietnamese: bool = False
) -> list[str]:
    """Read a file (or "-" for stdin, or a .gz file) as sacreBLEU reads it (see `decode_lines`).

    Raises:
        InputError: missing, unreadable, empty, binary or undecodable file.
    """
    return decode_lines(read_bytes(path), name=str(path), notes=notes, vietnamese=vietnamese)


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
