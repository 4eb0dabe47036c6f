"""--backend ray on a real local Ray cluster (one per session): same bytes as the local backend,
resumable, survives a killed actor, bad documents as error rows, GPU requests reach the actors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_workers import ARTICLES, EXPECTED
from vi2en.cli.main import main
from vi2en.datasets import check_dataset, read_shard
from vi2en.filejobs import plan_jobs
from vi2en.raybackend import (
    RayBackendError,
    RayOptions,
    actor_remote_args,
    actor_translator_options,
    pool_size,
    translate_dataset,
    translate_folder,
)

REPO = Path(__file__).resolve().parents[1]
@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def write_tree(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def ntrex_articles(shared: Path, count: int) -> dict[str, str]:
    """The first `count` NTREX-128 documents as article files (one line per sentence)."""
    lines = (shared / "data/ntrex128/ntrex.vi").read_text("utf-8").splitlines()
    ids = (shared / "data/ntrex128/document_ids.tsv").read_text("utf-8").splitlines()
    docs: dict[str, list[str]] = {}
    for doc_id, line in zip(ids, lines, strict=True):
        docs.setdefault(doc_id, []).append(line)
    return {f"{i:03d}-{doc_id}.txt": "\n".join(body) + "\n"
            for i, (doc_id, body) in enumerate(list(docs.items())[:count])}  # fmt: skip


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (stamps included) by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # fmt: skip


# --- options, no cluster needed ---


def test_actor_resources_and_threads_follow_the_options() -> None:
    assert actor_remote_args(RayOptions()) == {"num_cpus": 1.0}
    assert actor_remote_args(RayOptions(cpus_per_actor=2, gpus_per_actor=0.5)) == {
        "num_cpus": 2, "num_gpus": 0.5}  # fmt: skip
    assert actor_translator_options({"threads": 0}, RayOptions(cpus_per_actor=3))["threads"] == 3
    assert actor_translator_options({}, RayOptions(cpus_per_actor=0.5))["threads"] == 1
    with pytest.raises(Exception, match="--threads 2 is more than --cpus-per-actor 1"):
        actor_translator_options({"threads": 2}, RayOptions())
    with pytest.raises(Exception, match="--device cuda on Ray needs --gpus-per-actor"):
        actor_translator_options({"device": "cuda"}, RayOptions())


def test_pool_never_holds_more_threads_than_the_cluster_has_cores() -> None:
    cluster = {"CPU": 8.0, "GPU": 2.0}
    assert pool_size(RayOptions(), cluster, batches=100) == (8, 8)
    assert pool_size(RayOptions(cpus_per_actor=3), cluster, batches=100) == (2, 2)
    assert pool_size(RayOptions(gpus_per_actor=0.5), cluster, batches=100) == (4, 4)
    assert pool_size(RayOptions(actors=(1, 6)), cluster, batches=3) == (1, 3)
    with pytest.raises(RayBackendError, match=r"5 actor.* need 10 CPUs; the Ray cluster has 8"):
        pool_size(RayOptions(actors=(5, 5), cpus_per_actor=2), cluster, batches=9)
    assert pool_size(RayOptions(), cluster, batches=100, reserve_cpus=1) == (7, 7)
    with pytest.raises(RayBackendError, match=r"has 1 CPUs for actors \(one is kept for reading"):
        pool_size(RayOptions(actors=(2, 2)), {"CPU": 2.0}, batches=9, reserve_cpus=1)
    with pytest.raises(RayBackendError, match="has 0 GPU"):
        pool_size(RayOptions(gpus_per_actor=1), {"CPU": 4.0}, batches=1)


def test_progress_lines_give_rates_and_eta(capsys: pytest.CaptureFixture) -> None:
    from vi2en.cli.translate_ray import RayProgress
    from vi2en.raybackend import RayRun

    run = RayRun(total=10, documents=4, segments=40, errors=1)
    run.started -= 2.0  # two seconds of work
    RayProgress(quiet=False, every=0)(run, [])
    line = capsys.readouterr().err
    assert line.startswith("vi2en translate: ray: 4/10 documents, 40 segments, 1 errors; ")
    docs_s = float(line.split("; ")[1].split(" doc/s")[0])
    eta = float(line.split("ETA ")[1].split(" s")[0])
    assert 1.5 < docs_s <= 2.0 and 3 <= eta <= 4  # 6 documents left at about 2 doc/s
    RayProgress(quiet=True, every=0)(run, [])
    assert capsys.readouterr().err == ""
    assert "4 document(s), 40 segment(s), 1 error(s) on 0 actor(s)" in run.summary()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--actors", "0"], "argument --actors: must be N or MIN-MAX"),
        (["--actors", "3-2"], "argument --actors: must be N or MIN-MAX"),
        (["--gpus-per-actor", "-1"], "argument --gpus-per-actor"),
        (["--ray-address", "auto"], "--ray-address is for --backend ray"),
        (["--backend", "ray", "--workers", "2"], "--workers is for --backend local"),
        (["--backend", "ray", "--threads", "2"], "--threads 2 is more than --cpus-per-actor 1"),
    ],
)
def test_conflicting_flags_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture, argv: list[str], message: str
) -> None:
    (tmp_path / "a.txt").write_text("mèo ăn cơm\n", encoding="utf-8")
    code = main(["translate", str(tmp_path), "-o", str(tmp_path / "out"), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err


def test_datasets_need_the_ray_backend(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "d.jsonl").write_text('{"id": 1, "text": "mèo ăn cơm"}\n', encoding="utf-8")
    assert main(["translate", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "out")]) == 2
    assert "are translated with --backend ray" in capsys.readouterr().err


# --- on the session's local cluster ---


def _local_and_ray(
    model: Path, shared: Path, tmp_path: Path, ray_flags: list[str]
) -> tuple[dict[str, bytes], dict[str, bytes], list[str]]:
    """The same NTREX articles (and one PDF) through `--backend local` (one thread, one chunk)
    and `--backend ray` with `ray_flags`: every output and stamp file of each."""
    src = tmp_path / "in"
    write_tree(src, ntrex_articles(shared, 6))
    (src / "broken.txt").write_bytes(b"%PDF-1.4 not an article")
    common = ["--model", str(model), "--compute-type", "float32", "--format", "jsonl",
              "--no-cache", "-q"]  # fmt: skip
    local = ["translate", str(src), "-o", str(tmp_path / "local"), *common, "--threads", "1"]
    assert main(local) == 2  # broken.txt is reported, the rest are written
    on_ray = ["translate", str(src), "-o", str(tmp_path / "ray"), *common, "--backend", "ray",
              *ray_flags]  # fmt: skip
    assert main(on_ray) == 2  # the same, as an error row
    return tree(tmp_path / "local"), tree(tmp_path / "ray"), on_ray


def test_folder_on_ray_is_byte_identical_to_local(
    ray_cluster: object, tiny_ct2_model: Path, shared_dir: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture,
) -> None:  # fmt: skip
    """A random-weight model on real news: any difference in what reaches the model shows."""
    local, on_ray, argv = _local_and_ray(tiny_ct2_model, shared_dir, tmp_path,
                                         ["--actors", "1", "--batch-docs", "100"])  # fmt: skip
    err = capsys.readouterr().err
    assert "broken.txt" in err and "PDF" in err
    assert len(local) == 12  # 6 outputs + their stamps, nothing for broken.txt
    assert on_ray == local

    (tmp_path / "in" / "broken.txt").unlink()
    before = {p: (tmp_path / "ray" / p).stat().st_mtime_ns for p in on_ray}
    assert main(argv) == 0  # resume: every output is up to date, none is rewritten
    assert {p: (tmp_path / "ray" / p).stat().st_mtime_ns for p in on_ray} == before


def test_folder_on_ray_is_byte_identical_to_local_however_batched(
    ray_cluster: object, tiny_ct2_model: Path, shared_dir: Path, tmp_path: Path
) -> None:
    local, on_ray, _ = _local_and_ray(tiny_ct2_model, shared_dir, tmp_path,
                                      ["--actors", "2", "--batch-docs", "2"])  # fmt: skip
    assert on_ray == local


def test_trained_model_translates_on_ray_and_reruns_skip(
    ray_cluster: object, trained_ct2_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_tree(src, ARTICLES)
    argv = ["translate", str(src), "-o", str(out), "--model", str(trained_ct2_model),
            "--compute-type", "float32", "--backend", "ray", "--batch-docs", "1"]  # fmt: skip
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "3 document(s), 5 segment(s), 0 error(s)" in err and "doc/s" in err
    assert "model check" in err and "wall" in err
    for name, text in EXPECTED.items():
        assert (out / name).read_text(encoding="utf-8") == text
    stamps = {name: (out / name).stat().st_mtime_ns for name in EXPECTED}
    assert main(argv) == 0
    assert "3 output(s) already up to date" in capsys.readouterr().err
    assert {name: (out / name).stat().st_mtime_ns for name in EXPECTED} == stamps
    assert main([*argv, "--beam-size", "1"]) == 0  # other settings: rewritten
    assert all((out / name).stat().st_mtime_ns != stamps[name] for name in EXPECTED)


def test_a_killed_actor_is_restarted_and_nothing_is_written_twice(
    ray_cluster: object, trained_ct2_model: Path, tmp_path: Path
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    files = {f"{i}.txt": ("mèo ăn cơm\n" if i % 2 else "chó lớn uống nước\n") for i in range(8)}
    write_tree(src, files)
    jobs = plan_jobs([str(src)], str(out))
    seen: dict[str, int] = {}
    killed: list[int] = []

    def kill_first_actor(run: object, rows: list[dict]) -> None:
        if not killed:
            pid = int(rows[0]["actor"].rsplit(":", 1)[1])
            for path in out.glob("*.en.txt"):  # what the first actor wrote before dying
                seen[path.name] = path.stat().st_mtime_ns
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    options = {"model": str(trained_ct2_model), "compute_type": "float32", "cache": False}
    summary, run = translate_folder(options, jobs, RayOptions(actors=(1, 1), batch_docs=1),
                                    progress=kill_first_actor)  # fmt: skip
    assert killed and seen
    assert sorted(p.name for p in summary.written) == sorted(f"{i}.en.txt" for i in range(8))
    assert not summary.failed
    for i in range(8):
        expected = "cat eats rice\n" if i % 2 else "dog big drinks water\n"
        assert (out / f"{i}.en.txt").read_text(encoding="utf-8") == expected
    assert {n: (out / n).stat().st_mtime_ns for n in seen} == seen  # none written again
    actors = {b.actor for b in run.batches}
    assert len(actors) == 2 and f"{killed[0]}" in " ".join(actors)  # Ray started a new one


def test_gpu_requests_reach_the_actors(
    ray_cluster: object, trained_ct2_model: Path, tmp_path: Path
) -> None:
    """The session cluster declares one logical GPU: two actors of 0.5 GPU share it (they run
    on the CPU, as no CUDA device is there; a lent GPU machine checks the real thing)."""
    src = tmp_path / "in"
    write_tree(src, {f"{i}.txt": "mèo ăn cơm\n" for i in range(4)})
    jobs = plan_jobs([str(src)], str(tmp_path / "out"))
    options = {"model": str(trained_ct2_model), "compute_type": "float32", "cache": False}
    ray_options = RayOptions(actors=(2, 2), cpus_per_actor=1, gpus_per_actor=0.5, batch_docs=1)
    summary, run = translate_folder(options, jobs, ray_options)
    assert len(summary.written) == 4
    assert {json.dumps(b.resources, sort_keys=True) for b in run.batches} == {
        '{"CPU": 1.0, "GPU": 0.5}'}  # fmt: skip


def test_a_missing_model_is_one_line_before_any_actor_starts(
    ray_cluster: object, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    write_tree(tmp_path / "in", ARTICLES)
    argv = ["translate", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--backend", "ray",
            "--model", str(tmp_path / "no-such-model")]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no-such-model" in err[0] and "Traceback" not in err[0], err
    assert not (tmp_path / "out").exists()


# --- datasets ---

ROWS = [
    {"id": "a", "text": "mèo ăn cơm\n\nchó lớn uống nước\nẢnh: AP"},
    {"id": 7, "text": "chó lớn uống nước"},
    {"id": "blank", "text": "   \n"},
    {"id": "none", "text": None},
    {"id": "nul", "text": "mèo\x00ăn"},
    {"id": "c", "text": "mèo ăn cơm"},
]


def write_jsonl(path: Path, rows: list[dict], *, extra: str = "") -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")


def by_id(out: Path) -> dict[str, dict]:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    records = [r for s in manifest["shards"] for r in read_shard(out / s["file"])]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an id was written twice"
    assert manifest["rows"] == len(records)
    return {r["id"]: r for r in records}


def test_dataset_rows_equal_local_file_translations_with_error_rows(
    ray_cluster: object, trained_ct2_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    data = tmp_path / "news.jsonl"
    write_jsonl(data, ROWS, extra="{not json\n")
    model = ["--model", str(trained_ct2_model), "--compute-type", "float32", "--no-cache"]
    argv = ["translate", str(data), "-o", str(tmp_path / "out"), *model, "--backend", "ray",
            "--batch-docs", "3"]  # fmt: skip
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "4 row(s) could not be translated" in err and "manifest:" in err
    rows = by_id(tmp_path / "out")
    assert len(rows) == 7
    # The same texts as files, on the local backend: the same bytes.
    write_tree(tmp_path / "files", {"a.txt": ROWS[0]["text"], "7.txt": ROWS[1]["text"],
                                    "c.txt": ROWS[5]["text"]})  # fmt: skip
    assert main(["translate", str(tmp_path / "files"), "-o", str(tmp_path / "local"), *model,
                 "-q"]) == 0  # fmt: skip
    for row_id in ("a", "7", "c"):
        local = (tmp_path / "local" / f"{row_id}.en.txt").read_text(encoding="utf-8")
        assert rows[row_id]["translation"] == local and rows[row_id]["error"] is None
    assert rows["a"]["translation"] == "cat eats rice\n\ndog big drinks water\nPhoto: AP\n"
    first = rows["a"]["segments"][0]
    assert (first["start"], first["end"], first["type"]) == (0, 10, "heading")
    assert first["translation"]["text"] == "cat eats rice"
    assert rows["a"]["signature"]["engine"] == "ctranslate2"
    assert "only whitespace" in rows["blank"]["error"]
    assert rows["none"]["error"] == "no 'text'"
    assert "NUL" in rows["nul"]["error"]
    malformed = [r for k, r in rows.items() if k.startswith("malformed:")]
    assert len(malformed) == 1 and "not a JSON record" in malformed[0]["error"]


def test_dataset_resumes_by_shard(
    ray_cluster: object, trained_ct2_model: Path, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    data, out = tmp_path / "news.parquet", tmp_path / "out"
    texts = ["mèo ăn cơm", "chó lớn uống nước", "mèo ăn cơm\nẢnh: AP"]
    pq.write_table(pa.table({"doc": [f"n{i}" for i in range(9)],
                             "body": [texts[i % 3] for i in range(9)]}), data)  # fmt: skip
    spec = check_dataset([str(data)], id_field="doc", text_field="body")
    options = {"model": str(trained_ct2_model), "compute_type": "float32", "cache": False}
    ray_options = RayOptions(batch_docs=3)  # 1 actor: the other CPU is kept for reading
    summary, run = translate_dataset(options, spec, out, ray_options)
    shards = sorted((out / "shards").glob("part-*.parquet"))
    sizes = [len(read_shard(p)) for p in shards]
    assert len(shards) >= 3 and max(sizes) <= 3 and summary.rows == 9 and run.documents == 9
    # A kill between a shard and its stamp: the shard counts as unfinished.
    cut = shards[0]
    (cut.parent / f".{cut.name}.vi2en").unlink()
    kept = {p.name: p.stat().st_mtime_ns for p in shards[1:]}
    summary, run = translate_dataset(options, spec, out, ray_options)
    assert sorted(summary.kept) == sorted(kept) and run.documents == sizes[0]
    assert {p: (out / "shards" / p).stat().st_mtime_ns for p in kept} == kept
    rows = by_id(out)
    assert sorted(rows) == [f"n{i}" for i in range(9)]
    assert rows["n2"]["translation"] == "cat eats rice\nPhoto: AP\n"
    assert check_dataset([str(data)], id_field="doc", text_field="body").shard_format == "parquet"


def test_dataset_field_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "d.jsonl"
    write_jsonl(data, [{"key": 1, "text": "mèo"}])
    code = main(["translate", str(data), "-o", str(tmp_path / "o"), "--backend", "ray"])
    assert code == 2
    assert "has no field 'id' (fields: key, text); set --id-field" in capsys.readouterr().err


@pytest.mark.slow
def test_rerun_after_the_driver_is_killed_completes_the_rest(
    trained_ct2_model: Path, tmp_path: Path
) -> None:
    """kill -9 of `vi2en translate --backend ray` (its own local cluster) mid-run, then a
    rerun: finished outputs are kept as they are, the rest are written."""
    src, out = tmp_path / "in", tmp_path / "out"
    write_tree(src, {f"{i:02d}.txt": "mèo ăn cơm\n\nchó lớn uống nước\n" * 20 for i in range(30)})
    argv = [sys.executable, "-m", "vi2en", "translate", str(src), "-o", str(out), "--model",
            str(trained_ct2_model), "--compute-type", "float32", "--backend", "ray",
            "--actors", "1", "--batch-docs", "1", "--no-cache", "-q"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.en.txt"))) < 3 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()  # type: ignore[union-attr]
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and the local cluster it started
    proc.wait()
    done = {p.name: p.stat().st_mtime_ns for p in out.glob("*.en.txt")}
    assert 3 <= len(done) < 30
    rerun = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert len(list(out.glob("*.en.txt"))) == 30
    assert {n: (out / n).stat().st_mtime_ns for n in done} == done
    assert not list(out.glob(".*.tmp"))
