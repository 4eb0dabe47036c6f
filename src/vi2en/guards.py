"""Guards for any model: fix two known failure modes around the engine, and say when they fire.

- **repetition**: an output that loops ("the the the", "one-of-a-a-a-a") while its source does
  not is decoded again with `no_repeat_ngram_size` 3 (then 2, if it still loops) and a
  repetition penalty; the best of them is kept: first the one without a loop, then the one
  with fewer QA flags, then the one whose length ratio is nearer vi->en news' typical 0.91
  (median target/source characters on NTREX-128). Flag `repetition-guard`.
- **caps**: a source in ALL CAPS or Title Case (headlines: "GIÁ XĂNG TĂNG MẠNH"), which models
  translate badly, is sent as a sentence-cased copy, and the output is given the source's case
  style back. Flag `caps-guard`.

Both are on by default (`DEFAULT_GUARDS`) and each can be switched off. An n-best's
alternatives (`Hypothesis.alternatives`) are guarded too: given the source's case style back,
and dropped when they loop (re-decoding one would only give the primary's re-decoding again).
`GuardedEngine` wraps any `Engine`, so the pipeline, the cache and the batching stay as they
are; its `guards` are part of the translation signature (`vi2en.provenance`), so cached output
of other settings never leaks.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

from vi2en.defaults import DEFAULT_GUARDS
from vi2en.engines.base import (
    BatchOfBatches,
    Engine,
    Hypothesis,
    Piece,
    distinct_alternatives,
)

GUARDS = ("repetition", "caps")
FLAG_REPETITION_GUARD = "repetition-guard"
FLAG_CAPS_GUARD = "caps-guard"
# How a looping output is decoded again.
NO_REPEAT_NGRAM_SIZES = (3, 2)  # the second only if the first still loops
REPETITION_PENALTY = 1.2
TYPICAL_LENGTH_RATIO = 0.91  # English/Vietnamese characters, median over NTREX-128
# What counts as a headline in capitals: enough cased letters, nearly all upper.
CAPS_MIN_LETTERS = 8
CAPS_MIN_SHARE = 0.9
TITLE_MIN_WORDS = 4
SMALL_WORDS = frozenset(["a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into",
                         "of", "on", "or", "the", "to", "with"])  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


def case_style(text: str) -> str | None:
    """"upper" for an ALL-CAPS text, "title" for Title Case (every word capitalised), else None."""
    cased = [c for c in text if c.isalpha() and c.lower() != c.upper()]
    if len(cased) < CAPS_MIN_LETTERS:
        return None
    if sum(c.isupper() for c in cased) / len(cased) >= CAPS_MIN_SHARE:
        return "upper"
    words = _WORD.findall(text)
    if len(words) >= TITLE_MIN_WORDS and all(w[0].isupper() for w in words):
        return "title"
    return None


def sentence_case(text: str) -> str | None:
    """A sentence-cased copy of the same length (so piece spans still fit), or None."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return None
    first = next((i for i, c in enumerate(lowered) if c.isalpha()), None)
    if first is None:
        return None
    return lowered[:first] + lowered[first].upper() + lowered[first + 1 :]


def restore_case(text: str, style: str) -> str:
    """Give an English output the source's case style back."""
    if style == "upper":
        return text.upper()
    words = list(_WORD.finditer(text))
    out = list(text)
    for index, match in enumerate(words):
        word = match.group()
        if index and word.lower() in SMALL_WORDS:
            continue
        out[match.start()] = word[0].upper()
    return "".join(out)


def loops(text: str) -> bool:
    """True when a word n-gram repeats in a row (the QA `repetition` check)."""
    from vi2en.qa import repeated_phrase

    return repeated_phrase(text) is not None


def _badness(source: str, hyp: Hypothesis) -> tuple[int, int, float]:
    from vi2en.qa import check_pair

    flags = check_pair(source, hyp.text)
    looped = any(flag.code == "repetition" for flag in flags)
    ratio = max(len(hyp.text.strip()), 1) / max(len(source.strip()), 1)
    return int(looped), len(flags), abs(math.log(ratio / TYPICAL_LENGTH_RATIO))


class GuardedEngine(BatchOfBatches):
    """An `Engine` with guards around it; everything else is the wrapped engine's.

    Args:
        engine: the engine to guard.
        guards: which of `GUARDS` to run.
    """

    def __init__(self, engine: Engine, guards: Sequence[str] = DEFAULT_GUARDS) -> None:
        unknown = sorted(set(guards) - set(GUARDS))
        if unknown:
            from vi2en.errors import Vi2enError

            raise Vi2enError(f"unknown guard(s) {unknown}; use {', '.join(GUARDS)}")
        self.inner = engine
        self.guards = tuple(g for g in GUARDS if g in guards)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)  # name, model_id, path, limits... of the real engine

    def _model_text(self, text: str) -> tuple[str, str | None]:
        """What the model is given for `text`, and the case style to restore (or None)."""
        if "caps" in self.guards:
            style = case_style(text)
            copy = sentence_case(text) if style else None
            if copy is not None:
                return copy, style
        return text, None

    def source_pieces(self, text: str) -> list[Piece]:
        """Pieces of what the model is given (same length as `text`, so the spans hold)."""
        return self.inner.source_pieces(self._model_text(text)[0])

    def count_pieces(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_pieces([self._model_text(t)[0] for t in texts])

    def translate_batches(
        self,
        batches: Sequence[Sequence[str]],
        *,
        beam_size: int | None = None,
        max_new_tokens: Sequence[Sequence[int]] | None = None,
        return_attention: bool = False,
        num_hypotheses: int = 1,
    ) -> Iterator[list[Hypothesis]]:
        """Batches through the guards: the primary and its alternatives alike."""
        plans = [[self._model_text(text) for text in batch] for batch in batches]
        inner = [[model_text for model_text, _ in plan] for plan in plans]
        all_caps = [None] * len(batches) if max_new_tokens is None else max_new_tokens
        results = self.inner.translate_batches(inner, beam_size=beam_size,
                                               max_new_tokens=max_new_tokens,
                                               return_attention=return_attention,
                                               num_hypotheses=num_hypotheses)  # fmt: skip
        for plan, caps, hyps in zip(plans, all_caps, results, strict=True):
            out = []
            for index, ((model_text, style), hyp) in enumerate(zip(plan, hyps, strict=True)):
                if "repetition" in self.guards:
                    cap = None if caps is None else [caps[index]]
                    hyp = self._unloop(model_text, hyp, beam_size, cap, return_attention)
                if style is not None:
                    hyp = _with_case(hyp, style)
                if hyp.alternatives:
                    hyp = self._guard_alternatives(model_text, hyp, style)
                out.append(hyp)
            yield out

    def _guard_alternatives(self, source: str, hyp: Hypothesis, style: str | None) -> Hypothesis:
        """`hyp`'s alternatives in the source's case style, without those that loop (when the
        source does not), and none equal to `hyp.text` or to each other."""
        kept = hyp.alternatives
        if "repetition" in self.guards and not loops(source):
            kept = tuple(text for text in kept if not loops(text))
        if style is not None:  # `_with_case` restored the primary already
            kept = tuple(restore_case(text, style) for text in kept)
        return dataclasses.replace(hyp, alternatives=distinct_alternatives(hyp.text, kept))

    def _unloop(self, source: str, hyp: Hypothesis, beam_size: int | None,
                cap: list[int] | None, return_attention: bool) -> Hypothesis:  # fmt: skip
        """`hyp`, or a re-decoding without its loop when that is better.

        Re-decodes with `no_repeat_ngram_size` 3, then 2 if the output still loops (3 lets a
        word come three times in a row), each with the repetition penalty; one text per call,
        so the result does not depend on what else was in the batch.
        """
        if not loops(hyp.text) or loops(source):
            return hyp
        best, badness, used = hyp, _badness(source, hyp), None
        for size in NO_REPEAT_NGRAM_SIZES:
            (again,) = self.inner.translate_batch(
                [source], beam_size=beam_size, max_new_tokens=cap,
                return_attention=return_attention, no_repeat_ngram_size=size,
                repetition_penalty=REPETITION_PENALTY,
            )  # fmt: skip
            if _badness(source, again) < badness:
                best, badness, used = again, _badness(source, again), size
            if not loops(again.text):
                break
        kept = (f"kept the re-decoding with no_repeat_ngram_size={used}" if used
                else "kept the original (no re-decoding was better)")  # fmt: skip
        best = dataclasses.replace(best, alternatives=hyp.alternatives)  # the beam's n-best
        detail = (f"output looped; decoded again with no_repeat_ngram_size "
                  f"{'/'.join(map(str, NO_REPEAT_NGRAM_SIZES))} and repetition_penalty "
                  f"{REPETITION_PENALTY}; {kept}")  # fmt: skip
        return dataclasses.replace(best, flags=(*best.flags, (FLAG_REPETITION_GUARD, detail)))


def _with_case(hyp: Hypothesis, style: str) -> Hypothesis:
    detail = (f"source in {'ALL CAPS' if style == 'upper' else 'Title Case'}: translated a "
              "sentence-cased copy, case restored")  # fmt: skip
    return dataclasses.replace(hyp, text=restore_case(hyp.text, style),
                               flags=(*hyp.flags, (FLAG_CAPS_GUARD, detail)))  # fmt: skip


def guard_engine(engine: Engine, guards: Sequence[str]) -> Engine:
    """`engine` with `guards` around it (the engine itself when there are none)."""
    if not guards:
        return engine
    return GuardedEngine(engine, guards)  # type: ignore[return-value]


__all__ = [
    "DEFAULT_GUARDS",
    "FLAG_CAPS_GUARD",
    "FLAG_REPETITION_GUARD",
    "GUARDS",
    "GuardedEngine",
    "case_style",
    "guard_engine",
    "restore_case",
    "sentence_case",
]
