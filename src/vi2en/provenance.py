"""The translation signature, built from what actually runs, and the model files' fingerprint.

`signature_for(engine, ...)` reads the loaded engine (its registry name, device, compute type,
the folder it loaded, the hub revision), the model's generation config, the pipeline's decoding
policy and the versions of the segmenter and of the input preparation into one
`vi2en.doc.TranslationSignature`. The translation cache key and the resume stamps are derived
from it, so they change together.

Fingerprint: the SHA-256 of every model file's contents (docs and hidden files aside), combined
with the file names. Hashing runs at about 1.5 GB/s here: 0.05 s for an opus-mt-sized int8
CTranslate2 folder, 0.19 s for its 276 MiB Hugging Face folder (`scripts/bench_fingerprint.py`),
seconds for a multi-GB model. So
a file's hash is remembered in `<vi2en cache>/fingerprints.json` under its path, device, inode,
size and modification time; a file edited in place gets a new mtime and is hashed again. Files
under `MEMO_MIN_BYTES` are always hashed (cheaper than the lookup is worth).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from vi2en import __version__
from vi2en.doc import TranslationSignature
from vi2en.engines.base import Engine
from vi2en.engines.models import VI2EN_META, cache_dir
from vi2en.pipeline import LENGTH_POLICY, PIPELINE_VERSION
from vi2en.segment import RULES_VERSION
from vi2en.text.prep import PREP_VERSION

MEMO_FILE = "fingerprints.json"
MEMO_MIN_BYTES = 1 << 20
MEMO_MAX_ENTRIES = 10_000
# generation_config.json bookkeeping that does not change decoding.
GENERATION_IGNORED = ("transformers_version", "_from_model_config")
_memo: dict[str, str] | None = None  # this process's copy of the memo file


def signature_for(engine: Engine, *, beam_size: int, soft_limit: int) -> TranslationSignature:
    """The signature of translations made by `engine` with these pipeline settings.

    Args:
        engine: a loaded engine (`vi2en.engines.load_engine`).
        beam_size: the beam actually used (the engine's default when none was asked for).
        soft_limit: pieces above which the pipeline splits a segment at clauses.
    """
    folder = engine.path if engine.path is not None and Path(engine.path).is_dir() else None
    return TranslationSignature(
        vi2en=__version__,
        model=engine.model_id,
        revision=engine.revision,
        model_sha=None if folder is None else model_fingerprint(Path(folder)),
        generation=() if folder is None else generation_config(Path(folder)),
        engine=engine.name,
        device=engine.device,
        compute_type=engine.compute_type,
        beam_size=beam_size,
        soft_limit=soft_limit,
        length_policy=f"{LENGTH_POLICY}<={engine.max_positions}/v{PIPELINE_VERSION}",
        segmenter=f"vi2en-rules-{RULES_VERSION}",
        preparation=f"opus-mt-prep-{PREP_VERSION}",
        guards=",".join(getattr(engine, "guards", ())),
    )


def generation_config(folder: Path) -> tuple[tuple[str, Any], ...]:
    """The decoding settings of a model folder's `generation_config.json`, sorted (or empty)."""
    try:
        data = json.loads((folder / "generation_config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return ()
    if not isinstance(data, dict):
        return ()
    return tuple(sorted((k, v) for k, v in data.items() if k not in GENERATION_IGNORED))


def model_fingerprint(folder: Path) -> str:
    """SHA-256 over the names and content hashes of a model folder's files.

    Left out: hidden files and `*.md` (model cards), and the `source` path in a conversion's
    `vi2en.json` (where it was converted from does not change it), so the same model gives the
    same fingerprint on every machine.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or path.suffix == ".md":
            continue
        digest.update(f"{rel.as_posix()}\0{file_sha256(path)}\n".encode())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of one file's contents (remembered for large files, see the module doc)."""
    if path.name == VI2EN_META:
        return _meta_sha256(path)
    stat = path.stat()  # follows the hub cache's symlinks to the blobs
    if stat.st_size < MEMO_MIN_BYTES:
        return _hash_file(path)
    key = f"{path.resolve()}\0{stat.st_dev}\0{stat.st_ino}\0{stat.st_size}\0{stat.st_mtime_ns}"
    memo = _load_memo()
    if key not in memo:
        memo[key] = _hash_file(path)
        _save_memo(memo)
    return memo[key]


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:  # hashlib.file_digest is Python 3.11+
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _meta_sha256(path: Path) -> str:
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return _hash_file(path)
    if isinstance(meta, dict):
        meta.pop("source", None)
    return hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()


def _memo_path() -> Path:
    return cache_dir() / MEMO_FILE


def _read_memo() -> dict[str, str]:
    try:
        data = json.loads(_memo_path().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _load_memo() -> dict[str, str]:
    global _memo
    if _memo is None:
        _memo = _read_memo()
    return _memo


def _save_memo(memo: dict[str, str]) -> None:
    """Merge into the memo file and write it atomically (other processes may have added to it);
    a memo that cannot be written only costs hashing again."""
    keep = {**_read_memo(), **memo}
    keep = dict(list(keep.items())[-MEMO_MAX_ENTRIES:])
    path = _memo_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{MEMO_FILE}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(keep, handle)
        os.replace(tmp, path)
    except OSError:
        return


__all__ = ["file_sha256", "generation_config", "model_fingerprint", "signature_for"]
