"""Original OPUS-MT / Tatoeba-MT release zips: download (resumed, checksummed, cached), unpack.

A release zip holds Marian's own files: `*.npz` (weights, with the model's settings in
`special:model.yml`), `*.vocab.yml`, `source.spm`, `target.spm`, `decoder.yml`, a README and the
licence. vi2en unpacks it into `<cache>/releases/<name>/` and converts that folder to CTranslate2
with `ctranslate2.converters.OpusMTConverter` (`vi2en.engines.models.convert_folder`), which
needs neither torch nor transformers.

Downloads go to `<cache>/downloads/<name>.part` and resume from there (HTTP Range) after an
interruption. A zip with a published SHA-256 is checked against it; otherwise its SHA-256 is
recorded beside the unpacked folder (`vi2en-release.json`) and shown, so a later copy can be
compared. `VI2EN_RELEASE_MIRROR` replaces `https://object.pouta.csc.fi` (a mirror or a local
copy served over HTTP).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from vi2en.engines.registry import Notify, warn
from vi2en.errors import ModelNotFound

RELEASE_HOST = "https://object.pouta.csc.fi"
MIRROR_ENV = "VI2EN_RELEASE_MIRROR"
RELEASE_META = "vi2en-release.json"
CHUNK = 1 << 20
TIMEOUT_S = 30


def is_release_folder(path: Path) -> bool:
    """A folder unpacked from a Marian release (has `decoder.yml` and an `.npz`)."""
    return (path / "decoder.yml").is_file() and any(path.glob("*.npz"))


def releases_dir(cache: Path) -> Path:
    return cache / "releases"


def release_name(url: str) -> str:
    """A folder name for a release URL: `vie-eng_opus+bt-2021-04-30`."""
    parts = url.rstrip("/").split("/")
    stem = parts[-1].removesuffix(".zip")
    pair = parts[-2] if len(parts) >= 2 else "release"
    return re.sub(r"[^\w.+-]+", "_", f"{pair}_{stem}")[-80:]


def mirrored(url: str) -> str:
    """The URL to fetch: `VI2EN_RELEASE_MIRROR` in place of the release host, when set."""
    mirror = os.environ.get(MIRROR_ENV, "").rstrip("/")
    if mirror and url.startswith(RELEASE_HOST):
        return mirror + url[len(RELEASE_HOST) :]
    return url


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(url: str, part: Path, *, notify: Notify = warn) -> Path:
    """Download `url` into `part`, resuming what an earlier try left there.

    Raises:
        ModelNotFound: the server cannot be reached or refuses (one line, with what to do).
    """
    part.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.is_file() else 0
    request = urllib.request.Request(url, headers={"User-Agent": "vi2en"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # nothing left to fetch: the part is complete
            return part
        raise ModelNotFound(f"cannot download {url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelNotFound(
            f"cannot download {url}: {reason}; on a machine without internet, fetch the zip "
            "elsewhere and run `vi2en models convert FILE.zip`"
        ) from exc
    with response:
        resumed = response.status == 206
        if have and not resumed:
            have = 0  # the server ignored the Range header: start again
        if resumed:
            notify(f"resuming the download of {url} at {have / 1e6:.1f} MB")
        try:
            with part.open("ab" if resumed else "wb") as out:
                for block in iter(lambda: response.read(CHUNK), b""):
                    out.write(block)
        except OSError as exc:
            raise ModelNotFound(
                f"download of {url} broke off ({exc}); run the same command again to resume"
            ) from exc
    return part


def unpack(zip_path: Path, output: Path) -> Path:
    """Unpack a release zip into `output` (atomically), refusing paths that leave it.

    Raises:
        ModelNotFound: not a zip, or not a Marian release (no `decoder.yml` / `.npz`).
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        try:
            with zipfile.ZipFile(zip_path) as archive:
                for member in archive.infolist():
                    name = Path(member.filename)
                    if name.is_absolute() or ".." in name.parts:
                        raise ModelNotFound(f"{zip_path}: unsafe path {member.filename!r} in zip")
                archive.extractall(tmp)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ModelNotFound(f"{zip_path} is not a readable zip file: {exc}") from exc
        folder = tmp
        inner = [p for p in tmp.iterdir() if p.is_dir()]
        if not is_release_folder(tmp) and len(inner) == 1:
            folder = inner[0]  # zips that wrap everything in one folder
        if not is_release_folder(folder):
            raise ModelNotFound(
                f"{zip_path} is not an OPUS-MT/Tatoeba-MT release (no decoder.yml and .npz "
                "model inside)"
            )
        if output.exists():
            shutil.rmtree(output)
        folder.rename(output)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return output


def get_release(
    url: str,
    cache: Path,
    *,
    name: str | None = None,
    sha256: str | None = None,
    notify: Notify = warn,
) -> Path:
    """The unpacked release folder for `url`, downloaded and unpacked now if not cached.

    Raises:
        ModelNotFound: download failed, checksum mismatch, or not a release zip.
    """
    name = name or release_name(url)
    folder = releases_dir(cache) / name
    if is_release_folder(folder):
        return folder
    part = cache / "downloads" / f"{name}.zip.part"
    source = mirrored(url)
    notify(f"downloading {source}")
    fetch(source, part, notify=notify)
    digest = sha256_file(part)
    if sha256 and digest != sha256.lower():
        part.unlink()
        raise ModelNotFound(
            f"checksum mismatch for {source}: got sha256 {digest}, expected {sha256}; the "
            "partial file was removed, run the command again"
        )
    unpack(part, folder)
    meta = {"url": url, "fetched_from": source, "sha256": digest, "verified": bool(sha256)}
    (folder / RELEASE_META).write_text(json.dumps(meta, indent=1), "utf-8")
    part.unlink()
    notify(f"sha256 {digest} ({'matches the published checksum' if sha256 else 'recorded'})")
    return folder


def unpack_local(zip_path: Path, cache: Path) -> Path:
    """A release zip on disk, unpacked once into the cache (keyed by its SHA-256)."""
    digest = sha256_file(zip_path)
    folder = releases_dir(cache) / f"{release_name(zip_path.stem)}-{digest[:12]}"
    if not is_release_folder(folder):
        unpack(zip_path, folder)
        meta = {"file": str(zip_path), "sha256": digest, "verified": False}
        (folder / RELEASE_META).write_text(json.dumps(meta, indent=1), "utf-8")
    return folder


def guided_alignment(folder: Path) -> bool:
    """True when the release says it was trained with guided alignment ("transformer-align")."""
    names = [p.name for p in folder.glob("*.npz")]
    if any("transformer-align" in n for n in names):
        return True
    readme = folder / "README.md"
    text = readme.read_text("utf-8", errors="replace") if readme.is_file() else ""
    return "model: transformer-align" in text


__all__ = [
    "fetch",
    "get_release",
    "guided_alignment",
    "is_release_folder",
    "mirrored",
    "release_name",
    "sha256_file",
    "unpack",
    "unpack_local",
]
