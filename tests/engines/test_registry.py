"""`load_engine`: names, auto choice, lazy imports, and real translations on both engines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vi2en.engines import ENGINES, load_engine
from vi2en.errors import EngineError

ENGINE_NAMES = ["ctranslate2", "transformers"]


def test_import_is_light():
    code = (
        "import sys, vi2en.engines, vi2en.engines.models, vi2en.engines.spm, vi2en.cli.models;"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules];"
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_unknown_engine(tiny_hf_model: Path):
    with pytest.raises(EngineError, match=r"unknown engine 'marian'; use one of ctranslate2"):
        load_engine("marian", str(tiny_hf_model))
    assert set(ENGINES) == {"ctranslate2", "transformers", "auto"}


def test_unknown_option(tiny_hf_model: Path):
    with pytest.raises(EngineError, match=r"unknown engine option\(s\) \['beam'\]"):
        load_engine("auto", str(tiny_hf_model), beam=3)


def test_auto_converts_a_hf_folder_once(tmp_path: Path, monkeypatch, tiny_hf_model: Path):
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path))
    engine = load_engine("auto", str(tiny_hf_model), threads=1, align_layer=0)
    assert engine.name == "ctranslate2"
    assert engine.compute_type == "int8"
    assert engine.path.parent == tmp_path / "ct2"
    assert engine.model_id == str(tiny_hf_model)
    again = load_engine("ctranslate2", str(tiny_hf_model), threads=1)
    assert again.path == engine.path
    assert len(list((tmp_path / "ct2").iterdir())) == 1


def test_auto_uses_a_ct2_folder_as_is(tiny_ct2_model: Path):
    engine = load_engine("auto", str(tiny_ct2_model), threads=1)
    assert (engine.name, engine.path) == ("ctranslate2", tiny_ct2_model)


@pytest.mark.parametrize("name", ENGINE_NAMES)
def test_trained_model_translates_exactly(name: str, trained_hf_model: Path,
                                          trained_ct2_model: Path, trained_task):
    model = trained_ct2_model if name == "ctranslate2" else trained_hf_model
    engine = load_engine(name, str(model), threads=1, compute_type="float32")
    sources = [s for s, _ in trained_task.held_out]
    targets = [t for _, t in trained_task.held_out]
    # Reversed and repeated: results must come back in input order.
    batch = sources[::-1] + sources[:3]
    hyps = engine.translate_batch(batch)
    assert [h.text for h in hyps] == targets[::-1] + targets[:3]
    assert not any(h.hit_limit for h in hyps)
    assert all(h.score is not None and -1.0 < h.score < 0 for h in hyps)


def test_trained_greedy_equal_on_both_engines(trained_hf_model: Path, trained_ct2_model: Path,
                                              trained_task):
    sources = [s for s, _ in trained_task.held_out]
    ct2 = load_engine("ctranslate2", str(trained_ct2_model), threads=1, compute_type="float32")
    hf = load_engine("transformers", str(trained_hf_model), threads=1)
    got = ct2.translate_batch(sources, beam_size=1, return_attention=True)
    want = hf.translate_batch(sources, beam_size=1, return_attention=True)
    assert [h.pieces for h in got] == [h.pieces for h in want]
    assert [h.score for h in got] == pytest.approx([h.score for h in want], abs=1e-3)


@pytest.mark.parametrize("name", ENGINE_NAMES)
def test_cap_hit_is_flagged_not_hidden(name: str, trained_hf_model: Path,
                                       trained_ct2_model: Path, trained_task):
    model = trained_ct2_model if name == "ctranslate2" else trained_hf_model
    engine = load_engine(name, str(model), threads=1, compute_type="float32")
    source, target = trained_task.held_out[0]
    words = len(target.split())
    short, full = engine.translate_batch([source, source], beam_size=1,
                                         max_new_tokens=[2, words + 5])
    assert short.hit_limit and len(short.pieces) >= 2
    assert (full.text, full.hit_limit) == (target, False)


def test_auto_falls_back_to_transformers_when_conversion_fails(
    tmp_path: Path, monkeypatch, tiny_hf_model: Path
):
    from vi2en.engines import models

    def refuse(*args, **kwargs):
        raise EngineError("CTranslate2 could not convert: unsupported")

    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(models, "convert_model", refuse)
    assert load_engine("auto", str(tiny_hf_model), threads=1).name == "transformers"
    with pytest.raises(EngineError, match="could not convert"):
        load_engine("ctranslate2", str(tiny_hf_model), threads=1)
