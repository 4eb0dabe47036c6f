"""argparse types for the numeric options of every command: a value out of range is a usage error.

With `type=int_range(1, 64)` argparse itself refuses `--beam-size 0` before anything runs: exit
code 2 and one line naming the option (`vi2en translate: error: argument --beam-size: must be an
integer from 1 to 64, got 0`). Bounds are what makes sense, not what merely does not crash: more
CPU threads than this process may use only slow it down (`--threads 100000` crashed CTranslate2),
so `usable_cpus()` bounds them. Everything here is cheap to import (`vi2en --help` stays instant).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from vi2en.engines.base import usable_cpus

# Bounds shared by several commands (README, "Reliability", lists them).
MAX_BEAM_SIZE = 64  # opus-mt uses 4-6; a wider beam costs memory for nothing
MAX_BATCH_TOKENS = 262_144  # source pieces per batch; more only risks running out of memory
MAX_SOFT_LIMIT = 4096  # above the model's positions (512 for opus-mt) it changes nothing
MAX_RESAMPLES = 100_000  # bootstrap / approximate-randomisation rounds (sacreBLEU: 1,000 / 10,000)
MAX_DECIMALS = 10


def _bounds_text(low: float | None, high: float | None, kind: str) -> str:
    if low is not None and high is not None:
        return f"must be {kind} from {low:g} to {high:g}"
    if low is not None:
        return f"must be {kind} of at least {low:g}"
    return f"must be {kind} of at most {high:g}"


def int_range(
    low: int | None = None, high: int | None = None, *, note: str = ""
) -> Callable[[str], int]:
    """An argparse `type` accepting integers in `[low, high]` (None: unbounded on that side).

    Args:
        low: smallest accepted value.
        high: largest accepted value.
        note: appended to the error, e.g. why the bound is what it is.

    Returns:
        A converter that raises `argparse.ArgumentTypeError` (a usage error naming the option).
    """

    def convert(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or (low is not None and value < low) or (
            high is not None and value > high
        ):
            extra = f" {note}" if note else ""
            raise argparse.ArgumentTypeError(
                f"{_bounds_text(low, high, 'an integer')}{extra}, got {text!r}"
            )
        return value

    return convert


def float_range(
    low: float | None = None, high: float | None = None, *, note: str = ""
) -> Callable[[str], float]:
    """An argparse `type` accepting finite numbers in `[low, high]` (None: unbounded)."""

    def convert(text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or (low is not None and value < low) or (
            high is not None and value > high
        ):
            extra = f" {note}" if note else ""
            raise argparse.ArgumentTypeError(
                f"{_bounds_text(low, high, 'a number')}{extra}, got {text!r}"
            )
        return value

    return convert


def limit_or_off(high: int, *, unit: str) -> Callable[[str], int]:
    """An argparse `type` for LibreTranslate-style limits: -1 (no limit) or 1 to `high`.

    0 is refused: as a limit it would turn every request away, which nobody means.
    """
    bound = int_range(1, high)

    def convert(text: str) -> int:
        try:
            return -1 if text.strip() == "-1" else bound(text)
        except argparse.ArgumentTypeError:
            raise argparse.ArgumentTypeError(
                f"must be -1 (no limit) or {unit} from 1 to {high:,}, got {text!r}"
            ) from None

    return convert


positive_int = int_range(1)
non_negative_int = int_range(0)


def cpu_threads() -> Callable[[str], int]:
    """`--threads`/`--jobs`: 0 (choose) up to the CPUs this process may use."""
    cpus = usable_cpus()
    return int_range(0, cpus, note=f"(0 chooses; this machine lets vi2en use {cpus} CPUs)")


def worker_count() -> Callable[[str], int]:
    """`--workers`: 1 up to the usable CPUs (each worker loads its own model)."""
    cpus = usable_cpus()
    return int_range(1, cpus, note=f"(each loads its own model; {cpus} CPUs usable here)")


def int_span(low: int, high: int) -> Callable[[str], tuple[int, int]]:
    """An argparse `type` for `N` or `MIN-MAX` (both in `[low, high]`, MIN <= MAX): `--actors`.

    Returns:
        A converter giving (min, max); `N` is (N, N).
    """
    bound = int_range(low, high)

    def convert(text: str) -> tuple[int, int]:
        first, dash, second = text.strip().partition("-")
        try:
            lo = bound(first)
            hi = bound(second) if dash else lo
        except argparse.ArgumentTypeError:
            lo = hi = -1
        if lo < 0 or hi < lo:
            raise argparse.ArgumentTypeError(
                f"must be N or MIN-MAX with {low} <= MIN <= MAX <= {high}, got {text!r}"
            )
        return lo, hi

    return convert
