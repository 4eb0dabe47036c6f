"""`vi2en export`: jsonl -> XLIFF 2.1 / 1.2, TMX, HTML, with QA run first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.formats.conformance import CHECKS, check_tmx14
from tests.formats.sample_doc import BODY_2, make_document
from vi2en.cli.main import main
from vi2en.flags import Stage, codes
from vi2en.formats import FORMATS, jsonl


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


# `translate --format X` writes what `translate --format jsonl` + `export --format X` write: QA
# is a stage of translate for every format, and export runs the same QA on the jsonl.
ARTICLE = (
    "Bình Nhưỡng ký hiệp ước ngày 27/3\n"
    "\n"
    "(Dân trí) - Hai nước ký hiệp ước về hợp tác kinh tế và quân sự tại Bình Nhưỡng. Giá "
    "tăng 3,5% trong năm 2024.\n"
    "Tổng thống Putin phát biểu. Ảnh: Sputnik\n"
    "Hồng Anh/VOV.VN\n"
)


def _translate(model: Path, argv: list[str]) -> int:
    return main(["translate", "--engine", "ctranslate2", "--model", str(model), "--beam-size",
                 "1", "-q", *argv])  # fmt: skip


@pytest.mark.parametrize("qa", [[], ["--no-qa"]], ids=["qa", "no-qa"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_translate_format_equals_translate_jsonl_plus_export(
    fmt: str, qa: list[str], tiny_ct2_model: Path, tmp_path: Path
) -> None:
    src, glossary = tmp_path / "a.txt", tmp_path / "terms.tsv"
    src.write_text(ARTICLE, encoding="utf-8")
    glossary.write_text("Bình Nhưỡng\tPyongyang\n", encoding="utf-8")
    options = ["--glossary", str(glossary), *qa]
    direct, via, exported = tmp_path / f"direct.{fmt}", tmp_path / "a.jsonl", tmp_path / "x"
    assert _translate(tiny_ct2_model, [str(src), "--format", fmt, "-o", str(direct), *options]) == 0
    assert _translate(tiny_ct2_model, [str(src), "--format", "jsonl", "-o", str(via),
                                       *options]) == 0  # fmt: skip
    assert main(["export", str(via), "--format", fmt, "-o", str(exported), *options]) == 0
    assert direct.read_bytes() == exported.read_bytes()
    # The test means something: the random model's babble draws QA flags, unless QA is off.
    flags = {f.code for seg in jsonl.parse(via.read_text("utf-8")) if seg.translation
             for f in seg.translation.flags}  # fmt: skip
    assert bool(flags & codes(Stage.QA)) is not bool(qa)
