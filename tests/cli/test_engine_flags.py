"""Model and engine flags come from the engine registry; bad values are usage errors."""

from __future__ import annotations

import argparse

import pytest

from vi2en.cli.engine_flags import add_engine_arguments, engine_arguments
from vi2en.cli.main import main
from vi2en.engines import engine_specs


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_engine_arguments(parser)
    return parser.parse_args(argv)


def test_defaults_come_from_vi2en_defaults() -> None:
    from vi2en import defaults

    assert engine_arguments(parse([])) == {
        "model": defaults.DEFAULT_MODEL, "engine": defaults.DEFAULT_ENGINE,
        "device": defaults.DEFAULT_DEVICE, "compute_type": defaults.DEFAULT_COMPUTE_TYPE,
        "threads": defaults.DEFAULT_THREADS, "engine_options": {},
        "guards": defaults.DEFAULT_GUARDS,
    }  # fmt: skip


def test_every_engine_option_is_a_typed_flag() -> None:
    args = parse(["--ctranslate2-inter-threads", "2", "--ctranslate2-batch-type", "tokens",
                  "--transformers-align-layer", "-2"])  # fmt: skip
    assert engine_arguments(args)["engine_options"] == {
        "inter_threads": 2, "batch_type": "tokens", "align_layer": -2}
    flags = {f"--{name}-{opt.name.replace('_', '-')}"
             for name, spec in engine_specs().items() for opt in spec.options}  # fmt: skip
    help_text = argparse.ArgumentParser()
    add_engine_arguments(help_text)
    assert flags and all(flag in help_text.format_help() for flag in flags)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--compute-type", "bogus"], "argument --compute-type: invalid choice: 'bogus'"),
        (["--engine", "marian"], "argument --engine: invalid choice: 'marian'"),
        (["--ctranslate2-inter-threads", "-1"],
         "argument --ctranslate2-inter-threads: must be an integer from 0 to"),
        (["--ctranslate2-batch-type", "words"], "invalid choice: 'words'"),
        (["--threads", "x"], "argument --threads: must be an integer from 0 to"),
    ],
)
def test_bad_values_are_usage_errors(argv: list[str], message: str, capsys) -> None:
    assert main(["translate", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_another_engines_option_is_refused_by_name(tiny_ct2_model, capsys, monkeypatch) -> None:
    import io
    import sys

    stdin = io.TextIOWrapper(io.BytesIO("Trời mưa.\n".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    argv = ["translate", "--engine", "ctranslate2", "--model", str(tiny_ct2_model),
            "--transformers-align-head", "1"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("vi2en translate: error: option(s) ['align_head'] belong to engine "
                           "transformers, not ctranslate2")
