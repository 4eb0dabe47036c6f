"""Where a model comes from: hub id, Hugging Face cache, local folder, CTranslate2 conversion.

`--model` takes a hub id (default `Helsinki-NLP/opus-mt-vi-en`), a short name from the
catalogue (`vi2en.engines.catalogue`: `opus-mt`, `tatoeba-aav`, `nllb-600m`...), a local Hugging
Face folder, a CTranslate2 folder, or an original OPUS-MT/Tatoeba-MT release (its `.zip` or the
unpacked folder, converted without torch). A hub id is looked up in the Hugging Face cache
first; the hub is asked only when `HF_HUB_OFFLINE` is not set. Anything that cannot be had raises
`ModelNotFound` with one line that says what is missing and how to get it.

Conversions live in `<cache>/ct2/<key>`, `<cache>` being `VI2EN_CACHE_DIR` or the user cache
directory; the key hashes the source folder's file names, sizes and times plus the quantization, so
a conversion is reused until the source changes. A conversion is self-sufficient: it carries the
SentencePiece models, `vocab.json`, `generation_config.json` and a `vi2en.json` with what the
engines need (positions, beams, source).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from vi2en.defaults import (
    DEFAULT_MODEL,
    FALLBACK_MAX_LENGTH,
    FALLBACK_MAX_POSITIONS,
    FALLBACK_NUM_BEAMS,
)
from vi2en.engines import releases
from vi2en.engines.catalogue import KnownModel, for_source, known_model
from vi2en.engines.families import (
    META_FILE,
    FamilySpec,
    attention_aligns,
    family_for_folder,
    read_json,
)
from vi2en.engines.registry import Notify, warn
from vi2en.errors import EngineError, ModelNotFound

Format = Literal["hf", "ct2", "marian"]

# What a Marian snapshot needs; the TF/Flax/Rust weights of opus-mt repos are skipped.
HF_PATTERNS = ["*.json", "*.spm", "*.model", "*.safetensors", "pytorch_model*.bin", "*.txt",
               "*.md"]  # fmt: skip
HF_WEIGHTS = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json",
              "pytorch_model.bin.index.json")  # fmt: skip
QUANTIZATIONS = ("int8", "int8_float16", "int8_float32", "int8_bfloat16", "int16", "float16",
                 "bfloat16", "float32")
VI2EN_META = META_FILE
# Converting a Hugging Face model (ctranslate2's TransformersConverter) loads it with these.
CONVERSION_NEEDS = ("transformers", "torch")
HUB_ID = re.compile(r"^[\w.-]+(/[\w.-]+)?$")
HOW_TO_GET = (
    "run `vi2en models download {id}` on a machine with internet (or copy a downloaded model "
    "folder here and pass --model PATH)"
)


@dataclass(frozen=True)
class ResolvedModel:
    """A model found on disk. `format` is "hf" (transformers folder), "ct2" (CTranslate2) or
    "marian" (an unpacked OPUS-MT/Tatoeba-MT release: `.npz`, vocab yml, SentencePiece).

    `revision` is the hub commit of a cached snapshot (None for a local folder).
    """

    model_id: str
    path: Path
    format: Format
    revision: str | None = None


@dataclass(frozen=True)
class CachedModel:
    """One entry of `list_models`: a Hugging Face snapshot or a CTranslate2 conversion."""

    kind: Literal["hf", "ct2", "release"]
    name: str
    path: Path
    size_bytes: int
    detail: str = ""


def cache_dir() -> Path:
    """vi2en's cache directory: `VI2EN_CACHE_DIR`, else the platform's user cache dir."""
    override = os.environ.get("VI2EN_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("vi2en"))


def hf_offline() -> bool:
    """True when `HF_HUB_OFFLINE` is set (read now: huggingface_hub reads it only at import)."""
    value = os.environ.get("HF_HUB_OFFLINE", "")
    return value.strip().upper() in {"1", "ON", "YES", "TRUE"}


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache as the environment says now (`HF_HUB_CACHE`, `HF_HOME`)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "huggingface"
    )
    return Path(home) / "hub"


def folder_format(path: Path) -> Format:
    """Check a local model folder and say which kind it is.

    Raises:
        ModelNotFound: The folder lacks a file the engines need (named in the message).
    """
    if path.exists() and not path.is_dir():
        raise ModelNotFound(f"{path} is a file; a model is a folder (or a hub id)")
    if not path.is_dir():
        raise ModelNotFound(f"model folder {path} does not exist")
    if releases.is_release_folder(path):
        missing = [n for n in ("source.spm", "target.spm") if not (path / n).is_file()]
        if missing:
            raise ModelNotFound(f"OPUS-MT release folder {path} lacks {', '.join(missing)}: "
                                "unpack the release zip again")  # fmt: skip
        return "marian"
    kind: Literal["hf", "ct2"] = "ct2" if (path / "model.bin").is_file() else "hf"
    family = family_for_folder(path)
    needed = [*family.files, "config.json"]
    missing = [name for name in needed if not (path / name).is_file()]
    if kind == "hf" and not any((path / name).is_file() for name in HF_WEIGHTS):
        missing.append("model.safetensors (or pytorch_model.bin)")
    if missing:
        what = "CTranslate2 model" if kind == "ct2" else f"Hugging Face {family.name} model"
        fix = (
            f"copy {', '.join(family.files)} from the Hugging Face model, or make it "
            "with `vi2en models convert`"
            if kind == "ct2"
            else "copy the complete model folder again, or run `vi2en models download ID`"
        )
        raise ModelNotFound(f"{what} folder {path} lacks {', '.join(missing)}: {fix}")
    return kind


def _looks_like_path(model: str) -> bool:
    """A string that cannot be a hub id (`name` or `owner/name`) is meant as a folder."""
    return model.startswith((".", "/", "~")) or not HUB_ID.match(model)


def resolve_model(
    model: str = DEFAULT_MODEL, *, local_files_only: bool | None = None
) -> ResolvedModel:
    """Find `model` on disk: a folder, or a hub id in the Hugging Face cache (fetched if online).

    Args:
        model: Hub id, Hugging Face folder or CTranslate2 folder.
        local_files_only: Never ask the hub; default: when `HF_HUB_OFFLINE` is set.

    Returns:
        The model's folder and format.

    Raises:
        ModelNotFound: Not on disk and not obtainable, or an incomplete folder.
    """
    path = Path(model).expanduser()
    if path.is_file() and path.suffix == ".zip":
        return ResolvedModel(model, releases.unpack_local(path, cache_dir()), "marian")
    entry = None if path.exists() else known_model(model)
    if entry is not None:
        check_runnable(entry)
    if entry is not None and entry.is_release_zip:
        folder = releases.releases_dir(cache_dir()) / entry.name
        if not releases.is_release_folder(folder):
            raise ModelNotFound(
                f"{entry.name} is a release zip that is not downloaded yet: run `vi2en models "
                f"download {entry.name}` on a machine with internet"
            )
        return ResolvedModel(model, folder, "marian")
    if entry is not None:
        model = entry.source
    if path.exists() or (entry is None and _looks_like_path(model)):
        if not path.exists():
            raise ModelNotFound(f"model folder {model} does not exist (pass a folder or a hub id)")
        return ResolvedModel(model, path, folder_format(path))
    if local_files_only is None:
        local_files_only = hf_offline()
    snapshot = _snapshot(model, local_files_only=True)
    if snapshot is None and not local_files_only:
        snapshot = _download_hub(model)
    if snapshot is None:
        raise ModelNotFound(
            f"model {model} is not in the Hugging Face cache ({hf_cache_dir()}) nor a folder, "
            f"and HF_HUB_OFFLINE is set: " + HOW_TO_GET.format(id=model)
        )
    # The hub cache keeps each snapshot in a folder named after its commit.
    return ResolvedModel(model, snapshot, folder_format(snapshot), revision=snapshot.name)


def _snapshot(model_id: str, *, local_files_only: bool) -> Path | None:
    """The cached snapshot folder of `model_id` (None when not cached)."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

    try:
        folder = snapshot_download(
            model_id,
            cache_dir=hf_cache_dir(),
            allow_patterns=HF_PATTERNS,
            local_files_only=local_files_only,
        )
    except (LocalEntryNotFoundError, FileNotFoundError):
        return None
    except HFValidationError as exc:
        raise ModelNotFound(f"{model_id!r} is not a valid hub id or folder: {exc}") from exc
    return Path(folder)


def download_model(model_id: str = DEFAULT_MODEL, *, notify: Notify = warn) -> Path:
    """Download a model and return its folder: a hub id (into the Hugging Face cache), a short
    name from the catalogue, or the URL of an OPUS-MT/Tatoeba-MT release zip (downloaded,
    checksummed and unpacked into vi2en's cache; `vi2en.engines.releases`).

    A catalogue model's licence (by short name, hub id or URL) is reported through `notify` once
    it is downloaded, plainly when it restricts use.

    Raises:
        ModelNotFound: Offline, unknown id, or the hub cannot be reached.
    """
    entry = known_model(model_id) or for_source(model_id)
    if entry is not None:
        check_runnable(entry)
        model_id = entry.source
    if model_id.startswith(("https://", "http://")):
        name = entry.name if entry is not None else None
        sha = entry.sha256 if entry is not None else None
        folder = releases.get_release(model_id, cache_dir(), name=name, sha256=sha,
                                      notify=notify)  # fmt: skip
    else:
        folder = _download_hub(model_id)
    if entry is not None:
        notify(licence_notice(entry))
    return folder


def check_runnable(entry: KnownModel) -> None:
    """Refuse a catalogue model whose family vi2en cannot run yet (before any download).

    Raises:
        ModelNotFound: the family is not registered (`vi2en.engines.families`).
    """
    from vi2en.engines.families import families

    if entry.family not in families():
        raise ModelNotFound(
            f"{entry.name} ({entry.source}) is a {entry.family} model, a family vi2en cannot "
            f"run yet (it runs: {', '.join(families())}); nothing was downloaded"
        )


def downloaded(entry: KnownModel) -> Path | None:
    """Where a catalogue model is on disk (its release folder or hub snapshot), or None."""
    if entry.is_release_zip:
        folder = releases.releases_dir(cache_dir()) / entry.name
        return folder if releases.is_release_folder(folder) else None
    try:
        return _snapshot(entry.source, local_files_only=True)
    except ModelNotFound:
        return None


def licence_notice(entry: KnownModel) -> str:
    """What to tell a user about the licence of a catalogue model before they use it."""
    notice = f"{entry.name} ({entry.source}): licence {entry.licence}"
    if entry.licence_warning:
        notice += f". WARNING: {entry.licence_warning}"
    return notice


def _download_hub(model_id: str) -> Path:
    """Download a hub model into the Hugging Face cache and return its snapshot folder."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        HFValidationError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
    )

    if hf_offline():
        cached = _snapshot(model_id, local_files_only=True)
        if cached is not None:
            return cached
        raise ModelNotFound(
            f"cannot download {model_id}: HF_HUB_OFFLINE is set and it is not cached; unset "
            "HF_HUB_OFFLINE on a machine with internet, or copy the model folder and pass "
            "--model PATH"
        )
    try:
        folder = snapshot_download(
            model_id, cache_dir=hf_cache_dir(), allow_patterns=HF_PATTERNS, etag_timeout=10
        )
    except (RepositoryNotFoundError, GatedRepoError) as exc:
        raise ModelNotFound(
            f"model {model_id} does not exist on the Hugging Face hub (or needs a login): check "
            f"the id, e.g. {DEFAULT_MODEL}"
        ) from exc
    except HFValidationError as exc:
        raise ModelNotFound(f"{model_id!r} is not a valid hub id: {exc}") from exc
    except (LocalEntryNotFoundError, OSError) as exc:
        raise ModelNotFound(
            f"cannot reach the Hugging Face hub to get {model_id} and it is not cached: "
            + HOW_TO_GET.format(id=model_id)
        ) from exc
    return Path(folder)


def model_settings(folder: Path) -> dict[str, int]:
    """`max_positions`, `num_beams` and `max_length` of a model folder (opus-mt defaults).

    A conversion's `vi2en.json` gives what its source said at conversion time; the folder's own
    `generation_config.json`, when there, has the last word on decoding (an edit there counts).
    """
    settings = {"max_positions": FALLBACK_MAX_POSITIONS, "num_beams": FALLBACK_NUM_BEAMS,
                "max_length": FALLBACK_MAX_LENGTH}
    meta = folder / VI2EN_META
    sources = [read_json(folder / "generation_config.json")]
    if meta.is_file():
        settings.update(json.loads(meta.read_text("utf-8")).get("settings", {}))
    elif releases.is_release_folder(folder):
        beam = _read_yaml(folder / "decoder.yml").get("beam-size")
        if isinstance(beam, int):
            settings["num_beams"] = beam
    else:
        config = read_json(folder / "config.json")
        if "max_position_embeddings" in config:  # a Hugging Face config, not CTranslate2's
            settings["max_positions"] = int(config["max_position_embeddings"])
        sources.insert(0, config)
    for source in sources:
        for key in ("num_beams", "max_length"):
            if isinstance(source.get(key), int):
                settings[key] = source[key]
    return settings


def _read_yaml(path: Path) -> dict:
    import yaml  # PyYAML comes with ctranslate2, the only engine that runs release folders

    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ModelNotFound(f"cannot read {path}: {exc}; unpack the release again") from exc
    return data if isinstance(data, dict) else {}


def conversion_key(source: Path, quantization: str) -> str:
    """Hash of the source folder's file names, sizes and mtimes plus the quantization."""
    digest = hashlib.sha256(quantization.encode())
    for file in sorted(p for p in source.rglob("*") if p.is_file()):
        stat = file.stat()  # follows the hub cache's symlinks to the blobs
        digest.update(f"{file.relative_to(source)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]


def convert_folder(
    source: Path,
    output: Path,
    *,
    quantization: str = "int8",
    notify: Callable[[str], None] | None = None,
    name: str | None = None,
) -> Path:
    """Convert a Hugging Face Marian folder to CTranslate2 at `output` (atomically).

    The model is written to a temporary sibling and renamed, so `output` is never half-written.
    `notify` hears of the conversion (of `name`, default the folder) once it can start.

    Raises:
        EngineError: ctranslate2 is missing or the conversion failed.
        ModelNotFound: `source` is not a complete Hugging Face Marian folder.
    """
    if quantization not in QUANTIZATIONS:
        raise EngineError(f"unknown quantization {quantization!r}; use one of {QUANTIZATIONS}")
    kind = folder_format(source)
    if kind == "ct2":
        raise EngineError(f"{source} is already a CTranslate2 model; use it as it is")
    message = (f"converting {name or source} to CTranslate2 ({quantization}) once; cached in "
               f"{output}")  # fmt: skip
    if kind == "marian":
        if notify is not None:
            notify(message)
        return _convert_release(source, output, quantization=quantization)
    missing = [need for need in CONVERSION_NEEDS if importlib.util.find_spec(need) is None]
    if missing:  # ctranslate2's converter would fail with a NameError deep inside
        raise EngineError(
            f"converting a Hugging Face model to CTranslate2 needs {' and '.join(missing)}: "
            "pip install 'vi2en[hf]' (or pass a CTranslate2 folder as --model)"
        )
    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:
        raise EngineError("CTranslate2 is not installed: pip install ctranslate2") from exc
    if notify is not None:  # only now: a conversion that cannot start says so instead
        notify(message)
    quiet_transformers()
    tmp = _temp_beside(output)
    try:
        target = tmp / "model"
        readable = _with_config_defaults(source, family_for_folder(source), tmp / "source")
        try:
            TransformersConverter(str(readable)).convert(str(target), quantization=quantization)
        except (ValueError, RuntimeError, OSError) as exc:
            raise EngineError(f"CTranslate2 could not convert {source}: {exc}") from exc
        family = family_for_folder(source)
        if family.ct2_config:
            config = json.loads((target / "config.json").read_text("utf-8"))
            config.update(dict(family.ct2_config))
            (target / "config.json").write_text(json.dumps(config, indent=2), "utf-8")
        for name in (*family.files, "generation_config.json", "tokenizer_config.json",
                     "special_tokens_map.json", "README.md"):  # fmt: skip
            if (source / name).is_file():
                shutil.copyfile(source / name, target / name)
        if family.tokenizer_json and not (target / "tokenizer.json").is_file():
            from transformers import AutoTokenizer  # present: the conversion needed it

            AutoTokenizer.from_pretrained(str(source)).backend_tokenizer.save(
                str(target / "tokenizer.json"))  # fmt: skip
        meta = {"source": str(source), "quantization": quantization, "family": family.name,
                "guided_alignment": attention_aligns(source, family),
                "settings": model_settings(source)}
        (target / VI2EN_META).write_text(json.dumps(meta, indent=1), "utf-8")
        if output.exists():
            shutil.rmtree(output)
        target.rename(output)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return output


def _with_config_defaults(source: Path, family: FamilySpec, scratch: Path) -> Path:
    """`source`, or a copy of it (files linked) whose `config.json` has the family's
    `hf_config_defaults` that it lacks (ctranslate2 4.8 reads `normalize_before` from mBART
    configs, which transformers 5 no longer writes)."""
    config = read_json(source / "config.json")
    missing = {k: v for k, v in family.hf_config_defaults if k not in config}
    if not missing:
        return source
    scratch.mkdir()
    for item in source.iterdir():
        if item.name != "config.json":
            (scratch / item.name).symlink_to(item.resolve())
    (scratch / "config.json").write_text(json.dumps({**config, **missing}, indent=2), "utf-8")
    return scratch


def _temp_beside(output: Path) -> Path:
    """A new temp folder beside `output` (parents created), where a conversion is built."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    except OSError as exc:
        from vi2en.text.files import os_reason

        raise EngineError(
            f"cannot write the converted model to {output.parent}: {os_reason(output, exc)} "
            "(set VI2EN_CACHE_DIR to a folder vi2en may write)"
        ) from None


def _convert_release(source: Path, output: Path, *, quantization: str) -> Path:
    """Convert an unpacked OPUS-MT/Tatoeba-MT release with `OpusMTConverter` (no torch).

    Beside `model.bin` it writes what vi2en's engines read from a Hugging Face folder: the
    SentencePiece models, a joint `vocab.json` in Marian's order with `<pad>` appended (as the
    Hugging Face conversion of OPUS-MT does), and `vi2en.json` (positions, beams, whether the
    attention was trained to align).
    """
    try:
        from ctranslate2.converters import OpusMTConverter
        from ctranslate2.converters.marian import load_vocab
    except ImportError as exc:
        raise EngineError("CTranslate2 is not installed: pip install ctranslate2") from exc
    decoder = _read_yaml(source / "decoder.yml")
    vocabs = decoder.get("vocabs") or []
    if not vocabs or not (source / str(vocabs[0])).is_file():
        raise ModelNotFound(f"{source / 'decoder.yml'} names no vocabulary file that exists")
    tmp = _temp_beside(output)
    try:
        target = tmp / "model"
        try:
            OpusMTConverter(str(source)).convert(str(target), quantization=quantization)
        except (ValueError, RuntimeError, OSError, KeyError) as exc:
            raise EngineError(f"CTranslate2 could not convert the release {source}: {exc}") from exc
        tokens = load_vocab(str(source / str(vocabs[0])))
        vocab = {token: index for index, token in enumerate(tokens)}
        vocab.setdefault("<pad>", len(vocab))
        (target / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
        for name in ("source.spm", "target.spm", "README.md", "LICENSE", releases.RELEASE_META):
            if (source / name).is_file():
                shutil.copyfile(source / name, target / name)
        meta = {"source": str(source), "quantization": quantization, "family": "marian",
                "guided_alignment": releases.guided_alignment(source),
                "settings": model_settings(source)}  # fmt: skip
        (target / VI2EN_META).write_text(json.dumps(meta, indent=1), "utf-8")
        if output.exists():
            shutil.rmtree(output)
        target.rename(output)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return output


def conversion_quantization(compute_type: str, device: str) -> str:
    """Quantization to convert with for a compute type (auto: int8 on CPU, float16 on CUDA)."""
    if compute_type == "auto":
        return "float16" if device == "cuda" else "int8"
    if compute_type.startswith("int8"):
        return "int8"
    return compute_type


def convert_model(
    model: str = DEFAULT_MODEL,
    *,
    quantization: str = "auto",
    force: bool = False,
    notify: Callable[[str], None] | None = None,
) -> Path:
    """The cached CTranslate2 conversion of `model` (made now if missing or out of date).

    A model that already is a CTranslate2 folder is returned as it is.

    Args:
        model: Hub id or Hugging Face folder.
        quantization: "auto" (float16 when CUDA is present, else int8) or a CTranslate2
            quantization (`QUANTIZATIONS`).
        force: Convert again even when a current conversion is cached.
        notify: told before a conversion starts (it takes seconds: 8-17 s for opus-mt), so
            the first run does not sit silent.

    Raises:
        ModelNotFound: The model cannot be had. EngineError: conversion failed.
    """
    resolved = resolve_model(model)
    if resolved.format == "ct2":
        return resolved.path
    if quantization == "auto":
        try:
            import ctranslate2
        except ImportError as exc:
            raise EngineError("CTranslate2 is not installed: pip install ctranslate2") from exc
        cuda = ctranslate2.get_cuda_device_count() > 0
        quantization = conversion_quantization("auto", "cuda" if cuda else "cpu")
    key = conversion_key(resolved.path, quantization)
    output = cache_dir() / "ct2" / f"{_slug(model)}-{quantization}-{key}"
    if output.is_dir() and (output / "model.bin").is_file() and not force:
        return output
    return convert_folder(resolved.path, output, quantization=quantization, notify=notify,
                          name=model)  # fmt: skip


def _slug(model: str) -> str:
    return re.sub(r"[^\w.-]+", "_", model.strip("/"))[-60:]


def list_models() -> list[CachedModel]:
    """Hugging Face snapshots in the hub cache and vi2en's CTranslate2 conversions, with sizes."""
    found: list[CachedModel] = []
    hub = hf_cache_dir()
    if hub.is_dir():
        for repo in sorted(hub.glob("models--*")):
            for snapshot in sorted((repo / "snapshots").glob("*")):
                name = repo.name.removeprefix("models--").replace("--", "/")
                found.append(CachedModel("hf", name, snapshot, _size(snapshot),
                                         f"revision {snapshot.name[:12]}"))
    for folder in sorted((cache_dir() / "ct2").glob("*")):
        if folder.name.startswith(".") or not (folder / "model.bin").is_file():
            continue
        meta = read_json(folder / VI2EN_META)
        detail = f"{meta.get('quantization', '?')} from {meta.get('source', '?')}"
        found.append(CachedModel("ct2", folder.name, folder, _size(folder), detail))
    for folder in sorted(releases.releases_dir(cache_dir()).glob("*")):
        if folder.name.startswith(".") or not releases.is_release_folder(folder):
            continue
        meta = read_json(folder / releases.RELEASE_META)
        detail = f"release, sha256 {str(meta.get('sha256', '?'))[:16]}"
        found.append(CachedModel("release", folder.name, folder, _size(folder), detail))
    return found


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


__all__ = [
    "DEFAULT_MODEL",
    "CachedModel",
    "ResolvedModel",
    "cache_dir",
    "conversion_quantization",
    "convert_folder",
    "convert_model",
    "download_model",
    "downloaded",
    "licence_notice",
    "list_models",
    "model_settings",
    "resolve_model",
]


def quiet_transformers() -> None:
    """Keep transformers' "Loading weights" bars and notes off stderr: vi2en reports itself."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        return
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
