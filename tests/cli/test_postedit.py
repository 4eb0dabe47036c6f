"""`vi2en postedit-report ORIGINAL.xlf EDITED.xlf [-o REPORT.json]`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.formats.sample_doc import make_document
from tests.formats.test_xliff import BILLION_LAUGHS, EXTERNAL_ENTITY
from tests.test_postedit import post_edit
from vi2en.cli.main import main
from vi2en.formats.xliff import render


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    original, edited = tmp_path / "article.xlf", tmp_path / "article.edited.xlf"
    xml = render(make_document())
    original.write_text(xml, encoding="utf-8")
    edited.write_text(post_edit(xml), encoding="utf-8")
    return original, edited


def test_report_prints_a_table_and_writes_json(files, tmp_path: Path, capsys) -> None:
    report = tmp_path / "report.json"
    assert main(["postedit-report", str(files[0]), str(files[1]), "-o", str(report)]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == ["id", "HTER", "chars", "char%", "changed"]
    assert "33.3% unchanged of 3 MT segments" in table
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["measured_segments"] == 3
    assert data["unchanged_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert [s["unchanged"] for s in data["segments"]] == [True, False, False]


@pytest.mark.parametrize(
    ("edited_bytes", "message"),
    [
        (BILLION_LAUGHS, "declares a DTD or entities"),
        (EXTERNAL_ENTITY, "declares a DTD or entities"),
        (b"", "XLIFF file is empty"),
        (render(make_document(text=make_document().text + " ")).encode(), "different documents"),
    ],
    ids=["billion-laughs", "external-entity", "empty", "other-document"],
)
def test_bad_edited_files_are_one_line_exit_2(files, edited_bytes: bytes, message: str,
                                              tmp_path: Path, capsys) -> None:
    files[1].write_bytes(edited_bytes)
    report = tmp_path / "report.json"
    assert main(["postedit-report", str(files[0]), str(files[1]), "-o", str(report)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and message in err
    assert err.startswith("vi2en postedit-report: error: ")
    assert not report.exists()


def test_postedit_report_as_a_subprocess(files) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vi2en", "postedit-report", str(files[0]), str(files[1])],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "TER signature: nrefs:1|case:mixed|tok:tercom" in result.stdout


def test_subprocess_refuses_an_external_entity_with_exit_2(files) -> None:
    files[1].write_bytes(EXTERNAL_ENTITY)
    result = subprocess.run(
        [sys.executable, "-m", "vi2en", "postedit-report", str(files[0]), str(files[1])],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.issue(11)
@pytest.mark.parametrize("bad", [0, 1], ids=["original", "edited"])
def test_the_error_names_which_file_is_bad(files, bad: int, capsys) -> None:
    files[bad].write_text("<html><body>a web page</body></html>", encoding="utf-8")
    assert main(["postedit-report", str(files[0]), str(files[1])]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"vi2en postedit-report: error: {files[bad]}: not an XLIFF file: the root "
                   "element is <html>")  # fmt: skip


@pytest.mark.issue(11)
def test_an_endless_input_is_refused_after_the_limit_not_read_whole(files, capsys) -> None:
    """Reading stops at the limit: `/dev/zero` ends with one line, not with memory exhausted."""
    assert main(["postedit-report", "/dev/zero", str(files[1])]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("vi2en postedit-report: error: /dev/zero is larger than 32 MB; postedit-report "
                   "reads at most that much per file: report on the document in parts")
