"""What fingerprinting a model folder costs: the first time (page-cached files) and remembered.

    python scripts/bench_fingerprint.py FOLDER [FOLDER ...]

Uses a temporary vi2en cache folder, so the user's memo is left alone.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["VI2EN_CACHE_DIR"] = tempfile.mkdtemp(prefix="vi2en-fingerprint-")
    from vi2en import provenance

    for folder in args.folders:
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        provenance.model_fingerprint(folder)  # read the files once into the page cache
        for _ in range(args.repeat):
            provenance._memo = None
            provenance._memo_path().unlink(missing_ok=True)
            started = time.perf_counter()
            provenance.model_fingerprint(folder)
            first = time.perf_counter() - started
            provenance._memo = None  # as a new process would: read the memo file
            started = time.perf_counter()
            provenance.model_fingerprint(folder)
            again = time.perf_counter() - started
            print(f"{folder}: {size / 2**20:.0f} MiB, first {first:.3f} s, "
                  f"remembered {again:.4f} s")


if __name__ == "__main__":
    main()
