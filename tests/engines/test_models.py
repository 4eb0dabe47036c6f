"""Model resolution: folders, the Hugging Face cache, offline behaviour, conversion caching."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from vi2en.engines import models
from vi2en.errors import EngineError, ModelNotFound


@pytest.fixture(autouse=True)
def _isolated_caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real caches or the network."""
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path / "vi2en-cache"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def fake_hub_cache(hf_home: Path, model_id: str, folder: Path) -> Path:
    """Lay `folder` out as huggingface_hub's cache does: blobs, snapshots/<rev>, refs/main."""
    repo = hf_home / "hub" / ("models--" + model_id.replace("/", "--"))
    revision = "0123456789abcdef0123456789abcdef01234567"
    snapshot = repo / "snapshots" / revision
    (repo / "blobs").mkdir(parents=True)
    snapshot.mkdir(parents=True)
    for index, file in enumerate(sorted(folder.iterdir())):
        blob = repo / "blobs" / f"blob{index}"
        shutil.copyfile(file, blob)
        (snapshot / file.name).symlink_to(os.path.relpath(blob, snapshot))
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(revision)
    return snapshot


@pytest.mark.parametrize("fixture, kind", [("tiny_hf_model", "hf"), ("tiny_ct2_model", "ct2")])
def test_local_folders(request: pytest.FixtureRequest, fixture: str, kind: str):
    folder = request.getfixturevalue(fixture)
    resolved = models.resolve_model(str(folder))
    assert (resolved.path, resolved.format, resolved.model_id) == (folder, kind, str(folder))


def test_cached_hub_id_resolves_offline(tmp_path: Path, tiny_hf_model: Path):
    snapshot = fake_hub_cache(tmp_path / "hf-home", "Helsinki-NLP/opus-mt-vi-en", tiny_hf_model)
    resolved = models.resolve_model("Helsinki-NLP/opus-mt-vi-en")
    assert resolved.format == "hf"
    assert resolved.path == snapshot
    entries = models.list_models()
    assert [(e.kind, e.name) for e in entries] == [("hf", "Helsinki-NLP/opus-mt-vi-en")]
    assert entries[0].size_bytes > 10_000


def test_offline_and_not_cached():
    with pytest.raises(ModelNotFound, match=r"not in the Hugging Face cache .* HF_HUB_OFFLINE .*"
                       r"vi2en models download Helsinki-NLP/opus-mt-vi-en"):
        models.resolve_model("Helsinki-NLP/opus-mt-vi-en")


def test_download_offline_is_refused():
    with pytest.raises(ModelNotFound, match="HF_HUB_OFFLINE is set"):
        models.download_model("someone/no-such-model")


def test_bogus_id_online_fails_fast(monkeypatch: pytest.MonkeyPatch):
    # The network is blocked here: the hub call must fail quickly with one clean line.
    monkeypatch.delenv("HF_HUB_OFFLINE")
    started = time.monotonic()
    with pytest.raises(ModelNotFound, match=r"someone/no-such-model") as info:
        models.resolve_model("someone/no-such-model")
    assert "\n" not in str(info.value)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("model", ["./no/such/folder", "/no/such/folder", "not a hub id!"])
def test_missing_folder(model: str):
    with pytest.raises(ModelNotFound, match="does not exist"):
        models.resolve_model(model)


@pytest.mark.parametrize(
    "drop, message",
    [
        ("source.spm", r"lacks source\.spm"),
        ("vocab.json", r"lacks vocab\.json"),
        ("config.json", r"lacks config\.json"),
        ("model.safetensors", r"lacks model\.safetensors"),
    ],
)
def test_broken_hf_folder(tmp_path: Path, tiny_hf_model: Path, drop: str, message: str):
    broken = shutil.copytree(tiny_hf_model, tmp_path / "broken")
    (broken / drop).unlink()
    with pytest.raises(ModelNotFound, match=message):
        models.resolve_model(str(broken))


def test_ct2_folder_without_spm(tmp_path: Path, tiny_ct2_model: Path):
    broken = shutil.copytree(tiny_ct2_model, tmp_path / "ct2")
    (broken / "target.spm").unlink()
    with pytest.raises(ModelNotFound, match=r"CTranslate2 model folder .* lacks target\.spm"):
        models.resolve_model(str(broken))


def test_conversion_is_cached_and_invalidated(tmp_path: Path, tiny_hf_model: Path):
    source = shutil.copytree(tiny_hf_model, tmp_path / "source")
    first = models.convert_model(str(source), quantization="int8")
    assert first.parent == tmp_path / "vi2en-cache" / "ct2"
    for name in ("model.bin", "source.spm", "target.spm", "vocab.json", "generation_config.json"):
        assert (first / name).is_file()
    assert models.resolve_model(str(first)).format == "ct2"
    stamp = (first / "model.bin").stat().st_mtime_ns
    assert models.convert_model(str(source), quantization="int8") == first
    assert (first / "model.bin").stat().st_mtime_ns == stamp  # reused, not rewritten
    # Touching the source (a new mtime) makes a new conversion.
    later = time.time() + 5
    os.utime(source / "model.safetensors", (later, later))
    second = models.convert_model(str(source), quantization="int8")
    assert second != first and (second / "model.bin").is_file()
    # Another quantization is another entry; no temporary folders are left behind.
    third = models.convert_model(str(source), quantization="float32")
    assert len({first, second, third}) == 3
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".")]
    listed = [(e.kind, e.path) for e in models.list_models()]
    assert ("ct2", third) in listed


def test_convert_ct2_folder_returns_it(tiny_ct2_model: Path):
    assert models.convert_model(str(tiny_ct2_model)) == tiny_ct2_model


def test_convert_folder_refuses_bad_quantization(tmp_path: Path, tiny_hf_model: Path):
    with pytest.raises(EngineError, match="unknown quantization"):
        models.convert_folder(tiny_hf_model, tmp_path / "out", quantization="int3")
    assert not (tmp_path / "out").exists()


def test_model_settings(tiny_hf_model: Path, tiny_ct2_model: Path):
    for folder in (tiny_hf_model, tiny_ct2_model):
        settings = models.model_settings(folder)
        assert (settings["max_positions"], settings["num_beams"], settings["max_length"]) == (
            512, 4, 512)


def test_cache_dir_override(tmp_path: Path):
    assert models.cache_dir() == tmp_path / "vi2en-cache"
