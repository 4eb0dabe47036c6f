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
    (["translate", "--actors", "0"], "--actors"),
    (["translate", "--actors", "3-2"], "--actors"),
    (["translate", "--cpus-per-actor", "0"], "--cpus-per-actor"),
    (["translate", "--gpus-per-actor", "-0.5"], "--gpus-per-actor"),
    (["translate", "--batch-docs", "0"], "--batch-docs"),
    (["translate", "--ctranslate2-inter-threads", TOO_MANY], "--ctranslate2-inter-threads"),
    (["translate", "--ctranslate2-max-batch-size", "-1"], "--ctranslate2-max-batch-size"),
    (["translate", "--ctranslate2-max-batch-size", "999999999"], "--ctranslate2-max-batch-size"),
    (["translate", "--transformers-align-head", "-1"], "--transformers-align-head"),
    (["eval", "--beam-size", "0"], "--beam-size"),
    (["eval", "--threads", TOO_MANY], "--threads"),
    (["eval", "--ctranslate2-inter-threads", "-1"], "--ctranslate2-inter-threads"),
    (["eval", "--ctranslate2-max-batch-size", "-1"], "--ctranslate2-max-batch-size"),
    (["eval", "--transformers-align-head", "-1"], "--transformers-align-head"),
    (["eval", "-sv", "-1"], "-sv/--smooth-value"),
    (["eval", "-cc", "0"], "-cc/--chrf-char-order"),
    (["eval", "--chrf-beta", "-1"], "--chrf-beta"),
    (["eval", "-cin", "0"], "-cin/--confidence-n"),
    (["eval", "--worst", "-1"], "--worst"),
    (["eval", "-j", "-1"], "-j/--jobs"),
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
    (["serve", "--port", "-1"], "--port"),
    (["serve", "--port", "65536"], "--port"),
    (["serve", "--req-limit", "0"], "--req-limit"),
    (["serve", "--req-limit", "-2"], "--req-limit"),
    (["serve", "--char-limit", "0"], "--char-limit"),
    (["serve", "--char-limit", "1e3"], "--char-limit"),
    (["serve", "--batch-limit", "0"], "--batch-limit"),
    (["serve", "--batch-limit", "10000000"], "--batch-limit"),
    (["serve", "--max-body", "10"], "--max-body"),
    (["serve", "--max-body", str(2**31)], "--max-body"),
    (["serve", "--graceful-timeout", "-1"], "--graceful-timeout"),
    (["serve", "--graceful-timeout", "inf"], "--graceful-timeout"),
    (["serve", "--batch-wait-ms", "-0.5"], "--batch-wait-ms"),
    (["serve", "--batch-wait-ms", "1001"], "--batch-wait-ms"),
    (["serve", "--max-pending-chars", "0"], "--max-pending-chars"),
    (["serve", "--bulk-chars", "-1"], "--bulk-chars"),
    (["serve", "--forwarded-allow-ips", "10.0.0.300"], "--forwarded-allow-ips"),
    (["serve", "--forwarded-allow-ips", "10.0.0.1/8"], "--forwarded-allow-ips"),
    (["serve", "--beam-size", "0"], "--beam-size"),
    (["serve", "--batch-tokens", "0"], "--batch-tokens"),
    (["serve", "--soft-limit", "1"], "--soft-limit"),
    (["serve", "--threads", "-1"], "--threads"),
    (["serve", "--ctranslate2-inter-threads", TOO_MANY], "--ctranslate2-inter-threads"),
    (["serve", "--ctranslate2-max-batch-size", "-1"], "--ctranslate2-max-batch-size"),
    (["serve", "--transformers-align-head", "-1"], "--transformers-align-head"),
]


@pytest.mark.issue(11)
@pytest.mark.parametrize(("argv", "option"), BAD_OPTIONS, ids=[" ".join(a) for a, _ in BAD_OPTIONS])
def test_bad_numeric_option_is_a_usage_error_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], option: str
):
    out = tmp_path / "out.txt"
    output = {"eval": ["-o", str(tmp_path)], "serve": []}.get(argv[0], ["-o", str(out)])
    code = main([*argv, *output])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith(f"vi2en {argv[0]}: error: argument {option}: must be")
    assert not out.exists()


# Options whose range depends on the model: refused with one line when the model loads.
MODEL_BOUNDED = {"--transformers-align-layer"}
COMMANDS_CHECKED = ("translate", "eval", "score", "segment", "align", "export", "postedit-report",
                    "models", "serve")  # fmt: skip


def numeric_options() -> list[tuple[str, str, object]]:
    """(command, option as argparse names it, type) for every typed option of every command."""
    from vi2en.cli.main import COMMANDS, build_parser

    found = []

    def walk(parser: argparse.ArgumentParser, command: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, command or name)
            elif action.option_strings and action.type not in (None, str):
                found.append((command, "/".join(action.option_strings), action.type))

    for command in COMMANDS:
        walk(build_parser(command), "")
    return found


@pytest.mark.issue(11)
def test_every_numeric_option_of_every_command_is_bounded_and_tested() -> None:
    """Issue 11 item 7: so that no new option slips in unchecked (`--beam-size 0` once did)."""
    options_seen = numeric_options()
    assert {"translate", "eval", "score"} <= {command for command, _, _ in options_seen}
    tested = {(argv[0], option) for argv, option in BAD_OPTIONS}
    for command, option, convert in options_seen:
        if command not in COMMANDS_CHECKED:
            continue
        with pytest.raises(argparse.ArgumentTypeError if convert is not int else ValueError):
            convert("x")  # type: ignore[operator]
        if option in MODEL_BOUNDED:
            continue
        refused = 0
        for extreme in ("-1000000000000", "1000000000000"):
            try:
                convert(extreme)  # type: ignore[operator]
            except argparse.ArgumentTypeError:
                refused += 1
        assert refused == 2 or (refused == 1 and convert("0") == 0), f"{command} {option}"
        assert (command, option) in tested, f"no bad value of {command} {option} in BAD_OPTIONS"


@pytest.mark.issue(11)
def test_an_align_layer_the_model_lacks_is_one_line_exit_2(
    tiny_hf_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Hà Nội mưa to.\n", encoding="utf-8")
    code = main(["translate", str(src), "--engine", "transformers", "--model", str(tiny_hf_model),
                 "--transformers-align-layer", "99", "-o", str(tmp_path / "a.en.txt")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "align_layer 99 / align_head 0 out of range: the model has 2 decoder layers" in err[0]
    assert not (tmp_path / "a.en.txt").exists()
