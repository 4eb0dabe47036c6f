"""The model and engine flags, built from the engine registry (shared by translate and eval).

`--engine` and `--compute-type` choices, and one flag per engine option
(`--ctranslate2-inter-threads`, `--transformers-align-layer`...), come from the engines' own
specs (`vi2en.engines.registry`), so a new engine shows up here without touching the CLI.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from typing import Any

from vi2en.cli.options import cpu_threads, int_range
from vi2en.defaults import (
    DEFAULT_COMPUTE_TYPE,
    DEFAULT_DEVICE,
    DEFAULT_ENGINE,
    DEFAULT_MODEL,
    DEFAULT_THREADS,
    DEVICES,
)
from vi2en.engines import compute_types, engine_names, engine_specs
from vi2en.engines.registry import EngineOption


def add_engine_arguments(parser: argparse.ArgumentParser, *, model_default: str | None = None,
                         several_models: bool = False) -> None:  # fmt: skip
    """Add --model, --engine, --device, --compute-type, --threads and the engine options.

    With `several_models`, --model may be repeated (a list; None when not given).
    """
    group = parser.add_argument_group("model and engine")
    what = ("hub id, short name (vi2en models list --known), Hugging Face folder, CTranslate2 "
            "folder or OPUS-MT release zip")  # fmt: skip
    if several_models:
        group.add_argument("--model", action="append", default=None,
                           help=f"{what}; repeat to compare models in one report (default: "
                           f"{model_default or DEFAULT_MODEL})")  # fmt: skip
    else:
        group.add_argument("--model", default=model_default or DEFAULT_MODEL,
                           help=f"{what} (default: %(default)s)")  # fmt: skip
    specs = engine_specs()
    described = "; ".join(f"{name}: {spec.description}" for name, spec in specs.items())
    group.add_argument(
        "--engine", default=DEFAULT_ENGINE, choices=engine_names(),
        help=f"inference engine (default: %(default)s, the first of these that can run the "
        f"model; says so on stderr when it falls back). {described}",
    )  # fmt: skip
    group.add_argument("--device", default=DEFAULT_DEVICE, choices=DEVICES,
                       help="auto: CUDA when present (default: %(default)s)")
    group.add_argument(
        "--compute-type", default=DEFAULT_COMPUTE_TYPE, choices=compute_types(),
        metavar="TYPE",
        help="auto (CTranslate2: int8 on CPU, float16 on CUDA; transformers: float32 on CPU) "
        "or one of: " + ", ".join(compute_types()[1:]),
    )  # fmt: skip
    group.add_argument("--threads", type=cpu_threads(), default=DEFAULT_THREADS,
                       help="CPU threads, at most the usable CPUs (0: the engine's choice)")
    guards = parser.add_argument_group("output guards (on by default; flagged when they fire)")
    guards.add_argument("--no-repetition-guard", action="store_true",
                        help="do not re-decode outputs that loop (no_repeat_ngram_size 3 then 2, "
                        "repetition penalty 1.2, the best kept)")  # fmt: skip
    guards.add_argument("--no-caps-guard", action="store_true",
                        help="translate ALL-CAPS / Title Case sources as they are (default: a "
                        "sentence-cased copy, case style restored)")  # fmt: skip
    for name, spec in specs.items():
        if not spec.options:
            continue
        engine_group = parser.add_argument_group(f"{name} engine options")
        for option in spec.options:
            engine_group.add_argument(
                f"--{name}-{option.name.replace('_', '-')}",
                dest=_dest(name, option),
                default=None,
                type=_option_type(option),
                choices=option.choices,
                metavar=None if option.choices else option.name.upper(),
                help=f"{option.help} (default: {option.default})",
            )


def _option_type(option: EngineOption) -> Any:
    """A bounded argparse type for a numeric option with bounds, else the option's own type."""
    if option.type is int and (option.minimum is not None or option.maximum is not None):
        return int_range(option.minimum, option.maximum)
    return option.type


def engine_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for `vi2en.translator.Translator` from the parsed flags."""
    options = {
        option.name: getattr(args, _dest(name, option))
        for name, spec in engine_specs().items()
        for option in spec.options
        if getattr(args, _dest(name, option)) is not None
    }
    switches = (("repetition", args.no_repetition_guard), ("caps", args.no_caps_guard))
    return {
        "model": args.model,
        "engine": args.engine,
        "device": args.device,
        "compute_type": args.compute_type,
        "threads": args.threads,
        "engine_options": options,
        "guards": tuple(guard for guard, off in switches if not off),
    }


def _dest(engine: str, option: EngineOption) -> str:
    return f"engine_option__{engine}__{option.name}"


# What the library tells that is a progress note, not a warning: --quiet hides notes only.
NOTES = ("converting ",)


def print_notice(message: str, *, command: str, quiet: bool = False) -> None:
    """The library's `notify` in the CLI: one line on stderr. Warnings (engine auto falling
    back) show even with --quiet; notes (converting a model once, which takes seconds) do not."""
    note = message.startswith(NOTES)
    if not (note and quiet):
        print(f"vi2en {command}: {'note' if note else 'warning'}: {message}", file=sys.stderr)


def stderr_notify(command: str, *, quiet: bool = False) -> Callable[[str], None]:
    """A picklable `notify` (worker processes are handed it) for `command`'s stderr."""
    return functools.partial(print_notice, command=command, quiet=quiet)
