"""The T5 / MADLAD-400 family on a tiny random-weight model: `<2en>` + text tokenized as
transformers' T5Tokenizer does, decoding as MADLAD's model card runs it, both engines agreeing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import modelkit
from vi2en.engines import load_engine
from vi2en.engines.t5 import T5PrefixCodec

SAMPLES = [
    "Hà Nội mưa to. Ảnh: TTXVN",
    "Giá xăng tăng 3,5% từ ngày 27/3, theo Bộ Công Thương.",
    "  khoảng   trắng  thừa\tvà “ngoặc kép”…",
    *modelkit.vietnamese_like_lines(20, seed=13),
]


@pytest.fixture(scope="module")
def hf_tokenizer(tiny_madlad_model: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_madlad_model)


def test_tokens_equal_t5_tokenizer_with_the_2en_prefix(tiny_madlad_model: Path, hf_tokenizer):
    codec = T5PrefixCodec(tiny_madlad_model)
    for text in SAMPLES:
        (tokens,) = codec.source_tokens_batch([text])
        assert codec.token_ids(tokens) == hf_tokenizer("<2en> " + text).input_ids, text
        assert tokens[0] == "<2en>" and tokens[-1] == "</s>"
    ids = hf_tokenizer("<2en> Hà Nội mưa to.").input_ids
    assert codec.decode(codec.ids_to_pieces(ids)) == hf_tokenizer.decode(
        ids, skip_special_tokens=True).strip()  # fmt: skip


def test_decoding_as_the_model_card_and_both_engines_agree(tiny_madlad_model: Path,
                                                           tiny_madlad_ct2_model: Path,
                                                           hf_tokenizer):  # fmt: skip
    import torch
    from transformers import T5ForConditionalGeneration

    texts = SAMPLES[:6]
    hf = load_engine("transformers", str(tiny_madlad_model), device="cpu")
    ct2 = load_engine("ctranslate2", str(tiny_madlad_ct2_model), device="cpu",
                      compute_type="float32", threads=1)  # fmt: skip
    assert hf.family.name == ct2.family.name == "t5" and not ct2.aligned_attention
    a = hf.translate_batch(texts, beam_size=1, max_new_tokens=[10] * len(texts))
    b = ct2.translate_batch(texts, beam_size=1, max_new_tokens=[10] * len(texts))
    assert [h.pieces for h in a] == [h.pieces for h in b]
    model = T5ForConditionalGeneration.from_pretrained(tiny_madlad_model).eval()
    for text, hyp in zip(texts, a, strict=True):
        inputs = hf_tokenizer("<2en> " + text, return_tensors="pt")
        with torch.inference_mode():
            out = model.generate(**inputs, num_beams=1, max_new_tokens=10)
        assert hyp.text == hf_tokenizer.decode(out[0], skip_special_tokens=True).strip()
