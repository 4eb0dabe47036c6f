"""The one data model that flows through vi2en: a Document of typed Segments.

A `Document` owns the normalized (NFC) source text. Every `Segment` is a view into it: it stores
`start`/`end` character offsets (code points) and its `text` is always
`doc.text[seg.start:seg.end]`. Later stages enrich segments in place: the pipeline attaches a
`Translation`, the aligner attaches `WordLink`s to it, the pipeline and QA attach `Flag`s to it
(`vi2en.flags` lists every code). Nothing here imports from the rest of vi2en.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any


class SegmentType(str, Enum):
    """What a segment is in a news article; it decides how the segment is translated."""

    HEADING = "heading"  # title or intertitle: translated
    LEAD = "lead"  # sapo, the first paragraph after the title: translated
    BODY = "body"  # ordinary sentence: translated
    CAPTION = "caption"  # photo caption text: translated
    CREDIT = "credit"  # `Ảnh: Sputnik`: rendered by template, never machine-translated
    BYLINE = "byline"  # `Hồng Anh/VOV.VN (biên dịch)`: kept as is
    SOURCE = "source"  # `Theo CNN, Fox News`, `(TTXVN)`, outlet prefix `(Dân trí) -`: kept as is
    SKIPPED = "skipped"  # related links, tags: kept, not translated

    def __str__(self) -> str:
        return self.value


# Segment types whose text goes through the MT model.
TRANSLATED_TYPES = frozenset(
    {SegmentType.HEADING, SegmentType.LEAD, SegmentType.BODY, SegmentType.CAPTION}
)


@dataclass(frozen=True)
class Flag:
    """A pipeline or QA note on a translation: a stable code (`vi2en.flags`) and a message."""

    code: str
    message: str


@dataclass(frozen=True)
class WordLink:
    """One source word linked to one target word.

    `src_index`/`tgt_index` are word indices within the segment (Pharaoh `i-j`);
    `src_start`/`src_end` are offsets into `doc.text`, `tgt_start`/`tgt_end` into the
    translation's `text`.
    """

    src_index: int
    tgt_index: int
    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int


@dataclass
class Translation:
    """What became of one segment on the target side.

    `method` says how the text was made: "mt" (the model), "template" (credits such as
    `Photo: X`), or "copy" (bylines, sources, skipped lines kept as they are).
    `parts` > 1 means the segment was split before translation (see `flags`).
    `alternatives` (None unless asked for) are other distinct translations from the beam's
    n-best, best first, none equal to `text` (`vi2en.pipeline`, `alternatives`).
    """

    text: str
    method: str = "mt"
    score: float | None = None
    parts: int = 1
    flags: list[Flag] = field(default_factory=list)
    links: list[WordLink] | None = None
    alternatives: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "method": self.method,
            "score": self.score,
            "parts": self.parts,
            "flags": [{"code": f.code, "message": f.message} for f in self.flags],
        }
        if self.links is not None:
            out["links"] = [vars(link) for link in self.links]
        if self.alternatives is not None:
            out["alternatives"] = list(self.alternatives)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Translation:
        """Rebuild a translation from `to_dict` output (method "mt" when absent)."""
        links = data.get("links")
        return cls(
            text=data["text"],
            method=data.get("method", "mt"),
            score=data.get("score"),
            parts=data.get("parts", 1),
            flags=[Flag(**f) for f in data.get("flags", [])],
            links=None if links is None else [WordLink(**link) for link in links],
            alternatives=data.get("alternatives"),
        )


@dataclass(eq=False)
class Segment:
    """A sentence-sized span of a document, typed, with an optional translation.

    Create segments with `Document.add_segment`, which checks the span.
    """

    doc: Document = field(repr=False)
    index: int
    paragraph: int
    sentence: int
    type: SegmentType
    start: int
    end: int
    translation: Translation | None = None

    @property
    def text(self) -> str:
        return self.doc.text[self.start : self.end]

    @property
    def translated(self) -> bool:
        """Whether this segment's type goes through the MT model."""
        return self.type in TRANSLATED_TYPES

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": self.index,
            "paragraph": self.paragraph,
            "sentence": self.sentence,
            "type": self.type.value,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }
        if self.translation is not None:
            out["translation"] = self.translation.to_dict()
        return out


@dataclass(frozen=True)
class TranslationSignature:
    """What made a translation, as it actually ran: enough to tell two runs apart.

    Built from the loaded engine by `vi2en.provenance.signature_for` (never from what was
    asked: engine "auto" and device "auto" are resolved). The jsonl header, XLIFF, TMX, the
    review page and eval reports carry it; the translation cache key and the resume stamps are
    derived from it (`key`), so they always agree on what changes a translation.

    `model_sha` fingerprints the model files' contents (None for an engine without files);
    `generation` is the model's generation config; `length_policy` names how decoding is
    capped and `soft_limit` where long segments are split; `segmenter` and `preparation` are
    the versions of the rules that cut and prepare the text; `guards` the output guards that ran
    (`vi2en.guards`, comma-separated; "" for none, and in records written before guards).
    """

    vi2en: str
    model: str
    revision: str | None
    model_sha: str | None
    generation: tuple[tuple[str, Any], ...]
    engine: str
    device: str
    compute_type: str
    beam_size: int
    soft_limit: int
    length_policy: str
    segmenter: str
    preparation: str
    guards: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["generation"] = dict(self.generation)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TranslationSignature:
        """Rebuild a signature from `to_dict` output.

        Raises:
            ValueError: a field is missing or unknown.
        """
        names = {f.name for f in fields(cls)}
        data = {"guards": "", **data}  # records from before guards existed
        if set(data) != names:
            raise ValueError(f"signature fields {sorted(set(data) ^ names)} missing or unknown")
        return cls(**{**data, "generation": tuple(sorted(dict(data["generation"]).items()))})

    def key(self) -> str:
        """A hash of every field: equal keys mean the same settings made the translation."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]

    def format(self) -> str:
        """The short printable form (`vi2en translate -v`), in sacreBLEU's `key:value|` style.

        >>> sig.format()  # doctest: +SKIP
        'vi2en:0.1.0|model:Helsinki-NLP/opus-mt-vi-en@cb1b1f3|sha:3f0c9d2a41b7|gen:6a1e0c2b|...'
        """
        generation = json.dumps(dict(self.generation), sort_keys=True)
        parts = [
            f"vi2en:{self.vi2en}",
            f"model:{self.model}" + (f"@{self.revision[:12]}" if self.revision else ""),
            f"sha:{(self.model_sha or 'none')[:12]}",
            f"gen:{hashlib.sha256(generation.encode()).hexdigest()[:8]}",
            f"engine:{self.engine}",
            f"device:{self.device}",
            f"compute:{self.compute_type}",
            f"beam:{self.beam_size}",
            f"soft:{self.soft_limit}",
            f"len:{self.length_policy}",
            f"seg:{self.segmenter}",
            f"prep:{self.preparation}",
            f"guards:{self.guards or 'none'}",
        ]
        return "|".join(parts)


@dataclass(eq=False)
class Document:
    """Normalized source text plus its segments, in text order.

    `changes` lists what ingest changed in the raw input (decoding, NFC, removed characters),
    so the CLI can show it with `--verbose`. `source` names where the text came from (the
    input's path as given, "stdin", or None), `segmenter` the rules that cut it (set by
    `vi2en.segment.segment_document`), `signature` what translated it (None until translated).
    """

    text: str
    segments: list[Segment] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    source: str | None = None
    segmenter: str | None = None
    signature: TranslationSignature | None = None

    def add_segment(
        self,
        start: int,
        end: int,
        type: SegmentType,
        *,
        paragraph: int,
        sentence: int,
    ) -> Segment:
        """Append a segment; spans must be non-empty, in order and non-overlapping."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"Document: bad span {start}:{end} for text of {len(self.text)}")
        if self.segments and start < self.segments[-1].end:
            raise ValueError(
                f"Document: span {start}:{end} overlaps or precedes {self.segments[-1].end}"
            )
        seg = Segment(
            doc=self,
            index=len(self.segments),
            paragraph=paragraph,
            sentence=sentence,
            type=SegmentType(type),
            start=start,
            end=end,
        )
        self.segments.append(seg)
        return seg

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    def paragraphs(self) -> list[list[Segment]]:
        """Segments grouped by paragraph index, in order."""
        groups: dict[int, list[Segment]] = {}
        for seg in self.segments:
            groups.setdefault(seg.paragraph, []).append(seg)
        return [groups[k] for k in sorted(groups)]

    def gaps(self) -> list[str]:
        """The text between segments: gaps[i] precedes segment i, gaps[-1] trails the last."""
        out, pos = [], 0
        for seg in self.segments:
            out.append(self.text[pos : seg.start])
            pos = seg.end
        out.append(self.text[pos:])
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "changes": list(self.changes),
            "source": self.source,
            "segmenter": self.segmenter,
            "signature": None if self.signature is None else self.signature.to_dict(),
            "segments": [seg.to_dict() for seg in self.segments],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a document (with translations and links) from `to_dict` output."""
        doc = cls(text=data["text"], changes=list(data.get("changes", [])),
                  source=data.get("source"), segmenter=data.get("segmenter"))
        if data.get("signature") is not None:
            doc.signature = TranslationSignature.from_dict(data["signature"])
        for item in data["segments"]:
            seg = doc.add_segment(
                item["start"],
                item["end"],
                SegmentType(item["type"]),
                paragraph=item["paragraph"],
                sentence=item["sentence"],
            )
            tr = item.get("translation")
            if tr is not None:
                seg.translation = Translation.from_dict(tr)
        return doc
