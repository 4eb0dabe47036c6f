"""What every inference engine offers the pipeline: batch-first, typed, nothing heavy imported.

An engine owns the model's own SentencePiece models, so it is the one place that turns text into
pieces (with character spans) and pieces back into text. The pipeline never tokenizes by itself.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one): the most threads
    an engine is allowed to use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def check_threads(threads: int, *, option: str = "threads") -> None:
    """Refuse a thread count below 0 or above `usable_cpus()` (0 means: choose).

    More threads than CPUs only slow inference down, and CTranslate2 crashed (segfault) on
    `intra_threads=100000`.

    Raises:
        EngineError: with the allowed range.
    """
    from vi2en.errors import EngineError

    cpus = usable_cpus()
    if not 0 <= threads <= cpus:
        raise EngineError(
            f"{option}={threads} is out of range: use 0 (choose) to {cpus}, the CPUs this "
            "process may use"
        )


def cap_groups(caps: Sequence[int]) -> list[list[int]]:
    """Indices of `caps` grouped by cap value, groups in order of first appearance.

    A decoding call has one length cap, and a text's output must depend on its own cap only:
    decoded beside a longer text's larger cap, greedy search runs past its own cap and beam
    search ends differently (it stops once enough hypotheses finish, and the cap forces the
    open ones to finish). So engines decode each group on its own.
    """
    groups: dict[int, list[int]] = {}
    for i, cap in enumerate(caps):
        groups.setdefault(cap, []).append(i)
    return list(groups.values())


@dataclass(frozen=True)
class Piece:
    """One SentencePiece piece with its character span in the text it was cut from."""

    piece: str
    start: int
    end: int


@dataclass(frozen=True)
class Hypothesis:
    """The best translation of one input text.

    `attention` is filled only when asked for: one row per target piece (in `pieces` order, the
    final `</s>` excluded), one column per source piece (`Engine.source_pieces`, `</s>` excluded).
    `hit_limit` is True when decoding stopped at `max_new_tokens` instead of at `</s>`.
    `flags` are (code, detail) pairs of guards that fired on it (`vi2en.guards`).
    `alternatives` are filled only when `num_hypotheses` > 1 was asked: the other outputs of
    the beam's n-best, detokenized, best first, each distinct and none equal to `text`
    (`distinct_alternatives`); there may be fewer than asked, or none.
    """

    text: str
    pieces: tuple[str, ...]
    score: float | None = None
    hit_limit: bool = False
    attention: tuple[tuple[float, ...], ...] | None = None
    flags: tuple[tuple[str, str], ...] = ()
    alternatives: tuple[str, ...] = ()


def distinct_alternatives(primary: str, texts: Iterable[str]) -> tuple[str, ...]:
    """`texts` in order without repeats, empty strings or `primary` (ignoring surrounding
    whitespace): two beams of different pieces often detokenize to the same text."""
    seen = {primary.strip(), ""}
    out = []
    for text in texts:
        if text.strip() not in seen:
            seen.add(text.strip())
            out.append(text)
    return tuple(out)


class Engine(Protocol):
    """A loaded translation model. Implementations: `ct2.CT2Engine`, `hf.HFEngine`.

    The attributes say what actually runs (never "auto"): they make the translation's
    signature (`vi2en.provenance`).
    """

    name: str  # the registry name: "ctranslate2", "transformers"
    model_id: str  # what the user asked for (hub id or folder)
    path: Path | None  # the folder of the files it loaded (None for a remote engine)
    revision: str | None  # the hub commit of the model, when known
    device: str  # "cpu" or "cuda"
    compute_type: str  # "int8", "float32", ...
    max_positions: int  # source positions the model has, `</s>` included (512 for opus-mt)
    default_beam_size: int  # from the model's generation config (4 for opus-mt)
    aligned_attention: bool  # attention trained to align words (OPUS-MT transformer-align)

    def source_pieces(self, text: str) -> list[Piece]:
        """The model's source pieces for `text` (no `</s>`), each with its character span."""
        ...

    def count_pieces(self, texts: Sequence[str]) -> list[int]:
        """Source length of each text in positions, `</s>` included."""
        ...

    def translate_batch(
        self,
        texts: Sequence[str],
        *,
        beam_size: int | None = None,
        max_new_tokens: Sequence[int] | None = None,
        return_attention: bool = False,
        num_hypotheses: int = 1,
        no_repeat_ngram_size: int = 0,
        repetition_penalty: float = 1.0,
    ) -> list[Hypothesis]:
        """Translate texts as one batch, results in input order; no truncation, ever.

        `no_repeat_ngram_size` (0: off) and `repetition_penalty` (1.0: off) re-decode an output
        that looped (`vi2en.guards`). Each text decodes to its own `max_new_tokens` (texts with
        different caps never share a decoding call, `cap_groups`), so its hypothesis does not
        depend on the other texts. Raises `vi2en.errors.EngineError` when a text is longer than
        `max_positions`.

        `num_hypotheses` > 1 also fills each hypothesis' `alternatives` from the n-best list of
        that size. The hypothesis itself never changes with it: it is the 1-best of a beam of
        `beam_size`, and when `num_hypotheses` is larger than the beam, the n-best comes from a
        second decoding with a beam of `num_hypotheses`.
        """
        ...

    def translate_batches(
        self,
        batches: Sequence[Sequence[str]],
        *,
        beam_size: int | None = None,
        max_new_tokens: Sequence[Sequence[int]] | None = None,
        return_attention: bool = False,
        num_hypotheses: int = 1,
    ) -> Iterator[list[Hypothesis]]:
        """`translate_batch` over several batches, results yielded batch by batch in order.

        An engine may start on later batches before it hands back earlier ones (CTranslate2
        does, so its workers never wait for each other at a batch boundary).
        """
        ...


class BatchAfterBatch(ABC):
    """`Engine.translate_batches` for an engine with nothing to overlap: one `translate_batch`
    call per batch, in order. Engines inherit it and implement `translate_batch`."""

    @abstractmethod
    def translate_batch(
        self,
        texts: Sequence[str],
        *,
        beam_size: int | None = None,
        max_new_tokens: Sequence[int] | None = None,
        return_attention: bool = False,
        num_hypotheses: int = 1,
    ) -> list[Hypothesis]:
        """See `Engine.translate_batch`."""

    def translate_batches(
        self,
        batches: Sequence[Sequence[str]],
        *,
        beam_size: int | None = None,
        max_new_tokens: Sequence[Sequence[int]] | None = None,
        return_attention: bool = False,
        num_hypotheses: int = 1,
    ) -> Iterator[list[Hypothesis]]:
        """See `Engine.translate_batches`."""
        caps = [None] * len(batches) if max_new_tokens is None else max_new_tokens
        for texts, batch_caps in zip(batches, caps, strict=True):
            yield self.translate_batch(texts, beam_size=beam_size, max_new_tokens=batch_caps,
                                       return_attention=return_attention,
                                       num_hypotheses=num_hypotheses)  # fmt: skip


class BatchOfBatches(ABC):
    """`Engine.translate_batch` for a wrapper whose work is `translate_batches` (the guards, the
    server's scheduler): the batch as a list of one batch.

    Such a wrapper never re-decodes by itself, so it refuses `no_repeat_ngram_size` and
    `repetition_penalty` instead of dropping them: a silently ignored option would hand back
    the looping output as if it had been decoded again. Re-decoding is asked of the engine
    that decodes (`vi2en.guards` calls its inner engine).
    """

    @abstractmethod
    def translate_batches(
        self,
        batches: Sequence[Sequence[str]],
        *,
        beam_size: int | None = None,
        max_new_tokens: Sequence[Sequence[int]] | None = None,
        return_attention: bool = False,
        num_hypotheses: int = 1,
    ) -> Iterator[list[Hypothesis]]:
        """See `Engine.translate_batches`."""

    def translate_batch(
        self,
        texts: Sequence[str],
        *,
        beam_size: int | None = None,
        max_new_tokens: Sequence[int] | None = None,
        return_attention: bool = False,
        num_hypotheses: int = 1,
        no_repeat_ngram_size: int = 0,
        repetition_penalty: float = 1.0,
    ) -> list[Hypothesis]:
        """See `Engine.translate_batch`.

        Raises:
            EngineError: `no_repeat_ngram_size` or `repetition_penalty` was set.
        """
        if no_repeat_ngram_size or repetition_penalty != 1.0:
            from vi2en.errors import EngineError

            raise EngineError(
                f"{type(self).__name__} does not re-decode: ask no_repeat_ngram_size / "
                "repetition_penalty of the engine it wraps"
            )
        caps = None if max_new_tokens is None else [max_new_tokens]
        (hyps,) = self.translate_batches([texts], beam_size=beam_size, max_new_tokens=caps,
                                         return_attention=return_attention,
                                         num_hypotheses=num_hypotheses)  # fmt: skip
        return hyps
