"""`vi2en translate` on inputs that are not what it expects, and what it says on the way
(issue 11 items 9 and 10): markup, text that may not be Vietnamese, a first conversion."""

from __future__ import annotations

from pathlib import Path

import pytest

from vi2en.cli.main import main
from vi2en.formats.xliff import render
from vi2en.segment import segment_text


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.issue(11)
@pytest.mark.parametrize("fmt", ["xliff", "html"])
def test_a_file_vi2en_wrote_is_refused_not_translated_markup_and_all(
    tiny_ct2_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Hà Nội mưa to.\n", encoding="utf-8")
    written = tmp_path / f"article.{fmt}"
    argv = ["--engine", "ctranslate2", "--model", str(tiny_ct2_model), "--beam-size", "1", "-q"]
    assert main(["translate", str(article), "--format", fmt, "-o", str(written), *argv]) == 0
    capsys.readouterr()
    out = tmp_path / "again.txt"
    assert main(["translate", str(written), "-o", str(out), *argv]) == 2
    err = capsys.readouterr().err.strip()
    kind = "an XLIFF file" if fmt == "xliff" else "an HTML page"
    assert err.startswith(f"vi2en translate: error: {written} is {kind}, not an article")
    assert len(err.splitlines()) == 1 and not out.exists()


def test_an_xliff_export_is_refused_by_segment_too(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.xlf"
    path.write_text(render(segment_text("Hà Nội mưa to.")), encoding="utf-8")
    assert main(["segment", str(path)]) == 2
    assert "is an XLIFF file, not an article" in capsys.readouterr().err


@pytest.mark.issue(11)
def test_english_given_to_translate_is_warned_about_without_verbose(
    tiny_ct2_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "english.txt"
    path.write_text("The government said the new policy would help people. " * 6 + "\n",
                    encoding="utf-8")  # fmt: skip
    argv = ["translate", str(path), "--engine", "ctranslate2", "--model", str(tiny_ct2_model),
            "--beam-size", "1", "-o", str(tmp_path / "out.txt")]  # fmt: skip
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert f"vi2en translate: {path}: warning: no Vietnamese letter" in err


@pytest.mark.issue(11)
def test_the_first_run_on_a_hugging_face_model_says_it_converts_once(
    tiny_hf_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11 item 10: the first translate sat silent for 8-17 s while converting."""
    path = tmp_path / "a.txt"
    path.write_text("Hà Nội mưa to.\n", encoding="utf-8")
    argv = ["translate", str(path), "--engine", "ctranslate2", "--model", str(tiny_hf_model),
            "--beam-size", "1", "--no-cache"]  # fmt: skip
    assert main([*argv, "-o", str(tmp_path / "1.txt")]) == 0
    first = capsys.readouterr().err.strip().splitlines()
    assert len(first) == 1
    assert first[0].startswith(f"vi2en translate: note: converting {tiny_hf_model} to "
                               "CTranslate2 (int8) once; cached in ")  # fmt: skip
    assert str(tmp_path / "cache") in first[0]
    assert main([*argv, "-o", str(tmp_path / "2.txt")]) == 0
    assert capsys.readouterr().err == ""  # cached: nothing to say
