"""The NLLB-200 family on a tiny random-weight model: tokenization equal to transformers'
`NllbTokenizer`, both engines agreeing, limits from the config, the pipeline end to end, and
`--align` switched off with one line (NLLB's attention is not trained to align)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests import modelkit
from vi2en.cli.main import main
from vi2en.engines import load_engine
from vi2en.engines.nllb import NllbCodec
from vi2en.errors import EngineError

SAMPLES = [
    "Hà Nội mưa to. Ảnh: TTXVN",
    "Giá xăng tăng 3,5% từ ngày 27/3, theo Bộ Công Thương.",
    "“Chúng tôi không đồng ý”, ông Nguyễn Văn A nói…",
    "  khoảng   trắng  thừa\tvà  NFD: Hà Nội ",
    "eng_Latn is a special token, <unk> too",
    *modelkit.vietnamese_like_lines(30, seed=11),
]


@pytest.fixture(scope="module")
def hf_tokenizer(tiny_nllb_model: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_nllb_model, src_lang="vie_Latn",
                                         tgt_lang="eng_Latn")  # fmt: skip


@pytest.fixture(scope="module")
def codec(tiny_nllb_model: Path) -> NllbCodec:
    return NllbCodec(tiny_nllb_model)


def test_input_ids_equal_nllb_tokenizer(codec: NllbCodec, hf_tokenizer):
    for text in SAMPLES:
        (tokens,) = codec.source_tokens_batch([text])
        assert codec.token_ids(tokens) == hf_tokenizer(text).input_ids, text
        assert tokens[0] == "vie_Latn" and tokens[-1] == "</s>"


def test_piece_spans_point_into_the_text(codec: NllbCodec):
    text = "Giá xăng tăng 3,5% từ ngày 27/3."
    pieces = codec.source_pieces(text)
    assert "".join(text[p.start : p.end] for p in pieces).replace(" ", "") == text.replace(" ", "")
    assert all(0 <= p.start <= p.end <= len(text) for p in pieces)


def test_decode_equals_nllb_tokenizer(codec: NllbCodec, hf_tokenizer):
    rng = random.Random(0)
    size = len(hf_tokenizer)
    for _ in range(300):
        ids = [rng.randrange(size) for _ in range(rng.randint(1, 25))]
        pieces = codec.ids_to_pieces(ids)
        assert codec.decode(pieces) == hf_tokenizer.decode(ids, skip_special_tokens=True).strip()


def test_both_engines_agree_greedy(tiny_nllb_model: Path, tiny_nllb_ct2_model: Path):
    texts = SAMPLES[:8]
    hf = load_engine("transformers", str(tiny_nllb_model), device="cpu")
    ct2 = load_engine("ctranslate2", str(tiny_nllb_ct2_model), device="cpu",
                      compute_type="float32", threads=1)  # fmt: skip
    caps = [12] * len(texts)
    a = hf.translate_batch(texts, beam_size=1, max_new_tokens=caps, return_attention=True)
    b = ct2.translate_batch(texts, beam_size=1, max_new_tokens=caps, return_attention=True)
    for text, x, y in zip(texts, a, b, strict=True):
        assert x.pieces == y.pieces and x.text == y.text
        assert x.score == pytest.approx(y.score, abs=0.02)
        assert "eng_Latn" not in x.pieces and len(x.pieces) <= 12
        n = len(hf.source_pieces(text))
        assert len(x.attention) == len(y.attention) == len(x.pieces)
        assert len(x.attention[0]) == len(y.attention[0]) == n


def test_limits_come_from_the_config(tiny_nllb_model: Path, tiny_nllb_ct2_model: Path):
    for folder in (tiny_nllb_model, tiny_nllb_ct2_model):
        engine = load_engine("auto", str(folder), device="cpu")
        assert engine.family.name == "nllb" and engine.max_positions == 128
        assert engine.max_length == 200 and not engine.aligned_attention
    too_long = " ".join(["xin chào"] * 100)
    with pytest.raises(EngineError, match="128 positions"):
        engine.translate_batch([too_long], beam_size=1)


def test_translate_end_to_end_and_align_switched_off(tiny_nllb_model: Path, tmp_path: Path,
                                                     capsys):  # fmt: skip
    article = tmp_path / "a.vi.txt"
    long_sentence = " ".join(["người dân Hà Nội đi làm sớm"] * 30) + "."
    article.write_text(f"Hà Nội mưa to.\n\n{long_sentence}\n\nẢnh: TTXVN\n", "utf-8")
    out = tmp_path / "a.jsonl"
    assert main(["translate", str(article), "--model", str(tiny_nllb_model), "--engine",
                 "ctranslate2", "--beam-size", "1", "--align", "--format", "jsonl",
                 "-o", str(out)]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("--align is off") == 1 and "nllb family" in err
    text = out.read_text("utf-8")
    assert '"links": [' not in text.replace('"links": []', "")  # no word links made
    assert "split-" in text  # over the model's 128 positions: split, never truncated
    assert "Photo: TTXVN" in text
