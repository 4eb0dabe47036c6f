"""A tiny Marian model trained with guided alignment on a task whose word alignment is known.

The synthetic language pair: Vietnamese-looking clauses `NOUN ADJ VERB NOUN ADJ` joined by `và`
and ended by `.`; English puts adjectives before nouns (a fixed reordering), and some source words
become two target words (`kem` -> `ice cream`, `đợi` -> `waits for`). Every target word's source
word is known, so the links extracted from the model's attention can be scored (AER).

Training follows OPUS-MT's "transformer-align": besides cross-entropy, a guided-alignment loss
pulls one cross-attention head (last decoder layer, head 0, Marian's default and the head
CTranslate2 returns) toward the gold alignment, normalised per target piece.
"""

from __future__ import annotations

import itertools
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from vi2en.align.wordspans import target_pieces, word_spans
from vi2en.engines.base import Piece

NOUNS = {
    "mèo": ["cat"], "chó": ["dog"], "gà": ["hen"], "bò": ["cow"], "cá": ["fish"],
    "chim": ["bird"], "ngựa": ["horse"], "khỉ": ["monkey"], "voi": ["elephant"],
    "trâu": ["buffalo"], "kem": ["ice", "cream"], "tàu": ["steam", "ship"],
}
ADJECTIVES = {
    "đỏ": ["red"], "xanh": ["blue"], "to": ["big"], "nhỏ": ["small"], "đẹp": ["pretty"],
    "già": ["old"], "trẻ": ["young"], "béo": ["fat"], "hiền": ["gentle"],
}
VERBS = {
    "thấy": ["sees"], "ăn": ["eats"], "đuổi": ["chases"], "thích": ["likes"], "gọi": ["calls"],
    "đợi": ["waits", "for"], "nhìn": ["looks", "at"], "sợ": ["runs", "from"],
}
CONJUNCTION = ("và", "and")
ALIGN_LAYER = -1  # the last decoder layer
ALIGN_HEAD = 0  # its first head
META_FILE = "alignkit.json"  # training time and held-out examples, saved beside the model


@dataclass(frozen=True)
class Example:
    """One sentence pair with its gold word links (word indices as `word_spans` counts them)."""

    src: str
    tgt: str
    gold: frozenset[tuple[int, int]]


def _noun_phrase(rng: random.Random) -> list[tuple[str, list[str]]]:
    noun = rng.choice(list(NOUNS))
    if rng.random() < 0.6:
        adj = rng.choice(list(ADJECTIVES))
        return [(noun, NOUNS[noun]), (adj, ADJECTIVES[adj])]
    return [(noun, NOUNS[noun])]


def make_example(rng: random.Random) -> Example:
    """Draw one sentence pair: source order noun-adjective, target order adjective-noun."""
    src_words: list[str] = []
    tgt_words: list[str] = []
    gold: set[tuple[int, int]] = set()

    def emit(units: list[tuple[str, list[str]]]) -> None:
        for src_word, tgt in units:
            src_words.append(src_word)
            for word in tgt:
                gold.add((len(src_words) - 1, len(tgt_words)))
                tgt_words.append(word)

    for clause in range(rng.randint(1, 2)):
        if clause:
            emit([(CONJUNCTION[0], [CONJUNCTION[1]])])
        subject, obj = _noun_phrase(rng), _noun_phrase(rng)
        verb = rng.choice(list(VERBS))
        # Source order: subject, verb, object; each noun phrase reversed on the target side.
        src_units = [*subject, (verb, VERBS[verb]), *obj]
        n_subj = len(subject)
        tgt_order = [
            *reversed(range(n_subj)), n_subj, *reversed(range(n_subj + 1, len(src_units)))
        ]
        base_src = len(src_words)
        src_words.extend(word for word, _ in src_units)
        for position in tgt_order:
            src_index = base_src + position
            for word in src_units[position][1]:
                gold.add((src_index, len(tgt_words)))
                tgt_words.append(word)
    emit([(".", ["."])])
    # Punctuation is glued to the last word, as in real text; word_spans splits it off again.
    src = " ".join(src_words[:-1]) + "."
    tgt = " ".join(tgt_words[:-1]) + "."
    return Example(src=src, tgt=tgt, gold=frozenset(gold))


def make_corpus(size: int, *, seed: int) -> list[Example]:
    """`size` distinct examples drawn with a fixed seed."""
    rng = random.Random(seed)
    seen: dict[str, Example] = {}
    while len(seen) < size:
        ex = make_example(rng)
        seen.setdefault(ex.src, ex)
    return list(seen.values())


def aer(predicted: set[tuple[int, int]], gold: set[tuple[int, int]]) -> float:
    """Alignment error rate with sure = possible = gold: 1 - 2|A∩G| / (|A| + |G|)."""
    if not predicted and not gold:
        return 0.0
    return 1.0 - 2.0 * len(predicted & gold) / (len(predicted) + len(gold))


def pieces_with_spans(sp: Any, text: str) -> list[Piece]:
    """Pieces of `text` with character spans (identity-normalised SentencePiece model)."""
    return target_pieces(sp.encode(text, out_type=str), text)


@dataclass(frozen=True)
class TrainedModel:
    """A saved Marian folder plus what the tests need to know about it."""

    folder: Path
    train_seconds: float
    final_loss: float
    held_out: list[Example]


def _write_spm(workdir: Path, examples: list[Example], vocab_size: int) -> Path:
    import sentencepiece as spm

    corpus = workdir / "corpus.txt"
    corpus.write_text("".join(f"{ex.src}\n{ex.tgt}\n" for ex in examples), encoding="utf-8")
    prefix = workdir / "joint"
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        character_coverage=1.0,
        model_type="unigram",
        normalization_rule_name="identity",  # keeps piece spans equal to character spans
        # Marian's vocab puts </s>=0 and <unk>=1; the SentencePiece ids themselves are unused.
        unk_id=0, bos_id=-1, eos_id=1, pad_id=-1,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def train_aligned_marian(
    folder: Path,
    *,
    seed: int = 0,
    train_size: int = 3000,
    held_out_size: int = 60,
    steps: int = 320,
    batch_size: int = 32,
    align_weight: float = 1.0,
    spm_vocab: int = 120,
) -> TrainedModel:
    """Train the tiny guided-alignment Marian model and save it as a MarianMT folder."""
    import torch

    torch.manual_seed(seed)
    # One thread: on a shared, busy machine two spinning threads per step are far slower.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _train(folder, seed=seed, train_size=train_size, held_out_size=held_out_size,
                      steps=steps, batch_size=batch_size, align_weight=align_weight,
                      spm_vocab=spm_vocab)
    finally:
        torch.set_num_threads(threads)


def _train(
    folder: Path,
    *,
    seed: int,
    train_size: int,
    held_out_size: int,
    steps: int,
    batch_size: int,
    align_weight: float,
    spm_vocab: int,
) -> TrainedModel:
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    examples = make_corpus(train_size + held_out_size, seed=seed)
    train, held_out = examples[:train_size], examples[train_size:]
    spm_path = _write_spm(folder, train, spm_vocab)
    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)  # Marian keeps <pad> last; CTranslate2 drops it on conversion
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(spm_path.read_bytes())
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(folder / "source.spm"),
        target_spm=str(folder / "target.spm"),
        vocab=str(folder / "vocab.json"),
        model_max_length=128,
    )
    tokenizer.save_pretrained(str(folder))

    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab), d_model=64, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=128,
        decoder_ffn_dim=128, max_position_embeddings=128, pad_token_id=pad, eos_token_id=0,
        decoder_start_token_id=pad, forced_eos_token_id=0, dropout=0.0, attention_dropout=0.0,
        activation_function="swish", scale_embedding=True, share_encoder_decoder_embeddings=True,
        num_beams=1, max_length=128, bad_words_ids=[[pad]],
    )
    config._attn_implementation = "eager"  # the sdpa path returns no attention weights
    model = MarianMTModel(config)

    def encode(ex: Example) -> tuple[list[int], list[int], list[list[int]]]:
        src_pieces = pieces_with_spans(sp, ex.src)
        tgt_pieces = pieces_with_spans(sp, ex.tgt)
        src_of = _word_of(src_pieces, word_spans(ex.src))
        tgt_of = _word_of(tgt_pieces, word_spans(ex.tgt))
        # For each target position (pieces, then </s>), the source positions it should attend.
        rows = []
        for word in tgt_of:
            linked = {s for s, t in ex.gold if t == word}
            rows.append([k for k, w in enumerate(src_of) if w in linked])
        rows.append([len(src_pieces)])  # </s> attends to </s>
        ids = lambda ps: [vocab.get(p.piece, 1) for p in ps] + [0]  # noqa: E731
        return ids(src_pieces), ids(tgt_pieces), rows

    encoded = [encode(ex) for ex in train]
    optimizer = torch.optim.AdamW(model.parameters(), lr=6e-3, weight_decay=0.0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / 50) * max(0.1, 1 - step / steps))
    rng = random.Random(seed)
    model.train()
    started = time.perf_counter()
    loss_value = float("nan")
    for _ in range(steps):
        batch = rng.sample(encoded, batch_size)
        src_len = max(len(b[0]) for b in batch)
        tgt_len = max(len(b[1]) for b in batch)
        input_ids = torch.full((batch_size, src_len), pad)
        labels = torch.full((batch_size, tgt_len), -100)
        gold = torch.zeros((batch_size, tgt_len, src_len))
        for i, (src_ids, tgt_ids, rows) in enumerate(batch):
            input_ids[i, : len(src_ids)] = torch.tensor(src_ids)
            labels[i, : len(tgt_ids)] = torch.tensor(tgt_ids)
            for t, cols in enumerate(rows):
                if cols:
                    gold[i, t, cols] = 1.0 / len(cols)
        out = model(
            input_ids=input_ids,
            attention_mask=(input_ids != pad).long(),
            labels=labels,
            output_attentions=True,
        )
        head = out.cross_attentions[ALIGN_LAYER][:, ALIGN_HEAD]  # (batch, tgt, src)
        has_gold = gold.sum(-1) > 0
        align_loss = -(gold * torch.log(head + 1e-9)).sum(-1)[has_gold].mean()
        loss = out.loss + align_weight * align_loss
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        loss_value = float(loss.detach())
    seconds = time.perf_counter() - started
    model.eval()
    model.save_pretrained(str(folder))
    meta = {
        "train_seconds": seconds,
        "final_loss": loss_value,
        "held_out": [[ex.src, ex.tgt, sorted(ex.gold)] for ex in held_out],
    }
    (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return load_trained(folder)


def load_trained(folder: Path) -> TrainedModel:
    """The model saved by `train_aligned_marian` in `folder`, with its held-out examples."""
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    held_out = [
        Example(src, tgt, frozenset((i, j) for i, j in gold)) for src, tgt, gold in meta["held_out"]
    ]
    return TrainedModel(folder, meta["train_seconds"], meta["final_loss"], held_out)


def _word_of(pieces: list[Piece], words: list[tuple[int, int]]) -> list[int]:
    out = []
    for p in pieces:
        hits = [k for k, (s, e) in enumerate(words) if s < p.end and p.start < e]
        out.append(hits[0] if hits else -1)
    return out


ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạềểễếệ0123456789 .,;:!?“”\"'()-/…"


@st.composite
def texts_with_pieces(draw: st.DrawFn) -> tuple[str, list[Piece]]:
    """A text and a SentencePiece-like cut of it: `▁` starts each space-separated chunk."""
    text = " ".join(draw(st.lists(st.text(ALPHABET.replace(" ", ""), min_size=1, max_size=6),
                                  max_size=8)))
    raw = []
    for chunk in text.split(" ") if text else []:
        marked = "▁" + chunk
        cuts = sorted(draw(st.sets(st.integers(1, len(marked) - 1), max_size=2))) \
            if len(marked) > 1 else []
        bounds = [0, *cuts, len(marked)]
        raw.extend(marked[a:b] for a, b in itertools.pairwise(bounds))
    return text, target_pieces(raw, text)
