"""`vi2en segment`: TSV/JSONL output, offsets, one-line errors and no partial output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vi2en.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ha-noi-metro.vi.txt"


def test_tsv_lists_typed_segments_with_offsets(capsys):
    assert main(["segment", str(EXAMPLE)]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == ["index", "paragraph", "sentence", "type", "start", "end", "text"]
    text = EXAMPLE.read_text(encoding="utf-8")
    for row in rows[1:]:
        assert text[int(row[4]) : int(row[5])] == row[6]
    types = [row[3] for row in rows[1:]]
    assert types[0] == "heading" and types[-1] == "byline"
    assert {"source", "lead", "caption", "credit", "body"} <= set(types)


def test_jsonl_to_file_with_verbose_changes(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_bytes("Tiêu đề\r\nCâu\u200b một. Câu hai.\r\n".encode())
    out = tmp_path / "out.jsonl"
    assert main(["segment", str(src), "--format", "jsonl", "-o", str(out), "-v"]) == 0
    header, *records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in records] == ["Tiêu đề", "Câu một.", "Câu hai."]
    # Issue 11 item 10: the header carries the normalised text the offsets point into.
    assert header["format"] == "vi2en-segments" and header["segments"] == 3
    assert header["text"] == "Tiêu đề\nCâu một. Câu hai.\n"
    assert [header["text"][r["start"] : r["end"]] for r in records] == [r["text"] for r in records]
    assert [r["type"] for r in records] == ["heading", "lead", "lead"]
    err = capsys.readouterr().err
    assert "zero-width" in err and "line breaks" in err


def test_stdin_is_read_with_a_dash(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("Một. Hai.".encode())))
    assert main(["segment", "-"]) == 0
    assert capsys.readouterr().out.count("\n") == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"   \n\n ", "only whitespace"),
        (b"%PDF-1.4\n...", "is a PDF file"),
        (b"\x00\x01\x02binary", "NUL bytes"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam".encode("latin-1"), "TCVN3"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_no_output(tmp_path, capsys, content, message):
    src = tmp_path / "in.txt"
    if content is not None:
        src.write_bytes(content)
    out = tmp_path / "out.tsv"
    assert main(["segment", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not out.exists()


def test_folder_input_is_refused(tmp_path, capsys):
    assert main(["segment", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_subprocess_run_and_usage_errors(tmp_path):
    ok = subprocess.run(
        [sys.executable, "-m", "vi2en", "segment", str(EXAMPLE), "--format", "jsonl"],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and ok.stdout.count("\n") == 14  # the header and 13 segments
    bad = subprocess.run(
        [sys.executable, "-m", "vi2en", "segment", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0
    usage = subprocess.run([sys.executable, "-m", "vi2en"], capture_output=True, text=True)
    assert usage.returncode == 2 and "COMMAND" in usage.stderr
