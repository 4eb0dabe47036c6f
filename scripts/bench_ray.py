"""Ray backend benchmark: `--backend ray` with 1 and 2 actors against the local backend, in one run.

    python scripts/bench_ray.py                  # 50 NTREX-128 documents, 1 round
    python scripts/bench_ray.py --docs 20 --rounds 2 --json bench_ray.json

Every system translates the same NTREX-128 documents (as article files, one line per sentence)
into a fresh folder with the translation cache off, timed from the start of its model load to
its last written output:

- `local-1t`: the local backend, one process, 1 thread (the single-actor baseline);
- `local-2t`: the local backend, one process, 2 threads (vi2en's default layout on 2 cores:
  2 CTranslate2 workers x 1 thread) -- the same total threads as two actors;
- `ray-1a`: `--backend ray`, one actor of 1 CPU;
- `ray-2a`: `--backend ray`, two actors of 1 CPU each.

The Ray cluster (local, on this machine) is started once before the systems run and its start
time is reported apart: a real cluster is started once for many runs. A Ray run's time includes
the driver's model check, the actors' start and model load, and Ray Data's scheduling, which is
the overhead asked about. Rounds rotate the systems; the report gives each system's median.

The model is opus-mt-vi-en's exact shape with random weights (`scripts/bench_model.py`): real
weights are never on disk here and speed depends on the shape. A random model does not stop by
itself, so every segment decodes to the pipeline's length cap (2n+10 pieces); a real model stops
after about n, so real throughput is higher than the figures here, for every system alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))

from bench import ntrex_documents  # noqa: E402
from bench_model import build_model  # noqa: E402

SYSTEMS = ("local-1t", "ray-1a", "local-2t", "ray-2a")


def write_articles(folder: Path, count: int) -> int:
    """The first `count` NTREX documents as files; returns the number of lines (sentences)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = 0
    for i, doc in enumerate(ntrex_documents(count)):
        (folder / f"{i:03d}.txt").write_text("\n".join(doc) + "\n", encoding="utf-8")
        lines += len(doc)
    return lines


def run_local(options: dict[str, Any], src: Path, out: Path, threads: int) -> dict[str, Any]:
    from vi2en.filejobs import plan_jobs, translate_files
    from vi2en.translator import Translator

    began = time.perf_counter()
    translator = Translator(**options, threads=threads)
    summary = translate_files(translator, plan_jobs([str(src)], str(out)))
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "written": len(summary.written), "actors": 0,
            "actor_seconds": seconds}  # fmt: skip


def run_ray(options: dict[str, Any], src: Path, out: Path, actors: int,
            batch_docs: int) -> dict[str, Any]:  # fmt: skip
    from vi2en.filejobs import plan_jobs
    from vi2en.raybackend import RayOptions, translate_folder

    began = time.perf_counter()
    ray_options = RayOptions(actors=(actors, actors), cpus_per_actor=1, batch_docs=batch_docs)
    summary, run = translate_folder(options, plan_jobs([str(src)], str(out)), ray_options)
    seconds = time.perf_counter() - began
    loads = [b.load_seconds for b in run.batches if b.load_seconds]
    return {
        "seconds": seconds,
        "written": len(summary.written),
        "actors": len({b.actor for b in run.batches}),
        "actor_seconds": sum(b.seconds for b in run.batches),
        "model_check_s": run.stages.get("model check", 0.0),
        "model_load_s": max(loads) if loads else 0.0,
        "segments": run.segments,
    }


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.en.txt"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=50, help="NTREX documents (default 50)")
    parser.add_argument("--rounds", type=int, default=1, help="rotations of the systems")
    parser.add_argument("--batch-docs", type=int, default=0,
                        help="documents per actor call (default: docs / actors, one call each)")
    parser.add_argument("--model", type=Path,
                        help="a CTranslate2 folder (default: the opus-mt-shaped random model)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    import ray

    model = args.model or build_model()[1]
    options = {"model": str(model), "engine": "ctranslate2", "cache": False}
    print(f"load average at start: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
        work = Path(tmp)
        sentences = write_articles(work / "in", args.docs)
        began = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
        cluster_s = time.perf_counter() - began
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in SYSTEMS}
        for round_no in range(args.rounds):
            order = SYSTEMS[round_no % len(SYSTEMS):] + SYSTEMS[:round_no % len(SYSTEMS)]
            for name in order:
                out = work / f"out-{name}-{round_no}"
                if name.startswith("local"):
                    result = run_local(options, work / "in", out, int(name[-2]))
                else:
                    actors = int(name[-2])
                    batch = args.batch_docs or -(-args.docs // actors)
                    result = run_ray(options, work / "in", out, actors, batch)
                result["load_avg"] = os.getloadavg()[0]
                results[name].append(result)
                print(f"round {round_no + 1} {name}: {result['seconds']:.1f} s "
                      f"(load {result['load_avg']:.1f})", flush=True)  # fmt: skip
        same = {name: outputs(work / f"out-{name}-0") == outputs(work / "out-local-1t-0")
                for name in SYSTEMS}  # fmt: skip
        ray.shutdown()
    median = {name: statistics.median(r["seconds"] for r in rows)
              for name, rows in results.items()}  # fmt: skip
    figures = {
        "model": str(model),
        "docs": args.docs,
        "sentences": sentences,
        "rounds": args.rounds,
        "batch_docs": args.batch_docs,
        "ray_cluster_start_s": cluster_s,
        "median_seconds": median,
        "ratio_ray_1a_over_local_1t": median["ray-1a"] / median["local-1t"],
        "ratio_ray_2a_over_local_2t": median["ray-2a"] / median["local-2t"],
        "ratio_ray_2a_over_ray_1a": median["ray-2a"] / median["ray-1a"],
        "docs_per_hour_per_cpu_actor": args.docs / median["ray-1a"] * 3600,
        "sentences_per_s_per_cpu_actor": sentences / median["ray-1a"],
        "outputs_identical_to_local_1t": same,
        "runs": results,
        "load_avg_end": os.getloadavg(),
        "cpus": os.cpu_count(),
    }
    print(f"\n{args.docs} NTREX documents ({sentences} sentences), {args.rounds} round(s); "
          f"Ray local cluster start {cluster_s:.1f} s (not in the times below)")  # fmt: skip
    print(f"{'system':10} {'median s':>9} {'doc/s':>7} {'outputs = local-1t':>19}")
    for name in SYSTEMS:
        print(f"{name:10} {median[name]:9.1f} {args.docs / median[name]:7.2f} "
              f"{'yes' if same[name] else 'NO':>19}")  # fmt: skip
    print(f"ray-1a / local-1t = {figures['ratio_ray_1a_over_local_1t']:.2f}x, "
          f"ray-2a / local-2t = {figures['ratio_ray_2a_over_local_2t']:.2f}x (target <= 1.25x); "
          f"ray-2a / ray-1a = {figures['ratio_ray_2a_over_ray_1a']:.2f}x")  # fmt: skip
    print(f"per CPU actor: {figures['docs_per_hour_per_cpu_actor']:.0f} documents/hour, "
          f"{figures['sentences_per_s_per_cpu_actor']:.2f} sentences/s (cap-length decoding)")
    print(f"load average at end: {figures['load_avg_end']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
