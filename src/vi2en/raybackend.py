"""`vi2en translate --backend ray`: folders and datasets on a Ray cluster, local or real.

Ray Data runs a callable class as a pool of actors (`Dataset.map_batches` with an
`ActorPoolStrategy`). Each actor builds its own `Translator`, so the model is loaded in the
actors and never in the driver, and runs the local backend's own code on its batch:
`vi2en.filejobs.translate_files` for a folder's files, `vi2en.datasets.translate_rows` for
dataset rows. Outputs are therefore those of `--backend local`, byte for byte.

- The driver checks the model first in one Ray task with an actor's resources (a missing model
  is one line, not a pool of failing actors); that task also gives the settings stamp, so the
  driver skips finished outputs (folder) or finished shards (dataset) before starting actors.
- Each actor gets `--cpus-per-actor` CPUs and as many translation threads, so actors x threads
  never exceed a node's cores (Ray places actors by their CPUs); `--gpus-per-actor` may be
  fractional (two replicas on one GPU).
- An actor that dies is restarted by Ray and its unfinished batches are retried. A retried
  batch never writes a document twice: outputs this run already wrote (their stamp matches and
  they are newer than the run's start) are left alone, and a dataset shard is named by its ids,
  so a retry replaces the same file.
- A document that cannot be read or translated is an error row with its one-line reason.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vi2en.datasets import one_line as _one_line
from vi2en.errors import InputError, Vi2enError
from vi2en.filejobs import FileJob, RunSummary, is_up_to_date, remove_leftovers

MAX_ACTORS = 10_000


class RayBackendError(Vi2enError):
    """Ray is missing, the cluster cannot be reached, or it cannot hold the actors asked for."""


@dataclass(frozen=True)
class RayOptions:
    """How to run on Ray.

    Attributes:
        address: "auto" (a running cluster on this node), "ray://host:10001" (Ray Client),
            "host:6379", or None: start a local cluster (or use the one this process has).
        actors: (min, max) actors; min < max autoscales between them. None: as many as the
            cluster's CPUs (or GPUs, with `gpus_per_actor`) hold.
        cpus_per_actor: CPUs each actor reserves; it translates with that many threads.
        gpus_per_actor: GPUs each actor reserves (0.5: two actors share a GPU).
        batch_docs: documents an actor takes at a time (for datasets: rows per shard).
        local_cpus: CPUs a local cluster started here may use (None: all).
    """

    address: str | None = None
    actors: tuple[int, int] | None = None
    cpus_per_actor: float = 1.0
    gpus_per_actor: float = 0.0
    batch_docs: int = 16
    local_cpus: int | None = None


@dataclass
class BatchResult:
    """One actor call, as the driver sees it."""

    actor: str  # "host:pid"
    load_seconds: float
    seconds: float
    resources: dict[str, float]


@dataclass
class RayRun:
    """What a Ray run did, and how long each stage took (seconds)."""

    total: int = 0  # documents to do in this run
    documents: int = 0
    segments: int = 0
    errors: int = 0
    started: float = field(default_factory=time.perf_counter)
    stages: dict[str, float] = field(default_factory=dict)
    batches: list[BatchResult] = field(default_factory=list)
    retried: int = 0  # documents a retried batch found already written by this run

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def rates(self) -> tuple[float, float, float | None]:
        """(documents/s, segments/s, seconds left) since the actors started work."""
        since = self.stages.get("start", 0.0) + self.stages.get("model check", 0.0)
        working = max(1e-9, self.elapsed - since)
        docs_s = self.documents / working
        left = (self.total - self.documents) / docs_s if docs_s > 0 else None
        return docs_s, self.segments / working, left

    def progress_line(self) -> str:
        docs_s, segs_s, left = self.rates()
        eta = "?" if left is None else f"{left:.0f} s"
        return (f"{self.documents}/{self.total} documents, {self.segments} segments, "
                f"{self.errors} errors; {docs_s:.2f} doc/s, {segs_s:.1f} segments/s, ETA {eta}")

    def summary(self) -> str:
        """The end-of-run summary: counts, rates and time per stage."""
        actors = {b.actor for b in self.batches}
        loads = [b.load_seconds for b in self.batches if b.load_seconds]
        stages = dict(self.stages)
        if loads:
            stages["model load (slowest actor)"] = max(loads)
        stages["actor work (all actors)"] = sum(b.seconds for b in self.batches)
        stages["wall"] = self.elapsed
        timing = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stages.items())
        docs_s, segs_s, _ = self.rates()
        return (f"{self.documents} document(s), {self.segments} segment(s), {self.errors} "
                f"error(s) on {len(actors)} actor(s): {docs_s:.2f} doc/s, {segs_s:.1f} "
                f"segments/s; {timing}")  # fmt: skip


Progress = Callable[[RayRun, list[dict[str, Any]]], None]


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise RayBackendError(
            "--backend ray needs Ray Data: pip install 'vi2en[ray]'"
        ) from None
    return ray


def connect(options: RayOptions) -> bool:
    """Join the cluster at `options.address`, or start a local one; True if this call started
    Ray (the caller then shuts it down). A process already connected keeps its connection.

    Raises:
        RayBackendError: Ray is not installed or the cluster cannot be reached.
    """
    ray = _import_ray()
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING}
    if options.address is None:
        kwargs["num_cpus"] = options.local_cpus
    try:
        ray.init(address=options.address, **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = options.address or "a local cluster"
        raise RayBackendError(f"cannot connect to Ray at {where}: {_one_line(exc)}") from None
    return True


def _quiet_ray_data() -> None:
    """The driver prints its own progress: Ray Data's bars and per-run banners off."""
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.enable_auto_log_stats = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)


def pool_size(
    options: RayOptions, resources: dict[str, float], batches: int, *, reserve_cpus: float = 0
) -> tuple[int, int]:
    """(min, max) actors for a run of `batches` batches on a cluster with these resources,
    leaving `reserve_cpus` free (a dataset's readers: Ray Data stalls when actors hold every
    CPU of the cluster while a read is pending, measured with Ray 2.60).

    Raises:
        RayBackendError: the cluster cannot hold the minimum number of actors asked for.
    """
    cpus, gpus = resources.get("CPU", 0.0) - reserve_cpus, resources.get("GPU", 0.0)
    if options.gpus_per_actor > 0 and gpus < options.gpus_per_actor:
        raise RayBackendError(
            f"--gpus-per-actor {options.gpus_per_actor:g}: the Ray cluster has "
            f"{gpus:g} GPU(s)"
        )
    fit = int(cpus // options.cpus_per_actor) if options.cpus_per_actor > 0 else MAX_ACTORS
    if options.gpus_per_actor > 0:
        fit = min(fit, int(gpus // options.gpus_per_actor))
    low, high = options.actors or (max(1, fit), max(1, fit))
    if low > fit:
        need = [f"{low * options.cpus_per_actor:g} CPUs"]
        if options.gpus_per_actor:
            need.append(f"{low * options.gpus_per_actor:g} GPUs")
        raise RayBackendError(
            f"{low} actor(s) need {' and '.join(need)}; the Ray cluster has {cpus:g} CPUs "
            f"{'for actors (one is kept for reading) ' if reserve_cpus else ''}and {gpus:g} "
            "GPUs (lower --actors or --cpus-per-actor)"
        )
    high = max(1, min(high, batches))
    return min(low, high), high


def actor_translator_options(
    options: dict[str, Any], ray_options: RayOptions
) -> dict[str, Any]:
    """`Translator` keywords for an actor: threads = its CPUs unless set, never more.

    Raises:
        InputError: `--threads` above `--cpus-per-actor`, or `--device cuda` without GPUs.
    """
    options = dict(options)
    cap = max(1, int(ray_options.cpus_per_actor))
    threads = int(options.get("threads") or 0)
    if threads > cap:
        raise InputError(
            f"--threads {threads} is more than --cpus-per-actor {ray_options.cpus_per_actor:g} "
            "reserves for each actor; raise --cpus-per-actor or lower --threads"
        )
    options["threads"] = threads or cap
    if options.get("device") == "cuda" and ray_options.gpus_per_actor <= 0:
        raise InputError("--device cuda on Ray needs --gpus-per-actor (actors without one "
                         "see no GPU)")  # fmt: skip
    return options


def actor_remote_args(ray_options: RayOptions) -> dict[str, Any]:
    """Ray resources of each actor (`map_batches` keywords). Ray Data already restarts dead
    actors and retries their batches without limit (`max_restarts=-1`)."""
    args: dict[str, Any] = {"num_cpus": ray_options.cpus_per_actor}
    if ray_options.gpus_per_actor > 0:
        args["num_gpus"] = ray_options.gpus_per_actor
    return args


def _model_check(translator_options: dict[str, Any], fmt: str) -> str:
    """In a Ray task: load the model as an actor would and return the run stamp."""
    from vi2en.translator import Translator

    return Translator(**translator_options).run_stamp(fmt)


def check_model(
    translator_options: dict[str, Any], ray_options: RayOptions, fmt: str
) -> str:
    """Load the model once on the cluster (not in the driver) and return its run stamp.

    Raises:
        ModelNotFound, EngineError: as `Translator` raises them, on one line.
    """
    ray = _import_ray()
    remote_args = {"num_cpus": ray_options.cpus_per_actor}
    if ray_options.gpus_per_actor > 0:
        remote_args["num_gpus"] = ray_options.gpus_per_actor
    task = ray.remote(_model_check).options(**remote_args, max_retries=0)
    try:
        return ray.get(task.remote(translator_options, fmt))
    except ray.exceptions.RayTaskError as exc:
        if isinstance(exc.cause, Vi2enError):
            raise exc.cause from None
        raise


def _actor_identity() -> tuple[str, dict[str, float]]:
    import ray

    try:
        resources = dict(ray.get_runtime_context().get_assigned_resources())
    except Exception:  # outside an actor (a test calling the class directly)
        resources = {}
    return f"{socket.gethostname()}:{os.getpid()}", resources


class _Worker:
    """What both actor classes share: the translator, built once per actor, and timing."""

    def __init__(self, translator_options: dict[str, Any], fmt: str) -> None:
        from vi2en.translator import Translator

        began = time.perf_counter()
        self.translator = Translator(**translator_options)
        self.stamp = self.translator.run_stamp(fmt)  # loads the model, here in the actor
        self.load_seconds = time.perf_counter() - began
        self.identity, self.resources = _actor_identity()

    def _meta(self, rows: int, began: float) -> dict[str, list[Any]]:
        """Per-row copies of the call's facts (a block may hold several calls' rows)."""
        import json

        call = uuid.uuid4().hex
        load, self.load_seconds = self.load_seconds, 0.0  # reported once per actor
        return {
            "call": [call] * rows,
            "actor": [self.identity] * rows,
            "load_seconds": [load] * rows,
            "seconds": [time.perf_counter() - began] * rows,
            "resources": [json.dumps(self.resources)] * rows,
        }


class FolderActor(_Worker):
    """Ray Data callable: a batch of file jobs in, one status row per job out."""

    def __init__(
        self, translator_options: dict[str, Any], fmt: str, force: bool, run_started: float
    ) -> None:
        super().__init__(translator_options, fmt)
        self.fmt, self.force, self.run_started = fmt, force, run_started

    def _written_by_this_run(self, job: FileJob) -> bool:
        # Only a retry after an actor died finds one: the driver sent only outdated outputs.
        return (
            job.output is not None
            and is_up_to_date(job, self.stamp)
            and job.output.stat().st_mtime >= self.run_started
        )

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        from vi2en.doc import Document
        from vi2en.filejobs import translate_files

        began = time.perf_counter()
        jobs = [
            FileJob(source, Path(output))
            for source, output in zip(batch["source"].to_pylist(), batch["output"].to_pylist(),
                                      strict=True)
        ]  # fmt: skip
        segments: dict[str, int] = {}

        def count(doc: Document) -> None:
            segments[str(doc.source)] = len(doc.segments)

        status: dict[str, tuple[str, str | None]] = {}
        todo = []
        for job in jobs:
            if self._written_by_this_run(job):
                status[job.source] = ("retried", None)
            else:
                todo.append(job)
        try:
            summary = translate_files(self.translator, todo, fmt=self.fmt, force=self.force,
                                      on_document=count)  # fmt: skip
            parts = [summary]
        except Exception:  # a document broke the batch: translate each alone to find it
            parts = []
            for job in todo:
                if self._written_by_this_run(job):
                    status[job.source] = ("written", None)
                    continue
                try:
                    parts.append(translate_files(self.translator, [job], fmt=self.fmt,
                                                 force=self.force, on_document=count))
                except Exception as exc:
                    status[job.source] = ("error", _one_line(exc))
        for part in parts:
            by_output = {job.output: job.source for job in todo}
            for output in part.written:
                status[by_output[output]] = ("written", None)
            for output in part.skipped:
                status[by_output[output]] = ("skipped", None)
            for source, reason in part.failed:
                status[source] = ("error", reason)
        rows = {
            "source": [job.source for job in jobs],
            "output": [str(job.output) for job in jobs],
            "status": [status.get(job.source, ("error", "not translated"))[0] for job in jobs],
            "message": [status.get(job.source, ("", None))[1] for job in jobs],
            "segments": [segments.get(job.source, 0) for job in jobs],
        }
        return {**rows, **self._meta(len(jobs), began)}


class DatasetActor(_Worker):
    """Ray Data callable: a batch of dataset rows in, one shard written, one status row out."""

    def __init__(
        self,
        translator_options: dict[str, Any],
        spec: Any,
        out_dir: str,
        done: frozenset[str],
    ) -> None:
        from vi2en.datasets import dataset_stamp

        super().__init__(translator_options, "txt")
        self.spec, self.out_dir, self.done = spec, Path(out_dir), done
        self.shard_stamp = dataset_stamp(self.stamp, spec)

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        from vi2en.datasets import (
            rows_from_columns,
            rows_from_jsonl,
            translate_rows,
            write_shard,
        )

        began = time.perf_counter()
        spec = self.spec
        if spec.kind == "jsonl":
            rows = rows_from_jsonl(batch["text"].to_pylist(), id_field=spec.id_field,
                                   text_field=spec.text_field)  # fmt: skip
        else:
            ids, texts = batch[spec.id_field].to_pylist(), batch[spec.text_field].to_pylist()
            rows = rows_from_columns(ids, texts, id_field=spec.id_field,
                                     text_field=spec.text_field)  # fmt: skip
        rows = [row for row in rows if row.id not in self.done]
        out: dict[str, list[Any]] = {"shard": [], "rows": [], "errors": [], "segments": []}
        if rows:
            records = translate_rows(self.translator, rows)
            info = write_shard(self.out_dir, records, shard_format=spec.shard_format,
                               stamp=self.shard_stamp)  # fmt: skip
            segments = sum(len(r["segments"] or ()) for r in records)
            out = {"shard": [info.file], "rows": [info.rows], "errors": [info.errors],
                   "segments": [segments]}  # fmt: skip
        return {**out, **self._meta(len(out["shard"]), began)}


@contextmanager
def _session(
    translator_options: dict[str, Any], ray_options: RayOptions, fmt: str
) -> Iterator[tuple[Any, dict[str, Any], str, RayRun]]:
    """Connect (shutting down on exit what this started), check the model on the cluster:
    yields Ray, the actors' translator options, the run stamp and the run's record."""
    options = actor_translator_options(translator_options, ray_options)
    run = RayRun()
    ray = _import_ray()
    started_ray = connect(ray_options)
    try:
        _quiet_ray_data()
        run.stages["start"] = run.elapsed
        stamp = check_model(options, ray_options, fmt)
        run.stages["model check"] = run.elapsed - run.stages["start"]
        yield ray, options, stamp, run
    finally:
        if started_ray:
            ray.shutdown()


def _map(ray: Any, ds: Any, actor: type, kwargs: dict[str, Any], ray_options: RayOptions,
         pool: tuple[int, int]) -> Any:  # fmt: skip
    return ds.map_batches(
        actor,
        batch_size=ray_options.batch_docs,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(min_size=pool[0], max_size=pool[1]),
        fn_constructor_kwargs=kwargs,
        **actor_remote_args(ray_options),
    )


def _collect(ds: Any, run: RayRun, progress: Progress | None, *, count: str) -> list[dict]:
    """Run the dataset, feeding `run` and `progress` as each actor call's rows come back."""
    rows_seen: list[dict[str, Any]] = []
    calls: set[str] = set()
    for block in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
        rows = block.to_pylist()
        for row in rows:
            if row["call"] not in calls:
                calls.add(row["call"])
                run.batches.append(BatchResult(row["actor"], row["load_seconds"],
                                               row["seconds"], _json(row["resources"])))
            run.segments += row["segments"]
            if count == "documents":
                run.documents += 1
                run.errors += row["status"] == "error"
                run.retried += row["status"] == "retried"
            else:
                run.documents += row["rows"]
                run.errors += row["errors"]
        rows_seen.extend(rows)
        if progress is not None:
            progress(run, rows)
    return rows_seen


def _json(text: str) -> dict[str, float]:
    import json

    return dict(json.loads(text))


def translate_folder(
    translator_options: dict[str, Any],
    jobs: Sequence[FileJob],
    ray_options: RayOptions,
    *,
    fmt: str = "txt",
    force: bool = False,
    progress: Progress | None = None,
) -> tuple[RunSummary, RayRun]:
    """Translate file jobs (from `plan_jobs`, all with output files) on Ray actors.

    Returns the same `RunSummary` as `translate_files` (written, skipped, failed) and the
    run's counts and stage times.

    Raises:
        InputError: a job writes to standard output, or the thread/device settings conflict.
        RayBackendError: Ray is missing or the cluster cannot hold the actors.
        ModelNotFound, EngineError: the model cannot be loaded on the cluster.
    """
    if any(job.output is None for job in jobs):
        raise InputError("--backend ray needs output files (-o DIR), not standard output")
    with _session(translator_options, ray_options, fmt) as (ray, options, stamp, run):
        remove_leftovers(jobs)
        run_started = time.time()
        pending = list(jobs) if force else [j for j in jobs if not is_up_to_date(j, stamp)]
        summary = RunSummary(skipped=[j.output for j in jobs if j not in pending])  # type: ignore[misc]
        run.total = len(pending)
        if not pending:
            return summary, run
        batches = math.ceil(len(pending) / ray_options.batch_docs)
        pool = pool_size(ray_options, ray.cluster_resources(), batches)
        items = [{"source": job.source, "output": str(job.output)} for job in pending]
        ds = ray.data.from_items(items, override_num_blocks=batches)
        kwargs = dict(translator_options=options, fmt=fmt, force=force, run_started=run_started)
        ds = _map(ray, ds, FolderActor, kwargs, ray_options, pool)
        for row in _collect(ds, run, progress, count="documents"):
            if row["status"] in ("written", "retried"):
                summary.written.append(Path(row["output"]))
            elif row["status"] == "skipped":
                summary.skipped.append(Path(row["output"]))
            else:
                summary.failed.append((row["source"], row["message"] or "not translated"))
        return summary, run


@dataclass
class DatasetSummary:
    """What a dataset run did: the manifest, shards kept from earlier runs and shards written."""

    manifest: Path
    kept: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    rows: int = 0
    errors: int = 0


def translate_dataset(
    translator_options: dict[str, Any],
    spec: Any,
    out_dir: str | Path,
    ray_options: RayOptions,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> tuple[DatasetSummary, RayRun]:
    """Translate a dataset (`vi2en.datasets.check_dataset`) into shards and a manifest.

    Raises:
        InputError: -o names a file, or the thread/device settings conflict.
        RayBackendError, ModelNotFound, EngineError: as for `translate_folder`.
    """
    from vi2en import datasets

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"-o {out_dir} is a file; a dataset needs an output folder")
    with _session(translator_options, ray_options, "txt") as (ray, options, run_stamp, run):
        stamp = datasets.dataset_stamp(run_stamp, spec)
        kept = datasets.finished_shards(out, stamp, force=force)
        done = frozenset(i for shard in kept for i in shard.ids)
        total = datasets.count_rows(spec)
        run.total = max(0, total - len(done))
        summary = DatasetSummary(out / datasets.MANIFEST, kept=[s.file for s in kept])
        shards = list(kept)
        if run.total:
            paths = [str(Path(name).resolve()) for name in spec.inputs]
            batches = max(1, math.ceil(total / ray_options.batch_docs))
            # Readers take no CPU: the actors may hold every CPU, and a reader waiting for one
            # would stall the run (Ray Data's repartition does, so blocks are split at read).
            read = {"num_cpus": 0, "override_num_blocks": batches}
            if spec.kind == "parquet":
                ds = ray.data.read_parquet(paths, columns=[spec.id_field, spec.text_field],
                                           **read)  # fmt: skip
            else:
                ds = ray.data.read_text(paths, drop_empty_lines=True, **read)
            pool = pool_size(ray_options, ray.cluster_resources(), batches, reserve_cpus=1)
            kwargs = dict(translator_options=options, spec=spec, out_dir=str(out.resolve()),
                          done=done)  # fmt: skip
            ds = _map(ray, ds, DatasetActor, kwargs, ray_options, pool)
            for row in _collect(ds, run, progress, count="rows"):
                info = datasets.ShardInfo(row["shard"], row["rows"], row["errors"])
                shards.append(info)
                summary.written.append(info.file)
        unique = {s.file: s for s in shards}  # a retried batch reports its shard once more
        datasets.write_manifest(out, spec, stamp, list(unique.values()))
        summary.rows = sum(s.rows for s in unique.values())
        summary.errors = sum(s.errors for s in unique.values())
        return summary, run


__all__ = [
    "DatasetActor",
    "DatasetSummary",
    "FolderActor",
    "RayBackendError",
    "RayOptions",
    "RayRun",
    "actor_remote_args",
    "actor_translator_options",
    "check_model",
    "connect",
    "pool_size",
    "translate_dataset",
    "translate_folder",
]
