"""The translation service behind every API: one engine, one scheduler, the ordinary pipeline.

Requests are translated by `vi2en.translator.Translator` exactly as `vi2en translate` does —
text ingested as a file's would be (`decode_bytes`, `clean_text`), segmented, translated,
rendered — only with a `SchedulingEngine`, so their sentences share batches. The pipeline runs
on a thread pool; admission is bounded by the characters in flight (`Overloaded`, answered 503
with Retry-After), so memory stays bounded however many clients push.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from vi2en.defaults import DEFAULT_BATCH_TOKENS, DEFAULT_SOFT_LIMIT
from vi2en.doc import Document, Translation, TranslationSignature
from vi2en.engines.base import Engine
from vi2en.errors import InputError, Vi2enError
from vi2en.serve.scheduler import BULK, INTERACTIVE, LANES, BatchScheduler, SchedulingEngine

T = TypeVar("T")


class Overloaded(Vi2enError):
    """More work in flight than the server takes; retry after `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class ServiceSettings:
    """How the service translates and how much it takes at once (`vi2en serve` flags)."""

    beam_size: int | None = None  # None: the model's
    batch_tokens: int = DEFAULT_BATCH_TOKENS
    soft_limit: int = DEFAULT_SOFT_LIMIT
    batch_wait_ms: float = 5.0
    batching: bool = True  # False: one request at a time, as LibreTranslate does (benchmarks)
    cache: bool = True
    max_pending_chars: int = 2_000_000
    bulk_chars: int = 2_000  # requests with more characters go to the bulk lane
    threads: int = 64  # request pipelines running at once (most wait for the scheduler)


class TranslationService:
    """The loaded model and everything that translates with it; shared by all endpoints."""

    def __init__(self, engine: Engine, settings: ServiceSettings = ServiceSettings()) -> None:
        from vi2en.translator import Translator

        self.engine = engine
        self.settings = settings
        self.beam_size = settings.beam_size or engine.default_beam_size
        # Called with (texts, padded positions) after each engine batch (metrics), any thread.
        self.batch_observers: list[Callable[[int, int], None]] = []
        self.scheduler = BatchScheduler(
            engine, beam_size=self.beam_size, batch_tokens=settings.batch_tokens,
            max_wait=settings.batch_wait_ms / 1000 if settings.batching else 0.0,
            on_batch=self._batch_done,
        )  # fmt: skip
        probe = Translator(engine=engine, beam_size=self.beam_size, soft_limit=settings.soft_limit)
        self.signature: TranslationSignature = probe.signature()
        self.store = None
        if settings.cache:
            from vi2en.cache import TranslationStore

            self.store = TranslationStore(self.signature.key())
        self._translators = {
            (lane, align): Translator(
                engine=SchedulingEngine(engine, self.scheduler, lane=lane),
                beam_size=self.beam_size, batch_tokens=settings.batch_tokens,
                soft_limit=settings.soft_limit, align=align,
                cache=self.store if self.store is not None else False,
            )
            for lane, align in itertools.product(LANES, (False, True))
        }
        for translator in self._translators.values():
            translator._signature = probe._signature  # computed once: it hashes the model files
        # Without batching, one request at a time holds the engine (LibreTranslate's way).
        self._one_at_a_time = asyncio.Lock() if not settings.batching else None
        self._executor = ThreadPoolExecutor(settings.threads, thread_name_prefix="vi2en-request")
        self.pending_chars = 0
        self.in_flight = 0

    def _batch_done(self, texts: int, positions: int) -> None:
        for observe in self.batch_observers:
            observe(texts, positions)

    def translator(self, *, chars: int, align: bool = False) -> Any:
        """The translator for a request of `chars` characters (its lane decided by size)."""
        lane = BULK if chars > self.settings.bulk_chars else INTERACTIVE
        return self._translators[(lane, align)]

    async def run(self, chars: int, work: Callable[[], T]) -> T:
        """Run `work` (a pipeline call) on the pool, admitted against the characters in flight.

        Raises:
            Overloaded: the queue is full; nothing was started.
        """
        limit = self.settings.max_pending_chars
        if self.pending_chars and self.pending_chars + chars > limit:
            raise Overloaded(
                f"the server is busy ({self.pending_chars} characters in flight, limit {limit}); "
                "retry later", retry_after=max(1, self.scheduler.pending() // 200 + 1),
            )  # fmt: skip
        self.pending_chars += chars
        self.in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            if self._one_at_a_time is not None:
                async with self._one_at_a_time:
                    return await loop.run_in_executor(self._executor, work)
            return await loop.run_in_executor(self._executor, work)
        finally:
            self.pending_chars -= chars
            self.in_flight -= 1

    # --- pipeline calls, run on the pool ---

    def translate_texts(
        self, texts: Sequence[str], *, align: bool = False, alternatives: int = 0
    ) -> list[Document]:
        """Each text as an article, exactly as `vi2en translate` treats a file with that text
        (`alternatives`: see `Translator.translate_documents`).

        Raises:
            InputError: a text is empty, binary, or not valid Unicode.
        """
        docs = [ingest(text) for text in texts]
        chars = sum(len(text) for text in texts)
        translator = self.translator(chars=chars, align=align)
        return translator.translate_documents(docs, alternatives=alternatives)

    def translate_segments(
        self, texts: Sequence[str], *, align: bool = False, alternatives: int = 0
    ) -> list[Translation]:
        """Each string as one segment (`Translator.translate_segments`): with `alternatives`
        > 0, each translation's `alternatives` hold up to that many others from the beam's
        n-best (the workbench's "insert alternative"). Run it through `run`.

        Raises:
            Vi2enError: `alternatives` out of range.
        """
        chars = sum(len(text) for text in texts)
        translator = self.translator(chars=chars, align=align)
        return translator.translate_segments(texts, alternatives=alternatives)

    def close(self) -> None:
        """Finish queued work and stop the scheduler and the pool."""
        self.scheduler.close()
        self._executor.shutdown(wait=True)
        if self.store is not None:
            self.store.close()


def ingest(text: str, *, name: str = "the text") -> Document:
    """A request's text as a `Document`, through the same decoding and cleaning as a file.

    Raises:
        InputError: empty or whitespace-only, binary (NUL bytes), or lone surrogates.
    """
    from vi2en.text.clean import clean_text
    from vi2en.text.decode import decode_bytes

    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{name} is not valid Unicode (it has a lone surrogate)") from None
    decoded, changes = decode_bytes(data, name=name)
    cleaned, more = clean_text(decoded)
    if not cleaned.strip():
        raise InputError(f"{name} has no text (only whitespace)")
    return Document(text=cleaned, changes=changes + more)


def render_text(doc: Document, original: str) -> str:
    """The translated article as `vi2en translate` prints it, less the newline it adds at the
    end when `original` had none."""
    from vi2en.formats.txt import render

    out = render(doc)
    if out.endswith("\n") and not original.endswith("\n"):
        out = out[:-1]
    return out


def render_alternatives(doc: Document, original: str, limit: int) -> list[str]:
    """Up to `limit` other renderings of a document translated with alternatives: rank r gives
    every segment its r-th alternative (a segment with fewer keeps its translation), as
    LibreTranslate's Argos Translate ranks a text of several sentences; distinct, none equal
    to the rendering of the primaries (`render_text`)."""
    import dataclasses

    from vi2en.engines.base import distinct_alternatives

    primary = render_text(doc, original)
    kept = [seg.translation for seg in doc.segments]
    depth = max((len(tr.alternatives or ()) for tr in kept if tr is not None), default=0)
    ranked = []
    try:
        for rank in range(depth):
            for seg, tr in zip(doc.segments, kept, strict=True):
                if tr is not None and tr.alternatives and rank < len(tr.alternatives):
                    seg.translation = dataclasses.replace(tr, text=tr.alternatives[rank])
                else:
                    seg.translation = tr
            ranked.append(render_text(doc, original))
    finally:
        for seg, tr in zip(doc.segments, kept, strict=True):
            seg.translation = tr
    return list(distinct_alternatives(primary, ranked))[:limit]
