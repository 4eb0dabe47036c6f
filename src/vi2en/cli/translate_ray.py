"""`vi2en translate --backend ray`: the flags, their checks, the driver's progress and summary.

The work itself is `vi2en.raybackend`'s; nothing here imports Ray until a Ray run starts.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from vi2en.cli.options import float_range, int_range, int_span

BACKENDS = ("local", "ray")
MAX_ACTORS = 10_000
MAX_BATCH_DOCS = 1_000_000
DEFAULT_BATCH_DOCS = 16
PROGRESS_EVERY_S = 30.0  # a progress line this often when stderr is not a terminal
RAY_ONLY = ("ray_address", "actors", "cpus_per_actor", "gpus_per_actor", "batch_docs",
            "id_field", "text_field", "shard_format")  # fmt: skip


def add_ray_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "backend", "--backend ray runs folders and datasets on Ray actors (pip install "
        "'vi2en[ray]'; README: 'Running on a cluster')",
    )  # fmt: skip
    group.add_argument("--backend", choices=BACKENDS, default="local",
                       help="local processes (default) or a Ray cluster")  # fmt: skip
    group.add_argument(
        "--ray-address", metavar="ADDRESS",
        help="auto (a running cluster), ray://HOST:10001 or HOST:6379; default: a local "
        "cluster on this machine",
    )  # fmt: skip
    group.add_argument(
        "--actors", type=int_span(1, MAX_ACTORS), metavar="N|MIN-MAX",
        help="translation actors, each with its own model; MIN-MAX autoscales (default: as "
        "many as the cluster's CPUs, or GPUs, hold)",
    )  # fmt: skip
    group.add_argument(
        "--cpus-per-actor", type=float_range(0.01, 1024), metavar="N",
        help="CPUs each actor reserves and translates with (default: 1)",
    )  # fmt: skip
    group.add_argument(
        "--gpus-per-actor", type=float_range(0, 64), metavar="N",
        help="GPUs each actor reserves; fractional shares a GPU (0.5: two actors per GPU)",
    )  # fmt: skip
    group.add_argument(
        "--batch-docs", type=int_range(1, MAX_BATCH_DOCS), metavar="N",
        help=f"documents an actor takes at a time; rows per shard for datasets "
        f"(default: {DEFAULT_BATCH_DOCS})",
    )  # fmt: skip
    data = parser.add_argument_group(
        "datasets", "INPUT may be .jsonl or .parquet files of articles (--backend ray): "
        "-o DIR gets shards/ (one row per article) and manifest.json",
    )  # fmt: skip
    data.add_argument("--id-field", metavar="NAME", help="the id column (default: id)")
    data.add_argument("--text-field", metavar="NAME", help="the text column (default: text)")
    data.add_argument("--shard-format", choices=("parquet", "jsonl"),
                      help="format of the output shards (default: the input's)")  # fmt: skip


def check_ray_arguments(args: argparse.Namespace) -> None:
    """Refuse Ray-only flags without `--backend ray`, and the flags Ray does not take.

    Raises:
        InputError: a conflicting combination (one line, exit 2).
    """
    from vi2en.datasets import is_dataset
    from vi2en.errors import InputError

    given = [name for name in RAY_ONLY if getattr(args, name, None) is not None]
    if args.backend != "ray":
        if given:
            flag = "--" + given[0].replace("_", "-")
            raise InputError(f"{flag} is for --backend ray")
        if args.inputs and is_dataset(args.inputs):
            raise InputError("dataset inputs (.jsonl, .parquet) are translated with "
                             "--backend ray")  # fmt: skip
        return
    if args.workers > 1:
        raise InputError("--workers is for --backend local; on Ray use --actors")
    if not args.output or args.output == "-":
        raise InputError("--backend ray writes files: add -o DIR")


def ray_options(args: argparse.Namespace) -> Any:
    from vi2en.raybackend import RayOptions

    return RayOptions(
        address=args.ray_address,
        actors=args.actors,
        cpus_per_actor=args.cpus_per_actor or 1.0,
        gpus_per_actor=args.gpus_per_actor or 0.0,
        batch_docs=args.batch_docs or DEFAULT_BATCH_DOCS,
    )


class RayProgress:
    """Driver progress: a tqdm bar on a terminal, else a line every `every` seconds."""

    def __init__(self, *, quiet: bool, every: float = PROGRESS_EVERY_S) -> None:
        self.quiet, self.every = quiet, every
        self.bar: Any = None
        self.last = time.monotonic()

    def __call__(self, run: Any, rows: list[dict[str, Any]]) -> None:
        if self.quiet:
            return
        if sys.stderr.isatty():
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=run.total, unit="doc", file=sys.stderr, dynamic_ncols=True)
            self.bar.update(run.documents - self.bar.n)
            self.bar.set_postfix_str(f"{run.rates()[1]:.1f} segments/s, {run.errors} errors")
        elif time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            print(f"vi2en translate: ray: {run.progress_line()}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_ray(args: argparse.Namespace, options: dict[str, Any]) -> int:
    from vi2en.datasets import check_dataset, is_dataset

    progress = RayProgress(quiet=args.quiet)
    try:
        if args.inputs and is_dataset(args.inputs):
            spec = check_dataset(args.inputs, id_field=args.id_field or "id",
                                 text_field=args.text_field or "text",
                                 shard_format=args.shard_format)  # fmt: skip
            return _run_dataset(args, options, spec, progress)
        return _run_folder(args, options, progress)
    finally:
        progress.close()


def _run_folder(args: argparse.Namespace, options: dict[str, Any], progress: RayProgress) -> int:
    from vi2en.filejobs import plan_jobs
    from vi2en.raybackend import translate_folder

    jobs = plan_jobs(args.inputs, args.output, fmt=args.format)
    summary, run = translate_folder(options, jobs, ray_options(args), fmt=args.format,
                                    force=args.force, progress=progress)  # fmt: skip
    progress.close()
    if not args.quiet:
        if summary.skipped:
            print(f"vi2en translate: {len(summary.skipped)} output(s) already up to date, "
                  "skipped (--force rewrites them)", file=sys.stderr)  # fmt: skip
        if run.total:
            print(f"vi2en translate: ray: {run.summary()}", file=sys.stderr)
    for source, reason in summary.failed:
        print(f"vi2en translate: skipped {source}: {reason}", file=sys.stderr)
    if summary.failed:
        print(f"vi2en translate: error: {len(summary.failed)} of {len(jobs)} input(s) could not "
              "be translated", file=sys.stderr)  # fmt: skip
        return 2
    return 0


def _run_dataset(
    args: argparse.Namespace, options: dict[str, Any], spec: Any, progress: RayProgress
) -> int:
    from vi2en.raybackend import translate_dataset

    summary, run = translate_dataset(options, spec, args.output, ray_options(args),
                                     force=args.force, progress=progress)  # fmt: skip
    progress.close()
    if not args.quiet:
        if summary.kept:
            print(f"vi2en translate: {len(summary.kept)} shard(s) already done, kept "
                  "(--force redoes them)", file=sys.stderr)  # fmt: skip
        if run.total:
            print(f"vi2en translate: ray: {run.summary()}", file=sys.stderr)
        shards = len(summary.kept) + len(set(summary.written))
        print(f"vi2en translate: {summary.rows} row(s) in {shards} shard(s); manifest: "
              f"{summary.manifest}", file=sys.stderr)  # fmt: skip
    if summary.errors:
        print(f"vi2en translate: warning: {summary.errors} row(s) could not be translated; "
              "their reason is in the 'error' column", file=sys.stderr)  # fmt: skip
    return 0
