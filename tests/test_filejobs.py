"""File runs on the fake engine: output planning, resume, bad inputs, standard output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.fake_engine import FakeEngine
from vi2en.errors import InputError
from vi2en.filejobs import FileJob, is_up_to_date, plan_jobs, translate_files
from vi2en.translator import Translator

ARTICLE = "Nga và Triều Tiên ký hiệp ước\nHai nước ký hiệp ước hôm qua. Ảnh: Sputnik\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "sub" / "b.txt").write_text("Câu khác.\n", encoding="utf-8")
    (root / "a.en.txt").write_text("an old output", encoding="utf-8")  # never an input
    (root / "notes.md").write_text("not an article", encoding="utf-8")
    return root


def test_plan_jobs_mirrors_a_folder(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert plan_jobs([str(tree)], str(out)) == [
        FileJob(str(tree / "a.txt"), out / "a.en.txt"),
        FileJob(str(tree / "sub" / "b.txt"), out / "sub" / "b.en.txt"),
    ]
    jsonl = plan_jobs([str(tree)], str(out), fmt="jsonl")
    assert [job.output.name for job in jsonl] == ["a.jsonl", "b.jsonl"]


@pytest.mark.parametrize(
    ("inputs", "output", "expected"),
    [
        ([], None, [FileJob("-", None)]),
        (["-"], "-", [FileJob("-", None)]),
    ],
)
def test_plan_jobs_stdin(inputs: list[str], output: str | None, expected: list) -> None:
    assert plan_jobs(inputs, output) == expected


def test_plan_jobs_single_file_to_file_or_folder(tree: Path, tmp_path: Path) -> None:
    src = str(tree / "a.txt")
    assert plan_jobs([src], None) == [FileJob(src, None)]
    assert plan_jobs([src], str(tmp_path / "x.txt")) == [FileJob(src, tmp_path / "x.txt")]
    assert plan_jobs([src], str(tmp_path), fmt="tsv") == [FileJob(src, tmp_path / "a.tsv")]


@pytest.mark.parametrize(
    ("inputs", "output", "message"),
    [
        (["missing.txt"], None, "no such file or folder: missing.txt"),
        (["-", "{a}"], "{out}", "cannot be combined"),
        (["{tree}"], None, "need an output folder"),
        (["{a}", "{b}"], None, "need an output folder"),
        (["{tree}"], "{a}", "is a file"),
        (["{a}", "{a2}"], "{out}", "would both write"),
    ],
)
def test_plan_jobs_errors(tree: Path, tmp_path: Path, inputs, output, message: str) -> None:
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.txt").write_text("x", encoding="utf-8")
    names = {"tree": tree, "a": tree / "a.txt", "b": tree / "sub" / "b.txt",
             "a2": tmp_path / "other" / "a.txt", "out": tmp_path / "out"}  # fmt: skip
    with pytest.raises(InputError, match=message):
        plan_jobs([i.format(**names) for i in inputs], output and output.format(**names))


def test_translate_files_resumes_and_regenerates_only_what_is_missing(
    tree: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    engine = FakeEngine()
    tr = Translator(engine=engine)
    jobs = plan_jobs([str(tree)], str(out))
    first = translate_files(tr, jobs)
    assert first.written == [out / "a.en.txt", out / "sub" / "b.en.txt"] and not first.skipped
    assert (out / "sub" / "b.en.txt").read_text(encoding="utf-8") == "CÂU KHÁC.\n"
    assert len(engine.calls) == 1  # both documents batched together

    second = translate_files(tr, jobs)
    assert (second.written, len(second.skipped), len(engine.calls)) == ([], 2, 1)

    (out / "a.en.txt").unlink()
    third = translate_files(tr, jobs)
    assert third.written == [out / "a.en.txt"] and third.skipped == [out / "sub" / "b.en.txt"]
    # No temp files left behind; each output has its settings stamp beside it.
    assert sorted(p.name for p in out.rglob(".*")) == [".a.en.txt.vi2en", ".b.en.txt.vi2en"]

    os.utime(tree / "sub" / "b.txt", (2e9, 2e9))  # input edited after its output
    assert not is_up_to_date(jobs[1])
    assert translate_files(tr, jobs).written == [out / "sub" / "b.en.txt"]
    assert translate_files(tr, jobs, force=True).written == [
        out / "a.en.txt",
        out / "sub" / "b.en.txt",
    ]


def test_translate_files_reports_bad_inputs_and_goes_on(tree: Path, tmp_path: Path) -> None:
    (tree / "empty.txt").write_bytes(b"")
    (tree / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    out = tmp_path / "out"
    summary = translate_files(Translator(engine=FakeEngine()), plan_jobs([str(tree)], str(out)))
    assert sorted(Path(src).name for src, _ in summary.failed) == ["binary.txt", "empty.txt"]
    assert sorted(p.name for p in out.rglob("[!.]*")) == ["a.en.txt", "b.en.txt", "sub"]


def test_translate_files_single_bad_input_raises_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    jobs = plan_jobs([str(tmp_path / "empty.txt")], str(tmp_path / "o.txt"))
    with pytest.raises(InputError, match="no text"):
        translate_files(Translator(engine=FakeEngine()), jobs)
    assert not (tmp_path / "o.txt").exists()


def test_translate_files_to_stdout_in_jsonl(tree: Path) -> None:
    chunks: list[str] = []
    jobs = plan_jobs([str(tree / "a.txt")], None, fmt="jsonl")
    translate_files(Translator(engine=FakeEngine()), jobs, fmt="jsonl", emit=chunks.append)
    header = json.loads(chunks[0].splitlines()[0])
    assert header["text"] == ARTICLE and header["source"] == str(tree / "a.txt")


@pytest.mark.issue(11)
def test_a_rerun_removes_the_temp_files_a_killed_run_left(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    tr = Translator(engine=FakeEngine())
    jobs = plan_jobs([str(tree)], str(out))
    translate_files(tr, jobs)
    left = [out / ".a.en.txt.abcd1234.tmp", out / "sub" / "..b.en.txt.vi2en.x_y_z_00.tmp"]
    for path in left:
        path.write_text("half an output", encoding="utf-8")
    (out / ".notes.txt.abcd1234.tmp").write_text("not ours", encoding="utf-8")
    summary = translate_files(tr, jobs)
    assert len(summary.skipped) == 2 and not any(path.exists() for path in left)
    assert (out / ".notes.txt.abcd1234.tmp").exists()


class _DiesAfter(FakeEngine):
    """A fake engine that fails on its `calls`-th batch, as a killed run stops mid-chunk."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.limit = calls

    def translate_batch(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        if len(self.calls) >= self.limit:
            raise KeyboardInterrupt
        return super().translate_batch(texts, **kwargs)


@pytest.mark.issue(11)
def test_documents_are_written_as_they_finish_not_when_the_chunk_does(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for d in range(6):  # 6 short documents: far under one 2,000-segment chunk
        words = " ".join(f"từ{d}" for _ in range(d + 3))
        (src / f"{d}.txt").write_text(f"{words}. Câu {d} ngắn.\n", encoding="utf-8")
    jobs = plan_jobs([str(src)], str(out))
    translator = Translator(engine=_DiesAfter(3), batch_tokens=10)
    with pytest.raises(KeyboardInterrupt):
        translate_files(translator, jobs)
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert 0 < len(written) < 6  # the finished documents were kept, whole
    for name in written:
        d = name.split(".")[0]
        assert (out / name).read_text(encoding="utf-8").startswith(f"TỪ{d} TỪ{d} TỪ{d}")
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))
    rerun = translate_files(Translator(engine=FakeEngine()), jobs)
    assert len(rerun.skipped) == len(written) and len(rerun.written) == 6 - len(written)
