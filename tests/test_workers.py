"""Folder runs on worker processes: same outputs as one process, failures reported, resumable."""

from __future__ import annotations

from pathlib import Path

import pytest

from vi2en.cli.main import main
from vi2en.errors import InputError
from vi2en.filejobs import FileJob
from vi2en.workers import shard_jobs, translate_files_parallel

ARTICLES = {
    "a.txt": "mèo ăn cơm\n\nchó lớn uống nước\nẢnh: AP\n",
    "b.txt": "chó lớn uống nước\n",
    "c/d.txt": "mèo ăn cơm\n",
}
EXPECTED = {
    "a.en.txt": "cat eats rice\n\ndog big drinks water\nPhoto: AP\n",
    "b.en.txt": "dog big drinks water\n",
    "c/d.en.txt": "cat eats rice\n",
}


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path_factory.mktemp("vi2en-cache")))


def test_shards_balance_bytes_and_keep_order(tmp_path: Path) -> None:
    jobs = []
    for name, size in [("a", 50), ("b", 10), ("c", 30), ("d", 25), ("e", 5)]:
        path = tmp_path / f"{name}.txt"
        path.write_text("x" * size)
        jobs.append(FileJob(str(path), tmp_path / f"{name}.out"))
    shards = shard_jobs(jobs, 2)
    assert sorted(j.source for shard in shards for j in shard) == sorted(j.source for j in jobs)
    totals = [sum(Path(j.source).stat().st_size for j in shard) for shard in shards]
    assert abs(totals[0] - totals[1]) <= 10
    for shard in shards:
        assert [j.source for j in shard] == sorted(j.source for j in shard)
    assert len(shard_jobs(jobs[:1], 4)) == 1


def test_stdout_jobs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="needs output files"):
        translate_files_parallel({}, [FileJob("-", None)], workers=2)


def test_two_workers_translate_a_folder_like_one(
    trained_ct2_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    for name, text in ARTICLES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    (src / "broken.txt").write_bytes(b"%PDF-1.4 not an article")
    argv = ["translate", str(src), "-o", str(out), "--model", str(trained_ct2_model)]
    argv += ["--compute-type", "float32", "--workers", "2", "-q"]
    assert main(argv) == 2  # broken.txt is reported, the rest are written
    err = capsys.readouterr().err
    assert "broken.txt" in err and "PDF" in err
    for name, text in EXPECTED.items():
        assert (out / name).read_text(encoding="utf-8") == text
    assert not (out / "broken.en.txt").exists()

    stamps = {name: (out / name).stat().st_mtime_ns for name in EXPECTED}
    (src / "broken.txt").unlink()
    assert main(argv[:-1]) == 0  # without -q: the skip note is shown
    assert "3 output(s) already up to date" in capsys.readouterr().err
    assert {name: (out / name).stat().st_mtime_ns for name in EXPECTED} == stamps

    assert main([*argv, "--beam-size", "1"]) == 0  # other settings: outputs are rewritten
    assert all((out / name).stat().st_mtime_ns != stamps[name] for name in EXPECTED)
    assert (out / "c" / ".d.en.txt.vi2en").is_file()


def test_workers_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.txt").write_text("mèo ăn cơm\n", encoding="utf-8")
    assert main(["translate", str(tmp_path / "a.txt"), "--workers", "0"]) == 2
    assert "argument --workers: must be an integer from 1 to" in capsys.readouterr().err
