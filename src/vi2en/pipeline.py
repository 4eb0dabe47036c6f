"""The article pipeline: a segmented Document in, every segment with a `Translation` out.

Segment types decide the method: heading/lead/body/caption go through the model ("mt");
credits, sources and bylines are rendered by template (`vi2en.templates`: `Ảnh: Sputnik` ->
`Photo: Sputnik`, `Theo CNN` -> `Source: CNN`, "template"), the part of a template that is no
name going through the model (`Ảnh: Công an cung cấp` -> `Photo: ` + MT, "mt"); names and
skipped lines are kept as they are ("copy"). Nothing is dropped: every segment gets a
translation record.

Model input is prepared as OPUS-MT saw it in training (`vi2en.text.prep`), counted with the
model's own pieces, split at clause boundaries above a soft limit and at whitespace above the
model's hard limit (never truncated), deduplicated, sorted by length and batched by a token budget
that includes padding; results go back in document order. Batches run in an order that finishes
whole documents early (`_document_first`), and `on_document` hears of each one as it is done, so a
folder run writes every output as soon as it can (a kill loses only unfinished documents). Each
text decodes to its own length cap (`max_new_tokens_for`), so its translation never depends on
what it is batched with.

`alternatives` (N > 0) adds to each MT translation up to N other distinct translations from the
beam's n-best (`Translation.alternatives`), post-processed as the primary, which stays exactly
what it is without them: the engine is asked for an n-best of `max(beam, N + 1)` (the whole
beam, or a wider one decoded apart), and the cache is bypassed, since it holds 1-bests only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from vi2en import templates
from vi2en.defaults import DEFAULT_BATCH_TOKENS, DEFAULT_SOFT_LIMIT
from vi2en.doc import Document, Flag, Segment, Translation, WordLink
from vi2en.engines.base import Engine, Hypothesis, distinct_alternatives
from vi2en.errors import Vi2enError
from vi2en.text.prep import PreparedText, clause_cuts, prepare

# How decoding is capped (`max_new_tokens_for`) and what the model is sent, for the signature:
# bump PIPELINE_VERSION whenever either changes, so cached translations and resume stamps of
# the old behaviour stop counting (`vi2en.provenance`).
CAP_STEP = 16  # input lengths are rounded up to a multiple of this before the cap is computed
LENGTH_POLICY = f"2*up{CAP_STEP}(n)+10"
PIPELINE_VERSION = "2"
# Flag codes the pipeline sets on a Translation (the table of every code: `vi2en.flags`; what
# looks wrong in a result, such as its length, is QA's: `vi2en.qa`).
FLAG_SPLIT_CLAUSE = "split-clause"  # split at clause boundaries (above the soft limit)
FLAG_SPLIT_HARD = "split-hard"  # split at whitespace (above the model's hard limit)
FLAG_LENGTH_CAP = "length-cap"  # decoding stopped at max_new_tokens: output may be cut
FLAG_CREDIT_UNKNOWN = "credit-untemplated"  # a credit no template knows: copied as is
MAX_ALTERNATIVES = 10  # n-best alternatives a caller may ask per segment (a beam of 11 at most)

Progress = Callable[[int, int], None]  # (texts done, texts to translate)
DocumentDone = Callable[[Document], None]  # a document whose segments all have translations
# Word links of one MT segment: (segment, prepared input, part spans in it, part hypotheses with
# attention, engine) -> links. Supplied from above (`vi2en.translator`), which knows the aligner.
WordLinker = Callable[
    [Segment, PreparedText, list[tuple[int, int]], list[Hypothesis], Engine], list[WordLink]
]


@dataclass
class _Job:
    """One MT segment on its way through the model."""

    seg: Segment
    prepared: PreparedText
    parts: list[tuple[int, int]]  # spans in prepared.text
    flags: list[Flag] = field(default_factory=list)
    # English around the MT of a template's content (`Photo: ` + MT of `Công an cung cấp`)
    wrap: tuple[str, str] | None = None

    def part_texts(self) -> list[str]:
        return [self.prepared.text[s:e] for s, e in self.parts]


class _PieceCounter:
    """Engine piece counts, memoized (splitting asks about the same texts repeatedly)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.known: dict[str, int] = {}

    def count(self, texts: Sequence[str]) -> list[int]:
        missing = sorted({t for t in texts if t not in self.known})
        if missing:
            self.known.update(zip(missing, self.engine.count_pieces(missing), strict=True))
        return [self.known[t] for t in texts]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_clauses(
    text: str, span: tuple[int, int], counter: _PieceCounter, soft_limit: int
) -> list[tuple[int, int]]:
    """Split `text[span]` at the clause boundary nearest its middle until parts fit the limit."""
    start, end = span
    if counter.count([text[start:end]])[0] <= soft_limit:
        return [span]
    cuts = clause_cuts(text[start:end])
    if not cuts:
        return [span]
    middle = (end - start) / 2
    left_end, right_start = min(cuts, key=lambda cut: abs(cut[0] - middle))
    left = _strip_span(text, start, start + left_end)
    right = _strip_span(text, start + right_start, end)
    return _split_clauses(text, left, counter, soft_limit) + _split_clauses(
        text, right, counter, soft_limit
    )


def _split_hard(
    text: str, span: tuple[int, int], engine: Engine, counter: _PieceCounter, max_pieces: int
) -> list[tuple[int, int]]:
    """Split `text[span]` at whitespace into parts of at most `max_pieces` pieces plus `</s>`."""
    start, end = span
    pieces = engine.source_pieces(text[start:end])
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        j = min(i + max_pieces, len(pieces))
        if j < len(pieces):
            # Back off to a piece that starts a word; a single giant word is cut anyway.
            k = j
            while k > i + 1 and not (
                pieces[k].start > 0 and text[start + pieces[k].start - 1].isspace()
            ):
                k -= 1
            j = k if k > i + 1 else j
        part = _strip_span(text, start + pieces[i].start, start + pieces[j - 1].end)
        if part[0] < part[1]:
            out.append(part)
        i = j
    checked: list[tuple[int, int]] = []
    for part in out:
        # Re-tokenizing a part can differ slightly at its edges: split again with a margin.
        if counter.count([text[part[0] : part[1]]])[0] > max_pieces + 1 and max_pieces > 1:
            checked += _split_hard(text, part, engine, counter, max(1, max_pieces * 4 // 5))
        else:
            checked.append(part)
    return checked


def _plan(job: _Job, engine: Engine, counter: _PieceCounter, soft_limit: int) -> None:
    """Decide the parts of one segment; flag any split."""
    text = job.prepared.text
    (total,) = counter.count([text])
    if total <= soft_limit:
        return
    parts = _split_clauses(text, (0, len(text)), counter, soft_limit)
    if len(parts) > 1:
        job.flags.append(
            Flag(
                FLAG_SPLIT_CLAUSE,
                f"{total} pieces > soft limit {soft_limit}: "
                f"split at clauses into {len(parts)} parts",
            )
        )
    hard: list[tuple[int, int]] = []
    hard_max = min(soft_limit, engine.max_positions) - 1
    over = False
    for part in parts:
        if counter.count([text[part[0] : part[1]]])[0] > engine.max_positions:
            hard += _split_hard(text, part, engine, counter, max(1, hard_max))
            over = True
        else:
            hard.append(part)
    if over:
        job.flags.append(
            Flag(
                FLAG_SPLIT_HARD,
                f"over the model's {engine.max_positions} positions: split at whitespace "
                f"into {len(hard)} parts",
            )
        )
    job.parts = hard


def max_new_tokens_for(pieces: int, *, cap: int = 512) -> int:
    """Decoding cap for an input of `pieces` positions: twice the input rounded up to a
    multiple of `CAP_STEP`, plus 10, at most `cap`.

    A text's output depends on its own cap only (engines never decode texts with different
    caps in one call); rounding lets inputs of similar length share a cap, so they still
    decode in one batch.
    """
    return min(cap, 2 * (-(-pieces // CAP_STEP) * CAP_STEP) + 10)


def _batches(
    texts: list[str],
    counts: dict[str, int],
    batch_tokens: int,
    caps: dict[str, int] | None = None,
) -> list[list[str]]:
    """Length-sorted batches whose padded size (longest * number) stays within the budget, and
    of one decoding cap each when `caps` are given (an engine decodes each cap apart)."""
    caps = caps if caps is not None else {text: 0 for text in texts}
    out: list[list[str]] = []
    batch: list[str] = []
    for text in sorted(texts, key=lambda t: (counts[t], t)):
        # Sorted ascending, so the newcomer is the batch's longest (and caps only grow).
        if batch and (
            caps[text] != caps[batch[0]] or counts[text] * (len(batch) + 1) > batch_tokens
        ):
            out.append(batch)
            batch = []
        batch.append(text)
    if batch:
        out.append(batch)
    return out


def check_alternatives(alternatives: object) -> None:
    """Refuse an `alternatives` count that is not an integer from 0 to `MAX_ALTERNATIVES`.

    Raises:
        Vi2enError: with the allowed range.
    """
    if (not isinstance(alternatives, int) or isinstance(alternatives, bool)
            or not 0 <= alternatives <= MAX_ALTERNATIVES):  # fmt: skip
        raise Vi2enError(f"alternatives must be 0 to {MAX_ALTERNATIVES}, got {alternatives!r}")


def _join(parts: Sequence[str]) -> str:
    """Part outputs as one segment's text: stripped, joined by one space, NFC (as every other
    text vi2en writes: a model may emit decomposed letters)."""
    return unicodedata.normalize("NFC", " ".join(p.strip() for p in parts if p.strip()))


def _alternatives(hyps: list[Hypothesis], primary: str, limit: int) -> list[str]:
    """Up to `limit` alternatives of a segment from its parts' n-best lists: rank r joins each
    part's r-th alternative (a part with fewer keeps its primary), as Argos Translate does."""
    depth = max((len(h.alternatives) for h in hyps), default=0)
    ranked = (
        _join([h.alternatives[r] if r < len(h.alternatives) else h.text for h in hyps])
        for r in range(depth)
    )
    return list(distinct_alternatives(primary, ranked))[:limit]


def _finish(job: _Job, hyps: list[Hypothesis], alternatives: int = 0) -> Translation:
    """Join a segment's part hypotheses into its Translation, with the pipeline's flags (and
    up to `alternatives` alternatives)."""
    flags = list(job.flags)
    text = _join([h.text for h in hyps])
    scores = [h.score for h in hyps]
    score = None if any(s is None for s in scores) else sum(scores) / len(scores)  # type: ignore[arg-type]
    capped = sum(h.hit_limit for h in hyps)
    if capped:
        flags.append(Flag(FLAG_LENGTH_CAP, f"{capped} of {len(hyps)} part(s) hit max_new_tokens"))
    guarded: dict[str, str] = {}  # guard flags of the parts (`vi2en.guards`), one per code
    for hyp in hyps:
        for code, detail in hyp.flags:
            guarded.setdefault(code, detail)
    flags += [Flag(code, detail) for code, detail in guarded.items()]
    others = _alternatives(hyps, text, alternatives) if alternatives else None
    return Translation(text=text, method="mt", score=score, parts=len(hyps), flags=flags,
                       alternatives=others)  # fmt: skip


def _kept_or_job(seg: Segment) -> Translation | _Job:
    """A segment the model does not translate whole: its template (`vi2en.templates`), a copy,
    or the MT job for the part of a template that is no name (`Ảnh: Công an cung cấp`)."""
    rendering = templates.render(seg.type, seg.text)
    if rendering.mt is not None:
        start, end = rendering.mt
        prepared = prepare(seg.text[start:end])
        if prepared.text:
            wrap = (rendering.head, rendering.tail)
            return _Job(seg, prepared, [(0, len(prepared.text))], wrap=wrap)
    if not rendering.known:
        return Translation(
            text=seg.text,
            method="copy",
            flags=[Flag(FLAG_CREDIT_UNKNOWN, "no credit template matched; kept as is")],
        )
    return Translation(text=rendering.head, method=rendering.method)


def translate_documents(
    docs: Sequence[Document],
    engine: Engine,
    *,
    beam_size: int | None = None,
    batch_tokens: int = DEFAULT_BATCH_TOKENS,
    soft_limit: int = DEFAULT_SOFT_LIMIT,
    progress: Progress | None = None,
    word_linker: WordLinker | None = None,
    cache: TranslationCache | None = None,
    on_document: DocumentDone | None = None,
    alternatives: int = 0,
) -> list[Document]:
    """Translate several segmented documents together (batches mix documents).

    Args:
        docs: documents with segments (see `vi2en.segment.segment_document`).
        engine: a loaded engine (`vi2en.engines.load_engine`).
        beam_size: beam width; None means the model's default (`engine.default_beam_size`).
        batch_tokens: source positions per batch, padding included.
        soft_limit: pieces above which a segment is split at clause boundaries.
        progress: called as `progress(done, total)` with counts of distinct texts translated.
        word_linker: when given, ask the engine for attention and store the links it returns
            in each MT translation (`vi2en.translator` supplies one built on `vi2en.align`).
        cache: an exact-match translation cache (`vi2en.cache`); bypassed when aligning,
            since attention is not cached.
        on_document: called with each document as soon as all its segments are translated
            (before later batches run), once per document.
        alternatives: up to this many (0 to `MAX_ALTERNATIVES`) other translations from the
            beam's n-best in each translation's `alternatives` (an empty list for segments the
            model does not translate); the primary `text` is the same as without. The cache is
            bypassed.

    Returns:
        The same documents, each segment with a `Translation` (`vi2en.translator.Translator`
        also sets each document's `signature`).

    Raises:
        Vi2enError: bad options.
        EngineError: the engine failed.
    """
    if batch_tokens < 1 or soft_limit < 2:
        raise Vi2enError(
            f"batch_tokens must be >= 1 and soft_limit >= 2 (got {batch_tokens}, {soft_limit})"
        )
    beam = beam_size or engine.default_beam_size
    if beam < 1:
        raise Vi2enError(f"beam size must be >= 1, got {beam}")
    check_alternatives(alternatives)
    # The whole beam's n-best, or a wider one (decoded apart: the 1-best is the beam's).
    num_hypotheses = max(beam, alternatives + 1) if alternatives else 1
    align = word_linker is not None
    if alternatives:
        cache = None  # it holds 1-bests: neither served to nor filled by an n-best request
    counter = _PieceCounter(engine)
    jobs: list[_Job] = []
    for doc in docs:
        for seg in doc.segments:
            if not seg.translated:
                kept = _kept_or_job(seg)
                if isinstance(kept, _Job):
                    jobs.append(kept)
                else:
                    seg.translation = kept
                    if alternatives:
                        kept.alternatives = []
                continue
            prepared = prepare(seg.text)
            if prepared.text:
                jobs.append(_Job(seg, prepared, [(0, len(prepared.text))]))
            else:
                seg.translation = Translation(text=seg.text, method="copy",
                                              alternatives=[] if alternatives else None)
    counter.count([job.prepared.text for job in jobs])  # one engine call for the common case
    for job in jobs:
        _plan(job, engine, counter, soft_limit)

    distinct = sorted({text for job in jobs for text in job.part_texts()})
    counts = dict(zip(distinct, counter.count(distinct), strict=True))
    done: dict[str, Hypothesis] = {}
    if cache is not None and not align:
        done.update(cache.lookup(distinct))
    todo = [text for text in distinct if text not in done]

    # Per document: its MT jobs and the texts it still waits for.
    doc_jobs: dict[int, list[_Job]] = {id(doc): [] for doc in docs}
    seg_doc = {id(seg): id(doc) for doc in docs for seg in doc.segments}
    for job in jobs:
        doc_jobs[seg_doc[id(job.seg)]].append(job)
    waiting = {
        key: {t for job in owned for t in job.part_texts() if t not in done}
        for key, owned in doc_jobs.items()
    }
    waiters: dict[str, list[int]] = {}
    for key, texts in waiting.items():
        for text in texts:
            waiters.setdefault(text, []).append(key)
    by_key = {id(doc): doc for doc in docs}

    def finish(key: int) -> None:
        for job in doc_jobs[key]:
            hyps = [done[text] for text in job.part_texts()]
            job.seg.translation = translation = _finish(job, hyps, alternatives)
            if job.wrap is not None:  # a template around MT: no word links into it
                head, tail = job.wrap
                translation.text = f"{head}{translation.text}{tail}"
                if translation.alternatives:
                    translation.alternatives = [f"{head}{alt}{tail}"
                                                for alt in translation.alternatives]  # fmt: skip
            elif word_linker is not None:
                job.seg.translation.links = word_linker(
                    job.seg, job.prepared, job.parts, hyps, engine
                )
        if on_document is not None:
            on_document(by_key[key])

    for key in [key for key, texts in waiting.items() if not texts]:
        finish(key)  # nothing to translate (copies, templates, all cached)
    if progress is not None:
        progress(0, len(todo))
    finished = 0
    caps = {t: max_new_tokens_for(counts[t], cap=engine.max_positions) for t in todo}
    batches = _document_first(_batches(todo, counts, batch_tokens, caps), list(waiting.values()))
    results = engine.translate_batches(
        batches,
        beam_size=beam,
        max_new_tokens=[[caps[t] for t in batch] for batch in batches],
        return_attention=align,
        num_hypotheses=num_hypotheses,
    )
    for batch, hyps in zip(batches, results, strict=True):
        fresh = dict(zip(batch, hyps, strict=True))
        done.update(fresh)
        if cache is not None and not align:
            cache.store(fresh)
        finished += len(batch)
        if progress is not None:
            progress(finished, len(todo))
        for text in batch:
            for key in waiters.get(text, ()):
                waiting[key].discard(text)
                if not waiting[key]:
                    finish(key)
    return list(docs)


def _document_first(batches: list[list[str]], needs: list[set[str]]) -> list[list[str]]:
    """The same batches, reordered so that documents are finished one after another: again and
    again, the batches of the document that needs the fewest more (ties: the earlier document).
    Batch composition is unchanged, so outputs and speed are too; only completion comes sooner."""
    where = {text: i for i, batch in enumerate(batches) for text in batch}
    remaining = [{where[text] for text in texts} for texts in needs if texts]
    order: list[int] = []
    taken: set[int] = set()
    while remaining:
        best = min(range(len(remaining)), key=lambda d: len(remaining[d] - taken))
        fresh = sorted(remaining.pop(best) - taken)
        order.extend(fresh)
        taken.update(fresh)
    order.extend(i for i in range(len(batches)) if i not in taken)
    return [batches[i] for i in order]


def translate_document(
    doc: Document,
    engine: Engine,
    *,
    beam_size: int | None = None,
    batch_tokens: int = DEFAULT_BATCH_TOKENS,
    soft_limit: int = DEFAULT_SOFT_LIMIT,
    progress: Progress | None = None,
    word_linker: WordLinker | None = None,
    cache: TranslationCache | None = None,
    alternatives: int = 0,
) -> Document:
    """Translate one segmented document; see `translate_documents` for the options."""
    (out,) = translate_documents(
        [doc],
        engine,
        beam_size=beam_size,
        batch_tokens=batch_tokens,
        soft_limit=soft_limit,
        progress=progress,
        word_linker=word_linker,
        cache=cache,
        alternatives=alternatives,
    )
    return out


class TranslationCache(Protocol):
    """What the pipeline needs from an exact-match cache (see `vi2en.cache.TranslationStore`)."""

    def lookup(self, texts: Sequence[str]) -> dict[str, Hypothesis]:
        """Cached hypotheses for those of `texts` that are known."""
        ...

    def store(self, hyps: dict[str, Hypothesis]) -> None:
        """Remember fresh hypotheses, keyed by their input text."""
        ...
