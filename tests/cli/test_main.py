"""`vi2en` as a whole: exit codes (2 user error, 1 bug, 130 Ctrl-C, 141 reader gone), `--debug`,
terminal standard input, and error messages that point the right way."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import vi2en.cli.segment
from tests import proctools
from vi2en.cli.main import main

NEEDS_PTY = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


def test_a_user_error_exits_2_with_one_line(capsys: pytest.CaptureFixture) -> None:
    assert main(["segment", "no/such/file.txt"]) == 2
    assert capsys.readouterr().err == "vi2en segment: error: no such file: no/such/file.txt\n"


def test_a_usage_error_exits_2(capsys: pytest.CaptureFixture) -> None:
    assert main(["segment", "--no-such-option", "a.txt"]) == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def _a_bug(args: object) -> int:
    return {}["no such key"]  # what a bug looks like: not a Vi2enError


def test_a_bug_exits_1_with_one_line_that_says_how_to_see_more(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(vi2en.cli.segment, "run", _a_bug)
    assert main(["segment", "a.txt"]) == 1
    assert capsys.readouterr().err == (
        "vi2en segment: internal error: KeyError: 'no such key' "
        "(rerun with --debug for the traceback)\n"
    )


@pytest.mark.parametrize("kind", ["bug", "user error"])
def test_debug_shows_the_traceback_and_keeps_the_exit_code(
    kind: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    if kind == "bug":
        monkeypatch.setattr(vi2en.cli.segment, "run", _a_bug)
    assert main(["--debug", "segment", "no/such/file.txt"]) == (1 if kind == "bug" else 2)
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    if kind == "bug":
        assert "in _a_bug" in err and "KeyError: 'no such key'" in err
        assert err.endswith("(a bug: please report it)\n")
    else:
        assert "vi2en.errors.InputError: no such file" in err
        assert err.endswith("\nvi2en segment: error: no such file: no/such/file.txt\n")


def test_debug_in_a_real_process_prints_the_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "vi2en", "--debug", "segment", str(tmp_path / "none.txt")],
        capture_output=True, timeout=60,
    )  # fmt: skip
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback (most recent call last)" in err
    assert err.splitlines()[-1] == f"vi2en segment: error: no such file: {tmp_path}/none.txt"


def _readline(stream: object, timeout: float) -> bytes:
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else b""  # type: ignore[attr-defined]


@NEEDS_PTY
@pytest.mark.issue(11)
def test_a_terminal_on_stdin_gets_a_hint_then_the_text_is_read(tmp_path: Path) -> None:
    master, slave = os.openpty()
    proc, marker = proctools.start(["segment", "-"], stdin=slave, stdout=subprocess.PIPE)
    os.close(slave)
    try:
        hint = _readline(proc.stderr, timeout=60).decode()
        assert hint.startswith("vi2en segment: reading standard input from the terminal: ")
        assert "Ctrl-D" in hint and "vi2en segment FILE" in hint
        os.write(master, "Hà Nội mưa to. Ảnh: AP\n".encode())
        os.write(master, b"\x04")  # Ctrl-D on an empty line: end of input
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
        proctools.kill_all(marker)
    assert proc.returncode == 0 and err == b""
    assert out.decode().splitlines()[1:] == [
        "0\t0\t0\tcaption\t0\t14\tHà Nội mưa to.", "1\t0\t1\tcredit\t15\t22\tẢnh: AP"
    ]


def test_no_hint_when_stdin_is_not_a_terminal() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "vi2en", "segment", "-"], input="Hà Nội mưa to.\n".encode(),
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stderr == b""


@NEEDS_PTY
@pytest.mark.issue(11)
def test_ctrl_c_while_translate_waits_on_a_terminal_exits_130(tiny_ct2_model: Path) -> None:
    master, slave = os.openpty()
    proc, marker = proctools.start(
        ["translate", "--model", str(tiny_ct2_model)], stdin=slave, stdout=subprocess.PIPE
    )
    os.close(slave)
    try:
        assert b"reading standard input" in _readline(proc.stderr, timeout=60)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
        proctools.kill_all(marker)
    assert (proc.returncode, out, err) == (130, b"", b"vi2en translate: interrupted\n")


@pytest.mark.issue(11)
def test_a_reader_that_leaves_ends_translate_quietly(
    trained_ct2_model: Path, tmp_path: Path
) -> None:
    # `vi2en translate … | head -1` in a real shell: head reads one line and leaves while
    # vi2en still writes (~0.5 MB of jsonl), so vi2en's writes fail with EPIPE.
    from tests import modelkit

    src = tmp_path / "article.txt"
    pairs = modelkit.word_task(size=2000, seed=3).pairs
    src.write_text("".join(f"{vi}.\n" for vi, _ in pairs), encoding="utf-8")
    err = tmp_path / "err.txt"
    command = (
        f"'{sys.executable}' -m vi2en translate '{src}' --model '{trained_ct2_model}' "
        f"--compute-type float32 --format jsonl 2>'{err}' | head -1 >/dev/null; "
        'echo "${PIPESTATUS[@]}"'
    )
    started = time.monotonic()
    proc = subprocess.run(["bash", "-c", command], capture_output=True, timeout=120)
    assert proc.stdout.decode().split() == ["141", "0"], proc.stderr  # 128 + SIGPIPE, as tools do
    assert err.read_bytes() == b""  # no traceback, no "Exception ignored" at exit
    assert time.monotonic() - started < 120


@pytest.mark.issue(11)
@pytest.mark.parametrize(
    ("argv", "message"),
    [  # each names what is really wrong, never "File exists" or "does not exist" for a file
        (["translate", "{a}/x"], "no such file or folder: {a}/x ({a} is a file, not a folder)"),
        (["translate", "{d}", "-o", "{a}/sub"], "-o {a}/sub: {a} is a file, not a folder"),
        (["translate", "{a}", "--model", "{a}"],
         "{a} is a file; a model is a folder (or a hub id)"),
        (["segment", "{d}"], "{d} is a folder; give a file"),
        (["score", "-r", "{d}", "{a}"], "{d} is a folder; give a file"),
        (["segment", "{a}/x"], "no such file: {a}/x ({a} is a file, not a folder)"),
        (["segment", "{a}", "-o", "{a}/x.tsv"],
         "cannot write {a}/x.tsv: {a} is a file, not a folder"),
    ],
)  # fmt: skip
def test_wrong_way_mistakes_get_messages_that_point_the_right_way(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    a, d = tmp_path / "a.txt", tmp_path / "d"
    a.write_text("Hà Nội mưa to.\n", encoding="utf-8")
    d.mkdir()
    (d / "b.txt").write_text("Hà Nội mưa to.\n", encoding="utf-8")
    assert main([arg.format(a=a, d=d) for arg in argv]) == 2
    assert capsys.readouterr().err == f"vi2en {argv[0]}: error: {message.format(a=a, d=d)}\n"


def test_a_cache_folder_that_is_a_file_is_named_as_such(
    tiny_ct2_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:  # fmt: skip
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(blocker / "vi2en"))
    src = tmp_path / "a.txt"
    src.write_text("Hà Nội mưa to.\n", encoding="utf-8")
    assert main(["translate", str(src), "--model", str(tiny_ct2_model)]) == 2
    err = capsys.readouterr().err
    assert f"{blocker} is a file, not a folder" in err and "Errno" not in err


def test_a_conversion_cache_that_is_a_file_is_a_user_error_not_a_bug(
    tiny_hf_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:  # fmt: skip
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(blocker))
    assert main(["models", "convert", str(tiny_hf_model)]) == 2  # was 1: NotADirectoryError
    assert capsys.readouterr().err == (
        f"vi2en models: error: cannot write the converted model to {blocker}/ct2: {blocker} is "
        "a file, not a folder (set VI2EN_CACHE_DIR to a folder vi2en may write)\n"
    )
