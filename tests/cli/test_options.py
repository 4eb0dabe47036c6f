"""Numeric options of every command: out of range is a usage error (exit 2, one line naming the
option) before anything runs; the argparse types of `vi2en.cli.options`."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from vi2en.cli import options
from vi2en.cli.main import main


@pytest.mark.parametrize(
    ("convert", "text", "value"),
    [
        (options.int_range(1, 64), "1", 1),
        (options.int_range(1, 64), " 64 ", 64),
        (options.non_negative_int, "0", 0),
        (options.positive_int, "123456789", 123456789),
        (options.float_range(0), "0.5", 0.5),
        (options.float_range(0, 1), "1", 1.0),
    ],
)
def test_values_in_range_are_accepted(convert, text: str, value: float):
    assert convert(text) == value


@pytest.mark.parametrize(
    ("convert", "text", "message"),
    [
        (options.int_range(1, 64), "0", r"must be an integer from 1 to 64, got '0'"),
        (options.int_range(1, 64), "65", r"from 1 to 64, got '65'"),
        (options.int_range(1, 64), "4.0", r"an integer .* got '4.0'"),
        (options.positive_int, "-1", r"an integer of at least 1, got '-1'"),
        (options.int_range(high=3), "9", r"an integer of at most 3, got '9'"),
        (options.float_range(0), "-0.1", r"a number of at least 0, got '-0.1'"),
        (options.float_range(0), "inf", r"got 'inf'"),
        (options.float_range(0), "nan", r"got 'nan'"),
        (options.float_range(0), "x", r"got 'x'"),
    ],
)
def test_values_out_of_range_raise_argument_type_error(convert, text: str, message: str):
    with pytest.raises(argparse.ArgumentTypeError, match=message):
        convert(text)


def test_cpu_bounds_follow_the_usable_cpus(monkeypatch: pytest.MonkeyPatch):
    from vi2en.engines import base

    monkeypatch.setattr(base.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert options.cpu_threads()("3") == 3
    with pytest.raises(argparse.ArgumentTypeError, match=r"from 0 to 3 .*3 CPUs"):
        options.cpu_threads()("4")
    with pytest.raises(argparse.ArgumentTypeError, match=r"from 1 to 3"):
        options.worker_count()("0")


TOO_MANY = str(options.usable_cpus() + 1)
# (command line, option named in the error). Every numeric option of every command.
BAD_OPTIONS = [
    (["translate", "--threads", "-1"], "--threads"),
    (["translate", "--threads", "100000"], "--threads"),
    (["translate", "--threads", TOO_MANY], "--threads"),
    (["translate", "--beam-size", "0"], "--beam-size"),
    (["translate", "--beam-size", "65"], "--beam-size"),
    (["translate", "--batch-tokens", "0"], "--batch-tokens"),
    (["translate", "--batch-tokens", "999999999"], "--batch-tokens"),
    (["translate", "--soft-limit", "1"], "--soft-limit"),
    (["translate", "--soft-limit", "x"], "--soft-limit"),
    (["translate", "--workers", "0"], "--workers"),
    (["translate", "--workers", "100000"], "--workers"),
    (["eval", "--beam-size", "0"], "--beam-size"),
    (["eval", "-w", "-1"], "-w/--width"),
    (["score", "-r", "R", "H", "-w", "-1"], "-w/--width"),
    (["score", "-r", "R", "H", "-w", "11"], "-w/--width"),
    (["score", "-r", "R", "H", "-sv", "-1"], "-sv/--smooth-value"),
    (["score", "-r", "R", "H", "-cc", "0"], "-cc/--chrf-char-order"),
    (["score", "-r", "R", "H", "--chrf-beta", "-1"], "--chrf-beta"),
    (["score", "-r", "R", "H", "-cin", "0"], "-cin/--confidence-n"),
    (["score", "-r", "R", "H", "--worst", "-3"], "--worst"),
    (["score", "-r", "R", "H", "-j", "-2"], "-j/--jobs"),
    (["score", "-r", "R", "H", "-j", "100000"], "-j/--jobs"),
    (["score", "-r", "R", "H", "-pbsn", "0"], "-pbsn/--paired-bs-n"),
    (["score", "-r", "R", "H", "-parn", "1000001"], "-parn/--paired-ar-n"),
]


@pytest.mark.issue(11)
@pytest.mark.parametrize(("argv", "option"), BAD_OPTIONS, ids=[" ".join(a) for a, _ in BAD_OPTIONS])
def test_bad_numeric_option_is_a_usage_error_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], option: str
):
    out = tmp_path / "out.txt"
    code = main([*argv, "-o", str(out)] if argv[0] != "eval" else [*argv, "-o", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith(f"vi2en {argv[0]}: error: argument {option}: must be")
    assert not out.exists()
