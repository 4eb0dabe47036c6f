"""Document sentence alignment: pair Vietnamese sentences with English ones into beads.

`align_sentences` runs a banded dynamic programme (Gale & Church 1993) over beads 0-1, 1-0,
1-1, 1-2, 2-1, 2-2, 1-3 and 3-1. The cost of a bead adds:

* **length**: Gale–Church's `-log P(match | delta)`, `delta = (lt - c*ls) / sqrt(s2 * mean)`
  on character lengths. `c` (English chars per Vietnamese char) is estimated from the two
  documents themselves (total target / total source characters), so it adapts to the text;
  `s2` = `LENGTH_VARIANCE`, measured on NTREX-128 (see the constant);
* **bead prior**: `-log P(bead type)` (`BEAD_PRIORS`);
* **anchors** (`vi2en.align.anchors`): a bonus per anchor shared by both sides of the bead
  (numbers, dates, Latin-script names, URLs, quotes);
* **MT bridge** (optional): a bonus `BRIDGE_WEIGHT * chrF(bridge span, target span)`, the
  Bleualign idea with chrF instead of BLEU.

The search is vectorised with numpy row by row inside a band around the diagonal; the band
doubles while the best path touches its edge, so a 5,000-sentence document aligns in seconds.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

import numpy as np

from vi2en.align.anchors import anchor_weight, extract_anchors
from vi2en.align.chrf import NgramSets, SpanChrf, char_ngram_sets, chrf_from_sets

# Variance of (len_en - c*len_vi) per source character, Gale–Church's s2. On the 1,997
# clean 1-1 line pairs of NTREX-128 it is 2.45 (c = 0.914); merged and split sentences are
# noisier, and of 2.45, 3.0, 4.5 and 6.5 (Gale & Church used 6.8) eval/align_sentences.py
# scored 4.5 best on two perturbation seeds.
LENGTH_VARIANCE = 4.5
# English chars per Vietnamese char on NTREX-128 (0.914), the prior for each pair's ratio.
DEFAULT_LENGTH_RATIO = 0.914
RATIO_PRIOR_CHARS = 500.0
# P(bead type), after Gale & Church (1-1 .89, 2-1 and 1-2 .089 together, 1-0 and 0-1 .0099
# together, 2-2 .011), with a little mass for 1-3/3-1, which they did not model; 1-0/0-1 and
# 2-1/1-2 raised a little (news translations merge and drop more; better on the eval).
BEAD_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.01,
    (0, 1): 0.01,
    (2, 1): 0.08,
    (1, 2): 0.08,
    (2, 2): 0.01,
    (3, 1): 0.005,
    (1, 3): 0.005,
}
ANCHOR_WEIGHT = 2.0  # cost units per shared anchor of weight 1
ANCHOR_MISS_WEIGHT = 2.0  # per anchor (known to both documents) left unpaired in a paired bead
# Cost units for a chrF of 1.0 between bridge and target. With the real opus-mt-vi-en output
# of NTREX-128 as the bridge, eval/align_sentences.py's strict F1 at 5 / 10 / 15 / 20 was
# 0.986 / 0.989 / 0.992 / 0.992 on seed 13 (tuned) and 0.988 / 0.992 / 0.993 / 0.992 on seed 7.
BRIDGE_WEIGHT = 15.0
INDEL_LENGTH_COST = 0.0
MIN_BAND = 16
# Numerical Recipes' erfcc: erfc(x) = t * exp(-x^2 + P(t)), t = 1 / (1 + x/2), fractional
# error below 1.2e-7 everywhere; P's coefficients from the highest power down.
ERFC_COEFFICIENTS = (
    0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807,
    -0.18628806, 0.09678418, 0.37409196, 1.00002368, -1.26551223,
)  # fmt: skip


@dataclass(frozen=True)
class Bead:
    """One alignment unit: source sentence indices paired with target sentence indices.

    `score` is the bead's negated DP cost (higher is better, about 0 for a confident 1-1);
    it is comparable between beads of one run, not across documents.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


def _log_erfc(x: np.ndarray) -> np.ndarray:
    """log(erfc(x)) for x >= 0, accurate in the far tail (Numerical Recipes' erfcc)."""
    t = 1.0 / (1.0 + 0.5 * x)
    poly = np.zeros_like(t)
    for coefficient in ERFC_COEFFICIENTS:  # Horner, highest power first
        poly = poly * t + coefficient
    return np.log(t) - x * x + poly


def _length_cost(ls: np.ndarray, lt: np.ndarray, ratio: float) -> np.ndarray:
    """Gale–Church: -log P(|delta| at least this large) for source/target char lengths."""
    mean = np.maximum((ls + lt / ratio) / 2.0, 1.0)
    delta = np.abs(lt - ratio * ls) / np.sqrt(LENGTH_VARIANCE * mean)
    cost = -_log_erfc(delta / math.sqrt(2.0))
    # An unpaired sentence has no length to compare: Gale–Church's delta for it grows with
    # the sentence and makes real deletions lose to wrong merges; charge a flat cost instead.
    return np.where((ls == 0) | (lt == 0), INDEL_LENGTH_COST, cost)


class _Sides:
    """Per-sentence features of both documents, computed once."""

    def __init__(
        self, src: list[str], tgt: list[str], bridge: list[str] | None, *, use_anchors: bool
    ) -> None:
        self.src, self.tgt, self.bridge = src, tgt, bridge
        self.src_cum = np.concatenate(([0.0], np.cumsum([len(s) for s in src], dtype=float)))
        self.tgt_cum = np.concatenate(([0.0], np.cumsum([len(t) for t in tgt], dtype=float)))
        # Target chars per source char: this pair's own ratio, pulled towards NTREX-128's by
        # RATIO_PRIOR_CHARS pseudo-characters so that a short document cannot skew it much.
        total_src, total_tgt = self.src_cum[-1], self.tgt_cum[-1]
        self.ratio = (total_tgt + DEFAULT_LENGTH_RATIO * RATIO_PRIOR_CHARS) / (
            total_src + RATIO_PRIOR_CHARS
        )
        self.src_keys = [extract_anchors(s) if use_anchors else Counter() for s in src]
        self.tgt_keys = [extract_anchors(t) if use_anchors else Counter() for t in tgt]
        # Weight of the anchors of each sentence that the other document also has: inside a
        # paired bead, those that find no partner count against it.
        src_all = set().union(*self.src_keys) if src else set()
        tgt_all = set().union(*self.tgt_keys) if tgt else set()
        both = src_all & tgt_all
        self.src_anchor_cum = np.concatenate(
            (
                [0.0],
                np.cumsum(
                    [
                        sum(anchor_weight(k) * c for k, c in keys.items() if k in both)
                        for keys in self.src_keys
                    ]
                ),
            )
        )
        self.tgt_anchor_cum = np.concatenate(
            (
                [0.0],
                np.cumsum(
                    [
                        sum(anchor_weight(k) * c for k, c in keys.items() if k in both)
                        for keys in self.tgt_keys
                    ]
                ),
            )
        )
        where: dict[str, list[int]] = {}
        for index, keys in enumerate(self.tgt_keys):
            for key, count in keys.items():
                where.setdefault(key, []).extend([index] * count)
        # target sentence index of each occurrence of each key, sorted, for searchsorted
        self.tgt_where_list = where
        self.tgt_where = {key: np.array(found) for key, found in where.items()}
        self._ngrams: dict[tuple[str, int, int], NgramSets] = {}
        # chrF through packed n-grams (`vi2en.align.chrf`) unless the alphabet is too large.
        self._chrf = SpanChrf.for_sentences(bridge, tgt) if bridge is not None else None

    def anchor_bonus(self, i: int, kinds: list[tuple[int, int]], js: np.ndarray) -> np.ndarray:
        """Weighted anchors shared by source span [i-a, i) and target span [j-b, j).

        Returns one row per bead kind `(a, b)` in `kinds`, one column per `j` in `js`.
        """
        bonus = np.zeros((len(kinds), len(js)))
        span_keys: dict[int, Counter[str]] = {0: Counter()}
        for a in range(1, max(a for a, _ in kinds) + 1):
            span_keys[a] = span_keys[a - 1] + self.src_keys[i - a]
        for key in span_keys[len(span_keys) - 1]:
            where = self.tgt_where.get(key)
            # skip keys with no occurrence in any target span of this row (most, in long texts)
            if where is None or bisect_left(self.tgt_where_list[key], int(js[0]) - 3) == (
                bisect_left(self.tgt_where_list[key], int(js[-1]))
            ):
                continue
            weight = anchor_weight(key)
            # occurrences of `key` in target sentences [j-b, j), for every j at once
            before_j = np.searchsorted(where, js)
            before: dict[int, np.ndarray] = {}
            for row, (a, b) in enumerate(kinds):
                count = span_keys[a][key]
                if count and b:
                    if b not in before:
                        before[b] = np.searchsorted(where, js - b)
                    bonus[row] += weight * np.minimum(before_j - before[b], count)
        return bonus

    def _span_ngrams(self, side: str, start: int, end: int) -> NgramSets:
        cached = self._ngrams.get((side, start, end))
        if cached is None:
            texts = self.bridge if side == "b" else self.tgt
            assert texts is not None  # only called when a bridge is given
            cached = char_ngram_sets(" ".join(texts[start:end]))
            self._ngrams[(side, start, end)] = cached
        return cached

    def bridge_similarity(self, i: int, kinds: list[tuple[int, int]], js: np.ndarray) -> np.ndarray:
        """chrF of the bridge of source span [i-a, i) against each target span [j-b, j).

        Returns one row per bead kind `(a, b)` in `kinds`, one column per `j` in `js` (0 where
        a side is empty or the span would start before the document).
        """
        sims = np.zeros((len(kinds), len(js)))
        if self.bridge is None:
            return sims
        by_source: dict[int, list[int]] = {}
        for row, (a, b) in enumerate(kinds):
            if a and b:
                by_source.setdefault(a, []).append(row)
        all_js = js.tolist()
        for a, rows in by_source.items():
            # js ascends, so the usable ends (j >= b) are the last ones of each row
            ends = [[j for j in all_js if j >= kinds[row][1]] for row in rows]
            if self._chrf is not None:
                hyp = self._chrf.span("h", i - a, i)
                refs = [
                    self._chrf.span("r", j - kinds[row][1], j)
                    for row, row_ends in zip(rows, ends, strict=True)
                    for j in row_ends
                ]
                scores = self._chrf.score(hyp, refs)
            else:
                hyp_sets = self._span_ngrams("b", i - a, i)
                scores = np.array(
                    [
                        chrf_from_sets(hyp_sets, self._span_ngrams("t", j - kinds[row][1], j))
                        for row, row_ends in zip(rows, ends, strict=True)
                        for j in row_ends
                    ]
                )
            done = 0
            for row, row_ends in zip(rows, ends, strict=True):
                sims[row, len(js) - len(row_ends) :] = scores[done : done + len(row_ends)]
                done += len(row_ends)
        return sims


def _crossing(breaks: set[int] | None, size: int) -> np.ndarray:
    """cum[k] = number of breaks <= k, so span [s, e) crosses one iff cum[e-1] > cum[s]."""
    marks = np.zeros(size + 1, dtype=np.int64)
    for brk in breaks or ():
        if 0 < brk < size:
            marks[brk] = 1
    return np.cumsum(marks)


def _run_dp(
    sides: _Sides,
    beads: list[tuple[int, int]],
    band: int,
    src_cross: np.ndarray,
    tgt_cross: np.ndarray,
) -> tuple[list[Bead], bool]:
    """Fill the banded DP table and backtrack; also say whether the path touched the band edge."""
    n, m = len(sides.src), len(sides.tgt)
    centre = [round(i * m / n) if n else 0 for i in range(n + 1)]
    lo = np.array([max(0, c - band) for c in centre])
    hi = np.array([min(m, c + band) for c in centre])
    lo[0], hi[n] = 0, m  # the path starts at (0, 0) and ends at (n, m)
    width = int((hi - lo).max()) + 1
    cost = np.full((n + 1, width), np.inf)
    choice = np.full((n + 1, width), -1, dtype=np.int8)
    bead_cost = np.zeros((n + 1, width))
    prior = np.array([-math.log(BEAD_PRIORS[ab]) for ab in beads])
    steps_a = np.array([a for a, _ in beads])
    steps_b = np.array([b for _, b in beads])
    # Cost of a 0-1 bead for each target sentence (no source characters).
    tgt_len = np.diff(sides.tgt_cum)
    insert_cost = _length_cost(np.zeros(m), tgt_len, sides.ratio) + prior[beads.index((0, 1))]
    for i in range(n + 1):
        js = np.arange(lo[i], hi[i] + 1)
        usable = [
            k
            for k, (a, _) in enumerate(beads)
            if 0 < a <= i and (a == 1 or src_cross[i - 1] <= src_cross[i - a])
        ]
        if usable:
            kinds = np.array(usable)
            prev_i = i - steps_a[kinds]
            prev_j = js[None, :] - steps_b[kinds][:, None]
            ok = (prev_j >= lo[prev_i][:, None]) & (prev_j <= hi[prev_i][:, None])
            start_j = np.maximum(prev_j, 0)
            # no multi-sentence target span may cross a target break
            ok &= tgt_cross[np.maximum(js - 1, 0)][None, :] <= tgt_cross[start_j]
            column = np.where(ok, prev_j - lo[prev_i][:, None], 0)
            prev = np.where(ok, cost[prev_i[:, None], column], np.inf)
            src_len = sides.src_cum[i] - sides.src_cum[prev_i]
            tgt_span = sides.tgt_cum[js][None, :] - sides.tgt_cum[start_j]
            here = _length_cost(src_len[:, None], tgt_span, sides.ratio) + prior[kinds][:, None]
            shared = sides.anchor_bonus(i, [beads[k] for k in usable], js)
            # anchors of both spans left without a partner, in paired beads only
            unmatched = (
                (sides.src_anchor_cum[i] - sides.src_anchor_cum[prev_i])[:, None]
                + sides.tgt_anchor_cum[js][None, :]
                - sides.tgt_anchor_cum[start_j]
                - 2 * shared
            )
            paired = (steps_b[kinds] > 0)[:, None]
            here += np.where(paired, ANCHOR_MISS_WEIGHT * unmatched, 0.0) - ANCHOR_WEIGHT * shared
            if sides.bridge is not None:
                here -= BRIDGE_WEIGHT * sides.bridge_similarity(i, [beads[k] for k in usable], js)
            total = prev + here
            pick = np.argmin(total, axis=0)
            cols = np.arange(len(js))
            best, best_bead = total[pick, cols], here[pick, cols]
            best_choice = kinds[pick].astype(np.int8)
            best_choice[~np.isfinite(best)] = -1
        else:
            best = np.full(len(js), np.inf)
            best_choice = np.full(len(js), -1, dtype=np.int8)
            best_bead = np.zeros(len(js))
            best[0] = 0.0  # row 0: the start cell (0, 0)
        # 0-1 beads move along the row: best[j] = min(best[j], best[j-1] + c01[j]) as a scan.
        insert = np.empty(len(js))
        insert[1:] = insert_cost[js[1:] - 1]
        insert[0] = np.inf
        steps = np.concatenate(([0.0], np.cumsum(insert[1:])))
        scanned = steps + np.minimum.accumulate(best - steps)
        moved = scanned < best - 1e-9  # (x + s) - s may round below x: not a real move
        best_bead[moved] = insert[moved]
        best_choice[moved] = beads.index((0, 1))
        cost[i, : len(js)] = np.where(moved, scanned, best)
        choice[i, : len(js)] = best_choice
        bead_cost[i, : len(js)] = best_bead
    out: list[Bead] = []
    if not np.isfinite(cost[n, m - lo[n]]):  # the band was too narrow to connect the corners
        return out, True
    touched = False
    i, j = n, m
    while i or j:
        k = j - lo[i]
        a, b = beads[choice[i, k]]
        edge = (k <= 1 and lo[i] > 0) or (hi[i] - j <= 1 and hi[i] < m)
        touched = touched or bool(edge)
        out.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), -float(bead_cost[i, k])))
        i, j = i - a, j - b
    out.reverse()
    return out, touched


def align_sentences(
    src: list[str],
    tgt: list[str],
    *,
    bridge: list[str] | None = None,
    src_breaks: set[int] | None = None,
    tgt_breaks: set[int] | None = None,
    max_bead: int = 3,
    band: int | None = None,
    use_anchors: bool = True,
) -> list[Bead]:
    """Align two documents sentence by sentence.

    Args:
        src: the Vietnamese sentences, in order.
        tgt: the English sentences, in order.
        bridge: optional machine translation of each source sentence into English
            (`len(bridge) == len(src)`); compared with the target by chrF.
        src_breaks: source indices where a new paragraph or document starts; no bead
            contains both sentence `k-1` and sentence `k` for a break `k`.
        tgt_breaks: the same for the target side.
        max_bead: the most sentences on one side of a bead (1 to 3); 2-2 needs 2 or more.
        band: starting half-width of the search band around the diagonal (default:
            grows with the document); it doubles while the best path touches its edge.
        use_anchors: score lexical anchors; False leaves length (and bridge) only.

    Returns:
        Beads covering every source and every target sentence exactly once, in order.
        An empty side gives only 1-0 (or 0-1) beads.

    Raises:
        ValueError: `bridge` has a different length from `src`, or `max_bead`/`band` is
            out of range.
    """
    if bridge is not None and len(bridge) != len(src):
        raise ValueError(
            f"align_sentences: bridge has {len(bridge)} sentences, source has {len(src)}"
        )
    if not 1 <= max_bead <= 3:
        raise ValueError(f"align_sentences: max_bead must be 1, 2 or 3, not {max_bead}")
    if band is not None and band < 1:
        raise ValueError(f"align_sentences: band must be positive, not {band}")
    beads = [ab for ab in BEAD_PRIORS if max(ab) <= max_bead]
    n, m = len(src), len(tgt)
    sides = _Sides(src, tgt, bridge, use_anchors=use_anchors)
    src_cross, tgt_cross = _crossing(src_breaks, n), _crossing(tgt_breaks, m)
    # The path wanders from the diagonal like a random walk, about sqrt(n) sentences far.
    width = band or max(MIN_BAND, int(2 * math.sqrt(max(n, m))))
    while True:
        result, touched = _run_dp(sides, beads, width, src_cross, tgt_cross)
        if not touched or width >= max(n, m):
            return result
        width *= 2
