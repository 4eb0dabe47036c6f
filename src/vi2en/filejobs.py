"""Files in, files out: which output each input gets, resume stamps, chunked runs, atomic writes.

`vi2en translate` and the worker processes (`vi2en.workers`) run on these; the translating itself
is `vi2en.translator.Translator`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vi2en.doc import Document
from vi2en.errors import InputError
from vi2en.pipeline import Progress
from vi2en.text.files import is_stdout, names_folder, not_a_folder

if TYPE_CHECKING:
    from vi2en.translator import Translator


@dataclass(frozen=True)
class FileJob:
    """One input and where its translation goes (`output` None: standard output)."""

    source: str
    output: Path | None


@dataclass
class RunSummary:
    """What `translate_files` did: outputs written, outputs already up to date, inputs refused."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, one-line reason)
    changes: list[tuple[str, str]] = field(default_factory=list)  # (input, what ingest changed)


def _output_name(source: Path, suffix: str) -> str:
    # `a.txt` -> `a.en.txt`; `a.md` -> `a.en.txt` with suffix `.en.txt`.
    return (source.stem if source.suffix else source.name) + suffix


def _folder_inputs(folder: Path, suffix: str) -> list[Path]:
    """`*.txt` files under `folder`, sorted, minus hidden files and vi2en's own outputs."""
    return sorted(
        path
        for path in folder.rglob("*.txt")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and not path.name.endswith((suffix, ".en.txt"))
    )


def plan_jobs(inputs: Sequence[str], output: str | None, *, fmt: str = "txt") -> list[FileJob]:
    """Decide the output of each input, the way `vi2en translate INPUT... [-o OUT]` does.

    No input or "-": standard input. One file: standard output (no `-o`, or `-o -`), `-o FILE`,
    or `-o DIR` (an existing folder, or `DIR/` with a trailing slash, created when missing).
    Several inputs or a folder: `-o DIR` is required; a folder's `*.txt` files are mirrored into
    DIR (`a/b.txt` -> `DIR/a/b.en.txt`, suffix per format).

    Raises:
        InputError: a missing input, stdin mixed with files, no `-o` where one is needed, `-o
            DIR/` naming a file, or two inputs that would write the same output.
    """
    from vi2en.formats import get_format

    suffix = get_format(fmt).suffix
    inputs = list(inputs) or ["-"]
    if "-" in inputs and len(inputs) > 1:
        raise InputError("standard input ('-') cannot be combined with other inputs")
    for name in inputs:
        if name != "-" and not Path(name).exists():
            blocker = not_a_folder(Path(name))
            raise InputError(f"no such file or folder: {name}" + (f" ({blocker})" * bool(blocker)))
    if output is not None and not is_stdout(output) and names_folder(output):
        _check_folder(output)
    if len(inputs) == 1 and not Path(inputs[0]).is_dir():
        source = inputs[0]
        if is_stdout(output):
            return [FileJob(source, None)]
        out = Path(output)  # type: ignore[arg-type]
        if names_folder(output):  # type: ignore[arg-type]
            stem = Path("stdin.txt") if source == "-" else Path(source)
            out = out / _output_name(stem, suffix)
        return [FileJob(source, out)]
    if is_stdout(output):
        raise InputError("several inputs or a folder need an output folder: add -o DIR")
    out_dir = Path(output)  # type: ignore[arg-type]
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"-o {output} is a file; several inputs need an output folder")
    _check_folder(str(out_dir))  # a parent that is a file, said before any model loads
    jobs: list[FileJob] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            for source in _folder_inputs(path, suffix):
                rel = source.relative_to(path)
                jobs.append(FileJob(str(source), out_dir / rel.parent / _output_name(rel, suffix)))
        else:
            jobs.append(FileJob(name, out_dir / _output_name(path, suffix)))
    seen: dict[Path, str] = {}
    for job in jobs:
        if job.output in seen:
            raise InputError(f"{seen[job.output]} and {job.source} would both write {job.output}")
        seen[job.output] = job.source  # type: ignore[index]
    return jobs


def _check_folder(output: str) -> None:
    """`-o DIR/` must be a folder, or nothing yet (then it is created as outputs are written)."""
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"-o {output} names a folder, but {folder} is a file")
    blocker = not_a_folder(folder)
    if blocker:
        raise InputError(f"-o {output}: {blocker}")


def run_stamp_path(output: Path) -> Path:
    """The hidden file beside an output that records the settings it was made with."""
    return output.with_name(f".{output.name}.vi2en")


def is_up_to_date(job: FileJob, stamp: str | Callable[[], str] | None = None) -> bool:
    """Whether the job's output exists, is at least as new as its input, and (when `stamp` is
    given) was made with the same settings (`Translator.run_stamp`).

    `stamp` may be a function: it is called only for an output that passed the other checks,
    since making a stamp loads the model (the stamp fingerprints what actually runs).
    """
    if job.output is None or job.source == "-" or not job.output.is_file():
        return False  # devices and FIFOs are always written
    if job.output.stat().st_mtime < Path(job.source).stat().st_mtime:
        return False
    if stamp is None:
        return True
    try:
        recorded = run_stamp_path(job.output).read_text(encoding="utf-8")
    except OSError:
        return False
    return recorded == (stamp() if callable(stamp) else stamp)


def remove_leftovers(jobs: Sequence[FileJob]) -> list[Path]:
    """Remove the temp files a killed run left beside these jobs' outputs and stamps (never a
    running writer's: see `vi2en.text.files.remove_stale_temps`)."""
    from vi2en.text.files import remove_stale_temps

    outputs = [job.output for job in jobs if job.output is not None]
    return remove_stale_temps([*outputs, *map(run_stamp_path, outputs)])


def translate_files(
    translator: Translator,
    jobs: Sequence[FileJob],
    *,
    fmt: str = "txt",
    force: bool = False,
    emit: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    on_document: Callable[[Document], None] | None = None,
    chunk_segments: int = 2000,
) -> RunSummary:
    """Translate files in chunks of documents (batched together) and write each output atomically
    as soon as its document is translated.

    Up-to-date outputs are skipped unless `force`, so an interrupted run resumes where it
    stopped and never writes half a file; a killed run keeps every document it finished. With
    one job, an unreadable input raises; with several, it is recorded in `RunSummary.failed`
    and the others go on.

    Args:
        translator: the loaded (or lazily loading) translator.
        jobs: from `plan_jobs`.
        fmt: output format name (`vi2en.formats.FORMATS`).
        force: rewrite outputs that are up to date.
        emit: where standard-output jobs go (default: nowhere, so pass one for them).
        progress: `progress(done, total)` per chunk, as in `translate_documents`.
        on_document: called with each document once it is loaded (for `--verbose`).
        chunk_segments: about how many segments to translate together before writing.

    Raises:
        InputError: the only input cannot be read.
        ModelNotFound, EngineError: the model cannot be loaded or run.
    """
    from vi2en.formats import get_renderer
    from vi2en.segment import segment_document
    from vi2en.text.files import atomic_write, load_document

    render = get_renderer(fmt)
    stamps: dict[str, str] = {}

    def stamp() -> str:  # made once, when first needed: it loads the model
        if fmt not in stamps:
            stamps[fmt] = translator.run_stamp(fmt)
        return stamps[fmt]

    summary = RunSummary()
    pending: list[tuple[FileJob, Document]] = []

    def write(job: FileJob, doc: Document) -> None:
        text = render(doc)
        if job.output is None:
            if emit is not None:
                emit(text)
            return
        atomic_write(job.output, text)
        if job.output.is_file():  # not beside a device or FIFO (`-o /dev/null`)
            atomic_write(run_stamp_path(job.output), stamp())
        summary.written.append(job.output)

    def flush() -> None:
        if not pending:
            return
        job_of = {id(doc): job for job, doc in pending}
        # Each document is written the moment it is done, not when the chunk is.
        translator.translate_documents(
            [doc for _, doc in pending],
            progress=progress,
            on_document=lambda doc: write(job_of[id(doc)], doc),
        )
        pending.clear()

    remove_leftovers(jobs)
    for job in jobs:
        if not force and is_up_to_date(job, stamp):
            summary.skipped.append(job.output)  # type: ignore[arg-type]
            continue
        try:
            doc = load_document(job.source)
        except InputError as exc:
            if len(jobs) == 1:
                raise
            summary.failed.append((job.source, str(exc)))
            continue
        segment_document(doc)
        summary.changes += [(str(doc.source), change) for change in doc.changes]
        if on_document is not None:
            on_document(doc)
        pending.append((job, doc))
        if sum(len(d.segments) for _, d in pending) >= chunk_segments:
            flush()
    flush()
    order = {job.output: i for i, job in enumerate(jobs)}
    summary.written.sort(key=lambda output: order[output])  # written as finished; listed in order
    return summary
