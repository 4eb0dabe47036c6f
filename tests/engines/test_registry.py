"""`load_engine`: names, auto choice, lazy imports, and real translations on both engines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vi2en.engines import compute_types, engine_names, engine_specs, get_engine_spec, load_engine
from vi2en.engines.registry import EngineOption
from vi2en.errors import EngineError, EngineUnsuitable

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
    with pytest.raises(EngineError, match=r"unknown engine 'marian'; use one of auto, ctranslate2"):
        load_engine("marian", str(tiny_hf_model))
    assert engine_names() == ["auto", "ctranslate2", "transformers"]


def test_every_engine_describes_itself():
    for name, spec in engine_specs().items():
        assert spec.name == name and spec.description and spec.loader.count(":") == 1
        assert "auto" in spec.compute_types
        for option in spec.options:
            assert isinstance(option, EngineOption) and option.help
            assert option.check(option.default, engine=name) == option.default
    assert get_engine_spec("transformers").install_hint() == "pip install 'vi2en[hf]'"
    assert get_engine_spec("ctranslate2").option("batch_type").choices == ("examples", "tokens")
    assert compute_types()[0] == "auto" and "int8" in compute_types()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"inter_threads": "2"}, "inter_threads must be int, got '2'"),
        ({"inter_threads": True}, "inter_threads must be int"),
        ({"inter_threads": -1}, "inter_threads must be >= 0, got -1"),
        ({"batch_type": "sentences"}, "batch_type must be one of examples, tokens"),
        ({"align_layer": 0}, r"\['align_layer'\] belong to engine transformers, not ctranslate2"),
    ],
)
def test_engine_options_are_checked_against_the_spec(tiny_ct2_model: Path, options, message):
    with pytest.raises(EngineError, match=message):
        load_engine("ctranslate2", str(tiny_ct2_model), threads=1, **options)


def test_a_compute_type_the_engine_lacks_is_refused_by_name(tiny_hf_model: Path):
    with pytest.raises(EngineError, match=r"engine transformers: compute type 'int8' is not "
                       "available; it accepts auto, float32"):
        load_engine("transformers", str(tiny_hf_model), compute_type="int8")


def test_unknown_device(tiny_ct2_model: Path):
    with pytest.raises(EngineError, match="unknown device 'tpu'; use one of auto, cpu, cuda"):
        load_engine("auto", str(tiny_ct2_model), device="tpu")


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
    said: list[str] = []
    assert load_engine("auto", str(tiny_hf_model), threads=1, notify=said.append).name == (
        "transformers"
    )
    assert said == ["using transformers (ctranslate2: CTranslate2 could not convert: unsupported)"]
    with pytest.raises(EngineUnsuitable, match="could not convert"):
        load_engine("ctranslate2", str(tiny_hf_model), threads=1)
    # Without a notify callback the library warns (it never prints).
    with pytest.warns(UserWarning, match="using transformers"):
        load_engine("auto", str(tiny_hf_model), threads=1)


def test_auto_says_why_no_engine_can_run_a_model(monkeypatch, tiny_ct2_model: Path):
    from vi2en.engines import ct2

    def broken(*args, **kwargs):
        raise EngineUnsuitable("not a model CTranslate2 knows")

    monkeypatch.setattr(ct2, "load", broken)
    with pytest.raises(EngineError, match=r"no engine can run .*: ctranslate2: not a model "
                       r"CTranslate2 knows; transformers: .* is a CTranslate2 model"):
        load_engine("auto", str(tiny_ct2_model))
