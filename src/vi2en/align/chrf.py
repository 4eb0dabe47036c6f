"""Fast sentence-level chrF for the MT bridge, equal to sacreBLEU's `CHRF().sentence_score`.

The aligner compares the machine translation of every candidate source span with every
candidate target span inside its band: hundreds of thousands of chrF calls on a long
document. sacreBLEU builds Python `Counter`s and intersects them in Python; here each
n-gram occurrence becomes a set element `(ngram, k)` (its k-th occurrence), so the multiset
intersection `sum(min(count_h, count_r))` is `len(H & R)`, done in C. The final formula is
sacreBLEU 2.x's chrF (char order 6, word order 0, whitespace removed, effective-order
averaging) with beta 1, a symmetric similarity, so that merging spans does not raise it;
`tests/align/test_sentences.py` checks equality with sacreBLEU's `CHRF(beta=...)`.
"""

from __future__ import annotations

CHAR_ORDER = 6
BETA = 1  # the aligner's choice: sacreBLEU's default 2 favours recall, so merged spans win

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
