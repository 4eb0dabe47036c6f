"""Reading inputs (files, folders, stdin) and writing outputs atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from vi2en.doc import Document
from vi2en.errors import InputError, Vi2enError
from vi2en.text.clean import clean_text
from vi2en.text.decode import decode_bytes

# Refuse, rather than half-read, inputs no article reaches; 256 MB is ~50 novels.
MAX_INPUT_BYTES = 256 * 1024 * 1024
STDIN = "-"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# The mode a plain open() would give a new file.
_CREATE_MODE = 0o666 & ~_umask()


def read_bytes(source: str | os.PathLike[str]) -> bytes:
    """Read a file, or standard input for "-", with one-line errors for the usual mistakes.

    Raises:
        InputError: missing file, a folder, unreadable, or larger than MAX_INPUT_BYTES.
    """
    if str(source) == STDIN:
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        name = "stdin"
    else:
        path = Path(source)
        name = str(path)
        if path.is_dir():
            raise InputError(
                f"{name} is a folder; give a file (or use `vi2en translate` on folders)"
            )
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        except FileNotFoundError:
            raise InputError(f"no such file: {name}") from None
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"{name} is larger than {MAX_INPUT_BYTES // 2**20} MB; split it into articles first"
        )
    return data


def load_text(source: str | os.PathLike[str]) -> tuple[str, list[str]]:
    """Read, decode and clean one input. Returns the text and what ingest changed.

    Raises:
        InputError: see `read_bytes` and `decode_bytes`; also for whitespace-only input.
    """
    name = "stdin" if str(source) == STDIN else str(source)
    text, changes = decode_bytes(read_bytes(source), name=name)
    text, cleaned = clean_text(text)
    if not text.strip():
        raise InputError(f"{name} has no text (only whitespace)")
    return text, changes + cleaned


def load_document(source: str | os.PathLike[str]) -> Document:
    """Read one input into a `Document` (no segments yet); `meta["source"]` names it."""
    text, changes = load_text(source)
    doc = Document(text=text, changes=changes)
    doc.meta["source"] = "stdin" if str(source) == STDIN else str(source)
    return doc


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write a whole file or nothing: a temp file beside it, then an atomic rename.

    A crash or Ctrl-C never leaves a partial output, so folder runs can resume safely.

    Raises:
        Vi2enError: the output cannot be written (the message says why).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise Vi2enError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            os.fchmod(handle.fileno(), _CREATE_MODE)  # mkstemp makes 0600; outputs are shared
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise Vi2enError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
