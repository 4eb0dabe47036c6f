"""Build tiny Marian models for tests: opus-mt layout, random or trained weights, no network.

A folder made here looks like a Hugging Face `Helsinki-NLP/opus-mt-*` snapshot: `config.json`,
`generation_config.json`, `model.safetensors`, `source.spm`, `target.spm`, a joint `vocab.json`
(`</s>` = 0, `<unk>` = 1, `<pad>` last, as in opus-mt, which CTranslate2's converter relies on) and
the tokenizer files. Reuse:

- `build_marian(out_dir, src_lines=..., tgt_lines=..., shape=ModelShape(...))`: random weights.
- `train_marian(pairs, out_dir=..., shape=..., train=TrainSettings(...))`: trained on `pairs`; an
  `extra_loss(outputs, batch)` hook adds a term (for example guided alignment on
  `outputs.cross_attentions[-1][:, 0]`) to the cross-entropy.
- `word_task(...)`: a word-for-word synthetic task with a known dictionary and a fixed seed.
- `convert_ct2(hf_dir, out_dir, quantization=...)`: its CTranslate2 conversion.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Syllable parts for Vietnamese-looking text (real letters and tone marks, not real sentences).
ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "h", "k", "kh", "l", "m", "n", "ng", "nh", "ph",
          "qu", "r", "s", "t", "th", "tr", "v", "x"]
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ia", "ươ", "uô", "oa"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
CODAS = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]
EN_WORDS = [
    "the", "a", "of", "to", "and", "in", "is", "was", "for", "on", "that", "with", "as", "by",
    "at", "from", "his", "her", "its", "new", "year", "people", "country", "government", "city",
    "said", "will", "would", "first", "last", "police", "minister", "company", "market", "water",
    "house", "report", "state", "world", "health", "school", "war", "price",
]
PUNCT = [".", ",", "?", "!", ":", ";", "…", "“", "”", "%", "(", ")", "-", "–"]


@dataclass(frozen=True)
class ModelShape:
    """Size of a test Marian model. opus-mt-vi-en is d_model 512, 6+6 layers, 8 heads, FFN 2048."""

    d_model: int = 32
    layers: int = 2
    heads: int = 4
    ffn: int = 64
    max_positions: int = 512
    num_beams: int = 4
    spm_vocab_size: int = 250  # per side; the joint vocab is the union
    dropout: float = 0.1


@dataclass(frozen=True)
class TrainSettings:
    """Hyperparameters for `train_marian`.

    With the default shape (d_model 64, 2+2 layers, no dropout: dropout slowed this tiny task
    down several-fold) `word_task` is learnt exactly after ~150 steps, ~7 s on one busy core.
    """

    steps: int = 1000
    batch_size: int = 64
    lr: float = 5e-3
    warmup: int = 30
    seed: int = 0
    label_smoothing: float = 0.0
    threads: int = 1
    check_every: int = 25


@dataclass(frozen=True)
class WordTask:
    """A word-for-word task: `pairs` for training, `held_out` never seen in training."""

    dictionary: dict[str, str]
    pairs: list[tuple[str, str]]
    held_out: list[tuple[str, str]] = field(default_factory=list)


def vietnamese_like_lines(count: int, *, seed: int = 0) -> list[str]:
    """Sentences of random Vietnamese-like syllables (NFC, with diacritics and punctuation)."""
    import unicodedata

    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(3, 14)):
            syllable = rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
            # Put the tone mark on the first vowel letter (the exact rule does not matter here).
            pos = next((i for i, ch in enumerate(syllable) if ch in "aăâeêioôơuưy"), 0)
            syllable = syllable[: pos + 1] + rng.choice(TONES) + syllable[pos + 1 :]
            if rng.random() < 0.1:
                syllable = syllable.capitalize()
            words.append(syllable)
            if rng.random() < 0.08:
                words.append(rng.choice(PUNCT))
        if rng.random() < 0.2:
            words.append(str(rng.randint(1, 2025)))
        lines.append(unicodedata.normalize("NFC", " ".join(words) + rng.choice([".", "?", "…"])))
    return lines


def english_like_lines(count: int, *, seed: int = 0) -> list[str]:
    """Sentences of random English words with punctuation."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        words = [rng.choice(EN_WORDS) for _ in range(rng.randint(3, 14))]
        words[0] = words[0].capitalize()
        lines.append(" ".join(words) + rng.choice([".", "?", "!", "\u201d"]))
    return lines


def word_task(*, size: int = 800, held_out: int = 20, seed: int = 0) -> WordTask:
    """Random sentences of 2-6 dictionary words; the English is the word-by-word translation."""
    dictionary = {
        "mèo": "cat", "chó": "dog", "nhà": "house", "đỏ": "red", "xanh": "green",
        "ăn": "eats", "uống": "drinks", "nước": "water", "cơm": "rice", "người": "man",
        "đẹp": "nice", "lớn": "big", "nhỏ": "small", "sông": "river", "cây": "tree",
        "thấy": "sees", "bạn": "friend", "mới": "new",
    }
    rng = random.Random(seed)
    words = list(dictionary)

    def sentence() -> tuple[str, str]:
        chosen = [rng.choice(words) for _ in range(rng.randint(2, 6))]
        return " ".join(chosen), " ".join(dictionary[w] for w in chosen)

    seen: set[str] = set()
    pairs: list[tuple[str, str]] = []
    while len(pairs) < size:
        pair = sentence()
        seen.add(pair[0])
        pairs.append(pair)
    tests: list[tuple[str, str]] = []
    while len(tests) < held_out:
        pair = sentence()
        if pair[0] not in seen and len(pair[0].split()) >= 3:
            seen.add(pair[0])
            tests.append(pair)
    return WordTask(dictionary=dictionary, pairs=pairs, held_out=tests)


def train_spm(lines: Iterable[str], path: Path, *, vocab_size: int, model_type: str = "unigram",
              **options: Any) -> None:  # fmt: skip
    """Train a SentencePiece model like OPUS-MT's (unigram, default `nmt_nfkc` normalisation);
    `model_type` and `options` (special ids, user symbols) for the other families'."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(lines)),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type=model_type,
        minloglevel=2,
        num_threads=1,
        **options,
    )
    path.write_bytes(model.getvalue())


def joint_vocab(source_spm: Path, target_spm: Path) -> dict[str, int]:
    """opus-mt's joint vocabulary: `</s>` 0, `<unk>` 1, pieces of both models, `<pad>` last."""
    import sentencepiece as spm

    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for model in (source_spm, target_spm):
        sp = spm.SentencePieceProcessor(model_file=str(model))
        for i in range(sp.get_piece_size()):
            if sp.is_control(i) or sp.is_unknown(i):
                continue
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    vocab["<pad>"] = len(vocab)
    return vocab


def build_marian(
    out_dir: Path,
    *,
    src_lines: Sequence[str],
    tgt_lines: Sequence[str],
    shape: ModelShape = ModelShape(),
    seed: int = 0,
) -> Path:
    """Write a random-weight opus-mt-style Marian model folder at `out_dir` and return it."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    train_spm(src_lines, out_dir / "source.spm", vocab_size=shape.spm_vocab_size)
    train_spm(tgt_lines, out_dir / "target.spm", vocab_size=shape.spm_vocab_size)
    vocab = joint_vocab(out_dir / "source.spm", out_dir / "target.spm")
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), "utf-8")
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=shape.d_model,
        encoder_layers=shape.layers,
        decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn,
        max_position_embeddings=shape.max_positions,
        dropout=shape.dropout,
        attention_dropout=0.0,
        activation_dropout=0.0,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        architectures=["MarianMTModel"],
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.save_pretrained(out_dir)
    GenerationConfig(
        num_beams=shape.num_beams,
        max_length=shape.max_positions,
        bad_words_ids=[[pad]],
        decoder_start_token_id=pad,
        pad_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
    ).save_pretrained(out_dir)
    tokenizer = MarianTokenizer(
        source_spm=str(out_dir / "source.spm"),
        target_spm=str(out_dir / "target.spm"),
        vocab=str(out_dir / "vocab.json"),
        source_lang="vi",
        target_lang="en",
        model_max_length=shape.max_positions,
    )
    tokenizer.save_pretrained(out_dir)
    # As every OPUS-MT card says which model type it is (vi2en reads it for --align).
    (out_dir / "README.md").write_text("# opus-mt test model\n\n* model: transformer-align\n",
                                       "utf-8")  # fmt: skip
    return out_dir


@dataclass(frozen=True)
class NllbShape:
    """Size of a test NLLB model (the real 600M: d_model 1024, 12+12 layers, 16 heads)."""

    d_model: int = 32
    layers: int = 2
    heads: int = 4
    ffn: int = 64
    max_positions: int = 128
    spm_vocab_size: int = 400


def build_nllb(out_dir: Path, *, lines: Sequence[str], shape: NllbShape = NllbShape(),
               seed: int = 0) -> Path:  # fmt: skip
    """Write a random-weight NLLB-200 folder (M2M100, NllbTokenizer) at `out_dir`.

    The tokenizer is made as the hub's was: a SentencePiece BPE model, converted by
    transformers into `tokenizer.json` with the 202 FLORES-200 language codes as special tokens.
    """
    import torch
    from transformers import (
        GenerationConfig,
        M2M100Config,
        M2M100ForConditionalGeneration,
        NllbTokenizer,
    )
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    out_dir.mkdir(parents=True, exist_ok=True)
    train_spm(lines, out_dir / "sentencepiece.bpe.model", vocab_size=shape.spm_vocab_size,
              model_type="bpe")
    tokenizer = NllbTokenizer.from_pretrained(
        out_dir, src_lang="vie_Latn", tgt_lang="eng_Latn",
        additional_special_tokens=FAIRSEQ_LANGUAGE_CODES, clean_up_tokenization_spaces=True,
        model_max_length=shape.max_positions,
    )  # fmt: skip
    tokenizer.save_pretrained(out_dir)
    config = M2M100Config(
        vocab_size=len(tokenizer), d_model=shape.d_model, encoder_layers=shape.layers,
        decoder_layers=shape.layers, encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads, encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn, max_position_embeddings=shape.max_positions,
        dropout=0.0, attention_dropout=0.0, activation_dropout=0.0, activation_function="relu",
        scale_embedding=True, pad_token_id=1, bos_token_id=0, eos_token_id=2,
        decoder_start_token_id=2, tokenizer_class="NllbTokenizer",
        architectures=["M2M100ForConditionalGeneration"],
    )  # fmt: skip
    torch.manual_seed(seed)
    M2M100ForConditionalGeneration(config).save_pretrained(out_dir)
    GenerationConfig(bos_token_id=0, decoder_start_token_id=2, eos_token_id=2, pad_token_id=1,
                     max_length=200).save_pretrained(out_dir)  # fmt: skip
    return out_dir


def train_marian(
    pairs: Sequence[tuple[str, str]],
    *,
    out_dir: Path,
    shape: ModelShape = ModelShape(d_model=64, heads=4, ffn=128, dropout=0.0),
    train: TrainSettings = TrainSettings(),
    extra_loss: Callable[[Any, dict[str, Any]], Any] | None = None,
    held_out: Sequence[tuple[str, str]] = (),
) -> Path:
    """Build a Marian folder from `pairs` and train it; returns `out_dir`.

    Training stops early once greedy decoding reproduces every `held_out` target exactly
    (checked every `train.check_every` steps), and at `train.steps` at the latest.

    Args:
        pairs: (source, target) sentences; both SentencePiece models are trained on them.
        out_dir: Folder to write (created).
        shape: Model size.
        train: Optimiser settings (steps, batch size, learning rate, warm-up, seed).
        extra_loss: Called as `extra_loss(outputs, batch)` when given; `outputs` comes from a
            forward pass with `output_attentions=True`, `batch` holds `input_ids`,
            `attention_mask`, `labels` and `index` (positions of the rows in `pairs`). Its
            return value is added to the loss.
        held_out: (source, target) pairs for the early stop.
    """
    import torch
    from transformers import MarianMTModel

    build_marian(
        out_dir,
        src_lines=[s for s, _ in pairs],
        tgt_lines=[t for _, t in pairs],
        shape=shape,
        seed=train.seed,
    )
    from vi2en.engines.spm import MarianSentencePiece

    codec = MarianSentencePiece(out_dir)
    src_ids = [codec.source_ids(s) for s, _ in pairs]
    tgt_ids = [codec.target_ids(t) for _, t in pairs]
    model = MarianMTModel.from_pretrained(out_dir)
    model.train()
    # Tiny tensors: one thread is ~10x faster than several on a shared, busy CPU.
    threads = torch.get_num_threads()
    torch.set_num_threads(train.threads)
    pad = codec.pad_id
    torch.manual_seed(train.seed)
    rng = random.Random(train.seed)
    for name, param in model.named_parameters():
        # Sinusoidal positions are fixed in Marian (and in CTranslate2's conversion), but
        # from_pretrained leaves them trainable: freeze them or the saved model disagrees.
        if "embed_positions" in name:
            param.requires_grad_(False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=train.lr, weight_decay=0.0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / train.warmup)
    )

    def padded(rows: list[list[int]], value: int) -> Any:
        width = max(len(r) for r in rows)
        return torch.tensor([r + [value] * (width - len(r)) for r in rows])

    for step in range(1, train.steps + 1):
        index = [rng.randrange(len(pairs)) for _ in range(train.batch_size)]
        batch = {
            "input_ids": padded([src_ids[i] for i in index], pad),
            "attention_mask": padded([[1] * len(src_ids[i]) for i in index], 0),
            "labels": padded([tgt_ids[i] for i in index], -100),
        }
        outputs = model(
            input_ids=batch["input_ids"],
            attention_mask=batch["attention_mask"],
            labels=batch["labels"],
            output_attentions=extra_loss is not None,
        )
        loss = outputs.loss
        if train.label_smoothing:
            logits = outputs.logits.transpose(1, 2)
            loss = torch.nn.functional.cross_entropy(
                logits, batch["labels"], ignore_index=-100, label_smoothing=train.label_smoothing
            )
        if extra_loss is not None:
            loss = loss + extra_loss(outputs, {**batch, "index": index})
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        scheduler.step()
        with torch.no_grad():
            # The tied output layer trains the <pad> row too; Marian (and CTranslate2's
            # start_from_zero_embedding) need it zero, as opus-mt's converted weights have it.
            model.get_input_embeddings().weight[pad].zero_()
        if held_out and step % train.check_every == 0 and _all_exact(model, codec, held_out):
            break
    torch.set_num_threads(threads)
    model.eval()
    model.save_pretrained(out_dir)
    (out_dir / "train_settings.json").write_text(
        json.dumps({"shape": asdict(shape), "train": asdict(train)}, indent=1), "utf-8"
    )
    return out_dir


def _all_exact(model: Any, codec: Any, held_out: Sequence[tuple[str, str]]) -> bool:
    """True when greedy decoding gives every held-out target exactly."""
    import torch

    model.eval()
    rows = [codec.source_ids(s) for s, _ in held_out]
    width = max(len(r) for r in rows)
    ids = torch.tensor([r + [codec.pad_id] * (width - len(r)) for r in rows])
    with torch.inference_mode():
        out = model.generate(input_ids=ids, attention_mask=(ids != codec.pad_id).long(),
                             num_beams=1, max_new_tokens=width + 5)
    model.train()
    texts = [codec.decode(codec.ids_to_pieces(seq[1:])) for seq in out.tolist()]
    return texts == [t for _, t in held_out]


def convert_ct2(hf_dir: Path, out_dir: Path, *, quantization: str = "float32") -> Path:
    """Convert a Marian folder to CTranslate2 at `out_dir` (with vi2en's own converter)."""
    from vi2en.engines.models import convert_folder

    return convert_folder(hf_dir, out_dir, quantization=quantization)


def build_once(target: Path, build: Callable[[Path], Path]) -> Path:
    """Run `build(tmp)` into a temporary sibling and rename it to `target` (atomic, race-safe)."""
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        build(tmp / "model")
        try:
            (tmp / "model").rename(target)
        except OSError:  # another process won the race: its copy is as good as ours
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


# Marian's own parameter names for one layer, from the Hugging Face names (the mapping of
# transformers' convert_marian_to_pytorch.py, BART_CONVERTER, read the other way).
MARIAN_LAYER_NAMES = {
    "self_W{}": "self_attn.{}_proj.weight",
    "self_b{}": "self_attn.{}_proj.bias",
    "self_Wo": "self_attn.out_proj.weight",
    "self_bo": "self_attn.out_proj.bias",
    "self_Wo_ln_scale": "self_attn_layer_norm.weight",
    "self_Wo_ln_bias": "self_attn_layer_norm.bias",
    "ffn_W1": "fc1.weight",
    "ffn_b1": "fc1.bias",
    "ffn_W2": "fc2.weight",
    "ffn_b2": "fc2.bias",
    "ffn_ffn_ln_scale": "final_layer_norm.weight",
    "ffn_ffn_ln_bias": "final_layer_norm.bias",
}
MARIAN_CONTEXT_NAMES = {
    "context_W{}": "encoder_attn.{}_proj.weight",
    "context_b{}": "encoder_attn.{}_proj.bias",
    "context_Wo": "encoder_attn.out_proj.weight",
    "context_bo": "encoder_attn.out_proj.bias",
    "context_Wo_ln_scale": "encoder_attn_layer_norm.weight",
    "context_Wo_ln_bias": "encoder_attn_layer_norm.bias",
}


def marian_release(hf_dir: Path, out_zip: Path, *, align: bool = True,
                   prefix: str = "opus+bt.spm32k-spm32k") -> Path:  # fmt: skip
    """Write an original-format OPUS-MT/Tatoeba-MT release zip holding the weights of the
    Hugging Face Marian folder `hf_dir`: `.npz` with Marian's parameter names (matrices stored
    input x output, biases and norms as 1 x n rows, `special:model.yml` as NUL-ended bytes),
    `vocab.yml` in Marian's order without `<pad>`, `source.spm`, `target.spm`, `decoder.yml`,
    README and LICENSE. `align` names the model `transformer-align`.
    """
    import zipfile

    import numpy as np
    from safetensors.numpy import load_file

    config = json.loads((hf_dir / "config.json").read_text("utf-8"))
    vocab = json.loads((hf_dir / "vocab.json").read_text("utf-8"))
    weights = load_file(str(hf_dir / "model.safetensors"))
    pad = vocab["<pad>"]
    assert pad == len(vocab) - 1, "Marian releases have no <pad>; the HF conversion appends it"

    def get(name: str) -> Any:
        return weights[f"model.{name}"]

    def layer(scope: str, hf_prefix: str, names: dict[str, str]) -> dict[str, Any]:
        out = {}
        for marian, hf in names.items():
            for proj in ("q", "k", "v") if "{}" in marian else ("",):
                value = get(f"{hf_prefix}.{hf.format(proj)}")
                value = value.T if value.ndim == 2 else value[None, :]
                out[f"{scope}_{marian.format(proj)}"] = np.ascontiguousarray(value)
        return out

    arrays: dict[str, Any] = {}
    for i in range(config["encoder_layers"]):
        arrays.update(layer(f"encoder_l{i + 1}", f"encoder.layers.{i}", MARIAN_LAYER_NAMES))
    for i in range(config["decoder_layers"]):
        names = {**MARIAN_LAYER_NAMES, **MARIAN_CONTEXT_NAMES}
        arrays.update(layer(f"decoder_l{i + 1}", f"decoder.layers.{i}", names))
    arrays["Wemb"] = get("shared.weight")[:pad]
    bias = weights.get("final_logits_bias")
    arrays["decoder_ff_logit_out_b"] = (bias[:, :pad] if bias is not None
                                        else np.zeros((1, pad), "float32"))  # fmt: skip
    model_yml = "\n".join([
        f"dim-vocabs: [{pad}, {pad}]", f"dim-emb: {config['d_model']}",
        f"enc-depth: {config['encoder_layers']}", f"dec-depth: {config['decoder_layers']}",
        f"transformer-heads: {config['encoder_attention_heads']}",
        f"transformer-dim-ffn: {config['encoder_ffn_dim']}",
        f"transformer-ffn-activation: {config['activation_function']}",
        "type: transformer", "transformer-preprocess: \"\"", "transformer-postprocess: dan",
        "transformer-postprocess-emb: d", "transformer-decoder-autoreg: self-attention",
        "transformer-no-projection: false", "transformer-guided-alignment-layer: last",
        "transformer-train-position-embeddings: false", "tied-embeddings-all: true",
        "tied-embeddings-src: false", "tied-embeddings: false", "",
    ])  # fmt: skip
    arrays["special:model.yml"] = np.frombuffer((model_yml + "\0").encode(), dtype=np.int8)
    kind = "transformer-align" if align else "transformer"
    npz_name = f"{prefix}.{kind}.model1.npz.best-perplexity.npz"
    vocab_name = f"{prefix}.vocab.yml"
    ordered = sorted((i, p) for p, i in vocab.items() if p != "<pad>")
    vocab_yml = "".join(f"{json.dumps(p, ensure_ascii=False)}: {i}\n" for i, p in ordered)
    decoder_yml = (f"models:\n  - {npz_name}\nvocabs:\n  - {vocab_name}\n  - {vocab_name}\n"
                   "beam-size: 6\nnormalize: 0.6\nword-penalty: 0\nmini-batch: 1\n"
                   "maxi-batch: 1\nmaxi-batch-sort: src\nrelative-paths: true\n")  # fmt: skip
    readme = (f"# {out_zip.name}\n\n* dataset: opus+bt\n* model: {kind}\n"
              "* source language(s): vie\n* target language(s): eng\n")
    npz = io.BytesIO()
    np.savez(npz, **arrays)
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_zip, "w") as archive:
        archive.writestr(npz_name, npz.getvalue())
        archive.writestr(vocab_name, vocab_yml)
        archive.writestr("decoder.yml", decoder_yml)
        archive.writestr("README.md", readme)
        archive.writestr("LICENSE", "CC-BY 4.0 (test fixture)\n")
        for name in ("source.spm", "target.spm"):
            archive.write(hf_dir / name, name)
    return out_zip


def build_mbart50(out_dir: Path, *, lines: Sequence[str], shape: NllbShape = NllbShape(),
                  seed: int = 0) -> Path:  # fmt: skip
    """Write a random-weight mBART-50 folder (MBart, MBart50Tokenizer) at `out_dir`, laid out as
    vinai/vinai-translate-vi2en-v2: a SentencePiece unigram model converted by transformers
    into `tokenizer.json` with mBART-50's 52 language codes."""
    import torch
    from transformers import (
        GenerationConfig,
        MBart50Tokenizer,
        MBartConfig,
        MBartForConditionalGeneration,
    )
    from transformers.models.mbart50.tokenization_mbart50 import FAIRSEQ_LANGUAGE_CODES

    out_dir.mkdir(parents=True, exist_ok=True)
    train_spm(lines, out_dir / "sentencepiece.bpe.model", vocab_size=shape.spm_vocab_size,
              model_type="unigram")
    tokenizer = MBart50Tokenizer.from_pretrained(
        out_dir, src_lang="vi_VN", tgt_lang="en_XX",
        additional_special_tokens=FAIRSEQ_LANGUAGE_CODES, model_max_length=shape.max_positions,
    )  # fmt: skip
    tokenizer.save_pretrained(out_dir)
    config = MBartConfig(
        vocab_size=len(tokenizer), d_model=shape.d_model, encoder_layers=shape.layers,
        decoder_layers=shape.layers, encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads, encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn, max_position_embeddings=shape.max_positions,
        dropout=0.0, attention_dropout=0.0, activation_dropout=0.0, activation_function="gelu",
        scale_embedding=True, pad_token_id=1, bos_token_id=0, eos_token_id=2,
        decoder_start_token_id=2, tokenizer_class="MBart50Tokenizer",
        architectures=["MBartForConditionalGeneration"],
    )  # fmt: skip
    torch.manual_seed(seed)
    MBartForConditionalGeneration(config).save_pretrained(out_dir)
    GenerationConfig(bos_token_id=0, decoder_start_token_id=2, eos_token_id=2, pad_token_id=1,
                     max_length=shape.max_positions).save_pretrained(out_dir)  # fmt: skip
    return out_dir


def build_madlad(out_dir: Path, *, lines: Sequence[str], shape: NllbShape = NllbShape(),
                 seed: int = 0) -> Path:  # fmt: skip
    """Write a random-weight MADLAD-400-style T5 folder at `out_dir`: a SentencePiece unigram
    model with T5's ids (`<pad>` 0, `</s>` 1, `<unk>` 2) and `<2xx>` language tokens, saved by
    transformers' T5Tokenizer (with `tokenizer.json`), and a gated-GELU T5."""
    import torch
    from transformers import GenerationConfig, T5Config, T5ForConditionalGeneration, T5Tokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    train_spm(lines, out_dir / "spiece.model", vocab_size=shape.spm_vocab_size,
              model_type="unigram", pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
              user_defined_symbols=["<2en>", "<2vi>", "<2fr>"])
    tokenizer = T5Tokenizer.from_pretrained(out_dir, extra_ids=0,
                                            model_max_length=shape.max_positions)  # fmt: skip
    tokenizer.save_pretrained(out_dir)
    config = T5Config(
        vocab_size=len(tokenizer), d_model=shape.d_model, d_kv=shape.d_model // shape.heads,
        d_ff=shape.ffn, num_layers=shape.layers, num_decoder_layers=shape.layers,
        num_heads=shape.heads, feed_forward_proj="gated-gelu", dropout_rate=0.0,
        tie_word_embeddings=False, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
        architectures=["T5ForConditionalGeneration"],
    )  # fmt: skip
    torch.manual_seed(seed)
    T5ForConditionalGeneration(config).save_pretrained(out_dir)
    GenerationConfig(decoder_start_token_id=0, eos_token_id=1, pad_token_id=0,
                     max_length=shape.max_positions).save_pretrained(out_dir)  # fmt: skip
    return out_dir
