"""Fast sentence-level chrF for the MT bridge, equal to sacreBLEU's `CHRF().sentence_score`.

The aligner compares the machine translation of every candidate source span with every
candidate target span inside its band: hundreds of thousands of chrF calls on a long
document. The formula is sacreBLEU 2.x's chrF (char order 6, word order 0, whitespace
removed, effective-order averaging) with beta 1, a symmetric similarity, so that merging
spans does not raise it; `tests/align/test_chrf.py` checks equality with sacreBLEU's
`CHRF(beta=...)` and between the two ways computed here:

* `SpanChrf` (the fast path): the characters of both sentence lists are numbered in their own
  small alphabet, and every n-gram of orders 1..6 is packed exactly into one int64 (6 x 10
  bits, the codes starting at 1 so that n-grams of different orders never collide), then
  given a dense id. A span is its ids with counts; `SpanChrf.score` scores one hypothesis
  span against many reference spans with a handful of numpy calls (a gather through a dense
  count buffer for the shared n-grams, one `bincount` per call), doing the float arithmetic of
  the reference implementation in the same order, so the results are bit-for-bit equal.
* `char_ngram_sets` / `chrf_from_sets` (the reference and the fallback when the documents use
  more than 1,023 distinct characters): each n-gram occurrence becomes a set element
  `(ngram, k)` (its k-th occurrence), so the multiset intersection `sum(min(count_h, count_r))`
  is `len(H & R)`, done in C.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHAR_ORDER = 6
BETA = 1  # the aligner's choice: sacreBLEU's default 2 favours recall, so merged spans win
# Bits per character code in a packed n-gram: CHAR_ORDER * PACK_BITS must stay below 64.
PACK_BITS = 10

NgramSets = tuple[frozenset[tuple[str, int]], ...]


def char_ngram_sets(text: str, *, order: int = CHAR_ORDER) -> NgramSets:
    """One set per n-gram order (1..order) of `(ngram, occurrence)` pairs, whitespace removed.

    Args:
        text: the sentence (or several sentences joined by spaces).
        order: the largest character n-gram order.

    Returns:
        A tuple of `order` frozensets.
    """
    line = "".join(text.split())
    out = []
    for n in range(1, order + 1):
        seen: dict[str, int] = {}
        items = []
        for i in range(len(line) - n + 1):
            gram = line[i : i + n]
            k = seen.get(gram, 0)
            seen[gram] = k + 1
            items.append((gram, k))
        out.append(frozenset(items))
    return tuple(out)


def chrf_from_sets(hyp: NgramSets, ref: NgramSets, *, beta: int = BETA) -> float:
    """chrF in [0, 1] of a hypothesis against one reference, both given as n-gram sets.

    Args:
        hyp: `char_ngram_sets` of the hypothesis (the MT bridge).
        ref: `char_ngram_sets` of the reference (the target text).
        beta: recall weight, as in sacreBLEU.

    Returns:
        sacreBLEU's sentence chrF divided by 100.
    """
    factor = beta * beta
    avg_prec = avg_rec = 0.0
    effective_order = 0
    for hyp_set, ref_set in zip(hyp, ref, strict=True):
        # sacreBLEU counts no hypothesis n-grams when the reference has none of that order.
        n_hyp = len(hyp_set) if ref_set else 0
        n_ref = len(ref_set)
        if n_hyp and n_ref:
            n_match = len(hyp_set & ref_set)
            avg_prec += n_match / n_hyp
            avg_rec += n_match / n_ref
            effective_order += 1
    if not effective_order:
        return 0.0
    avg_prec /= effective_order
    avg_rec /= effective_order
    if not avg_prec + avg_rec:
        return 0.0
    return (1 + factor) * avg_prec * avg_rec / (factor * avg_prec + avg_rec)


@dataclass(frozen=True)
class PackedSpan:
    """The character n-grams (orders 1..CHAR_ORDER) of one span, as ids in a shared vocabulary."""

    ids: np.ndarray  # vocabulary ids of the span's distinct n-grams known to the vocabulary
    counts: np.ndarray  # occurrences of each (int64)
    orders: np.ndarray  # 0-based n-gram order of each (int64)
    length: int  # characters without whitespace: order n has max(0, length - n + 1) n-grams


# The smallest key of each order: a code is >= 1, so an n-gram's key is >= 2**(PACK_BITS*(n-1)).
_ORDER_FLOORS = np.array([1 << (PACK_BITS * n) for n in range(CHAR_ORDER)], dtype=np.int64)


class SpanChrf:
    """chrF between spans of two sentence lists (hypotheses and references), vectorised.

    Every n-gram is packed into an int64 key over the lists' own alphabet; the hypotheses'
    n-grams get dense ids, and a span (`" ".join(sentences[start:end])`) is its ids with
    counts (a reference span keeps only n-grams some hypothesis has). `score`
    then needs only array gathers, one `bincount`, and the float arithmetic of
    `chrf_from_sets` done in the same order. Use `SpanChrf.for_sentences`, which returns None
    when the alphabet is too large to pack (`chrf_from_sets` is the fallback).
    """

    def __init__(self, hyps: list[str], refs: list[str], chars: np.ndarray) -> None:
        self._sentences = {"h": hyps, "r": refs}
        self._chars = chars
        # Every hypothesis span is a substring of all hypotheses joined (whitespace removed), so
        # their n-grams are the vocabulary; a reference n-gram outside it can never match and
        # is left out of the reference spans (their n-gram totals come from their length).
        self._vocabulary = self._keys(" ".join(hyps))[0]
        self._hyp_counts = np.zeros(len(self._vocabulary), dtype=np.int64)  # reused buffer
        self._spans: dict[tuple[str, int, int], PackedSpan] = {}

    @classmethod
    def for_sentences(cls, hyps: list[str], refs: list[str]) -> SpanChrf | None:
        """A scorer for spans of `hyps` against spans of `refs`, or None past
        2**PACK_BITS - 1 distinct characters."""
        alphabet = {c for text in (*hyps, *refs) for c in set(text) if not c.isspace()}
        if len(alphabet) >= 2**PACK_BITS:
            return None
        return cls(hyps, refs, np.array(sorted(map(ord, alphabet)), dtype=np.int64))

    def _keys(self, text: str) -> tuple[np.ndarray, np.ndarray, int]:
        """Sorted unique packed keys of `text`'s n-grams, their counts, and its length."""
        line = "".join(text.split())
        points = np.frombuffer(line.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        codes = np.searchsorted(self._chars, points) + 1  # 0 is never a code
        parts, key = [], codes
        for n in range(1, CHAR_ORDER + 1):
            if n > 1:
                key = (key[:-1] << PACK_BITS) | codes[n - 1 :]
            if not len(key):
                break
            parts.append(key)
        everything = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        keys, counts = np.unique(everything, return_counts=True)
        return keys, counts.astype(np.int64), len(line)

    def span(self, side: str, start: int, end: int) -> PackedSpan:
        """The packed span `sentences[start:end]` of side "h" (hypotheses) or "r" (references)."""
        found = self._spans.get((side, start, end))
        if found is None:
            keys, counts, length = self._keys(" ".join(self._sentences[side][start:end]))
            ids = np.searchsorted(self._vocabulary, keys)
            if side == "r" and len(self._vocabulary):
                known = self._vocabulary[np.minimum(ids, len(self._vocabulary) - 1)] == keys
                keys, counts, ids = keys[known], counts[known], ids[known]
            elif side == "r":
                keys, counts, ids = keys[:0], counts[:0], ids[:0]
            orders = np.searchsorted(_ORDER_FLOORS, keys, side="right") - 1
            found = PackedSpan(ids, counts, orders, length)
            self._spans[(side, start, end)] = found
        return found

    def score(self, hyp: PackedSpan, refs: list[PackedSpan], *, beta: int = BETA) -> np.ndarray:
        """chrF in [0, 1] of `hyp` against each of `refs`, equal to `chrf_from_sets`.

        Args:
            hyp: a hypothesis span (`span("h", …)`).
            refs: reference spans (`span("r", …)`).
            beta: recall weight, as in sacreBLEU.

        Returns:
            One float per reference, bit-for-bit `chrf_from_sets` of the same texts.
        """
        count = len(refs)
        if not count:
            return np.zeros(0)
        ids = np.concatenate([ref.ids for ref in refs])
        cell = np.repeat(np.arange(count) * CHAR_ORDER, [len(ref.ids) for ref in refs])
        cell += np.concatenate([ref.orders for ref in refs])
        self._hyp_counts[hyp.ids] = hyp.counts
        both = np.minimum(self._hyp_counts[ids], np.concatenate([ref.counts for ref in refs]))
        self._hyp_counts[hyp.ids] = 0
        matches = np.bincount(cell, weights=both, minlength=count * CHAR_ORDER)
        matches = matches.reshape(count, CHAR_ORDER)
        # n-grams per order: order n+1 of a text of length L has max(0, L - n) of them.
        steps = np.arange(CHAR_ORDER)
        n_ref = np.maximum(np.array([ref.length for ref in refs])[:, None] - steps, 0)
        # sacreBLEU counts no hypothesis n-grams when the reference has none of that order.
        n_hyp = np.where(n_ref > 0, np.maximum(hyp.length - steps, 0), 0)
        used = (n_hyp > 0) & (n_ref > 0)
        zeros = np.zeros((count, CHAR_ORDER))
        precision = np.divide(matches, n_hyp, out=zeros.copy(), where=used)
        recall = np.divide(matches, n_ref, out=zeros, where=used)
        # add.accumulate adds left to right, as chrf_from_sets does (and 0.0 + x == x).
        avg_prec = np.add.accumulate(precision, axis=1)[:, -1]
        avg_rec = np.add.accumulate(recall, axis=1)[:, -1]
        effective_order = used.sum(axis=1)
        scored = effective_order > 0
        avg_prec = np.divide(avg_prec, effective_order, out=np.zeros(count), where=scored)
        avg_rec = np.divide(avg_rec, effective_order, out=np.zeros(count), where=scored)
        scored &= avg_prec + avg_rec != 0
        factor = beta * beta
        top = (1 + factor) * avg_prec * avg_rec
        bottom = factor * avg_prec + avg_rec
        return np.divide(top, bottom, out=np.zeros(count), where=scored)
