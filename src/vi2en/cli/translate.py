"""`vi2en translate INPUT... [-o OUT]`: Vietnamese articles in, English articles out.

Thin: it parses flags and calls `vi2en.filejobs.plan_jobs` and `translate_files`.
"""

from __future__ import annotations

import argparse
import sys

from vi2en.cli.engine_flags import (
    add_engine_arguments,
    engine_arguments,
    print_notice,
    stderr_notify,
)
from vi2en.cli.options import (
    MAX_BATCH_TOKENS,
    MAX_BEAM_SIZE,
    MAX_SOFT_LIMIT,
    int_range,
    worker_count,
)
from vi2en.cli.qa_flags import add_qa_arguments
from vi2en.cli.translate_ray import add_ray_arguments, check_ray_arguments
from vi2en.defaults import (
    DEFAULT_BATCH_TOKENS,
    DEFAULT_FORMAT,
    DEFAULT_SOFT_LIMIT,
    DEFAULT_WORKERS,
)
from vi2en.doc import Document
from vi2en.formats import FORMATS, describe_formats


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs", nargs="*", metavar="INPUT",
        help="article files or folders of *.txt files; none or '-' reads standard input",
    )  # fmt: skip
    parser.add_argument(
        "-o", "--output", metavar="OUT",
        help="output file, or folder (required for several inputs or a folder; mirrored tree); "
        "default: standard output",
    )  # fmt: skip
    parser.add_argument("--format", default=DEFAULT_FORMAT, choices=list(FORMATS),
                        help=f"output format (default: %(default)s). {describe_formats()}")
    add_engine_arguments(parser)
    decoding = parser.add_argument_group("decoding")
    decoding.add_argument(
        "--beam-size", type=int_range(1, MAX_BEAM_SIZE), default=None,
        help=f"beam width, 1 to {MAX_BEAM_SIZE} (default: the model's, 4)",
    )
    decoding.add_argument(
        "--batch-tokens", type=int_range(1, MAX_BATCH_TOKENS), default=DEFAULT_BATCH_TOKENS,
        help="source pieces per batch, padding included (default: %(default)s)",
    )  # fmt: skip
    decoding.add_argument(
        "--soft-limit", type=int_range(2, MAX_SOFT_LIMIT), default=DEFAULT_SOFT_LIMIT,
        help="split segments longer than this many pieces at clause boundaries "
        "(default: %(default)s)",
    )  # fmt: skip
    decoding.add_argument(
        "--align", action="store_true", help="store word links from the model's attention"
    )
    add_qa_arguments(parser)
    run_group = parser.add_argument_group("run")
    run_group.add_argument(
        "--no-cache", action="store_true",
        help="do not use the exact-match translation cache (in VI2EN_CACHE_DIR or the user "
        "cache dir)",
    )  # fmt: skip
    run_group.add_argument(
        "--force", action="store_true", help="rewrite outputs that are already up to date"
    )
    run_group.add_argument(
        "--workers", type=worker_count(), default=DEFAULT_WORKERS, metavar="N",
        help="translate a folder's files on N processes, each with its own model and "
        "cores/N threads (default: 1)",
    )  # fmt: skip
    add_ray_arguments(parser)
    run_group.add_argument("-q", "--quiet", action="store_true", help="no progress bar or notes")
    run_group.add_argument(
        "-v", "--verbose", action="store_true",
        help="show the translation signature, what ingest changed in each input, cache hits",
    )


class _ProgressBar:
    """tqdm on stderr, fed by the pipeline's (done, total) calls chunk after chunk."""

    def __init__(self, *, enabled: bool) -> None:
        self.bar = None
        self.base = 0
        self.enabled = enabled

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=0, unit="sent", file=sys.stderr, dynamic_ncols=True)
        if done == 0:
            self.base = self.bar.n
            self.bar.total += total
            self.bar.refresh()
        else:
            self.bar.update(self.base + done - self.bar.n)

    def add(self, total: int, done: int) -> None:
        """Deltas from worker processes: `total` new segments to do, `done` finished."""
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=0, unit="sent", file=sys.stderr, dynamic_ncols=True)
        self.bar.total += total
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def warn_on_stderr(message: str) -> None:
    """The library's `notify`: a line on stderr (`vi2en.cli.engine_flags.print_notice`)."""
    print_notice(message, command="translate")


def run(args: argparse.Namespace) -> int:
    from vi2en.filejobs import plan_jobs, translate_files
    from vi2en.qa import load_glossary
    from vi2en.text.files import write_stdout
    from vi2en.translator import Translator

    check_ray_arguments(args)
    options = dict(
        **engine_arguments(args),
        beam_size=args.beam_size,
        batch_tokens=args.batch_tokens,
        soft_limit=args.soft_limit,
        align=args.align,
        qa=not args.no_qa,
        glossary=load_glossary(args.glossary) if args.glossary else None,
        cache=not args.no_cache,
        notify=stderr_notify("translate", quiet=args.quiet),  # picklable, for the workers
    )
    if args.backend == "ray":
        from vi2en.cli.translate_ray import run_ray

        return run_ray(args, options)
    jobs = plan_jobs(args.inputs, args.output, fmt=args.format)

    def show_changes(doc: Document) -> None:
        # Warnings (text that may not be Vietnamese, characters already lost) always show.
        for change in doc.changes:
            if args.verbose or change.startswith("warning:"):
                print(f"vi2en translate: {doc.source}: {change}", file=sys.stderr)

    def show_signature(translator: Translator) -> None:
        print(f"vi2en translate: signature: {translator.signature().format()}", file=sys.stderr)

    bar = _ProgressBar(enabled=not args.quiet and sys.stderr.isatty())
    parallel = args.workers > 1 and len(jobs) > 1 and all(job.output for job in jobs)
    try:
        if parallel:
            from vi2en.workers import translate_files_parallel

            if args.verbose:  # the parent loads the model once to say what will run
                show_signature(Translator(**options))
            summary = translate_files_parallel(
                options, jobs, workers=args.workers, fmt=args.format, force=args.force,
                progress=bar.add,
            )  # fmt: skip
            for source, change in summary.changes:
                if args.verbose or change.startswith("warning:"):
                    print(f"vi2en translate: {source}: {change}", file=sys.stderr)
        else:
            translator = Translator(**options)
            if args.verbose:
                show_signature(translator)
            summary = translate_files(
                translator,
                jobs,
                fmt=args.format,
                force=args.force,
                emit=write_stdout,
                progress=bar,
                on_document=show_changes,
            )
            store = translator.cache_store
            if args.verbose and store is not None:
                print(f"vi2en translate: cache: {store.hits} of {store.hits + store.misses} "
                      "sentence(s) from the cache", file=sys.stderr)  # fmt: skip
    finally:
        bar.close()
    if not args.quiet and summary.skipped:
        print(
            f"vi2en translate: {len(summary.skipped)} output(s) already up to date, skipped "
            "(--force rewrites them)",
            file=sys.stderr,
        )
    for source, reason in summary.failed:
        print(f"vi2en translate: skipped {source}: {reason}", file=sys.stderr)
    if summary.failed:
        print(
            f"vi2en translate: error: {len(summary.failed)} of {len(jobs)} input(s) could not "
            "be read",
            file=sys.stderr,
        )
        return 2
    return 0
