"""The mBART-50 family (vinai) on a tiny random-weight model: tokenization equal to
`MBart50Tokenizer`, decoding as VinAI's model card runs it, both engines agreeing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests import modelkit
from vi2en.engines import load_engine
from vi2en.engines.mbart50 import MBart50Codec

SAMPLES = [
    "Hà Nội mưa to. Ảnh: TTXVN",
    "Giá xăng tăng 3,5% từ ngày 27/3, theo Bộ Công Thương.",
    "“Chúng tôi không đồng ý”, ông Nguyễn Văn A nói…",
    *modelkit.vietnamese_like_lines(20, seed=12),
]


@pytest.fixture(scope="module")
def hf_tokenizer(tiny_mbart50_model: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_mbart50_model, src_lang="vi_VN",
                                         tgt_lang="en_XX")  # fmt: skip


def test_tokens_equal_mbart50_tokenizer(tiny_mbart50_model: Path, hf_tokenizer):
    codec = MBart50Codec(tiny_mbart50_model)
    for text in SAMPLES:
        (tokens,) = codec.source_tokens_batch([text])
        assert codec.token_ids(tokens) == hf_tokenizer(text).input_ids, text
    rng = random.Random(1)
    for _ in range(200):
        ids = [rng.randrange(len(hf_tokenizer)) for _ in range(rng.randint(1, 20))]
        expected = hf_tokenizer.decode(ids, skip_special_tokens=True).strip()
        assert codec.decode(codec.ids_to_pieces(ids)) == expected


def test_decoding_as_the_model_card_and_both_engines_agree(tiny_mbart50_model: Path,
                                                           tiny_mbart50_ct2_model: Path,
                                                           hf_tokenizer):  # fmt: skip
    import torch
    from transformers import MBartForConditionalGeneration

    texts = SAMPLES[:6]
    hf = load_engine("transformers", str(tiny_mbart50_model), device="cpu")
    ct2 = load_engine("ctranslate2", str(tiny_mbart50_ct2_model), device="cpu",
                      compute_type="float32", threads=1)  # fmt: skip
    assert hf.family.name == ct2.family.name == "mbart50" and not hf.aligned_attention
    a = hf.translate_batch(texts, beam_size=1, max_new_tokens=[10] * len(texts))
    b = ct2.translate_batch(texts, beam_size=1, max_new_tokens=[10] * len(texts))
    assert [h.pieces for h in a] == [h.pieces for h in b]
    # VinAI's recipe: generate(**inputs, decoder_start_token_id=lang_code_to_id["en_XX"]).
    model = MBartForConditionalGeneration.from_pretrained(tiny_mbart50_model).eval()
    start = hf_tokenizer.convert_tokens_to_ids("en_XX")
    for text, hyp in zip(texts, a, strict=True):
        inputs = hf_tokenizer(text, return_tensors="pt")
        with torch.inference_mode():
            out = model.generate(**inputs, decoder_start_token_id=start, num_beams=1,
                                 max_new_tokens=10, forced_eos_token_id=None)  # fmt: skip
        assert hyp.text == hf_tokenizer.decode(out[0], skip_special_tokens=True).strip()
