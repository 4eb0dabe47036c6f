"""Folder runs on several worker processes, each with its own model, so every core is busy.

Each process reads, segments and writes its own files while the others translate, with
cores/N threads (so one CTranslate2 worker) each. On 2 cores this does not pay: one process's
default layout (2 CTranslate2 workers) already keeps both busy and each process loads its own model
(measured 0.92x by scripts/bench.py); it is meant for machines with more cores. Jobs are dealt to
workers by input size (largest first onto the lightest shard), each worker runs the ordinary
`translate_files` on its shard, and progress and results come back through a pipe per worker.

No worker outlives the run. A worker dies with its parent: `PR_SET_PDEATHSIG` on Linux, and a
thread that watches for the parent to change everywhere, so a parent killed even by SIGKILL
takes its workers with it. An interrupted parent (Ctrl-C, SIGTERM, an error) stops its workers
with SIGTERM, gives them `STOP_GRACE_S` to leave, then kills them. A stopped worker unwinds: the
output it was writing is removed with its temp file, every output it finished stays whole, and a
rerun resumes from there. Workers ignore SIGINT: a Ctrl-C reaches the whole process group, and the
parent alone decides.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from vi2en.errors import EngineError, InputError
from vi2en.filejobs import FileJob, RunSummary, is_up_to_date, remove_leftovers, translate_files
from vi2en.translator import Translator

STOP_GRACE_S = 5.0  # a stopped worker's time to finish unwinding before it is killed
PARENT_POLL_S = 0.25  # how often a worker checks that its parent is alive
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# Progress as (new segments to do, segments done) deltas, so shards can interleave.
ProgressDelta = Callable[[int, int], None]


def shard_jobs(jobs: Sequence[FileJob], workers: int) -> list[list[FileJob]]:
    """Deal jobs onto `workers` shards with about equal input bytes, order kept within a shard."""
    shards: list[list[FileJob]] = [[] for _ in range(workers)]
    sizes = [0] * workers
    for job in sorted(jobs, key=lambda j: -Path(j.source).stat().st_size):
        lightest = sizes.index(min(sizes))
        shards[lightest].append(job)
        sizes[lightest] += Path(job.source).stat().st_size
    order = {job.source: i for i, job in enumerate(jobs)}
    return [sorted(shard, key=lambda j: order[j.source]) for shard in shards if shard]


def _run_shard(
    options: dict[str, Any],
    jobs: list[FileJob],
    fmt: str,
    force: bool,
    channel: Connection,
    parent: int,
) -> None:
    """A worker process: translate `jobs`, sending ("progress", total, done) deltas, then
    ("done", RunSummary) or ("error", exception, traceback text) through `channel`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)
    _die_with_parent(parent)
    last = {"done": 0}

    def progress(done: int, total: int) -> None:
        if done == 0:
            last["done"] = 0
            channel.send(("progress", total, 0))
        else:
            channel.send(("progress", 0, done - last["done"]))
            last["done"] = done

    try:
        summary = RunSummary()
        try:
            translator = Translator(**options)
            summary = translate_files(translator, jobs, fmt=fmt, force=force, progress=progress)
        except InputError as exc:  # a shard of one unreadable file: record it like the others
            summary.failed.append((jobs[0].source, str(exc)))
        channel.send(("done", summary))
    except (SystemExit, BrokenPipeError):  # stopped, or the parent is gone
        raise SystemExit(1) from None
    except BaseException as exc:
        channel.send(("error", _portable(exc), traceback.format_exc()))
    finally:
        channel.close()


@contextmanager
def _sigint_ignored_by_children() -> Iterator[None]:
    """While a worker is spawned, SIGINT is ignored (the worker inherits that, and Python keeps
    an inherited SIG_IGN, so a Ctrl-C while it imports cannot kill it with a traceback) and
    blocked (so a Ctrl-C in this moment still reaches the parent when the block lifts)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    blocking = hasattr(signal, "pthread_sigmask")
    if blocking:
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if blocking:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _leave(signum: int, _frame: Any) -> None:
    """SIGTERM in a worker: unwind once (a write in flight removes its temp file), then go."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def _die_with_parent(parent: int) -> None:
    """Make this process end when `parent` does, however it ends (SIGKILL included)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the watcher below still works
            pass
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    if signal.getsignal(signal.SIGTERM) is _leave:  # not already leaving (PR_SET_PDEATHSIG)
        os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(STOP_GRACE_S)  # the main thread may be inside the engine for a while
    os._exit(1)


def _portable(exc: BaseException) -> BaseException:
    """`exc` itself if it survives pickling, else an EngineError saying what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return EngineError(f"a worker failed: {type(exc).__name__}: {exc}")
    return exc


class _RemoteTraceback(Exception):
    """The worker's traceback, chained under the re-raised exception (shown by --debug)."""

    def __str__(self) -> str:
        return f"\n\n(in the worker process)\n{self.args[0]}"


@dataclass
class _Worker:
    process: Any  # multiprocessing's SpawnProcess
    channel: Connection
    summary: RunSummary | None = None


def _out_of_date(
    options: dict[str, Any], jobs: Sequence[FileJob], *, fmt: str, force: bool
) -> list[FileJob]:
    """The jobs to run. A stamp loads the model (it fingerprints what runs), so only for an
    output that may be current; this translator, and its model, go when this returns, before
    the workers load theirs."""
    if force:
        return list(jobs)
    checker = Translator(**options)
    return [job for job in jobs if not is_up_to_date(job, lambda: checker.run_stamp(fmt))]


def translate_files_parallel(
    options: dict[str, Any],
    jobs: Sequence[FileJob],
    *,
    workers: int,
    fmt: str = "txt",
    force: bool = False,
    progress: ProgressDelta | None = None,
) -> RunSummary:
    """Translate file jobs (all with output files) on `workers` processes.

    Args:
        options: keyword arguments for `Translator` in each worker; `threads` 0 becomes
            cores // workers, so the workers share the cores instead of fighting over them.
        jobs: from `plan_jobs`; every job must have an output file.
        workers: number of processes (>= 2).
        fmt: output format name.
        force: rewrite outputs that are up to date.
        progress: called with (new segments to do, segments done) deltas.

    Raises:
        ModelNotFound, EngineError: raised in a worker, re-raised here.
    """
    if any(job.output is None for job in jobs):
        raise InputError("--workers needs output files (-o DIR), not standard output")
    options = dict(options)
    if not options.get("threads"):
        options["threads"] = max(1, (os.cpu_count() or 1) // workers)
    pending = _out_of_date(options, jobs, fmt=fmt, force=force)
    summary = RunSummary(skipped=[job.output for job in jobs if job not in pending])  # type: ignore[misc]
    if not pending:
        return summary
    # spawn, not fork: a parent that already runs torch threads must not be forked.
    context = multiprocessing.get_context("spawn")
    running: list[_Worker] = []
    try:
        for shard in shard_jobs(pending, workers):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_run_shard,
                args=(options, shard, fmt, force, send, os.getpid()),
                name="vi2en-worker",
                daemon=True,
            )
            with _sigint_ignored_by_children():
                process.start()
            send.close()  # the worker holds the only sending end: EOF means it has gone
            running.append(_Worker(process, receive))
        _collect(running, progress)
    finally:
        _stop(running)
        remove_leftovers(pending)  # temp files of workers that were killed mid-write
    for worker in running:
        part = worker.summary
        assert part is not None
        summary.written.extend(part.written)
        summary.skipped.extend(part.skipped)
        summary.failed.extend(part.failed)
        summary.changes.extend(part.changes)
    return summary


def _collect(running: list[_Worker], progress: ProgressDelta | None) -> None:
    """Read every worker's messages until each has sent its summary and gone.

    Raises:
        whatever a worker raised (ModelNotFound, EngineError...); EngineError when a worker
        died without a word (killed, out of memory).
    """
    by_channel = {worker.channel: worker for worker in running}
    while by_channel:
        for channel in wait(list(by_channel)):
            worker = by_channel[channel]  # type: ignore[index]
            try:
                message = channel.recv()  # type: ignore[union-attr]
            except EOFError:
                del by_channel[channel]  # type: ignore[arg-type]
                if worker.summary is None:
                    worker.process.join()
                    raise EngineError(
                        f"a worker process stopped ({_how(worker.process.exitcode)}); the "
                        "outputs it finished are kept, rerun to translate the rest"
                    ) from None
                continue
            kind = message[0]
            if kind == "progress" and progress is not None:
                progress(message[1], message[2])
            elif kind == "done":
                worker.summary = message[1]
            elif kind == "error":
                error: BaseException = message[1]
                error.__cause__ = _RemoteTraceback(message[2])
                raise error


def _stop(running: list[_Worker]) -> None:
    """End every worker still running: SIGTERM, `STOP_GRACE_S` to unwind, then SIGKILL."""
    for worker in running:
        if worker.process.is_alive():
            worker.process.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for worker in running:
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.channel.close()


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"
