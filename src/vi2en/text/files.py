"""Reading inputs (files, folders, stdin) and writing outputs: whole or not at all.

Outputs: a regular file (or a new path) is written atomically, through a locked temp file beside
it that a rerun can recognise and remove if a killed run left it; a character device or a FIFO
is written straight through (replacing `/dev/null` by a file would break the system); a symlink
is followed, so the file it points to is replaced and the link kept; "-" is standard output.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: stale temp files are recognised by age instead
    fcntl = None  # type: ignore[assignment]

from vi2en.doc import Document
from vi2en.errors import InputError, Vi2enError
from vi2en.text.clean import clean_text
from vi2en.text.decode import check_vietnamese, decode_bytes

# Refuse, rather than half-read, inputs no article reaches; 256 MB is ~50 novels.
MAX_INPUT_BYTES = 256 * 1024 * 1024
STDIN = "-"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# The mode a plain open() would give a new file.
_CREATE_MODE = 0o666 & ~_umask()

# Temp files are `.NAME.XXXXXXXX.tmp` beside NAME (tempfile.mkstemp's 8 characters), held under
# an exclusive lock while they exist, so a rerun removes only those whose writer is gone.
TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")


# Called just before standard input is read while it is a terminal, where a user would
# otherwise wait on a silent prompt. The library stays silent (None); the CLI prints a hint.
_terminal_stdin_hint: Callable[[], None] | None = None


def set_terminal_stdin_hint(hint: Callable[[], None] | None) -> Callable[[], None] | None:
    """Install the function called before reading a terminal's standard input; returns the
    previous one."""
    global _terminal_stdin_hint
    previous, _terminal_stdin_hint = _terminal_stdin_hint, hint
    return previous


def read_bytes(
    source: str | os.PathLike[str],
    *,
    limit: int | None = None,
    hint: str = "split it into articles first",
) -> bytes:
    """Read a file, or standard input for "-", with one-line errors for the usual mistakes.

    Never reads more than `limit` (default `MAX_INPUT_BYTES`) + 1 bytes, so a huge file, a FIFO
    or a device that never ends is refused after that much.

    Raises:
        InputError: missing file, a folder, unreadable, or larger than `limit` (the message
            ends with `hint`).
    """
    limit = MAX_INPUT_BYTES if limit is None else limit
    if str(source) == STDIN:
        if _terminal_stdin_hint is not None and sys.stdin is not None and sys.stdin.isatty():
            _terminal_stdin_hint()
        data = sys.stdin.buffer.read(limit + 1)
        name = "stdin"
    else:
        path = Path(source)
        name = str(path)
        if path.is_dir():
            raise InputError(f"{name} is a folder; give a file")
        try:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        except FileNotFoundError:
            raise InputError(f"no such file: {name}") from None
        except NotADirectoryError:
            raise InputError(f"no such file: {name} ({not_a_folder(path)})") from None
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"{name} is larger than {limit / 2**20:g} MB; {hint}")
    return data


# Markup people pass to `translate` by mistake (often a file vi2en itself wrote): the article
# would be translated tags and all. (how the text starts, what it is)
MARKUP_STARTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(r"(?:<\?xml\b[^>]*>\s*)?(?:<!--.*?-->\s*)*" + pattern, re.IGNORECASE | re.DOTALL),
     kind)
    for pattern, kind in (
        (r"<(?:\w+:)?xliff\b", "an XLIFF file"),
        (r"(?:<!DOCTYPE\s+tmx\b|<tmx\b)", "a TMX file"),
        (r"(?:<!DOCTYPE\s+html\b|<html\b|<head\b|<body\b)", "an HTML page"),
        (r'\{\s*"format"\s*:\s*"vi2en-jsonl"', "a vi2en jsonl file"),
        (r"<[\w:-]+[\s>/]", "an XML file"),  # only after an XML declaration or comment: below
    )
)  # fmt: skip


def load_text(
    source: str | os.PathLike[str], *, vietnamese: bool = False
) -> tuple[str, list[str]]:
    """Read, decode and clean one input. Returns the text and what ingest changed.

    Args:
        source: a path, or "-" for standard input.
        vietnamese: the text must be an article (not markup) that is plausibly Vietnamese
            (`vi2en.text.decode.check_vietnamese`).

    Raises:
        InputError: see `read_bytes`, `decode_bytes` and `check_vietnamese`; also for
            whitespace-only input.
    """
    name = "stdin" if str(source) == STDIN else str(source)
    text, changes = decode_bytes(read_bytes(source), name=name)
    text, cleaned = clean_text(text)
    if not text.strip():
        raise InputError(f"{name} has no text (only whitespace)")
    if vietnamese:
        _refuse_markup(text, name)
        changes += check_vietnamese(text, name=name)
    return text, changes + cleaned


def _refuse_markup(text: str, name: str) -> None:
    head = text.lstrip()[:4096]
    for pattern, kind in MARKUP_STARTS:
        found = pattern.match(head)
        if found and (kind != "an XML file" or head.startswith(("<?xml", "<!--"))):
            raise InputError(
                f"{name} is {kind}, not an article: vi2en reads plain text (XLIFF, TMX and HTML "
                "are formats it writes); give the article's text (a vi2en jsonl converts with "
                "`vi2en export`)"
            )


def load_document(source: str | os.PathLike[str]) -> Document:
    """Read one article into a `Document` (no segments yet); `doc.source` names it.

    Raises:
        InputError: see `load_text` (the text must be an article, plausibly Vietnamese).
    """
    text, changes = load_text(source, vietnamese=True)
    return Document(text=text, changes=changes,
                    source="stdin" if str(source) == STDIN else str(source))  # fmt: skip


def is_stdout(output: str | os.PathLike[str] | None) -> bool:
    """Whether an `-o` value means standard output: none given, or "-"."""
    return output is None or str(output) == STDIN


def names_folder(output: str | os.PathLike[str]) -> bool:
    """Whether `-o` names a folder: it ends with a path separator (`-o out/`) or is one."""
    text = str(output)
    return text.endswith(("/", os.sep)) or Path(text).is_dir()


def write_output(output: str | os.PathLike[str] | None, data: str | bytes) -> None:
    """Write a command's single output: standard output for None or "-", else `atomic_write`
    (after removing temp files that an earlier, killed run left beside it).

    Raises:
        Vi2enError: the output cannot be written (the message says why).
    """
    if is_stdout(output):
        write_stdout(data)
        return
    remove_stale_temps([Path(output)])  # type: ignore[arg-type]
    atomic_write(output, data)  # type: ignore[arg-type]


_STDOUT_PIECE = 2048  # characters (at most 8 KB of UTF-8: what fits in the stream's buffer)


def write_stdout(data: str | bytes) -> None:
    """Write all of `data` to standard output, or raise BrokenPipeError.

    In pieces that fit the stream's buffer: one big write to a pipe whose reader leaves
    midway is taken in part, and Python's buffered writer reports the short count, which a text
    stream ignores, so the rest would be dropped without an error (`vi2en ... | head -1`).
    """
    stream = sys.stdout
    if isinstance(data, bytes):
        stream.flush()
        target, step = stream.buffer, 4 * _STDOUT_PIECE
    else:
        target, step = stream, _STDOUT_PIECE
    for start in range(0, len(data), step):
        target.write(data[start : start + step])  # type: ignore[arg-type]
    target.flush()


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write a whole file or nothing, whatever `path` is.

    - a regular file, or nothing yet: a locked temp file beside it, then an atomic rename, so a
      crash, Ctrl-C or kill never leaves a partial output and folder runs can resume safely (an
      existing file keeps its permissions; missing parent folders are created);
    - a symlink: followed, so the file it points to is replaced and the link stays a link;
    - a character device (`/dev/null`, a terminal) or a FIFO: written straight through;
    - anything else (a folder, a block device, a socket): refused.

    Raises:
        Vi2enError: the output cannot be written (the message says why).
        BrokenPipeError: the reader of a FIFO went away (like a closed standard output).
    """
    text = str(path)
    if text.endswith(("/", os.sep)):
        raise Vi2enError(f"cannot write {text}: that is a folder name; give a file name")
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        info = path.stat()  # follows symlinks
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise Vi2enError(f"cannot write {path}: {os_reason(path, exc)}") from None
    if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        _write_through(path, payload)
        return
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise Vi2enError(f"cannot write {path}: it is {kind}")
    linked = path.is_symlink()
    target = Path(os.path.realpath(path)) if linked else path
    if linked and not target.parent.is_dir():
        raise Vi2enError(f"cannot write {path}: it links to {target}, in no existing folder")
    mode = _CREATE_MODE if info is None else stat.S_IMODE(info.st_mode)
    try:
        if info is not None and not os.access(target, os.W_OK):
            raise PermissionError(13, "Permission denied (the file is read-only)")
        if not linked:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _locked_temp(target)
    except OSError as exc:
        raise Vi2enError(f"cannot write {path}: {os_reason(target, exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:  # closing it releases the lock, after the rename
            handle.write(payload)
            os.fchmod(handle.fileno(), mode)  # mkstemp makes 0600; outputs are shared
            handle.flush()
            os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise Vi2enError(f"cannot write {path}: {os_reason(target, exc)}") from None
        raise


def remove_stale_temps(outputs: Iterable[Path]) -> list[Path]:
    """Remove the temp files a killed run left beside `outputs`; return what was removed.

    Only `.NAME.XXXXXXXX.tmp` files of these outputs' names are candidates, and only those no
    writer holds: a running writer keeps its temp file locked until it is renamed, so a
    concurrent run's fresh temp file is never touched (where there is no `fcntl`, only temp files
    older than an hour are removed). One directory listing per folder.
    """
    by_folder: dict[Path, set[str]] = {}
    for output in outputs:
        by_folder.setdefault(output.parent, set()).add(output.name)
    removed: list[Path] = []
    for folder, names in by_folder.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:  # no folder yet, or unreadable: nothing of ours there
            continue
        for entry in entries:
            match = _TEMP_NAME.match(entry.name)
            if match and match["name"] in names and _remove_if_abandoned(Path(entry.path)):
                removed.append(Path(entry.path))
    return removed


def _locked_temp(target: Path) -> tuple[int, str]:
    """A new temp file beside `target`, exclusively locked (see `remove_stale_temps`)."""
    for _ in range(5):
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
        if _try_lock(fd) and os.fstat(fd).st_nlink > 0:
            return fd, tmp
        # A cleaner took it between mkstemp and the lock (and removed it): take another.
        os.close(fd)
    raise OSError(f"could not create a temp file in {target.parent}")


def _remove_if_abandoned(tmp: Path) -> bool:
    try:
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:  # renamed or removed meanwhile: its writer finished
        return False
    try:
        if fcntl is None:
            import time

            abandoned = time.time() - os.fstat(fd).st_mtime > 3600
        else:
            abandoned = _try_lock(fd)
        if abandoned:
            tmp.unlink(missing_ok=True)  # while holding the lock
        return abandoned
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _write_through(path: Path, payload: bytes) -> None:
    """Write to a character device or FIFO in place (never created, never replaced)."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise Vi2enError(f"cannot write {path}: {os_reason(path, exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise Vi2enError(f"cannot write {path}: {os_reason(path, exc)}") from None


def os_reason(path: Path, exc: OSError) -> str:
    """What went wrong, pointing the right way: `a.txt is a file, not a folder` rather than the
    `File exists` that mkdir reports for it."""
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        blocker = not_a_folder(path)
        if blocker:
            return blocker
    return exc.strerror or str(exc)


def not_a_folder(path: Path) -> str:
    """`X is a file, not a folder` for the first parent of `path` that exists but is no folder."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return f"{parent} is a file, not a folder"
    return ""
