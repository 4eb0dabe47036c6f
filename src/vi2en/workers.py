"""Folder runs on several worker processes, each with its own model, so every core is busy.

Each process reads, segments and writes its own files while the others translate, with
cores/N threads (so one CTranslate2 worker) each. On 2 cores this does not pay: one process's
default layout (2 CTranslate2 workers) already keeps both busy and each process loads its own model
(measured 0.92x by scripts/bench.py); it is meant for machines with more cores. Jobs are dealt to
workers by input size (largest first onto the lightest shard), each worker runs the ordinary
`translate_files` on its shard, and progress comes back through a queue.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from vi2en.errors import InputError
from vi2en.filejobs import FileJob, RunSummary, is_up_to_date, translate_files
from vi2en.translator import Translator

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
    options: dict[str, Any], jobs: list[FileJob], fmt: str, force: bool, progress_queue: Any
) -> RunSummary:
    translator = Translator(**options)
    last = {"done": 0}

    def progress(done: int, total: int) -> None:
        if done == 0:
            last["done"] = 0
            progress_queue.put((total, 0))
        else:
            progress_queue.put((0, done - last["done"]))
            last["done"] = done

    summary = RunSummary()
    try:
        summary = translate_files(translator, jobs, fmt=fmt, force=force, progress=progress)
    except InputError as exc:  # a shard of one unreadable file: record it like the others
        summary.failed.append((jobs[0].source, str(exc)))
    return summary


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
    with context.Manager() as manager, ProcessPoolExecutor(workers, mp_context=context) as pool:
        deltas = manager.Queue()
        futures = [
            pool.submit(_run_shard, options, shard, fmt, force, deltas)
            for shard in shard_jobs(pending, workers)
        ]
        while not all(f.done() for f in futures):
            _drain(deltas, progress, timeout=0.2)
        _drain(deltas, progress, timeout=0)
        for future in futures:
            part = future.result()  # re-raises a worker's ModelNotFound / EngineError
            summary.written.extend(part.written)
            summary.skipped.extend(part.skipped)
            summary.failed.extend(part.failed)
            summary.changes.extend(part.changes)
    return summary


def _drain(deltas: Any, progress: ProgressDelta | None, *, timeout: float) -> None:
    try:
        item = deltas.get(timeout=timeout) if timeout else deltas.get_nowait()
        while True:
            if progress is not None:
                progress(*item)
            item = deltas.get_nowait()
    except queue.Empty:
        return
