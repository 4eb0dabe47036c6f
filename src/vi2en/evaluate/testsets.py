"""The test-set registry (`testsets.json`, package data beside this module): where each set comes
from, and where it is here.

Each entry records the upstream URL, license, line count, published anchor scores, the local
file names, their sha256 (null where the files were never on disk to compute one) and
whether the text is Moses-tokenised (then `normalize` lists "moses" and `vi2en eval`
detokenises it automatically). A set is found with `--testset-dir DIR` / `VI2EN_TESTSET_DIR=DIR`
under `DIR/<name>/`, else under the registry's `local.dir`: relative to the repository root when
vi2en runs from a checkout, to the current folder when it is installed (`local_root`), and to
the registry's parent folder's parent for a registry of your own (`VI2EN_TESTSETS`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vi2en.errors import InputError, Vi2enError

REGISTRY_ENV = "VI2EN_TESTSETS"
DIR_ENV = "VI2EN_TESTSET_DIR"
# Package data, so `vi2en eval --testset` works in any install (it lived in eval/, outside it).
DEFAULT_REGISTRY = Path(__file__).resolve().with_name("testsets.json")


@dataclass(frozen=True)
class EvalSet:
    """A registered test set resolved to files on this machine."""

    name: str
    title: str
    source: Path
    reference: Path
    docids: Path | None
    normalize: tuple[str, ...]
    entry: dict[str, Any] = field(repr=False)

    @property
    def anchors(self) -> list[dict[str, Any]]:
        """Published scores for this set (system, BLEU, chrF2, source)."""
        return list(self.entry.get("anchors", []))

    def describe(self) -> dict[str, Any]:
        """What a report records about the set (provenance, license, files used)."""
        keys = ("title", "url", "commit", "license", "citation", "preprocessing")
        out = {"name": self.name, **{k: self.entry.get(k) for k in keys}}
        out["files"] = {"source": str(self.source), "reference": str(self.reference),
                        "docids": str(self.docids) if self.docids else None}
        return out


def registry_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The registry file: `path`, else $VI2EN_TESTSETS, else the one vi2en ships."""
    return Path(path or os.environ.get(REGISTRY_ENV) or DEFAULT_REGISTRY)


def load_registry(path: str | os.PathLike[str] | None = None) -> dict[str, dict[str, Any]]:
    """Name -> registry entry.

    Raises:
        Vi2enError: the registry is missing or not valid JSON.
    """
    file = registry_path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        return dict(data["sets"])
    except FileNotFoundError:
        raise Vi2enError(
            f"test-set registry not found at {file}; set {REGISTRY_ENV} to a testsets.json"
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise Vi2enError(f"test-set registry {file} is malformed: {exc}") from None


def resolve_testset(
    name: str,
    *,
    testset_dir: str | os.PathLike[str] | None = None,
    registry: str | os.PathLike[str] | None = None,
) -> EvalSet:
    """Find a registered set's files on disk.

    Args:
        name: the registry key (e.g. "ntrex128").
        testset_dir: read the files from `testset_dir/<name>/` instead of the registry's
            folder (default: $VI2EN_TESTSET_DIR if set).
        registry: another registry file.

    Raises:
        Vi2enError: unknown name (lists the known ones) or files missing (says how to get them).
    """
    sets = load_registry(registry)
    if name not in sets:
        raise Vi2enError(f"unknown test set {name!r}; known: {', '.join(sorted(sets))}")
    entry = sets[name]
    local = entry["local"]
    base = testset_dir or os.environ.get(DIR_ENV)
    if base:
        folder = Path(base) / name
    else:
        file = registry_path(registry).resolve()
        root = local_root() if file == DEFAULT_REGISTRY else file.parents[1]
        folder = (root / local["dir"]).resolve()
    files = {role: (folder / local[role]) if local.get(role) else None
             for role in ("source", "reference", "docids")}
    missing = [str(p) for p in files.values() if p is not None and not p.is_file()]
    if missing:
        raise Vi2enError(
            f"test set {name} is not on disk (missing {', '.join(missing)}); to get it: "
            f"{entry.get('how_to_get', 'see ' + str(entry.get('url')))}"
        )
    return EvalSet(
        name=name,
        title=entry.get("title", name),
        source=files["source"],
        reference=files["reference"],
        docids=files["docids"],
        normalize=tuple(entry.get("normalize", [])),
        entry=entry,
    )


def local_root() -> Path:
    """What the shipped registry's relative `local.dir` (`../shared/data/...`) is relative to:
    the repository root when vi2en runs from a checkout, else the current folder."""
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "pyproject.toml").is_file() and (checkout / "src" / "vi2en").is_dir():
        return checkout
    return Path.cwd()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return digest.hexdigest()


def verify_checksums(testset: EvalSet) -> list[str]:
    """Compare the files with the registry's sha256; one note per mismatch or unknown sum."""
    notes = []
    sums = testset.entry.get("sha256") or {}
    for path in (testset.source, testset.reference, testset.docids):
        if path is None:
            continue
        expected = sums.get(path.name)
        if expected is None:
            notes.append(f"{path.name}: no registered sha256 to check against "
                         f"(its sha256 is {sha256_file(path)})")
        elif sha256_file(path) != expected:
            notes.append(f"{path.name}: sha256 differs from the registry's; this copy is not "
                         "the registered one, so the anchors may not be comparable")
    return notes
