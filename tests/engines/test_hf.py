"""transformers engine on the tiny models: options, limits, attention of a chosen head."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import modelkit
from vi2en.engines import load_engine
from vi2en.engines.hf import HFEngine
from vi2en.errors import EngineError

TEXTS = modelkit.vietnamese_like_lines(3, seed=21)


@pytest.fixture(scope="module")
def hf(tiny_hf_model: Path) -> HFEngine:
    return load_engine("transformers", str(tiny_hf_model), threads=1)


def test_engine_describes_itself(hf: HFEngine):
    assert (hf.name, hf.device, hf.compute_type) == ("transformers", "cpu", "float32")
    assert (hf.max_positions, hf.default_beam_size) == (512, 4)
    assert (hf.align_layer, hf.align_head) == (-1, 0)


def test_beam_search_batch(hf: HFEngine):
    caps = [3, 8, 5]
    hyps = hf.translate_batch(TEXTS, max_new_tokens=caps)
    # The batch decodes up to its largest cap; an output at or over its own cap is flagged.
    assert all(len(h.pieces) <= max(caps) for h in hyps)
    reached = [len(h.pieces) >= cap for h, cap in zip(hyps, caps, strict=True)]
    assert [h.hit_limit for h in hyps] == reached
    assert all(h.score is not None and h.score < 0 for h in hyps)
    assert all(h.attention is None for h in hyps)


def test_attention_head_is_configurable(tiny_hf_model: Path, hf: HFEngine):
    first_layer = load_engine("transformers", str(tiny_hf_model), threads=1, align_layer=0,
                              align_head=1)
    [default] = hf.translate_batch(TEXTS[:1], beam_size=1, max_new_tokens=[4],
                                   return_attention=True)
    [other] = first_layer.translate_batch(TEXTS[:1], beam_size=1, max_new_tokens=[4],
                                          return_attention=True)
    assert default.pieces == other.pieces
    width = len(hf.source_pieces(TEXTS[0]))
    for hyp in (default, other):
        assert len(hyp.attention) == len(hyp.pieces)
        assert {len(row) for row in hyp.attention} == {width}
    assert default.attention != other.attention


@pytest.mark.parametrize(
    "options, message",
    [
        ({"align_layer": 2}, "out of range"),
        ({"align_head": 4}, "out of range"),
        ({"compute_type": "int8"}, "compute type .int8. is not available"),
        ({"device": "tpu"}, "unknown device"),
    ],
)
def test_bad_options(tiny_hf_model: Path, options: dict, message: str):
    with pytest.raises(EngineError, match=message):
        load_engine("transformers", str(tiny_hf_model), **options)


def test_overlong_input_raises(hf: HFEngine):
    long_text = " ".join(TEXTS * 60)
    with pytest.raises(EngineError, match=r"text 0 of the batch .* 512 positions"):
        hf.translate_batch([long_text])


def test_ct2_folder_is_refused(tiny_ct2_model: Path):
    with pytest.raises(EngineError, match="is a CTranslate2 model"):
        load_engine("transformers", str(tiny_ct2_model))
