"""`vi2en export`: jsonl -> XLIFF 2.1 / 1.2, TMX, HTML, with QA run first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.formats.sample_doc import BODY_2, make_document
from vi2en.cli.main import main
from vi2en.formats import jsonl
from vi2en.formats.schemas import check_tmx14, check_xliff12, check_xliff21

CHECKS = {"xliff": check_xliff21, "xliff12": check_xliff12, "tmx": check_tmx14}


@pytest.fixture
def translation(tmp_path: Path) -> Path:
    path = tmp_path / "article.jsonl"
    doc = make_document(targets={BODY_2: "Mr Kim arrived in Binh Nhuong."})
    path.write_text(jsonl.render(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["xliff", "xliff12", "tmx", "html"])
def test_export_writes_each_format(fmt: str, translation: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(translation), "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    if fmt in CHECKS:
        assert CHECKS[fmt](text) == []
    else:
        assert text.startswith("<!DOCTYPE html>") and "Bình Nhưỡng" in text
    assert capsys.readouterr().out == ""


def test_export_to_stdout_runs_qa_with_the_glossary(translation: Path, tmp_path: Path,
                                                    capsys) -> None:
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("Bình Nhưỡng\tPyongyang\n", encoding="utf-8")
    rc = main(["export", str(translation), "--format", "xliff", "--glossary", str(glossary)])
    out = capsys.readouterr().out
    assert rc == 0
    assert 'category="vi2en:qa:glossary"' in out
    assert "s3: glossary: 'Bình Nhưỡng' must be translated as 'Pyongyang'" in out


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("bad-glossary", "glossary .* line 1: expected"),
        ("not-jsonl", "not a vi2en jsonl file"),
        ("missing", "no such file"),
        ("latin1", "is not UTF-8"),
    ],
)
def test_export_errors_are_one_line_exit_2_and_leave_no_file(
    setup: str, message: str, translation: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out.xlf"
    args = ["export", str(translation), "--format", "xliff", "-o", str(out)]
    if setup == "bad-glossary":
        glossary = tmp_path / "terms.tsv"
        glossary.write_text("Bình Nhưỡng Pyongyang\n", encoding="utf-8")
        args += ["--glossary", str(glossary)]
    elif setup == "not-jsonl":
        translation.write_text('{"hello": 1}\n', encoding="utf-8")
    elif setup == "missing":
        args[1] = str(tmp_path / "nope.jsonl")
    else:
        translation.write_bytes(b"\xe9\xe8\n")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("vi2en export: error: ")
    import re

    assert re.search(message, err), err
    assert not out.exists()


def test_unknown_format_is_a_usage_error(translation: Path, capsys) -> None:
    assert main(["export", str(translation), "--format", "docx"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_export_as_a_subprocess(translation: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    result = subprocess.run(
        [sys.executable, "-m", "vi2en", "export", str(translation), "--format", "tmx", "-o",
         str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert check_tmx14(out.read_bytes()) == []
