"""vi2en's speed benchmark: plain transformers vs raw CTranslate2 vs the vi2en pipeline.

    python scripts/bench.py                      # 10 NTREX-128 documents, every system
    python scripts/bench.py --docs 13 --json bench.json --max-load 2.5 --wait 10

The model has opus-mt-vi-en's exact shape with random weights (`scripts/bench_model.py`, built
once and cached). All systems translate the same segments (the ones vi2en's segmenter and input
preparation make from the first N NTREX-128 documents) with beam 4 and exactly `--length` target
tokens each, because a random model does not stop by itself. Each system runs in a fresh process
(`scripts/bench_systems.py`) so its peak memory (VmHWM) is its own; timings exclude model loading
and one warm-up call. The machine is shared: the load average is printed at the start and end and
next to each system, and `--max-load/--wait` waits for a quieter machine before starting.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))

from bench_model import NTREX, build_model  # noqa: E402
from bench_report import HEADER, TARGETS, report, row, target_figures  # noqa: E402

# (name, spec) of every raw CTranslate2 setting tried: layouts x batch types.
CT2_LAYOUTS = ((1, 2), (2, 1))
CT2_BATCHES = (
    ("examples", 16),
    ("examples", 32),
    ("examples", 64),
    ("tokens", 1024),
    ("tokens", 2048),
)
HF_BATCHES = (16, 32, 64)
ENGINE_LABEL = {"ctranslate2": "CT2", "transformers": "transformers"}


def ntrex_documents(count: int) -> list[list[str]]:
    """The first `count` NTREX-128 documents, each a list of Vietnamese lines."""
    lines = (NTREX / "ntrex.vi").read_text("utf-8").splitlines()
    ids = (NTREX / "document_ids.tsv").read_text("utf-8").splitlines()
    docs = [
        [line for _, line in group]
        for _, group in itertools.groupby(zip(ids, lines, strict=True), key=lambda p: p[0])
    ]
    return docs[:count]


def model_inputs(folder: Path) -> list[str]:
    """The distinct texts vi2en's pipeline sends to the model for the articles in `folder`."""
    from vi2en.segment import segment_document
    from vi2en.text.files import load_document
    from vi2en.text.prep import prepare

    texts: dict[str, None] = {}
    for path in sorted(folder.glob("*.txt")):
        for seg in segment_document(load_document(path)).segments:
            if seg.translated and (prepared := prepare(seg.text).text):
                texts.setdefault(prepared)
    return list(texts)


def run_system(name: str, spec: dict[str, Any], work: Path, log: list[dict[str, Any]]) -> dict:
    """Run one system in a fresh process; its result gets name, load averages and rates."""
    spec_file = work / f"spec-{len(log):03d}.json"
    spec_file.write_text(json.dumps(spec), "utf-8")
    load_before = os.getloadavg()[0]
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench_systems.py"), str(spec_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH_RESULT ")]
    if proc.returncode != 0 or not lines:
        sys.exit(f"bench: system {name} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    result = json.loads(lines[-1].removeprefix("BENCH_RESULT "))
    result.update(name=name, load=[round(load_before, 2), round(os.getloadavg()[0], 2)])
    if "seconds" in result:
        result["sent_per_s"] = result["segments"] / result["seconds"]
        result["tok_per_s"] = result["tokens"] / result["seconds"]
    log.append(result)
    print(f"  {name:<34} {row(result)}", flush=True)
    return result


def help_seconds(runs: int = 5) -> float:
    """Best wall time of `vi2en --help` over `runs` fresh processes."""
    exe = shutil.which("vi2en")
    cmd = [exe, "--help"] if exe else [sys.executable, "-m", "vi2en", "--help"]
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def wait_for_load(max_load: float, minutes: float) -> None:
    deadline = time.time() + minutes * 60
    while os.getloadavg()[0] > max_load and time.time() < deadline:
        print(
            f"bench: load average {os.getloadavg()[0]:.2f} > {max_load}; waiting 30 s", flush=True
        )
        time.sleep(30)


def versions() -> dict[str, str]:
    import ctranslate2
    import torch
    import transformers

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "ctranslate2": ctranslate2.__version__,
        "cpu_count": str(os.cpu_count()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10, help="first N NTREX-128 documents")
    parser.add_argument("--length", type=int, default=40, help="target tokens per segment")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument(
        "--threads",
        type=int,
        default=os.cpu_count() or 2,
        help="threads for transformers (default: cores); vi2en's CTranslate2 engine runs with "
        "its own default layout, as `vi2en translate` does",
    )
    parser.add_argument(
        "--single-limit",
        type=int,
        default=30,
        help="one-at-a-time transformers on the first N segments only (0: all)",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comma list: hf_single,hf_batch,ct2_raw,pipeline_hf,paired,cache,workers,help",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="rounds of raw CT2 (best setting) / vi2en CT2 / vi2en CT2 --align in one process, "
        "for the pipeline and --align ratios (default 5)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="runs per system (round-robin); the fastest counts (default 2)",
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument(
        "--max-load",
        type=float,
        default=0.0,
        help="wait until the 1-minute load average is below this (0: no wait)",
    )
    parser.add_argument("--wait", type=float, default=10.0, help="minutes to wait at most")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    if not (NTREX / "ntrex.vi").is_file():
        print(f"bench: {NTREX} is missing (the shared NTREX-128 data)", file=sys.stderr)
        return 2
    hf_dir, ct2_dir = build_model()
    if args.max_load:
        wait_for_load(args.max_load, args.wait)
    info = versions() | {
        "threads": args.threads,
        "beam": args.beam,
        "length": args.length,
        "docs": args.docs,
        "load_start": os.getloadavg(),
    }
    print("bench: " + ", ".join(f"{k} {v}" for k, v in info.items() if k != "load_start"))
    print("bench: load average at start {:.2f} {:.2f} {:.2f}".format(*info["load_start"]))
    log: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="vi2en-bench-") as tmp:
        work = Path(tmp)
        articles = work / "articles"
        articles.mkdir()
        for i, doc in enumerate(ntrex_documents(args.docs)):
            (articles / f"ntrex-{i:03d}.txt").write_text("\n".join(doc) + "\n", "utf-8")
        texts = model_inputs(articles)
        texts_file = work / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        print(f"bench: {args.docs} documents -> {len(texts)} segments; model {hf_dir.parent}")
        base = {
            "texts_file": str(texts_file),
            "hf_dir": str(hf_dir),
            "ct2_dir": str(ct2_dir),
            "beam": args.beam,
            "length": args.length,
            "threads": args.threads,
        }
        print(HEADER)
        res = _run_all(args, base, articles, work, log, skip, texts)
    info["load_end"] = os.getloadavg()
    print("bench: load average at end {:.2f} {:.2f} {:.2f}".format(*info["load_end"]))
    figures = target_figures(res, log)
    if "help" not in skip:
        figures["help_seconds"] = help_seconds()
    report(figures, res)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"info": info, "systems": log, "ratios": figures, "targets": TARGETS}, indent=1
            ),
            "utf-8",
        )
    return 0


def _run_all(
    args: argparse.Namespace,
    base: dict[str, Any],
    articles: Path,
    work: Path,
    log: list[dict[str, Any]],
    skip: set[str],
    texts: list[str],
) -> dict[str, Any]:
    """Every system `args.repeat` times, round-robin; each system's fastest run is kept.

    Round-robin, so a burst of other work on the shared machine cannot hit every repetition of
    one system; best-of-N because interference only ever slows a run down.
    """
    from vi2en.defaults import DEFAULT_BATCH_TOKENS

    plan: list[tuple[str, str, dict[str, Any]]] = []  # (slot, name, spec)
    if "hf_single" not in skip:
        limit = args.single_limit or len(texts)
        plan.append(
            (
                "hf_single",
                f"transformers 1-at-a-time ({min(limit, len(texts))})",
                base | {"kind": "hf_single", "limit": limit},
            )
        )
    if "hf_batch" not in skip:
        plan += [
            (
                f"hf_batch_{b}",
                f"transformers sorted batch {b}",
                base | {"kind": "hf_batch", "batch_size": b},
            )
            for b in HF_BATCHES
        ]
    if "ct2_raw" not in skip:
        plan += [
            (
                f"ct2_raw_{inter}_{btype}_{size}",
                f"raw CT2 int8 {inter}x{intra} {btype} {size}",
                base
                | {
                    "kind": "ct2_raw",
                    "inter_threads": inter,
                    "intra_threads": intra,
                    "batch_type": btype,
                    "batch_size": size,
                },
            )
            for inter, intra in CT2_LAYOUTS
            for btype, size in CT2_BATCHES
        ]
    pipe = base | {
        "kind": "pipeline",
        "input_dir": str(articles),
        "batch_tokens": DEFAULT_BATCH_TOKENS,
    }
    engines = ["ctranslate2"] + ([] if "pipeline_hf" in skip else ["transformers"])
    for engine, align in itertools.product(engines, (False, True)):
        plan.append(
            (
                f"pipe_{engine}_{align}",
                f"vi2en {ENGINE_LABEL[engine]} pipeline{' --align' if align else ''}",
                pipe | {"engine": engine, "align": align},
            )
        )
    best: dict[str, dict[str, Any]] = {}
    for rep in range(args.repeat):
        for slot, name, spec in plan:
            tag = f" [{rep + 1}/{args.repeat}]" if args.repeat > 1 else ""
            result = run_system(name + tag, spec, work, log)
            if slot not in best or result["seconds"] < best[slot]["seconds"]:
                best[slot] = result | {"name": name}
    res: dict[str, Any] = {k: v for k, v in best.items() if not k.startswith(("hf_b", "ct2"))}
    res["hf_batch"] = [v for k, v in best.items() if k.startswith("hf_batch")]
    res["ct2_raw"] = [v for k, v in best.items() if k.startswith("ct2_raw")]
    if args.repeat > 1:
        print(f"\nBest of {args.repeat} runs per system:")
        print(HEADER)
        for result in best.values():
            print(f"  {result['name']:<34} {row(result)}")
    if "paired" not in skip and args.rounds > 0 and res["ct2_raw"]:
        fastest = max(res["ct2_raw"], key=lambda x: x["sent_per_s"])
        raw_spec = next(spec for _, name, spec in plan if name == fastest["name"])
        res["paired"] = run_system(
            f"paired: raw CT2 best, vi2en CT2 -/+ --align, {args.rounds} rounds",
            pipe | {"kind": "paired", "rounds": args.rounds, "raw": raw_spec},
            work,
            log,
        )
    if "cache" not in skip:
        res["cache"] = _cache_run(base, work, log)
    if "workers" not in skip:
        res["workers"] = _workers_run(base["ct2_dir"], articles, len(texts), work, log)
    return res


def _workers_run(
    ct2_dir: str, articles: Path, segments: int, work: Path, log: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """`vi2en translate FOLDER --workers 1` and `2`, wall time of the whole command.

    The CLI cannot force the output length, so decoding runs to `</s>` or vi2en's cap; both runs
    do exactly the same work, so the ratio is fair (model loading and process start included).
    """
    exe = shutil.which("vi2en")
    cli = [exe] if exe else [sys.executable, "-m", "vi2en"]
    helptext = subprocess.run(
        [*cli, "translate", "--help"], capture_output=True, text=True, check=False
    ).stdout
    if "--workers" not in helptext:
        print("  vi2en translate has no --workers: folder parallelism not measured")
        return []
    runs = []
    for n in (1, 2):
        cmd = [
            *cli,
            "translate",
            str(articles),
            "-o",
            str(work / f"out-workers-{n}"),
            "--model",
            ct2_dir,
            "--engine",
            "ctranslate2",
            "--no-cache",
            "--force",
            "-q",
            "--workers",
            str(n),
        ]
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
        result = {
            "name": f"vi2en translate folder --workers {n} (CLI, natural lengths)",
            "seconds": seconds,
            "segments": segments,
            "sent_per_s": segments / seconds,
            "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        }
        log.append(result)
        print(
            f"  {result['name']:<50} {seconds:>8.1f} s {result['sent_per_s']:>8.2f} sent/s"
            f"   {result['load'][0]:.2f}->{result['load'][1]:.2f}",
            flush=True,
        )
        runs.append(result)
    return runs


def _cache_run(base: dict[str, Any], work: Path, log: list[dict[str, Any]]) -> dict[str, Any]:
    """A 20-sentence article, then the same with 2 sentences changed, cache on."""
    docs = ntrex_documents(40)
    article = next(d for d in docs if len(d) >= 20)[:20]
    other = next(d for d in reversed(docs) if len(d) >= 2)
    revised = list(article)
    revised[5], revised[12] = other[0], other[1]
    spec = base | {
        "kind": "cache",
        "engine": "ctranslate2",
        "batch_tokens": 1024,
        "versions": ["\n".join(article), "\n".join(revised)],
    }
    return run_system("vi2en cache: article, then revised", spec, work, log)


if __name__ == "__main__":
    sys.exit(main())
