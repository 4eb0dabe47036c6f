"""SentencePiece handling shared by both engines: spans, ids as MarianTokenizer gives them."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vi2en.engines.spm import MarianSentencePiece, check_source_lengths
from vi2en.errors import EngineError, ModelNotFound

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
TEXT_ALPHABET = st.sampled_from(
    [*VIETNAMESE, *VIETNAMESE.upper(), " ", "  ", ".", ",", "…", "“", "”", "1", "%", "\u00a0"]
)


@pytest.fixture(scope="module")
def codec(tiny_hf_model: Path) -> MarianSentencePiece:
    return MarianSentencePiece(tiny_hf_model)


@pytest.mark.parametrize(
    "text",
    ["Việt Nam là một đất nước.", "Hà Nội… “mới”", "  hai  khoảng  trắng ", "", "ô 2025%"],
)
def test_ids_match_marian_tokenizer(codec: MarianSentencePiece, tiny_hf_model: Path, text: str):
    from transformers import MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(tiny_hf_model)
    assert codec.source_ids(text) == tokenizer(text)["input_ids"]
    assert codec.count([text]) == [len(tokenizer(text)["input_ids"])]


def test_unknown_piece_becomes_unk(codec: MarianSentencePiece):
    tokens = codec.source_tokens("漢字")  # never seen in training: not in vocab.json
    assert "<unk>" in tokens
    assert tokens[-1] == "</s>"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(TEXT_ALPHABET, max_size=40).map("".join), st.sampled_from(["NFC", "NFD"]))
def test_piece_spans_map_back_to_text(codec: MarianSentencePiece, text: str, form: str):
    text = unicodedata.normalize(form, text)
    pieces = codec.source_pieces(text)
    assert len(pieces) + 1 == codec.count([text])[0]
    previous_end = 0
    for piece in pieces:
        assert 0 <= piece.start <= piece.end <= len(text)
        assert piece.start >= previous_end or piece.start == piece.end  # monotone, no overlap
        previous_end = max(previous_end, piece.end)
        surface = text[piece.start : piece.end]
        # The span's text, normalised as SentencePiece normalises it, gives the piece.
        if surface.strip() and piece.piece not in ("<unk>",):
            normalised = unicodedata.normalize("NFKC", surface).replace("…", "...")
            assert piece.piece.lstrip("▁") in normalised or normalised in piece.piece


def test_nfd_spans_cover_whole_syllables(codec: MarianSentencePiece):
    text = unicodedata.normalize("NFD", "Việt")
    pieces = codec.source_pieces(text)
    covered = "".join(text[p.start : p.end] for p in pieces)
    assert covered == text
    assert pieces[-1].end == len(text) == 6


def test_ellipsis_pieces_point_at_the_ellipsis(codec: MarianSentencePiece):
    text = "Ừ…"
    dots = [p for p in codec.source_pieces(text) if p.piece.strip("▁") in (".", "..", "...")]
    spans = {(p.start, p.end) for p in dots}
    assert spans and all(start >= 1 and end <= 2 for start, end in spans)


def test_decode_drops_special_pieces(codec: MarianSentencePiece):
    assert codec.decode(["▁the", "▁city", "</s>", "<pad>"]) == "the city"


@pytest.fixture(scope="module")
def marian_tokenizer(tiny_hf_model: Path):
    from transformers import MarianTokenizer

    return MarianTokenizer.from_pretrained(tiny_hf_model)


def _source_only_ids(codec: MarianSentencePiece, tiny_hf_model: Path) -> set[int]:
    import sentencepiece as spm

    target = spm.SentencePieceProcessor(model_file=str(tiny_hf_model / "target.spm"))
    known = {target.id_to_piece(i) for i in range(target.get_piece_size())}
    return {i for piece, i in codec.vocab.items() if piece not in known}


@pytest.mark.issue(11)
def test_decode_equals_marian_tokenizer_on_random_ids(
    codec: MarianSentencePiece, marian_tokenizer, tiny_hf_model: Path
):
    """Ids drawn from the whole joint vocabulary, source-only pieces included (the decoder can
    emit them): the text is MarianTokenizer's, never a raw `▁`."""
    source_only = _source_only_ids(codec, tiny_hf_model)
    assert len(source_only) > 50  # the test model's joint vocab really has such pieces
    rng = random.Random(11)
    ids_range = range(len(codec.vocab))
    sequences = [[rng.choice(ids_range) for _ in range(rng.randint(0, 16))] for _ in range(3000)]
    sequences += [[i] for i in sorted(source_only)[:40]]  # alone: first piece, stripped ends
    covered = 0
    for ids in sequences:
        covered += bool(source_only.intersection(ids))
        want = marian_tokenizer.decode(ids, skip_special_tokens=True)
        assert codec.decode(codec.ids_to_pieces(ids)) == want, ids
    assert covered > 1000


@pytest.mark.issue(11)
def test_decode_of_a_source_only_piece_has_no_space_mark(codec, tiny_hf_model: Path):
    (piece_id, *_) = sorted(
        i for i in _source_only_ids(codec, tiny_hf_model)
        if codec.ids_to_pieces([i])[0].startswith("▁")
    )
    pieces = ["▁the", *codec.ids_to_pieces([piece_id]), "▁city"]
    text = codec.decode(pieces)
    assert "▁" not in text
    assert text == "the " + pieces[1].lstrip("▁") + " city"


def test_missing_file_is_model_not_found(tmp_path: Path, tiny_hf_model: Path):
    for name in ("target.spm", "vocab.json"):
        (tmp_path / name).write_bytes((tiny_hf_model / name).read_bytes())
    with pytest.raises(ModelNotFound, match=r"lacks source\.spm"):
        MarianSentencePiece(tmp_path)


def test_broken_spm_is_model_not_found(tmp_path: Path, tiny_hf_model: Path):
    for name in ("target.spm", "vocab.json"):
        (tmp_path / name).write_bytes((tiny_hf_model / name).read_bytes())
    (tmp_path / "source.spm").write_bytes(b"not a model")
    with pytest.raises(ModelNotFound, match="cannot read"):
        MarianSentencePiece(tmp_path)


def test_check_source_lengths_names_the_text():
    check_source_lengths([["a", "</s>"]], 2)
    with pytest.raises(EngineError, match=r"text 1 .* 3 source pieces .* 2 positions"):
        check_source_lengths([["a"], ["a", "b", "</s>"]], 2)
