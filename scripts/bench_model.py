"""The benchmark's model: opus-mt-vi-en's exact shape with random weights, and its int8 conversion.

Real opus-mt weights are never on disk here, and speed depends on the shape, not on the values:
d_model 512, 6 + 6 layers, 8 heads, FFN 2048, a joint vocabulary of 53,685 entries, swish, 512
sinusoidal positions, tied embeddings, `scale_embedding`. The SentencePiece models are trained at
build time on local text (the NTREX-128 Vietnamese and English files); their pieces fill the first
ids of `vocab.json` and filler entries pad it to 53,685 so every embedding and the output layer
have the real size. `final_logits_bias` pushes every entry that is not a target piece (source-only
pieces, fillers, `<unk>`) down so a random model still writes English pieces (the output layer's
cost is unchanged: all 53,685 logits are computed). Both folders are built once and cached,
keyed by the shape.

`build_model(joint_spm=True)` builds the same shape with ONE SentencePiece model, trained on the
Vietnamese and English text together (twice the pieces of one side) and written as both
`source.spm` and `target.spm`: the layout an Argos Translate package needs (one
`sentencepiece.model` encodes the source and decodes the output), so that LibreTranslate can
serve the very model vi2en serves (`scripts/bench_serve.py`, system (d)). The default build is
unchanged (its cache key too).

    python scripts/bench_model.py            # build (or find) the model and print its folders
    python scripts/bench_model.py --joint-spm   # the same shape with one joint SentencePiece model
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
NTREX = REPO.parent / "shared" / "data" / "ntrex128"
BUILD_VERSION = "2"  # bump when the build recipe changes (the cache key includes it)
FILLER_BIAS = -30.0  # logit bias of entries the target SentencePiece model cannot write


@dataclass(frozen=True)
class MarianShape:
    """A Marian model's size; the defaults are Helsinki-NLP/opus-mt-vi-en's."""

    d_model: int = 512
    layers: int = 6
    heads: int = 8
    ffn: int = 2048
    vocab_size: int = 53_685
    max_positions: int = 512
    num_beams: int = 4
    spm_vocab_size: int = 8_000  # per side, trained on local text (capped by what it holds)


OPUS_MT_VI_EN = MarianShape()


def cache_root() -> Path:
    """`VI2EN_CACHE_DIR/bench`, else `<user cache dir of vi2en>/bench`."""
    override = os.environ.get("VI2EN_CACHE_DIR")
    if override:
        return Path(override) / "bench"
    import platformdirs

    return Path(platformdirs.user_cache_dir("vi2en")) / "bench"


def shape_key(shape: MarianShape) -> str:
    """Cache key: the shape, the build recipe version and the training text's size."""
    parts = {"shape": asdict(shape), "build": BUILD_VERSION}
    for name in ("ntrex.vi", "ntrex.en"):
        path = NTREX / name
        parts[name] = path.stat().st_size if path.is_file() else None
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def train_spm(lines: list[str], path: Path, *, vocab_size: int) -> None:
    """A unigram SentencePiece model like OPUS-MT's (default `nmt_nfkc` normalisation)."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # small training text: take what it can give
        character_coverage=1.0,
        model_type="unigram",
        minloglevel=2,
        num_threads=2,
    )
    path.write_bytes(model.getvalue())


def padded_vocab(source_spm: Path, target_spm: Path, size: int) -> tuple[dict[str, int], list[int]]:
    """opus-mt's joint vocabulary (`</s>` 0, `<unk>` 1, pieces, `<pad>` last) padded to `size`.

    Returns the vocabulary and the ids the target model can write (`</s>` and its pieces).
    """
    import sentencepiece as spm

    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    target_ids = [0]
    for model in dict.fromkeys((source_spm, target_spm)):  # once when they are one model
        sp = spm.SentencePieceProcessor(model_file=str(model))
        for i in range(sp.get_piece_size()):
            if not (sp.is_control(i) or sp.is_unknown(i)):
                piece = vocab.setdefault(sp.id_to_piece(i), len(vocab))
                if model == target_spm:
                    target_ids.append(piece)
    real = len(vocab)
    if real >= size:
        raise ValueError(f"{real} SentencePiece entries do not fit a vocabulary of {size}")
    for n in range(size - 1 - real):
        vocab[f"<filler_{n}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    return vocab, target_ids


def write_marian(
    out: Path,
    shape: MarianShape,
    vi_lines: list[str],
    en_lines: list[str],
    *,
    joint_spm: bool = False,
) -> Path:
    """Write a random-weight Hugging Face Marian folder of `shape` at `out` (with one joint
    SentencePiece model as source.spm and target.spm when `joint_spm`)."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    out.mkdir(parents=True, exist_ok=True)
    if joint_spm:
        train_spm(vi_lines + en_lines, out / "source.spm", vocab_size=2 * shape.spm_vocab_size)
        shutil.copyfile(out / "source.spm", out / "target.spm")
    else:
        train_spm(vi_lines, out / "source.spm", vocab_size=shape.spm_vocab_size)
        train_spm(en_lines, out / "target.spm", vocab_size=shape.spm_vocab_size)
    vocab, target_ids = padded_vocab(out / "source.spm", out / "target.spm", shape.vocab_size)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=shape.vocab_size,
        decoder_vocab_size=shape.vocab_size,
        d_model=shape.d_model,
        encoder_layers=shape.layers,
        decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn,
        max_position_embeddings=shape.max_positions,
        activation_function="swish",
        scale_embedding=True,
        static_position_embeddings=True,
        normalize_before=False,
        normalize_embedding=False,
        add_bias_logits=False,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        dropout=0.1,
        attention_dropout=0.0,
        activation_dropout=0.0,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        num_beams=shape.num_beams,
        max_length=shape.max_positions,
        architectures=["MarianMTModel"],
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    with torch.no_grad():
        model.get_input_embeddings().weight[pad].zero_()  # as Marian's converted weights
        bias = torch.full((1, shape.vocab_size), FILLER_BIAS)
        bias[0, target_ids] = 0.0
        model.final_logits_bias.copy_(bias)
    model.save_pretrained(out)
    GenerationConfig(
        num_beams=shape.num_beams,
        max_length=shape.max_positions,
        bad_words_ids=[[pad]],
        decoder_start_token_id=pad,
        pad_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
    ).save_pretrained(out)
    (out / "tokenizer_config.json").write_text(
        json.dumps(
            {"source_lang": "vi", "target_lang": "en", "model_max_length": shape.max_positions}
        ),
        "utf-8",
    )
    return out


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a UTF-8 text file."""
    return [line for line in path.read_text("utf-8").splitlines() if line.strip()]


def build_model(
    shape: MarianShape = OPUS_MT_VI_EN,
    *,
    root: Path | None = None,
    vi_lines: list[str] | None = None,
    en_lines: list[str] | None = None,
    joint_spm: bool = False,
) -> tuple[Path, Path]:
    """The cached (Hugging Face folder, CTranslate2 int8 folder) of `shape`, built if missing.

    Built into a temporary sibling and renamed, so an interrupted build leaves nothing behind.
    The int8 conversion goes through vi2en's own converter (`vi2en.engines.models`).
    `joint_spm`: one SentencePiece model for both sides (an Argos Translate package's layout).
    """
    from vi2en.engines.models import convert_folder

    root = root or cache_root()
    kind = "joint-spm" if joint_spm else "shape"
    target = root / f"opus-mt-vi-en-{kind}-{shape_key(shape)}"
    hf, ct2 = target / "hf", target / "ct2-int8"
    if (hf / "model.safetensors").is_file() and (ct2 / "model.bin").is_file():
        return hf, ct2
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=root))
    try:
        vi = vi_lines if vi_lines is not None else read_lines(NTREX / "ntrex.vi")
        en = en_lines if en_lines is not None else read_lines(NTREX / "ntrex.en")
        write_marian(tmp / "hf", shape, vi, en, joint_spm=joint_spm)
        convert_folder(tmp / "hf", tmp / "ct2-int8", quantization="int8")
        if target.exists():
            shutil.rmtree(target)
        (tmp).rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return hf, ct2


class FixedLength:
    """A `ctranslate2.Translator` whose every call decodes exactly `length` tokens (a random
    model never stops by itself). The same wrapper serves vi2en (`bench_serve`) and
    LibreTranslate (`bench_libretranslate`), so both do the same work per sentence."""

    def __init__(self, translator: Any, length: int) -> None:
        self.translator = translator
        self.length = length

    def translate_batch(self, tokens: list[list[str]], **options: Any) -> Any:
        options.update(min_decoding_length=self.length, max_decoding_length=self.length)
        return self.translator.translate_batch(tokens, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.translator, name)



if __name__ == "__main__":
    import sys

    hf_dir, ct2_dir = build_model(joint_spm="--joint-spm" in sys.argv[1:])
    print(hf_dir)
    print(ct2_dir)
