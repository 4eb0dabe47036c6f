"""Batching across requests: the sentences of every request in flight share the engine's batches.

Each request runs the ordinary pipeline (`vi2en.translator.Translator`: clean, segment, prepare,
split, cache lookup, join, flags) on a thread of its own, with a `SchedulingEngine` in place of
the engine. Its `translate_batches` does not translate: it hands the texts to the one
`BatchScheduler`, whose thread cuts batches out of everything pending — by the token budget, or
when the oldest text has waited `max_wait` seconds — runs them on the real engine (off the event
loop; CTranslate2 releases the GIL) and hands each hypothesis back to the request that asked.
So there is one translation path, the pipeline's, and the server only changes who shares a batch.

Two lanes keep interactive requests responsive next to a big document: each round takes the
interactive lane first and fills the rest of its budget from the bulk lane (which always gets a
share, so it is never starved either). The same text asked twice at once is translated once.

Texts that want the beam's n-best (`alternatives`) share batches with those that do not, as long
as the n-best fits in the beam: asking the engine for more hypotheses of the same beam does not
change the 1-best (`vi2en.engines.ct2`, `vi2en.engines.hf`), so the round is decoded once with
the n-best and the texts that did not ask get their hypothesis without it. An n-best wider than
the beam is decoded in batches of its own (the engine then runs a second, wider beam for it).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from vi2en.engines.base import BatchOfBatches, Engine, Hypothesis
from vi2en.errors import EngineError

INTERACTIVE = "interactive"
BULK = "bulk"
LANES = (INTERACTIVE, BULK)
# CTranslate2 splits each batch over its workers and queues the next batch before awaiting one,
# so a round of two batches keeps it busy while the next round gathers.
ROUND_BATCHES = 2
BULK_SHARE = 0.25  # of a round's budget, kept for the bulk lane whenever it has work

# Hooks for metrics: (number of texts, padded positions) of each engine batch.
BatchObserver = Callable[[int, int], None]


@dataclass
class _Item:
    text: str
    pieces: int
    cap: int
    attention: bool
    lane: str
    hypotheses: int = 1  # the n-best size asked for (1: the 1-best only)
    future: Future[Hypothesis] = field(default_factory=Future)
    since: float = field(default_factory=time.monotonic)


class BatchScheduler:
    """One queue, one thread, one engine: requests' texts in, hypotheses back to each request.

    Args:
        engine: the loaded engine (only this thread translates with it).
        beam_size: the beam every request is translated with.
        batch_tokens: source positions per batch, padding included (as `--batch-tokens`).
        max_wait: seconds the oldest pending text may wait for company before its batch runs.
        on_batch: called with (texts, padded positions) after each engine batch.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        beam_size: int,
        batch_tokens: int,
        max_wait: float,
        on_batch: BatchObserver | None = None,
    ) -> None:
        self.engine = engine
        self.beam_size = beam_size
        self.batch_tokens = batch_tokens
        self.max_wait = max_wait
        self.on_batch = on_batch
        self._lanes: dict[str, deque[_Item]] = {lane: deque() for lane in LANES}
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="vi2en-scheduler", daemon=True)
        self._thread.start()

    def pending(self) -> int:
        """Texts waiting for the engine (not those in the batch running now)."""
        with self._cond:
            return sum(len(q) for q in self._lanes.values())

    def submit(
        self,
        texts: Sequence[str],
        *,
        pieces: Sequence[int],
        caps: Sequence[int],
        beam_size: int,
        attention: bool,
        lane: str,
        hypotheses: int = 1,
    ) -> list[Future[Hypothesis]]:
        """Queue texts for translation; each future gets its hypothesis.

        `hypotheses` > 1 asks for the n-best's `alternatives` too; an n-best no wider than the
        beam is always the whole beam's (the pipeline asks `max(beam, alternatives + 1)`).

        Raises:
            EngineError: the scheduler is closed (the server is shutting down), or a beam size
                other than the server's was asked for.
        """
        if beam_size != self.beam_size:
            raise EngineError(f"this server translates with beam {self.beam_size}, not {beam_size}")
        items = [
            _Item(text, count, cap, attention, lane, hypotheses)
            for text, count, cap in zip(texts, pieces, caps, strict=True)
        ]
        with self._cond:
            if self._closed:
                raise EngineError("the server is shutting down")
            self._lanes[lane].extend(items)
            self._cond.notify()
        return [item.future for item in items]

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join()

    # --- the scheduler thread ---

    def _run(self) -> None:
        while True:
            with self._cond:
                while not any(self._lanes.values()):
                    if self._closed:
                        return
                    self._cond.wait()
                self._gather()
                round_items = self._take_round()
            self._translate(round_items)

    def _gather(self) -> None:
        """Wait (lock held, released while waiting) until a round is full or the oldest text
        has waited `max_wait`."""
        budget = self.batch_tokens * ROUND_BATCHES
        while not self._closed:
            queued = [item for lane in self._lanes.values() for item in lane]
            if sum(item.pieces for item in queued) >= budget:
                return
            left = min(item.since for item in queued) + self.max_wait - time.monotonic()
            if left <= 0:
                return
            self._cond.wait(left)

    def _take_round(self) -> list[_Item]:
        """Up to a round's budget of texts: interactive first, bulk keeps a share."""
        budget = self.batch_tokens * ROUND_BATCHES
        interactive, bulk = self._lanes[INTERACTIVE], self._lanes[BULK]
        reserve = int(budget * BULK_SHARE) if bulk else 0
        taken: list[_Item] = []
        used = 0
        for queue, limit in ((interactive, budget - reserve), (bulk, budget)):
            while queue and (not taken or used + queue[0].pieces <= limit):
                item = queue.popleft()
                taken.append(item)
                used += item.pieces
        return taken

    def _translate(self, items: list[_Item]) -> None:
        """Decode a round: one engine call per (attention, n-best wider than the beam) group."""
        groups: dict[tuple[bool, int], list[_Item]] = {}
        for item in items:
            wide = item.hypotheses if item.hypotheses > self.beam_size else 0
            groups.setdefault((item.attention, wide), []).append(item)
        for (attention, wide), group in sorted(groups.items()):
            hypotheses = wide or (self.beam_size if any(i.hypotheses > 1 for i in group) else 1)
            self._translate_group(group, attention, hypotheses)

    def _translate_group(self, group: list[_Item], attention: bool, hypotheses: int) -> None:
        """Decode one group in packed batches; each owner gets its hypothesis (without the
        n-best's alternatives where it asked for the 1-best only)."""
        waiting: dict[str, list[_Item]] = {}
        for item in group:
            waiting.setdefault(item.text, []).append(item)
        counts = {text: owners[0].pieces for text, owners in waiting.items()}
        batches = pack(waiting, self.batch_tokens)
        caps = [[waiting[text][0].cap for text in batch] for batch in batches]
        try:
            results = self.engine.translate_batches(
                batches, beam_size=self.beam_size, max_new_tokens=caps,
                return_attention=attention, num_hypotheses=hypotheses,
            )  # fmt: skip
            for batch, hyps in zip(batches, results, strict=True):
                if self.on_batch is not None:
                    self.on_batch(len(batch), max(counts[t] for t in batch) * len(batch))
                for text, hyp in zip(batch, hyps, strict=True):
                    plain = dataclasses.replace(hyp, alternatives=()) if hyp.alternatives else hyp
                    for owner in waiting.pop(text):
                        owner.future.set_result(hyp if owner.hypotheses > 1 else plain)
        except Exception as exc:  # every request still waiting learns of it
            for owners in waiting.values():
                for owner in owners:
                    if not owner.future.done():
                        owner.future.set_exception(exc)

def pack(waiting: dict[str, list[_Item]], batch_tokens: int) -> list[list[str]]:
    """Texts sorted by (decoding cap, length) into batches of one cap each whose padded size
    (longest * number) stays within `batch_tokens`, as the pipeline packs its own batches."""
    out: list[list[str]] = []
    batch: list[str] = []
    for text in sorted(waiting, key=lambda t: (waiting[t][0].cap, waiting[t][0].pieces, t)):
        item = waiting[text][0]
        # Sorted ascending, so the newcomer is the batch's longest.
        if batch and (item.cap != waiting[batch[0]][0].cap
                      or item.pieces * (len(batch) + 1) > batch_tokens):  # fmt: skip
            out.append(batch)
            batch = []
        batch.append(text)
    if batch:
        out.append(batch)
    return out


class SchedulingEngine(BatchOfBatches):
    """An `Engine` for the pipeline of one request: everything is the real engine's, except
    that `translate_batches` goes through the shared `BatchScheduler` in the request's lane."""

    def __init__(self, engine: Engine, scheduler: BatchScheduler, *, lane: str) -> None:
        self._engine = engine
        self._scheduler = scheduler
        self._lane = lane

    def __getattr__(self, name: str) -> Any:  # name, model_id, path, device, source_pieces...
        return getattr(self._engine, name)

    def translate_batches(
        self,
        batches: Sequence[Sequence[str]],
        *,
        beam_size: int | None = None,
        max_new_tokens: Sequence[Sequence[int]] | None = None,
        return_attention: bool = False,
        num_hypotheses: int = 1,
    ) -> Iterator[list[Hypothesis]]:
        from vi2en.pipeline import max_new_tokens_for

        texts = [text for batch in batches for text in batch]
        pieces = self._engine.count_pieces(texts) if texts else []
        if max_new_tokens is None:
            caps = [max_new_tokens_for(n, cap=self._engine.max_positions) for n in pieces]
        else:
            caps = [cap for batch_caps in max_new_tokens for cap in batch_caps]
        futures = self._scheduler.submit(
            texts, pieces=pieces, caps=caps,
            beam_size=beam_size or self._engine.default_beam_size,
            attention=return_attention, lane=self._lane, hypotheses=num_hypotheses,
        )  # fmt: skip
        return self._results(batches, futures)

    @staticmethod
    def _results(
        batches: Sequence[Sequence[str]], futures: list[Future[Hypothesis]]
    ) -> Iterator[list[Hypothesis]]:
        pos = 0
        for batch in batches:
            yield [future.result() for future in futures[pos : pos + len(batch)]]
            pos += len(batch)
