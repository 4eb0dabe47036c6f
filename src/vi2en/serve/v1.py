"""vi2en's own API, `/v1`: the whole `Document` (typed segments, spans, translations, flags, word
links, provenance) rather than a string.

- `POST /v1/translate` `{"text": ARTICLE, "align": false}` -> `{"translation": TEXT,
  "document": {...}}` (the document as `vi2en translate --format jsonl` records it).
- `POST /v1/translate/stream` (same body) -> NDJSON: one line per segment as its paragraph
  finishes, in order, then `{"done": true, "translation": ..., "signature": ...}`.
- `POST /v1/segments` `{"segments": [...]}` -> `{"translations": [...], "signature": ...}`, each
  string one segment (no sentence splitting), as `Translator.translate_segments`.
- `GET /v1/models` -> what this server translates with.

The three translating endpoints take `"alternatives": N` (0 to `MAX_ALTERNATIVES`): every
translation then has `"alternatives"`, up to N other distinct translations from the beam's
n-best, best first (fewer, or none, when the beam has no more); the primary is unchanged.

A key, where the server requires one, goes in `Authorization: Bearer KEY` or `X-API-Key`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from vi2en.doc import Document
from vi2en.pipeline import MAX_ALTERNATIVES

router = APIRouter(prefix="/v1", tags=["vi2en"])
ALTERNATIVES = ("up to this many other translations from the beam's n-best in each "
                "translation's `alternatives` (the primary is unchanged)")  # fmt: skip


class ArticleRequest(BaseModel):
    """An article to translate."""

    model_config = ConfigDict(extra="forbid")
    text: StrictStr = Field(description="the Vietnamese article, as a file would hold it")
    align: StrictBool = Field(False, description="add word links from the model's attention")
    alternatives: StrictInt = Field(0, ge=0, le=MAX_ALTERNATIVES, description=ALTERNATIVES)


class SegmentsRequest(BaseModel):
    """Strings to translate, each as one segment."""

    model_config = ConfigDict(extra="forbid")
    segments: list[StrictStr] = Field(min_length=1, description="one segment per string")
    align: StrictBool = False
    alternatives: StrictInt = Field(0, ge=0, le=MAX_ALTERNATIVES, description=ALTERNATIVES)


def _api_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-api-key")


async def _admit(request: Request, texts: list[str]) -> None:
    await request.app.state.gate(request, _api_key(request))
    request.app.state.policy.check_size(texts)


@router.post("/translate")
async def translate(request: Request, body: ArticleRequest) -> JSONResponse:
    """An article in, the translated Document out."""
    from vi2en.serve.service import render_text

    await _admit(request, [body.text])
    service = request.app.state.service

    def run() -> dict[str, Any]:
        (doc,) = service.translate_texts([body.text], align=body.align,
                                         alternatives=body.alternatives)  # fmt: skip
        return {"translation": render_text(doc, body.text), "document": doc.to_dict()}

    return JSONResponse(await service.run(len(body.text), run))


@router.post("/translate/stream")
async def translate_stream(request: Request, body: ArticleRequest) -> StreamingResponse:
    """An article in, NDJSON out: each segment as soon as its paragraph is translated."""
    from vi2en.segment import segment_document
    from vi2en.serve.service import ingest, render_text

    await _admit(request, [body.text])
    service = request.app.state.service
    doc = ingest(body.text)  # bad input is a 400 before the stream starts
    await asyncio.get_running_loop().run_in_executor(None, segment_document, doc)
    translator = service.translator(chars=len(doc.text), align=body.align)
    chunks = []
    for group in doc.paragraphs():
        part = Document(text=doc.text)
        for seg in group:
            part.add_segment(seg.start, seg.end, seg.type, paragraph=seg.paragraph,
                             sentence=seg.sentence)  # fmt: skip
        chunks.append((group, part))

    def job(part: Document) -> Any:
        chars = sum(seg.end - seg.start for seg in part.segments)
        return service.run(chars, lambda: translator.translate_documents(
            [part], alternatives=body.alternatives))  # fmt: skip

    tasks = [asyncio.ensure_future(job(part)) for _, part in chunks]

    async def lines() -> AsyncIterator[bytes]:
        try:
            for (group, part), task in zip(chunks, tasks, strict=True):
                await task
                for seg, done in zip(group, part.segments, strict=True):
                    seg.translation = done.translation
                    yield (json.dumps(seg.to_dict(), ensure_ascii=False) + "\n").encode()
            doc.signature = service.signature
            tail = {"done": True, "translation": render_text(doc, body.text),
                    "signature": service.signature.to_dict()}  # fmt: skip
        except Exception as exc:  # the status is sent: say so in the stream, then stop
            from vi2en.errors import InputError

            message = str(exc) if isinstance(exc, InputError) else "internal error"
            if not isinstance(exc, InputError):
                import logging

                logging.getLogger("vi2en.serve").exception("stream failed")
            tail = {"done": True, "error": message}
        finally:
            for task in tasks:
                task.cancel()
        yield (json.dumps(tail, ensure_ascii=False) + "\n").encode()

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@router.post("/segments")
async def segments(request: Request, body: SegmentsRequest) -> JSONResponse:
    """Strings in, one translation each (no sentence splitting), for evaluation and CAT use."""
    await _admit(request, body.segments)
    service = request.app.state.service
    chars = sum(len(s) for s in body.segments)
    done = await service.run(chars, lambda: service.translate_segments(
        body.segments, align=body.align, alternatives=body.alternatives))  # fmt: skip
    return JSONResponse({"translations": [tr.to_dict() for tr in done],
                         "signature": service.signature.to_dict()})  # fmt: skip


@router.get("/models")
async def models(request: Request) -> JSONResponse:
    """The model this server translates with, as it runs."""
    sig = request.app.state.service.signature
    return JSONResponse([{
        "id": sig.model, "source": "vi", "target": "en", "engine": sig.engine,
        "device": sig.device, "compute_type": sig.compute_type, "beam_size": sig.beam_size,
        "signature": sig.to_dict(), "short": sig.format(),
    }])  # fmt: skip
