"""Word alignment of one translated segment from the MT model's own cross-attention.

OPUS-MT models are trained with guided alignment: one cross-attention head (Marian's default:
the first head of the last decoder layer, which is also what CTranslate2's `return_attention`
returns) learns to point at the source piece each target piece translates. The engines hand that
head's matrix back as `Hypothesis.attention` (rows: target pieces, columns: source pieces, `</s>`
excluded on both sides). This module turns it into word links:

1. Words and pieces as character spans (`vi2en.align.wordspans`): syllables on the Vietnamese
   side (optionally grouped into words), words and punctuation on the English side.
2. Pieces to words. Each piece belongs to the word its character span overlaps most; pieces that
   cover no word (a bare `▁`) are ignored.
3. Word x word attention: for target word t and source word s, the attention summed over the
   pieces of s (a word's share of the distribution) and averaged over the pieces of t.
4. Links, as Marian's `--alignment` does: "argmax" links each target word to its best source word
   (one-to-many on the source side comes for free); "threshold" links every source word whose
   share of the row (renormalised over source words) is at least `threshold`. Punctuation links
   only to punctuation and words only to words, so a comma never steals a content word's link.

Offsets are code points. Source spans are into `doc.text`, target spans into the translation.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from vi2en.align.wordspans import Grouper, Span, is_punctuation, target_pieces, word_spans
from vi2en.doc import Segment, WordLink
from vi2en.engines.base import Hypothesis, Piece

METHODS = ("argmax", "threshold")
DEFAULT_METHOD = "argmax"
DEFAULT_THRESHOLD = 0.3


def links_from_attention(
    attention: Any,
    src_pieces: Sequence[Piece],
    tgt_pieces: Sequence[Piece],
    src_text: str,
    tgt_text: str,
    *,
    method: str = DEFAULT_METHOD,
    threshold: float = DEFAULT_THRESHOLD,
    group: Grouper | None = None,
    link_punctuation: bool = True,
    src_offset: int = 0,
    tgt_offset: int = 0,
) -> list[WordLink]:
    """Turn a piece-level attention matrix into word links.

    Args:
        attention: `len(tgt_pieces)` rows by `len(src_pieces)` columns (nested sequences or a
            numpy array), for example `Hypothesis.attention`.
        src_pieces: source pieces with spans into `src_text` (`Engine.source_pieces`).
        tgt_pieces: target pieces with spans into `tgt_text` (`target_pieces`).
        src_text: the source text the model translated.
        tgt_text: the translation.
        method: "argmax" (each target word to its best source word) or "threshold" (each source
            word with at least `threshold` of the target word's attention).
        threshold: the share of a target word's attention needed by "threshold".
        group: optional Vietnamese word grouper for the source side (see `word_spans`).
        link_punctuation: also link punctuation to punctuation.
        src_offset: added to source spans (the segment's start in `doc.text`).
        tgt_offset: added to target spans.

    Returns:
        Links sorted by (source index, target index); word indices count `word_spans` words.

    Raises:
        ValueError: on an unknown method, a threshold outside (0, 1], or a matrix whose shape
            does not match the pieces.
    """
    src_words = word_spans(src_text, group=group)
    tgt_words = word_spans(tgt_text)
    return _extract(
        attention,
        _piece_words(src_pieces, src_words),
        _piece_words(tgt_pieces, tgt_words),
        [is_punctuation(src_text[s:e]) for s, e in src_words],
        [is_punctuation(tgt_text[s:e]) for s, e in tgt_words],
        src_words,
        tgt_words,
        method=method,
        threshold=threshold,
        link_punctuation=link_punctuation,
        src_offset=src_offset,
        tgt_offset=tgt_offset,
    )


def links_for_segment(
    seg: Segment,
    hyp: Hypothesis,
    src_pieces: Sequence[Piece],
    *,
    src_offset_map: Sequence[int] | None = None,
    tgt_text: str | None = None,
    method: str = DEFAULT_METHOD,
    threshold: float = DEFAULT_THRESHOLD,
    group: Grouper | None = None,
    link_punctuation: bool = True,
) -> list[WordLink]:
    """Word links of one translated segment, as the pipeline stores them in `Translation.links`.

    Args:
        seg: the source segment; source spans come out as offsets into `seg.doc.text`.
        hyp: its hypothesis, translated with `return_attention=True`.
        src_pieces: `engine.source_pieces(model_input)` for the text given to the model.
        src_offset_map: when the model's input was not `seg.text` itself (a prefix stripped,
            quotes normalised), the `doc.text` offset of each character of that input, plus one
            entry for its end. Default: the input is `seg.text`.
        tgt_text: the translation text links point into, when the pipeline changed `hyp.text`
            (default `hyp.text`).
        method: see `links_from_attention`.
        threshold: see `links_from_attention`.
        group: see `links_from_attention`.
        link_punctuation: see `links_from_attention`.

    Returns:
        The links; empty when either side has no words.

    Raises:
        ValueError: when `hyp` has no attention or the offset map does not fit.
    """
    if hyp.attention is None:
        raise ValueError("links_for_segment: the hypothesis has no attention; translate with "
                         "return_attention=True")
    if src_offset_map is not None:
        shifted = []
        for p in src_pieces:
            if not 0 <= p.start <= p.end < len(src_offset_map):
                raise ValueError(f"links_for_segment: piece span {p.start}:{p.end} is outside the "
                                 f"offset map of {len(src_offset_map) - 1} characters")
            start, end = src_offset_map[p.start] - seg.start, src_offset_map[p.end] - seg.start
            shifted.append(Piece(p.piece, start, max(start, end)))
        src_pieces = shifted
    text = hyp.text if tgt_text is None else tgt_text
    return links_from_attention(
        hyp.attention,
        src_pieces,
        target_pieces(hyp.pieces, text),
        seg.text,
        text,
        method=method,
        threshold=threshold,
        group=group,
        link_punctuation=link_punctuation,
        src_offset=seg.start,
    )


def _piece_words(pieces: Sequence[Piece], words: Sequence[Span]) -> list[int]:
    """For each piece, the index of the word its span overlaps most, or -1."""
    ends = [end for _, end in words]
    out = []
    for p in pieces:
        best, best_overlap = -1, 0
        # Words are sorted and disjoint: start at the first one ending after the piece starts.
        for k in range(bisect.bisect_right(ends, p.start), len(words)):
            start, end = words[k]
            if start >= p.end:
                break
            overlap = min(end, p.end) - max(start, p.start)
            if overlap > best_overlap:
                best, best_overlap = k, overlap
        out.append(best)
    return out


def _extract(
    attention: Any,
    src_word_of: list[int],
    tgt_word_of: list[int],
    src_punct: list[bool],
    tgt_punct: list[bool],
    src_words: list[Span],
    tgt_words: list[Span],
    *,
    method: str,
    threshold: float,
    link_punctuation: bool,
    src_offset: int,
    tgt_offset: int,
) -> list[WordLink]:
    import numpy as np  # numpy comes with torch and ctranslate2; kept out of import time

    if method not in METHODS:
        raise ValueError(f"unknown alignment method {method!r}; choose one of {', '.join(METHODS)}")
    if not 0 < threshold <= 1:
        raise ValueError(f"alignment threshold must be in (0, 1], got {threshold}")
    att = np.asarray(attention, dtype=np.float64)
    if att.size == 0 and (not tgt_word_of or not src_word_of):
        return []
    if att.shape != (len(tgt_word_of), len(src_word_of)):
        raise ValueError(f"attention has shape {att.shape}, expected "
                         f"({len(tgt_word_of)} target pieces, {len(src_word_of)} source pieces)")
    if not src_words or not tgt_words:
        return []
    # Membership matrices: sum over a source word's pieces, mean over a target word's pieces.
    src_member = np.zeros((len(src_word_of), len(src_words)))
    for piece, word in enumerate(src_word_of):
        if word >= 0:
            src_member[piece, word] = 1.0
    tgt_member = np.zeros((len(tgt_word_of), len(tgt_words)))
    for piece, word in enumerate(tgt_word_of):
        if word >= 0:
            tgt_member[piece, word] = 1.0
    tgt_counts = tgt_member.sum(axis=0)
    # Two einsums, not `@`: BLAS spawns threads that spin on a busy CPU (15 ms vs 2 ms here).
    word_att = np.einsum("pt,pw->tw", tgt_member, np.einsum("ps,sw->pw", att, src_member))
    word_att /= np.maximum(tgt_counts, 1.0)[:, None]
    # Mask, for every (target word, source word) pair, links across classes (punctuation only to
    # punctuation), source words without pieces, and target rows that are not linked at all.
    src_punct_arr, tgt_punct_arr = np.array(src_punct), np.array(tgt_punct)
    allowed = (src_punct_arr[None, :] == tgt_punct_arr[:, None]) & (src_member.sum(axis=0) > 0)
    rows_on = tgt_counts > 0
    if not link_punctuation:
        rows_on &= ~tgt_punct_arr
    masked = np.where(allowed & rows_on[:, None], word_att, 0.0)
    mass = masked.sum(axis=1)
    if method == "argmax":
        t_idx = np.flatnonzero(mass > 0)
        s_idx = masked[t_idx].argmax(axis=1)
    else:
        share = masked / np.where(mass > 0, mass, 1.0)[:, None]
        t_idx, s_idx = np.nonzero((share >= threshold) & (mass > 0)[:, None])
    links = []
    for t, s in zip(t_idx.tolist(), s_idx.tolist(), strict=True):
        links.append(WordLink(
            src_index=s,
            tgt_index=t,
            src_start=src_words[s][0] + src_offset,
            src_end=src_words[s][1] + src_offset,
            tgt_start=tgt_words[t][0] + tgt_offset,
            tgt_end=tgt_words[t][1] + tgt_offset,
        ))
    links.sort(key=lambda link: (link.src_index, link.tgt_index))
    return links


def to_pharaoh(links: Sequence[WordLink]) -> str:
    """Links as Pharaoh text: `i-j` pairs (source, target word index), sorted, space-separated."""
    pairs = sorted({(link.src_index, link.tgt_index) for link in links})
    return " ".join(f"{i}-{j}" for i, j in pairs)


def links_to_dicts(links: Sequence[WordLink]) -> list[dict[str, int]]:
    """Links as JSON-ready dicts with indices and character spans (the `jsonl` form)."""
    return [dict(vars(link)) for link in links]
