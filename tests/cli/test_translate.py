"""`vi2en translate` end to end on the tiny random-weight models, through both engines.

Random weights translate nonsense, so these tests assert structure and invariants: every
segment accounted for, line structure kept, credits by template, outputs written atomically,
folder runs resumed, clean one-line errors. Inputs are tiny: random models babble to the cap.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vi2en.cli.main import main
from vi2en.doc import SegmentType
from vi2en.formats.jsonl import parse
from vi2en.pipeline import FLAG_SPLIT_CLAUSE
from vi2en.translator import Translator

ARTICLE = (
    "Nga và Triều Tiên ký hiệp ước\n"
    "\n"
    "(Dân trí) - Hai nước ký hiệp ước. Ông Kim nói “tốt”.\n"
    "Tổng thống Putin phát biểu. Ảnh: Sputnik\n"
    "Hồng Anh/VOV.VN\n"
)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path_factory.mktemp("vi2en-cache")))


@pytest.fixture(params=["ctranslate2", "transformers"])
def model(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(engine, model folder) for each engine."""
    fixture = "tiny_ct2_model" if request.param == "ctranslate2" else "tiny_hf_model"
    return request.param, str(request.getfixturevalue(fixture))


def run_cli(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str | bytes | None = None
) -> int:
    if stdin is not None:
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    return main(["translate", *argv])


def options(model: tuple[str, str]) -> list[str]:
    return ["--engine", model[0], "--model", model[1], "--beam-size", "1", "-q"]


def test_stdin_to_stdout_keeps_the_line_structure(
    model: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    not_quiet = [arg for arg in options(model) if arg != "-q"]
    assert run_cli(not_quiet, monkeypatch, stdin=ARTICLE) == 0
    out, err = capsys.readouterr()
    lines = out.split("\n")
    assert len(lines) == len(ARTICLE.split("\n"))
    assert lines[1] == "" and lines[2].startswith("(Dân trí) - ")
    assert lines[3].endswith(" Photo: Sputnik") and lines[4] == "Hồng Anh/VOV.VN"
    # No progress bar when stderr is not a terminal, even without -q (on a terminal there is
    # one: test_progress_bar_only_on_a_terminal_and_never_with_quiet).
    assert "sent" not in err


def test_jsonl_accounts_for_every_segment_and_reads_back(
    tiny_ct2_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ("ctranslate2", str(tiny_ct2_model))
    src, out = tmp_path / "a.txt", tmp_path / "a.jsonl"
    src.write_text(ARTICLE, encoding="utf-8")
    assert run_cli([str(src), "-o", str(out), "--format", "jsonl", *options(model)],
                   monkeypatch) == 0  # fmt: skip
    header = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert (header["engine"], header["model"], header["beam_size"]) == (model[0], model[1], 1)
    doc = parse(out.read_text(encoding="utf-8"))
    assert doc.text == ARTICLE
    methods = {seg.type: seg.translation.method for seg in doc}
    assert methods[SegmentType.CREDIT] == "template"
    assert methods[SegmentType.BYLINE] == methods[SegmentType.SOURCE] == "copy"
    for seg in doc:
        assert seg.translation is not None
        if seg.translation.method == "mt":
            assert seg.translation.text and seg.translation.score is not None


def test_tsv_has_a_row_per_segment(
    tiny_ct2_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ("ctranslate2", str(tiny_ct2_model))
    src, out_dir = tmp_path / "a.txt", tmp_path / "out"
    src.write_text(ARTICLE, encoding="utf-8")
    out_dir.mkdir()
    assert run_cli([str(src), "-o", str(out_dir), "--format", "tsv", *options(model)],
                   monkeypatch) == 0  # fmt: skip
    rows = (out_dir / "a.tsv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 7 and all(row.count("\t") == 1 for row in rows)
    assert rows[0].startswith("Nga và Triều Tiên ký hiệp ước\t")


def test_long_segments_are_split_not_cut_on_a_real_engine(tiny_ct2_model: Path) -> None:
    # ctranslate2 only: random weights babble to the cap, which costs transformers ~30 s here.
    engine, folder = "ctranslate2", str(tiny_ct2_model)
    clause = "hai nước ký hiệp ước về hợp tác"
    text = "; ".join([clause] * 3) + "."
    tr = Translator(folder, engine, beam_size=1)
    tr.soft_limit = tr.engine.count_pieces([clause + ";"])[0] + 1  # one clause fits, not two
    (out,) = tr.translate_segments([text])
    assert out.parts == 3 and out.flags[0].code == FLAG_SPLIT_CLAUSE
    assert out.text and out.score is not None


@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_trained_model_translates_correctly_through_the_api(
    engine: str, request: pytest.FixtureRequest, trained_task
) -> None:
    folder = request.getfixturevalue(
        "trained_ct2_model" if engine == "ctranslate2" else "trained_hf_model"
    )
    tr = Translator(str(folder), engine, compute_type="float32")
    sources = [src for src, _ in trained_task.held_out[:8]]
    assert [t.text for t in tr.translate_segments(sources)] == [
        tgt for _, tgt in trained_task.held_out[:8]
    ]
    assert tr.engine.default_beam_size == 4


def test_trained_model_translates_an_article_through_the_cli(
    trained_ct2_model: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    article = "mèo ăn cơm\n\nchó lớn uống nước\nẢnh: AP\n"
    argv = ["--model", str(trained_ct2_model), "--compute-type", "float32", "-q"]
    assert run_cli(argv, monkeypatch, stdin=article) == 0
    assert capsys.readouterr().out == "cat eats rice\n\ndog big drinks water\nPhoto: AP\n"


def test_folder_run_mirrors_resumes_and_regenerates_only_missing_outputs(
    tiny_ct2_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:  # fmt: skip
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "sub" / "b.txt").write_text("Hà Nội mưa to.\n", encoding="utf-8")
    argv = [str(src), "-o", str(out), "--model", str(tiny_ct2_model), "--beam-size", "1"]
    assert run_cli(argv, monkeypatch) == 0
    a, b = out / "a.en.txt", out / "sub" / "b.en.txt"
    assert a.is_file() and b.is_file()
    stamps = {p: p.stat().st_mtime_ns for p in (a, b)}

    assert run_cli(argv, monkeypatch) == 0
    assert "2 output(s) already up to date" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in (a, b)} == stamps

    a.unlink()
    assert run_cli(argv, monkeypatch) == 0
    assert a.is_file() and b.stat().st_mtime_ns == stamps[b]
    assert sorted(p.name for p in out.rglob("[!.]*")) == ["a.en.txt", "b.en.txt", "sub"]
    assert sorted(p.name for p in out.rglob(".*")) == [".a.en.txt.vi2en", ".b.en.txt.vi2en"]


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"\x00\x01\x02\x03" * 64, "binary"), (b"  \n \n", "no text")],
)
def test_bad_input_exits_2_with_one_line_and_no_output(
    tiny_ct2_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture, data: bytes, message: str,
) -> None:  # fmt: skip
    src, out = tmp_path / "bad.txt", tmp_path / "bad.en.txt"
    src.write_bytes(data)
    assert run_cli([str(src), "-o", str(out), "--model", str(tiny_ct2_model)], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("vi2en translate: error:")
    assert not out.exists() and list(tmp_path.iterdir()) == [src]


@pytest.mark.parametrize(
    ("model_arg", "message"),
    [("{tmp}/no-such-model", "does not exist"), ("Helsinki-NLP/opus-mt-xx-yy", "HF_HUB_OFFLINE")],
)
def test_missing_model_exits_2_with_one_line_and_no_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
    model_arg: str, message: str,
) -> None:  # fmt: skip
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    src, out = tmp_path / "a.txt", tmp_path / "a.en.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    argv = [str(src), "-o", str(out), "--model", model_arg.format(tmp=tmp_path)]
    assert run_cli(argv, monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not out.exists()


def test_missing_input_exits_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    assert run_cli(["no/such/file.txt"], monkeypatch) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_verbose_shows_ingest_changes(
    tiny_ct2_model: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    argv = ["--model", str(tiny_ct2_model), "--beam-size", "1", "-v"]
    assert run_cli(argv, monkeypatch, stdin="\ufeffHà Nội mưa\u200b to.\n") == 0
    err = capsys.readouterr().err
    assert "vi2en translate: stdin:" in err


def test_python_m_vi2en_translate_in_a_subprocess(tiny_ct2_model: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "VI2EN_CACHE_DIR": os.environ["VI2EN_CACHE_DIR"]}
    proc = subprocess.run(
        [sys.executable, "-m", "vi2en", "translate", "--model", str(tiny_ct2_model),
         "--format", "tsv", "--beam-size", "1"],
        input="Hà Nội mưa to. Ảnh: TTXVN\n".encode(), capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    rows = proc.stdout.decode("utf-8").splitlines()
    assert rows[-1] == "Ảnh: TTXVN\tPhoto: TTXVN" and len(rows) == 2
    assert proc.stderr == b""  # no progress bar when stderr is not a terminal


def test_quiet_run_prints_nothing_on_stderr_from_either_engine_or_conversion(
    tiny_hf_model: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture
) -> None:
    # transformers' "Loading weights" bars appear when it loads (transformers engine) and when
    # CTranslate2 converts a Hugging Face folder (engine auto): -q must keep stderr clean.
    for engine in ("transformers", "auto"):
        argv = ["--engine", engine, "--model", str(tiny_hf_model), "--beam-size", "1", "-q"]
        assert run_cli(argv, monkeypatch, stdin="Hà Nội mưa to.\n") == 0
        assert capfd.readouterr().err == ""


@pytest.mark.issue(11)
@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_only_on_a_terminal_and_never_with_quiet(tiny_ct2_model: Path) -> None:
    def stderr_on_a_terminal(*extra: str) -> str:
        import fcntl
        import struct
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # 80 columns
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "vi2en", "translate", "--model", str(tiny_ct2_model),
                 "--beam-size", "1", *extra],
                input=ARTICLE.encode(), stdout=subprocess.PIPE, stderr=slave, timeout=120,
            )  # fmt: skip
            os.close(slave)
            chunks = []
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the terminal's other side is closed and drained
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(master)
        assert proc.returncode == 0 and proc.stdout.count(b"\n") == ARTICLE.count("\n")
        return b"".join(chunks).decode("utf-8", "replace")

    assert "sent/s" in stderr_on_a_terminal()  # tqdm's bar, on the terminal
    assert stderr_on_a_terminal("-q") == ""


def test_verbose_reports_cache_hits_on_a_rerun(
    tiny_ct2_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:  # fmt: skip
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path / "cache"))  # an empty cache
    argv = ["--model", str(tiny_ct2_model), "--beam-size", "1", "-v"]
    assert run_cli(argv, monkeypatch, stdin="Hà Nội mưa to. Trời lạnh.\n") == 0
    assert "cache: 0 of 2 sentence(s) from the cache" in capsys.readouterr().err
    assert run_cli(argv, monkeypatch, stdin="Hà Nội mưa to. Trời nóng.\n") == 0
    assert "cache: 1 of 2 sentence(s) from the cache" in capsys.readouterr().err
