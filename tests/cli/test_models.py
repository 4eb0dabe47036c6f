"""`vi2en models download|convert|list`: exit codes, one-line errors, no network."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vi2en.cli.main import main


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["models", "download"], "HF_HUB_OFFLINE is set"),
        (["models", "convert", "someone/no-such-model"], "not in the Hugging Face cache"),
        (["models", "convert", "./missing-folder"], "does not exist"),
    ],
)
def test_errors_are_one_line_exit_2(argv: list[str], message: str, capsys):
    assert main(argv) == 2
    err = one_error_line(capsys)
    assert err.startswith("vi2en models: error: ") and message in err


def test_broken_folder(tmp_path: Path, tiny_hf_model: Path, capsys):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_bytes((tiny_hf_model / "config.json").read_bytes())
    assert main(["models", "convert", str(broken)]) == 2
    assert "lacks source.spm, target.spm, vocab.json" in one_error_line(capsys)


def test_convert_then_list(tmp_path: Path, tiny_hf_model: Path, capsys):
    assert main(["models", "convert", str(tiny_hf_model), "--quantization", "int8"]) == 0
    out = Path(capsys.readouterr().out.strip())
    assert out.parent == tmp_path / "cache" / "ct2" and (out / "model.bin").is_file()
    assert main(["models", "convert", str(tiny_hf_model), "--quantization", "int8"]) == 0
    assert Path(capsys.readouterr().out.strip()) == out  # cached
    assert main(["models", "list"]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith("ct2\t") and "int8 from" in listing and " MB\t" in listing


def test_list_empty(capsys):
    assert main(["models", "list"]) == 0
    assert "no models cached" in capsys.readouterr().out


def test_subprocess_bogus_id_offline(tmp_path: Path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"),
           "VI2EN_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "vi2en", "models", "download", "someone/no-such-model"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "someone/no-such-model" in done.stderr
