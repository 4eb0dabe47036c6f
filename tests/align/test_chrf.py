"""The MT bridge's chrF: packed n-grams (`SpanChrf`) equal n-gram sets and sacreBLEU, exactly."""

from __future__ import annotations

import random

import numpy as np
import pytest
import sacrebleu
from hypothesis import given, settings
from hypothesis import strategies as st

from vi2en.align import chrf
from vi2en.align.chrf import SpanChrf, char_ngram_sets, chrf_from_sets
from vi2en.align.sentences import align_sentences

# Short texts over a few letters, spaces and Vietnamese/typographic characters, so that
# n-grams repeat and spans share many of them; empty and whitespace-only sentences included.
WORDS = ["the", "a", "of", "in", "price", "market", "city", "people", "rose", "fell", "said"]
SENTENCE = st.text(alphabet="ab cđệ“”.\t", max_size=30)


def by_sets(hyp: str, ref: str, beta: int = chrf.BETA) -> float:
    return chrf_from_sets(char_ngram_sets(hyp), char_ngram_sets(ref), beta=beta)


@settings(max_examples=200, deadline=None)
@given(
    hyps=st.lists(SENTENCE, min_size=1, max_size=5),
    refs=st.lists(SENTENCE, min_size=1, max_size=5),
    beta=st.sampled_from([1, 2]),
    data=st.data(),
)
def test_packed_spans_score_bit_for_bit_like_sets(hyps, refs, beta, data) -> None:
    scorer = SpanChrf.for_sentences(hyps, refs)
    assert scorer is not None
    h0 = data.draw(st.integers(0, len(hyps) - 1))
    h1 = data.draw(st.integers(h0 + 1, len(hyps)))
    spans = data.draw(
        st.lists(st.tuples(st.integers(0, len(refs) - 1), st.integers(1, 3)), max_size=6)
    )
    spans = [(r0, min(len(refs), r0 + size)) for r0, size in spans]
    got = scorer.score(
        scorer.span("h", h0, h1), [scorer.span("r", r0, r1) for r0, r1 in spans], beta=beta
    )
    want = [by_sets(" ".join(hyps[h0:h1]), " ".join(refs[r0:r1]), beta) for r0, r1 in spans]
    assert got.tolist() == want  # exact, not approx


@pytest.mark.parametrize(
    ("hyp", "ref"),
    [
        ("The cat sat on the mat.", "A cat was sitting on the mat."),
        ("Giá tăng 3,5%.", "Prices rose 3.5%."),
        ("aaaa aaa", "aa"),
        ("x", "a much longer reference sentence"),
        ("", "anything"),
        ("a b", ""),
    ],
)
@pytest.mark.parametrize("beta", [1, 2])
def test_packed_spans_equal_sacrebleu(hyp: str, ref: str, beta: int) -> None:
    scorer = SpanChrf.for_sentences([hyp], [ref])
    assert scorer is not None
    (got,) = scorer.score(scorer.span("h", 0, 1), [scorer.span("r", 0, 1)], beta=beta)
    expected = sacrebleu.metrics.CHRF(beta=beta).sentence_score(hyp, [ref]).score / 100
    assert got == pytest.approx(expected, abs=1e-12)
    assert got == by_sets(hyp, ref, beta)


def test_no_references_and_a_too_large_alphabet() -> None:
    scorer = SpanChrf.for_sentences(["abc"], ["abd"])
    assert scorer is not None
    assert scorer.score(scorer.span("h", 0, 1), []).shape == (0,)
    many = "".join(chr(0x4E00 + k) for k in range(2**chrf.PACK_BITS))  # 1,024 CJK characters
    assert SpanChrf.for_sentences([many], ["x"]) is None


def test_aligner_gives_the_same_beads_with_packed_and_set_chrf(monkeypatch) -> None:
    rng = random.Random(5)
    words = WORDS

    def sentence() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(4, 14))).capitalize() + "."

    en = [sentence() for _ in range(40)]
    bridge = [s if rng.random() < 0.7 else sentence() for s in en]
    target = [f"{en[k]} {en[k + 1]}" if k % 7 == 3 else en[k] for k in range(0, 40)]
    vi = [f"Câu {k} {'ạ' * rng.randint(5, 60)}." for k in range(40)]
    packed = align_sentences(vi, target, bridge=bridge)
    monkeypatch.setattr(SpanChrf, "for_sentences", classmethod(lambda cls, h, r: None))
    by_set = align_sentences(vi, target, bridge=bridge)
    assert packed == by_set  # indices and scores
    assert np.isfinite([bead.score for bead in packed]).all()
