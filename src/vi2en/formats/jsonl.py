"""JSON Lines: a header record, then one record per segment; readable back into a Document.

Header (first line): `{"format": "vi2en-jsonl", "version": 1, "vi2en": ..., "model": ...,
"engine": ..., "device": ..., "compute_type": ..., "beam_size": ..., "soft_limit": ...,
"aligned": ..., "signature": {...}, "source": ..., "segmenter": ..., "segments": N,
"changes": [...], "text": "<the whole source text>"}` (`source` and `segmenter` are the
Document's; files written before they were fields kept them in a `"meta"` object, still
read). `signature` is the full `TranslationSignature` (what translated it; null before
translation); the flat keys copy parts of it for a quick look. The full source text makes the
file self-contained: `parse` rebuilds the Document with every span and the signature.

Segment record: `{"index", "paragraph", "sentence", "type", "start", "end", "source", "target",
"method", "score", "parts", "flags": [{"code", "message"}]}`, plus `"links"` (word links, when
aligned). `start`/`end` index `text`;
`target` is null for a segment that was not translated.
"""

from __future__ import annotations

import json
from typing import Any

from vi2en import __version__
from vi2en.doc import Document, SegmentType, Translation, TranslationSignature
from vi2en.errors import FormatError

FORMAT_NAME = "vi2en-jsonl"
FORMAT_VERSION = 1
# Copied from the signature into the header, for grep and quick looks (`signature` has it all).
HEADER_KEYS = ("model", "engine", "device", "compute_type", "beam_size", "soft_limit")


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def render(doc: Document) -> str:
    """Header line plus one JSON object per segment."""
    signature = None if doc.signature is None else doc.signature.to_dict()
    header: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "vi2en": __version__,
    }
    header.update({key: (signature or {}).get(key) for key in HEADER_KEYS})
    header.update(
        aligned=any(s.translation is not None and s.translation.links is not None
                    for s in doc.segments),
        signature=signature,
        source=doc.source,
        segmenter=doc.segmenter,
        segments=len(doc.segments),
        changes=list(doc.changes),
        text=doc.text,
    )  # fmt: skip
    lines = [_dumps(header)]
    for seg in doc.segments:
        tr = seg.translation
        record: dict[str, Any] = {
            "index": seg.index,
            "paragraph": seg.paragraph,
            "sentence": seg.sentence,
            "type": seg.type.value,
            "start": seg.start,
            "end": seg.end,
            "source": seg.text,
            "target": None if tr is None else tr.text,
            "method": None if tr is None else tr.method,
            "score": None if tr is None else tr.score,
            "parts": 1 if tr is None else tr.parts,
            "flags": [] if tr is None else [vars(f) for f in tr.flags],
        }
        if tr is not None and tr.links is not None:
            record["links"] = [vars(link) for link in tr.links]
        lines.append(_dumps(record))
    return "".join(lines)


def _records(text: str) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FormatError(f"jsonl line {number}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise FormatError(f"jsonl line {number}: expected an object")
        out.append((number, record))
    return out


def parse(text: str) -> Document:
    """Rebuild the translated Document from `render` output.

    Raises:
        FormatError: not a vi2en jsonl file, a malformed record, or spans that do not match.
    """
    records = _records(text)
    if not records or records[0][1].get("format") != FORMAT_NAME:
        raise FormatError("not a vi2en jsonl file (its first line must be the vi2en header)")
    header = records[0][1]
    if header.get("version") != FORMAT_VERSION or not isinstance(header.get("text"), str):
        raise FormatError(
            f"unsupported vi2en jsonl version {header.get('version')!r} (expected "
            f"{FORMAT_VERSION}) or no source text in the header"
        )
    older = header.get("meta") or {}  # version-1 files written before the typed fields
    doc = Document(
        text=header["text"],
        changes=list(header.get("changes", [])),
        source=header.get("source", older.get("source")),
        segmenter=header.get("segmenter", older.get("segmenter")),
    )
    if header.get("signature") is not None:
        try:
            doc.signature = TranslationSignature.from_dict(header["signature"])
        except (TypeError, ValueError) as exc:
            raise FormatError(f"jsonl header: bad signature ({exc})") from None
    for number, record in records[1:]:
        try:
            seg = doc.add_segment(
                record["start"],
                record["end"],
                SegmentType(record["type"]),
                paragraph=record["paragraph"],
                sentence=record["sentence"],
            )
            if seg.text != record["source"]:
                raise ValueError("source text does not match the span in the header text")
            if record.get("target") is not None:
                # A record names the text "target"; its method is required here.
                fields = {**record, "text": record["target"], "method": record["method"]}
                seg.translation = Translation.from_dict(fields)
        except (KeyError, TypeError, ValueError) as exc:
            raise FormatError(f"jsonl line {number}: bad segment record ({exc})") from None
    if header.get("segments") is not None and header["segments"] != len(doc.segments):
        raise FormatError(
            f"jsonl: header announces {header['segments']} segments, file has {len(doc.segments)}"
            " (truncated file?)"
        )
    return doc
