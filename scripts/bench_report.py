"""The benchmark's targets, its table rows, and the ratios and report computed from its results.

`scripts/bench.py` runs the systems; this module only turns their results into figures.
"""

from __future__ import annotations

import statistics
from typing import Any

HEADER = (
    f"  {'system':<34} {'segs':>5} {'seconds':>8} {'sent/s':>8} {'tok/s':>8} {'peak MB':>8}   load"
)

TARGETS = {  # name -> (what, threshold, direction)
    "ct2_vs_hf_best_batch": ("vi2en CT2 / transformers best sorted batch", 2.8, ">="),
    "ct2_vs_hf_single": ("vi2en CT2 / transformers one at a time", 20.0, ">="),
    "pipeline_vs_raw_ct2": ("vi2en CT2 pipeline / best raw CT2 (median round)", 0.9, ">="),
    "align_overhead": ("CT2 pipeline time with --align / without (median round)", 1.10, "<="),
    "peak_mb_int8": ("peak RSS of the int8 path, MB (max over vi2en CT2 runs)", 700.0, "<="),
    "help_seconds": ("`vi2en --help`, best of 5, s", 0.5, "<="),
}


def row(r: dict[str, Any]) -> str:
    """One system's result as a table row (or its peak memory when it has no timing)."""
    if "seconds" not in r:
        return f"peak {r['peak_rss_mb']:.0f} MB"
    return (
        f"{r['segments']:>5} {r['seconds']:>8.1f} {r['sent_per_s']:>8.2f} "
        f"{r['tok_per_s']:>8.1f} {r['peak_rss_mb']:>8.0f}   {r['load'][0]:.2f}->{r['load'][1]:.2f}"
    )



def target_figures(res: dict[str, Any], log: list[dict[str, Any]]) -> dict[str, float]:
    """The target ratios and side figures from the best run of each system (`res`) and all runs."""
    r: dict[str, float] = {}
    vi2en = res.get("pipe_ctranslate2_False")
    if vi2en and res.get("hf_batch"):
        best = max(res["hf_batch"], key=lambda x: x["sent_per_s"])
        r["ct2_vs_hf_best_batch"] = vi2en["sent_per_s"] / best["sent_per_s"]
    if vi2en and res.get("hf_single"):
        r["ct2_vs_hf_single"] = vi2en["sent_per_s"] / res["hf_single"]["sent_per_s"]
    if vi2en and res.get("ct2_raw"):
        best_raw = max(res["ct2_raw"], key=lambda x: x["sent_per_s"])
        r["pipeline_vs_raw_processes"] = vi2en["sent_per_s"] / best_raw["sent_per_s"]
        r["raw_ct2_best"] = best_raw["name"]  # type: ignore[assignment]
    aligned = res.get("pipe_ctranslate2_True")
    if vi2en and aligned:
        r["align_overhead_processes"] = aligned["seconds"] / vi2en["seconds"]
    # The close targets come from the paired rounds when there are some (one process, rotating
    # order), else from the best separate-process runs.
    if "paired" in res:
        rounds = res["paired"]
        speed = sorted(w / p for w, p in zip(rounds["raw"], rounds["plain"], strict=True))
        cost = sorted(a / p for a, p in zip(rounds["aligned"], rounds["plain"], strict=True))
        r["pipeline_vs_raw_ct2"] = statistics.median(speed)
        r["align_overhead"] = statistics.median(cost)
        r["paired_pipeline_vs_raw"], r["paired_align"] = speed, cost  # type: ignore[assignment]
    else:
        for target, side in (("pipeline_vs_raw_ct2", "pipeline_vs_raw_processes"),
                             ("align_overhead", "align_overhead_processes")):  # fmt: skip
            if side in r:
                r[target] = r[side]
    if res.get("pipe_transformers_True"):
        r["align_overhead_transformers"] = (
            res["pipe_transformers_True"]["seconds"] / res["pipe_transformers_False"]["seconds"]
        )
    int8_runs = [x["peak_rss_mb"] for x in log if x["name"].startswith("vi2en CT2 pipeline")]
    if int8_runs:
        r["peak_mb_int8"] = max(int8_runs)
    if "cache" in res:
        first, rerun = res["cache"]["runs"]
        r["cache_first_s"], r["cache_rerun_s"] = first["seconds"], rerun["seconds"]
        r["cache_rerun_translated"] = rerun["translated"]
        r["cache_speedup"] = first["seconds"] / rerun["seconds"]
    if res.get("workers"):
        one, two = res["workers"]
        r["workers_speedup"] = one["seconds"] / two["seconds"]
    return r


def report(figures: dict[str, Any], res: dict[str, Any]) -> None:
    """Print each target with MET / NOT MET, then the side figures."""
    print("\nTargets (one run, same segments, beam and output length for every system):")
    for key, (what, threshold, direction) in TARGETS.items():
        if key not in figures:
            print(f"  {what:<58} not measured")
            continue
        value = figures[key]
        ok = value >= threshold if direction == ">=" else value <= threshold
        print(
            f"  {what:<58} {value:>7.2f}  target {direction} {threshold:<5} "
            f"{'MET' if ok else 'NOT MET'}"
        )
    if "raw_ct2_best" in figures:
        print(f"  best raw CT2 setting: {figures['raw_ct2_best']}")
    if "paired_align" in figures:
        for key, what in (("paired_pipeline_vs_raw", "raw CT2 time / vi2en CT2 time"),
                          ("paired_align", "vi2en CT2 time with --align / without")):  # fmt: skip
            print(f"  paired rounds, {what}: " + ", ".join(f"{x:.3f}" for x in figures[key]))
    for key, what in (("pipeline_vs_raw_processes", "vi2en CT2 / best raw CT2"),
                      ("align_overhead_processes", "CT2 --align / without")):  # fmt: skip
        if key in figures:
            print(f"  {what}, best runs in separate processes: {figures[key]:.2f}")
    if "align_overhead_transformers" in figures:
        print(
            f"  transformers pipeline time with --align / without: "
            f"{figures['align_overhead_transformers']:.2f}"
        )
    if "cache" in res:
        print(
            f"  cache: first run {figures['cache_first_s']:.2f} s, revised rerun "
            f"{figures['cache_rerun_s']:.2f} s ({figures['cache_rerun_translated']} segments "
            f"re-translated), {figures['cache_speedup']:.1f}x"
        )
    if "workers_speedup" in figures:
        print(f"  folder --workers 2 vs 1: {figures['workers_speedup']:.2f}x")
