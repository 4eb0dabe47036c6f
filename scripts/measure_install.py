"""Installed size and import cost of the core install (`pip install vi2en`) vs `vi2en[hf]`.

Size: the dependency closure of each, read from this environment's installed distributions
(every file each one's RECORD lists, as installed), vi2en itself left out. Import: what the
CTranslate2 path loads (core) and what the transformers engine adds (hf), each in a fresh
interpreter, `--repeat` times; the median wall time and the median peak resident memory.

    python scripts/measure_install.py [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
IMPORTS = {
    "core": "import ctranslate2, sentencepiece, vi2en.translator, vi2en.engines.ct2",
    "hf": "import ctranslate2, sentencepiece, vi2en.translator, vi2en.engines.ct2; "
          "import torch; from transformers import MarianMTModel; import vi2en.engines.hf",
}  # fmt: skip
PROBE = (
    "import resource, sys, time; t = time.perf_counter(); c = time.process_time(); "
    "exec(sys.argv[1]); "
    "print(time.perf_counter() - t, time.process_time() - c, "
    "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def requirements() -> tuple[list[Requirement], list[Requirement]]:
    """pyproject.toml's core dependencies, and what the `hf` extra adds."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    core = [Requirement(r) for r in project["dependencies"]]
    return core, [Requirement(r) for r in project["optional-dependencies"]["hf"]]


def closure(requirements: list[Requirement]) -> set[str]:
    """Names of the installed distributions these requirements pull in, recursively."""
    seen: set[str] = set()
    todo = [(req, frozenset[str]()) for req in requirements]
    while todo:
        req, wanted = todo.pop()
        env = [{"extra": e} for e in wanted] or [{"extra": ""}]
        if req.marker is not None and not any(req.marker.evaluate(e) for e in env):
            continue
        name = canonicalize_name(req.name)
        key = f"{name}[{','.join(sorted(req.extras))}]"
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue  # an optional dependency this environment does not have
        todo += [(Requirement(r), frozenset(req.extras)) for r in dist.requires or []]
    return {key.split("[")[0] for key in seen}


def installed_bytes(name: str) -> int:
    dist = md.distribution(name)
    total = 0
    for file in dist.files or []:
        path = Path(dist.locate_file(file))
        if path.is_file():
            total += path.stat().st_size
    return total


def import_cost(code: str, repeat: int) -> tuple[float, float, float]:
    """Medians of (wall seconds, CPU seconds, peak MiB) importing `code` in a fresh interpreter.

    CPU time is the steadier figure on a shared machine; wall time includes waiting for it.
    """
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", PROBE, code], capture_output=True,
                             text=True, check=True).stdout.split()  # fmt: skip
        runs.append((float(out[0]), float(out[1]), int(out[2]) / 1024))
    return tuple(statistics.median(r[k] for r in runs) for k in range(3))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    core_reqs, hf_reqs = requirements()
    core = closure(core_reqs)
    hf = closure(core_reqs + hf_reqs)
    sizes = {name: installed_bytes(name) for name in core | hf}
    result = {}
    for label, names in (("core", core), ("hf", hf)):
        wall, cpu, peak = import_cost(IMPORTS[label], args.repeat)
        mib = sum(sizes[n] for n in names) / 2**20
        result[label] = {"distributions": len(names), "installed_mib": round(mib, 1),
                         "import_wall_s": round(wall, 3), "import_cpu_s": round(cpu, 3),
                         "import_peak_mib": round(peak, 1)}  # fmt: skip
        print(f"{label}: {len(names)} distributions, {mib:.0f} MiB installed; import "
              f"{wall:.2f} s wall, {cpu:.2f} s CPU, peak {peak:.0f} MiB (medians of "
              f"{args.repeat}; load average {os.getloadavg()[0]:.1f})")
    biggest = sorted(hf - core, key=sizes.get, reverse=True)[:3]
    print("hf adds: " + ", ".join(f"{n} {sizes[n] / 2**20:.0f} MiB" for n in biggest))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
