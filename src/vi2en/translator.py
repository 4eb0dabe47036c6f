"""The Python API mirroring `vi2en translate`: load a model once, translate articles or segments.

>>> from vi2en import Translator
>>> tr = Translator()                                   # doctest: +SKIP
>>> doc = tr.translate_text("Hà Nội mưa to. Ảnh: TTXVN")  # doctest: +SKIP
>>> [seg.translation.text for seg in doc]               # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from vi2en.defaults import (
    DEFAULT_BATCH_TOKENS,
    DEFAULT_BEAM_SIZE,
    DEFAULT_COMPUTE_TYPE,
    DEFAULT_DEVICE,
    DEFAULT_ENGINE,
    DEFAULT_GUARDS,
    DEFAULT_MODEL,
    DEFAULT_SOFT_LIMIT,
    DEFAULT_THREADS,
)
from vi2en.doc import (
    Document,
    Segment,
    SegmentType,
    Translation,
    TranslationSignature,
    WordLink,
)
from vi2en.engines.base import Engine, Hypothesis
from vi2en.engines.registry import Notify, warn
from vi2en.errors import InputError
from vi2en.pipeline import (
    DocumentDone,
    Progress,
    TranslationCache,
    check_alternatives,
    translate_documents,
)
from vi2en.text.prep import PreparedText

if TYPE_CHECKING:
    from vi2en.cache import TranslationStore


def link_parts(
    seg: Segment,
    prepared: PreparedText,
    parts: list[tuple[int, int]],
    hyps: list[Hypothesis],
    engine: Engine,
) -> list[WordLink]:
    """Word links of a segment translated in parts, indexed into the joined translation.

    Each part's attention is turned into links by `vi2en.align.words.links_for_segment`; target
    word indices and spans are shifted by the parts before it (the pipeline joins parts with one
    space). Source offsets go through the preparation's offset map back into `doc.text`.
    """
    from vi2en.align.words import links_for_segment
    from vi2en.align.wordspans import word_spans

    links: list[WordLink] = []
    tgt_offset = tgt_words = 0
    for (start, end), hyp in zip(parts, hyps, strict=True):
        text = hyp.text.strip()
        if not text:
            continue
        offsets = [seg.start + prepared.spans[i][0] for i in range(start, end)]
        offsets.append(seg.start + prepared.spans[end - 1][1])
        pieces = engine.source_pieces(prepared.text[start:end])
        for link in links_for_segment(seg, hyp, pieces, src_offset_map=offsets, tgt_text=text):
            links.append(
                dataclasses.replace(
                    link,
                    tgt_index=link.tgt_index + tgt_words,
                    tgt_start=link.tgt_start + tgt_offset,
                    tgt_end=link.tgt_end + tgt_offset,
                )
            )
        tgt_words += len(word_spans(text))
        tgt_offset += len(text) + 1
    return links


class Translator:
    """A translation model, loaded on first use, and the article pipeline around it.

    Args:
        model: Hub id, Hugging Face folder or CTranslate2 folder.
        engine: a registered engine name (`vi2en.engines.engine_names()`: "auto",
            "ctranslate2", "transformers"), or an already loaded `Engine`.
        device: "auto" (CUDA when present), "cpu" or "cuda".
        compute_type: "auto" or an explicit type ("int8", "float32", "float16"...).
        threads: CPU threads (0: the library default).
        beam_size: beam width; None: the model's default (4 for opus-mt).
        batch_tokens: source positions per batch, padding included.
        soft_limit: pieces above which a segment is split at clause boundaries.
        align: also store word links (from the model's attention) in each translation.
        qa: run QA (`vi2en.qa.check_document`) on every translated document, so its flags
            reach every output format; False leaves only the pipeline's flags.
        glossary: Vietnamese term -> required English term, checked by QA
            (`vi2en.qa.load_glossary`).
        cache: True for the SQLite exact-match cache in vi2en's cache dir (`vi2en.cache`;
            `VI2EN_CACHE_DIR` honoured), False for none, or any `TranslationCache`.
        engine_options: extra engine options (`vi2en.engines.load_engine`).
        notify: where to report what is not an error (engine auto falling back); default:
            a `vi2en.errors.Vi2enWarning`.
        guards: output guards around the engine it loads (`vi2en.guards`: "repetition",
            "caps"; all by default, () for none). An `Engine` passed in is used as it is.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        engine: str | Engine = DEFAULT_ENGINE,
        *,
        device: str = DEFAULT_DEVICE,
        compute_type: str = DEFAULT_COMPUTE_TYPE,
        threads: int = DEFAULT_THREADS,
        beam_size: int | None = DEFAULT_BEAM_SIZE,
        batch_tokens: int = DEFAULT_BATCH_TOKENS,
        soft_limit: int = DEFAULT_SOFT_LIMIT,
        align: bool = False,
        qa: bool = True,
        glossary: dict[str, str] | None = None,
        cache: bool | TranslationCache = False,
        engine_options: dict[str, Any] | None = None,
        notify: Notify | None = None,
        guards: Sequence[str] = DEFAULT_GUARDS,
    ) -> None:
        self.model = model
        self.engine_name = engine if isinstance(engine, str) else engine.name
        # An engine given ready-made is used as it is (`vi2en.guards.guard_engine` guards one).
        self.guards = tuple(guards) if isinstance(engine, str) else getattr(engine, "guards", ())
        self._engine: Engine | None = None if isinstance(engine, str) else engine
        self.device = device
        self.compute_type = compute_type
        self.threads = threads
        self.beam_size = beam_size
        self.batch_tokens = batch_tokens
        self.soft_limit = soft_limit
        self.align = align
        self.qa = qa
        self.glossary = dict(glossary or {})
        self.cache = cache
        self._store: TranslationStore | None = None
        self.engine_options = dict(engine_options or {})
        self.notify = notify
        self._signature: tuple[tuple[int, int, int], TranslationSignature] | None = None
        self._said_no_align = False

    def signature(self) -> TranslationSignature:
        """What translates with these settings, as it runs (loads the engine if needed).

        Raises:
            ModelNotFound, EngineError: the model cannot be loaded.
        """
        from vi2en.provenance import signature_for

        beam = self.beam_size or self.engine.default_beam_size
        wanted = (id(self.engine), beam, self.soft_limit)
        if self._signature is None or self._signature[0] != wanted:
            made = signature_for(self.engine, beam_size=beam, soft_limit=self.soft_limit)
            self._signature = (wanted, made)
        return self._signature[1]

    def run_stamp(self, fmt: str) -> str:
        """Everything an output file depends on, as text (loads the engine if needed): the
        signature plus the output settings. A folder rerun whose stamp differs (another model,
        model file, generation config, beam, format...) rewrites instead of skipping."""
        settings = {
            "signature": self.signature().to_dict(),
            "format": fmt,
            "align": self.aligning,
            "qa": sorted(self.glossary.items()) if self.qa else None,  # None: QA off
        }
        return json.dumps(settings, sort_keys=True, ensure_ascii=False)

    @property
    def engine(self) -> Engine:
        """The loaded engine (loaded now if this is the first use).

        Raises:
            ModelNotFound: the model cannot be had (the message says how to get it).
            EngineError: the engine cannot run it.
        """
        if self._engine is None:
            from vi2en.engines import load_engine
            from vi2en.guards import guard_engine

            self._engine = guard_engine(load_engine(
                self.engine_name,
                self.model,
                device=self.device,
                compute_type=self.compute_type,
                threads=self.threads,
                notify=self.notify,
                **self.engine_options,
            ), self.guards)  # fmt: skip
        return self._engine

    def translate_documents(
        self,
        docs: Sequence[Document],
        *,
        progress: Progress | None = None,
        on_document: DocumentDone | None = None,
        alternatives: int = 0,
    ) -> list[Document]:
        """Translate documents together (segmenting any that have no segments yet); QA runs on
        each document as it is finished, unless `qa` is off.

        `on_document` is called with each document as soon as it is fully translated and
        checked, while the others still are (see `vi2en.pipeline.translate_documents`).
        `alternatives` > 0 also gives each translation up to that many others from the beam's
        n-best (`Translation.alternatives`; the primary is unchanged; the cache is bypassed).
        """
        from vi2en.qa import check_document
        from vi2en.segment import segment_document

        for doc in docs:
            if not doc.segments:
                segment_document(doc)
        signature = self.signature()
        for doc in docs:
            doc.signature = signature

        def finished(doc: Document) -> None:  # the QA stage, before anyone sees the document
            if self.qa:
                check_document(doc, glossary=self.glossary or None)
            if on_document is not None:
                on_document(doc)

        translate_documents(
            docs,
            self.engine,
            beam_size=self.beam_size,
            batch_tokens=self.batch_tokens,
            soft_limit=self.soft_limit,
            progress=progress,
            word_linker=link_parts if self.aligning else None,
            cache=self._cache(),
            on_document=finished,
            alternatives=alternatives,
        )
        return list(docs)

    @property
    def aligning(self) -> bool:
        """Whether word links are made: `align` asked for, and the model's attention was trained
        to align (OPUS-MT "transformer-align"). Otherwise `align` is switched off, said once
        through `notify`: untrained attention is never presented as alignment."""
        if not self.align:
            return False
        engine = self.engine
        if engine.aligned_attention:
            return True
        if not self._said_no_align:
            self._said_no_align = True
            family = getattr(getattr(engine, "family", None), "name", "this")
            (self.notify or warn)(
                f"--align is off: {engine.model_id} ({family} family) has no attention trained "
                "for word alignment (only OPUS-MT transformer-align models have); translating "
                "without word links"
            )
        return False

    @property
    def cache_store(self) -> TranslationStore | None:
        """The SQLite cache opened for this translator's settings (None: none used yet)."""
        return self._store

    def _cache(self) -> TranslationCache | None:
        if self.cache is False or self.cache is None:
            return None
        if self.cache is not True:
            return self.cache
        from vi2en.cache import TranslationStore

        key = self.signature().key()  # a changed beam or soft limit opens another key
        if self._store is None or self._store.key != key:
            self._store = TranslationStore(key)
        return self._store

    def translate_document(self, doc: Document, *, progress: Progress | None = None) -> Document:
        """Translate one document (segmented first if it has no segments)."""
        return self.translate_documents([doc], progress=progress)[0]

    def translate_text(self, text: str, *, progress: Progress | None = None) -> Document:
        """Clean, segment and translate an article given as a string.

        Raises:
            InputError: the text is empty or only whitespace.
        """
        from vi2en.text.clean import clean_text

        cleaned, changes = clean_text(text)
        if not cleaned.strip():
            raise InputError("no text to translate (the input is empty or only whitespace)")
        return self.translate_document(Document(text=cleaned, changes=changes), progress=progress)

    def translate_segments(
        self, texts: Sequence[str], *, alternatives: int = 0
    ) -> list[Translation]:
        """Translate each string as one segment (no sentence splitting), for evaluation and CAT.

        Over-long strings are still split before the model and joined (see the flags).
        Empty strings give an empty translation. `alternatives` > 0: each translation also has
        up to that many other distinct translations from the beam's n-best, best first
        (`Translation.alternatives`, [] for an empty string); `text` is unchanged by it.

        Raises:
            Vi2enError: `alternatives` outside 0 to `vi2en.pipeline.MAX_ALTERNATIVES`.
        """
        check_alternatives(alternatives)
        doc = Document(text="\n".join(texts))
        pos = 0
        owners: list[int | None] = []
        for text in texts:
            if text.strip():
                doc.add_segment(
                    pos, pos + len(text), SegmentType.BODY, paragraph=len(owners), sentence=0
                )
                owners.append(len(doc.segments) - 1)
            else:
                owners.append(None)
            pos += len(text) + 1
        if doc.segments:
            self.translate_documents([doc], alternatives=alternatives)
        out = []
        for i in owners:
            tr = None if i is None else doc.segments[i].translation
            empty = Translation(text="", method="copy", alternatives=[] if alternatives else None)
            out.append(empty if tr is None else tr)
        return out
