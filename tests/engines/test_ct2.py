"""CTranslate2 engine on the tiny models: batches, limits, attention, parity with transformers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import modelkit
from vi2en.engines import load_engine
from vi2en.engines.base import Hypothesis
from vi2en.errors import EngineError

TEXTS = modelkit.vietnamese_like_lines(5, seed=11)


@pytest.fixture(scope="module")
def ct2(tiny_ct2_model: Path):
    return load_engine("ctranslate2", str(tiny_ct2_model), compute_type="float32", threads=1)


@pytest.fixture(scope="module")
def hf(tiny_hf_model: Path):
    return load_engine("transformers", str(tiny_hf_model), threads=1)


def test_engine_describes_itself(ct2):
    assert (ct2.name, ct2.device, ct2.compute_type) == ("ctranslate2", "cpu", "float32")
    assert ct2.max_positions == 512
    assert ct2.default_beam_size == 4


@pytest.mark.parametrize("beam_size", [1, 4])
def test_translate_batch_shape(ct2, beam_size: int):
    hyps = ct2.translate_batch(TEXTS, beam_size=beam_size, max_new_tokens=[6] * len(TEXTS))
    assert len(hyps) == len(TEXTS)
    for hyp in hyps:
        assert isinstance(hyp, Hypothesis)
        assert hyp.attention is None
        assert "</s>" not in hyp.pieces
        assert len(hyp.pieces) <= 6
        assert hyp.score is not None and hyp.score < 0
        # Random weights never stop by themselves within 6 pieces: the cap is hit and flagged.
        assert hyp.hit_limit == (len(hyp.pieces) == 6)


def test_empty_batch(ct2):
    assert ct2.translate_batch([]) == []


def test_greedy_tokens_equal_transformers(ct2, hf):
    caps = [10, 4, 10, 7, 10]
    got = ct2.translate_batch(TEXTS, beam_size=1, max_new_tokens=caps, return_attention=True)
    want = hf.translate_batch(TEXTS, beam_size=1, max_new_tokens=caps, return_attention=True)
    assert [h.pieces for h in got] == [h.pieces for h in want]
    assert [h.hit_limit for h in got] == [h.hit_limit for h in want]
    for a, b in zip(got, want, strict=True):
        # Same quantity on both engines: mean log-prob per output piece.
        assert a.score == pytest.approx(b.score, abs=1e-3)
        # CTranslate2 returns head 0 of the last layer, hf's default head: same matrix.
        assert len(a.attention) == len(b.attention)
        for row_a, row_b in zip(a.attention, b.attention, strict=True):
            assert row_a == pytest.approx(row_b, abs=1e-3)


def test_attention_shape_is_target_by_source(ct2):
    hyps = ct2.translate_batch(TEXTS[:2], beam_size=4, max_new_tokens=[5, 5], return_attention=True)
    for text, hyp in zip(TEXTS[:2], hyps, strict=True):
        assert len(hyp.attention) == len(hyp.pieces)
        width = len(ct2.source_pieces(text))
        assert all(len(row) == width for row in hyp.attention)
        assert all(0 <= x <= 1 for row in hyp.attention for x in row)


def test_overlong_input_raises_instead_of_truncating(ct2):
    long_text = " ".join(TEXTS * 40)
    assert ct2.count_pieces([long_text])[0] > ct2.max_positions
    with pytest.raises(EngineError, match=r"text 1 of the batch has \d+ source pieces .* 512"):
        ct2.translate_batch([TEXTS[0], long_text])


def text_of_positions(engine, positions: int) -> str:
    """A text of exactly `positions` source positions (`</s>` included): words, then fillers."""
    text = ""
    for word in " ".join(TEXTS * 40).split():
        candidate = f"{text} {word}".strip()
        if engine.count_pieces([candidate])[0] > positions:
            break
        text = candidate
    fillers = [f" {c}" for c in "abcdeghiklmnopqrstuvxy0123456789"] + list("abcdeghik")
    while (count := engine.count_pieces([text])[0]) < positions:
        grown = [text + f for f in fillers]
        counts = engine.count_pieces(grown)
        fits = [t for t, n in zip(grown, counts, strict=True) if count < n <= positions]
        assert fits, f"no filler grows the text from {count} to at most {positions}"
        text = fits[0]
    return text


@pytest.mark.issue(11)
def test_exactly_max_positions_is_accepted_and_one_more_is_refused(ct2):
    """The 512 limit, asserted exactly: 512 positions translate, 513 are refused."""
    text = text_of_positions(ct2, 512)
    assert ct2.count_pieces([text]) == [512]
    assert len(ct2.translate_batch([text], beam_size=1, max_new_tokens=[2])) == 1
    longer = text_of_positions(ct2, 513)
    assert ct2.count_pieces([longer]) == [513]
    message = r"text 0 of the batch has 513 source pieces .* 512 positions"
    with pytest.raises(EngineError, match=message):
        ct2.translate_batch([longer], beam_size=1, max_new_tokens=[2])


def test_bad_options(tiny_ct2_model: Path):
    with pytest.raises(EngineError, match="batch_type must be one of examples, tokens"):
        load_engine("ctranslate2", str(tiny_ct2_model), batch_type="sentences")
    with pytest.raises(EngineError, match="unknown device"):
        load_engine("ctranslate2", str(tiny_ct2_model), device="tpu")


def test_caps_must_match_texts(ct2):
    with pytest.raises(EngineError, match="one positive cap per text"):
        ct2.translate_batch(TEXTS[:2], max_new_tokens=[3])


@pytest.mark.parametrize("batch_type", ["examples", "tokens"])
def test_sub_batches_keep_input_order(tiny_ct2_model: Path, batch_type: str):
    engine = load_engine("ctranslate2", str(tiny_ct2_model), compute_type="float32", threads=1,
                         max_batch_size=2 if batch_type == "examples" else 64,
                         batch_type=batch_type, inter_threads=2)
    whole = engine.translate_batch(TEXTS, beam_size=1, max_new_tokens=[5] * 5)
    one_by_one = [engine.translate_batch([t], beam_size=1, max_new_tokens=[5])[0] for t in TEXTS]
    assert [h.pieces for h in whole] == [h.pieces for h in one_by_one]


def test_workers_split_a_batch_and_keep_input_order(tiny_ct2_model: Path):
    engine = load_engine("ctranslate2", str(tiny_ct2_model), compute_type="float32", threads=1,
                         inter_threads=2)
    assert (engine.inter_threads, engine.intra_threads) == (2, 1)
    whole = engine.translate_batch(TEXTS, beam_size=1, max_new_tokens=[5] * 5,
                                   return_attention=True)
    one_by_one = [engine.translate_batch([t], beam_size=1, max_new_tokens=[5])[0] for t in TEXTS]
    assert [h.pieces for h in whole] == [h.pieces for h in one_by_one]
    assert all(h.attention is not None and len(h.attention) == len(h.pieces) for h in whole)


@pytest.mark.parametrize("max_batch_size", [0, 2])
def test_translate_batches_equal_batch_by_batch(tiny_ct2_model: Path, max_batch_size: int):
    engine = load_engine("ctranslate2", str(tiny_ct2_model), compute_type="float32", threads=1,
                         inter_threads=2, max_batch_size=max_batch_size)  # fmt: skip
    batches = [TEXTS[:3], [], TEXTS[3:], TEXTS[:1]]
    caps = [[5, 2, 5], [], [4, 5], [3]]
    got = list(engine.translate_batches(batches, beam_size=1, max_new_tokens=caps,
                                        return_attention=True))  # fmt: skip
    want = [engine.translate_batch(b, beam_size=1, max_new_tokens=c, return_attention=True)
            for b, c in zip(batches, caps, strict=True)]  # fmt: skip
    assert [len(b) for b in got] == [3, 0, 2, 1]
    assert got == want
    # Caps are per text: the cap-2 text stops at 2 pieces, flagged, beside texts capped at 5.
    assert got[0][1].hit_limit and len(got[0][1].pieces) == 2
    assert [len(h.pieces) for h in got[0]] == [5, 2, 5]


def test_translate_batches_check_every_batch(ct2):
    long_text = " ".join(TEXTS * 40)
    results = ct2.translate_batches([TEXTS[:1], [long_text]], beam_size=1)
    with pytest.raises(EngineError, match="source pieces"):
        list(results)
    with pytest.raises(EngineError, match="one list of caps per batch"):
        list(ct2.translate_batches([TEXTS[:1], TEXTS[1:2]], max_new_tokens=[[3]]))


@pytest.mark.parametrize(
    ("device", "threads", "inter", "cores", "expected"),
    [
        ("cpu", 0, 0, 2, (2, 1)),  # the default on 2 cores: two workers of one thread
        ("cpu", 0, 0, 8, (2, 4)),
        ("cpu", 0, 0, 1, (1, 1)),
        ("cpu", 2, 0, 2, (1, 2)),  # explicit threads: one worker unless told otherwise
        ("cpu", 1, 2, 2, (2, 1)),
        ("cuda", 0, 0, 8, (1, 0)),
    ],
)
def test_thread_layout(monkeypatch, device, threads, inter, cores, expected):
    from vi2en.engines import base, ct2

    monkeypatch.setattr(base.os, "sched_getaffinity", lambda pid: set(range(cores)),
                        raising=False)  # fmt: skip
    assert ct2.thread_layout(device, threads, inter) == expected


@pytest.mark.issue(11)
@pytest.mark.parametrize(("threads", "inter"), [(-1, 0), (3, 0), (100000, 0), (1, -2), (0, 5)])
def test_thread_counts_out_of_range_are_refused(monkeypatch, threads: int, inter: int):
    """`--threads 100000` crashed CTranslate2 (exit 139); now it never reaches it."""
    from vi2en.engines import base, ct2

    monkeypatch.setattr(base.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    with pytest.raises(EngineError, match=r"out of range: use 0 \(choose\) to 2"):
        ct2.thread_layout("cpu", threads, inter)
