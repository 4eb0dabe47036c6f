"""`-o` in every command (issue 11, item 1): "-" is standard output; a character device or a FIFO
is written straight through, never replaced by a file; a symlink is followed and stays a link;
`-o DIR/` is a folder (created by `translate`, refused where one file is written); a parent that
is a file is named as such. Device nodes and FIFOs are made under tmp_path, never in /dev."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.formats.sample_doc import make_document
from tests.test_postedit import post_edit
from vi2en.cli.main import main
from vi2en.formats import jsonl, xliff

ARTICLE = "mèo ăn cơm\n\nchó lớn uống nước\nẢnh: AP\n"

# Each command's argv without -o, built from files it writes into the folder it is given.
Command = Callable[[Path, pytest.FixtureRequest], list[str]]


def _segment(tmp: Path, request: pytest.FixtureRequest) -> list[str]:
    (tmp / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return ["segment", str(tmp / "a.txt")]


def _translate(tmp: Path, request: pytest.FixtureRequest) -> list[str]:
    (tmp / "a.txt").write_text(ARTICLE, encoding="utf-8")
    model = request.getfixturevalue("trained_ct2_model")
    return ["translate", str(tmp / "a.txt"), "--model", str(model), "--compute-type", "float32",
            "-q"]  # fmt: skip


def _align(tmp: Path, request: pytest.FixtureRequest) -> list[str]:
    (tmp / "a.vi").write_text("Hà Nội mưa to.\nÔng Kim đến.\n", encoding="utf-8")
    (tmp / "a.en").write_text("Heavy rain in Hanoi.\nMr Kim arrived.\n", encoding="utf-8")
    return ["align", str(tmp / "a.vi"), str(tmp / "a.en"), "--force"]


def _score(tmp: Path, request: pytest.FixtureRequest) -> list[str]:
    (tmp / "ref.en").write_text("the cat eats rice\na big dog drinks\n", encoding="utf-8")
    (tmp / "hyp.en").write_text("the cat eats rice\nbig dog drinks water\n", encoding="utf-8")
    return ["score", "-r", str(tmp / "ref.en"), str(tmp / "hyp.en"), "-m", "bleu", "chrf"]


def _export(tmp: Path, request: pytest.FixtureRequest) -> list[str]:
    (tmp / "a.jsonl").write_text(jsonl.render(make_document()), encoding="utf-8")
    return ["export", str(tmp / "a.jsonl"), "--format", "xliff"]


def _postedit(tmp: Path, request: pytest.FixtureRequest) -> list[str]:
    xml = xliff.render(make_document())
    (tmp / "a.xlf").write_text(xml, encoding="utf-8")
    (tmp / "b.xlf").write_text(post_edit(xml), encoding="utf-8")
    return ["postedit-report", str(tmp / "a.xlf"), str(tmp / "b.xlf")]


COMMANDS: dict[str, Command] = {
    "segment": _segment,
    "translate": _translate,
    "align": _align,
    "score": _score,
    "export": _export,
    "postedit-report": _postedit,
}
needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod of a device needs root"
)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(params=list(COMMANDS))
def command(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[list[str], str]:
    """(argv without -o, what `-o FILE` writes) for each command."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    argv = COMMANDS[request.param](inputs, request)
    reference = tmp_path / "reference.out"
    assert main([*argv, "-o", str(reference)]) == 0
    expected = reference.read_text(encoding="utf-8")
    assert expected.strip()
    reference.unlink()
    reference.with_name(".reference.out.vi2en").unlink(missing_ok=True)  # translate's stamp
    return argv, expected


@pytest.mark.issue(11)
def test_dash_is_standard_output_in_every_command(
    command: tuple[list[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    argv, expected = command
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main([*argv, "-o", "-"]) == 0
    assert capsys.readouterr().out == expected  # postedit-report: the JSON, not the table
    assert not (tmp_path / "-").exists()


@needs_root
@pytest.mark.issue(11)
def test_a_character_device_is_written_through_not_replaced(
    command: tuple[list[str], str], tmp_path: Path
) -> None:
    argv, _ = command
    folder = tmp_path / "dev"
    folder.mkdir()
    node = folder / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.stat("/dev/null").st_rdev)  # a second /dev/null
    assert main([*argv, "-o", str(node)]) == 0
    assert stat.S_ISCHR(node.stat().st_mode) and node.stat().st_rdev == os.stat("/dev/null").st_rdev
    assert os.listdir(folder) == ["null"]  # no temp file, no resume stamp beside a device


@pytest.mark.issue(11)
def test_a_fifo_gets_the_whole_output_and_stays_a_fifo(
    command: tuple[list[str], str], tmp_path: Path
) -> None:
    argv, expected = command
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # A reader opened first without blocking, so the command's open for writing returns at once;
    # the outputs are far below the pipe buffer, so it is read after the command finished.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        assert main([*argv, "-o", str(fifo)]) == 0
        chunks = []
        while chunk := _read_available(reader):
            chunks.append(chunk)
    finally:
        os.close(reader)
    assert b"".join(chunks).decode("utf-8") == expected
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(os.listdir(tmp_path)) == ["inputs", "pipe"]


def _read_available(fd: int) -> bytes:
    try:
        return os.read(fd, 1 << 16)
    except BlockingIOError:
        return b""


@pytest.mark.issue(11)
def test_a_symlink_is_followed_and_kept(command: tuple[list[str], str], tmp_path: Path) -> None:
    argv, expected = command
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "out.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    dangling = tmp_path / "new-link.txt"
    dangling.symlink_to(tmp_path / "real" / "new.txt")
    assert main([*argv, "-o", str(link)]) == 0
    assert main([*argv, "-o", str(dangling)]) == 0
    assert link.is_symlink() and dangling.is_symlink()
    assert target.read_text(encoding="utf-8") == expected
    assert (tmp_path / "real" / "new.txt").read_text(encoding="utf-8") == expected


@pytest.mark.issue(11)
def test_a_trailing_slash_names_a_folder(
    command: tuple[list[str], str], tmp_path: Path, capsys
) -> None:
    argv, expected = command
    capsys.readouterr()
    new = tmp_path / "newdir"
    code = main([*argv, "-o", f"{new}/"])
    if argv[0] == "translate":  # one input into a folder: the folder is made, a.en.txt in it
        assert code == 0
        assert (new / "a.en.txt").read_text(encoding="utf-8") == expected
    else:  # one output file and no name for it: refused, nothing written
        assert code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "folder name; give a file name" in err
        assert not new.exists()


@pytest.mark.issue(11)
def test_a_parent_that_is_a_file_is_named(
    command: tuple[list[str], str], tmp_path: Path, capsys
) -> None:
    argv, _ = command
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    capsys.readouterr()
    assert main([*argv, "-o", str(blocker / "out.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{blocker} is a file, not a folder" in err
    assert "File exists" not in err and blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.issue(11)
def test_postedit_report_with_dash_prints_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = _postedit(tmp_path, None)  # type: ignore[arg-type]
    assert main([*argv, "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["measured_segments"] == 3
    assert not (tmp_path / "-").exists()


@pytest.mark.issue(11)
def test_eval_refuses_dash_as_its_folder(capsys) -> None:
    assert main(["eval", "--src", "x.vi", "--ref", "x.en", "-o", "-"]) == 2
    assert "give -o DIR" in capsys.readouterr().err
