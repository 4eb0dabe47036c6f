"""OPUS-CAT MT Engine's REST service (`/MtRestService/...`), as its plugins for Trados, memoQ,
OmegaT and Wordfast call it, so a translator can point an existing plugin at vi2en.

Shapes follow OPUS-CAT's `MtRestServiceController`: `Translate` answers a JSON string,
`TranslatePost` `{"translation": ...}`, `TranslateJson` the engine's `TranslationPair` —
`Translation`, `SegmentedSourceSentence`, `SegmentedTranslation`, the alignment both ways and as
`AlignmentString` (`"0-0 1-2"`), `RawTranslation` — plus the older `translation` key that the
OmegaT plugin and Wordfast read with `$.translation`. Here the segmented sides are vi2en's
words (each with SentencePiece's `▁` word mark, as the plugins expect) and the alignment is the
model's own word links (`vi2en translate --align`). Paths are case-insensitive, as in .NET.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from vi2en.doc import Document
from vi2en.serve.access import ApiError
from vi2en.serve.params import query_params, read_params

PREFIX = "/MtRestService"
ENDPOINTS = ("TranslateJson", "Translate", "TranslatePost", "ListSupportedLanguagePairs",
             "CheckModelStatus", "PreOrderBatch", "GetLanguagePairModelTags")  # fmt: skip
MODEL_NAME = "vi2en"
WORD_MARK = "\u2581"

router = APIRouter(prefix=PREFIX, tags=["OPUS-CAT"])


def canonical_paths() -> dict[str, str]:
    """Lower-cased path -> the route's own spelling (`/mtrestservice/translatejson` ...)."""
    return {f"{PREFIX}/{name}".lower(): f"{PREFIX}/{name}" for name in ENDPOINTS}


def _language(code: Any, wanted: str) -> bool:
    """OPUS-CAT's language matching, as far as vi and en go: `vi`, `vie`, `vi-VN`..."""
    if not isinstance(code, str):
        return False
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base in {"vi": ("vi", "vie"), "en": ("en", "eng")}[wanted]


def _check_pair(source: Any, target: Any) -> None:
    if not (_language(source, "vi") and _language(target, "en")):
        raise ApiError(400, f"No model available for {source}-{target}. This server translates "
                       "vi-en.")  # fmt: skip


async def _input(request: Request) -> tuple[str, dict[str, Any]]:
    params, _ = await read_params(request)
    await request.app.state.gate(request, params.get("tokenCode") or params.get("api_key"))
    _check_pair(params.get("srcLangCode"), params.get("trgLangCode"))
    text = params.get("input")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise ApiError(400, "Invalid request: input must be a string")
    request.app.state.policy.check_size([text])
    return text, params


async def _translate(request: Request, text: str) -> str:
    if not text.strip():
        return text
    (out,) = await request.app.state.translate_plain([text])
    return out


@router.get("/Translate")
async def translate(request: Request) -> JSONResponse:
    """One string in, its translation as a JSON string."""
    text, _ = await _input(request)
    return JSONResponse(await _translate(request, text))


@router.post("/TranslatePost")
async def translate_post(request: Request) -> JSONResponse:
    """Wordfast's call: `{"translation": ...}`."""
    text, _ = await _input(request)
    return JSONResponse({"translation": await _translate(request, text)})


@router.get("/TranslateJson")
async def translate_json(request: Request) -> JSONResponse:
    """The translation with its word alignment (the Trados plugin places tags with it)."""
    from vi2en.serve.service import render_text

    text, _ = await _input(request)
    service = request.app.state.service
    if not text.strip():
        pair = translation_pair(None, text, text)
    else:

        def run() -> dict[str, Any]:
            (doc,) = service.translate_texts([text], align=True)
            return translation_pair(doc, text, render_text(doc, text))

        pair = await service.run(len(text), run)
    return JSONResponse(pair, headers={"Access-Control-Allow-Origin": "*"})


@router.get("/ListSupportedLanguagePairs")
async def list_pairs(request: Request) -> JSONResponse:
    """The language pairs this server has models for."""
    await request.app.state.gate(request, query_params(request).get("tokenCode"))
    return JSONResponse(["vi-en"])


@router.get("/GetLanguagePairModelTags")
async def model_tags(request: Request) -> JSONResponse:
    """Fine-tuned model tags for a pair: vi2en has none."""
    await request.app.state.gate(request, query_params(request).get("tokenCode"))
    return JSONResponse([])


@router.get("/CheckModelStatus")
async def check_model_status(request: Request) -> JSONResponse:
    """OPUS-CAT's status sentence for a pair (and model tag)."""
    params = query_params(request)
    await request.app.state.gate(request, params.get("tokenCode"))
    source, target = params.get("sourceCode", ""), params.get("targetCode", "")
    if not (_language(source, "vi") and _language(target, "en")):
        return JSONResponse(f"No model available for {source}-{target}. Install a model in the "
                            "OPUS-CAT MT Engine.")  # fmt: skip
    primary = f"Primary model {MODEL_NAME} for vi-en will be used."
    tag = params.get("modelTag") or ""
    if tag:
        return JSONResponse(f"No model with tag {tag} available for vi-en. Fine-tuning may have "
                            f"been aborted, or the model has been deleted. {primary}")  # fmt: skip
    return JSONResponse(primary)


@router.post("/PreOrderBatch")
async def pre_order_batch(request: Request) -> Response:
    """Translate a batch ahead (into the cache), answering at once, as OPUS-CAT does."""
    params = query_params(request)  # the body is the list itself
    await request.app.state.gate(request, params.get("tokenCode"))
    _check_pair(params.get("srcLangCode"), params.get("trgLangCode"))
    body = await request.body()
    try:
        texts = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "Invalid request: the body must be a JSON list of strings") from None
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise ApiError(400, "Invalid request: the body must be a JSON list of strings")
    if not texts:
        raise ApiError(400, "Invalid request: input was empty")
    request.app.state.policy.check_size(texts)
    task = asyncio.ensure_future(request.app.state.translate_plain(texts))
    request.app.state.background.add(task)
    task.add_done_callback(request.app.state.background.discard)
    return Response(status_code=200)


def translation_pair(doc: Document | None, source: str, output: str) -> dict[str, Any]:
    """OPUS-CAT's `TranslationPair` for a translated document and its rendered `output`.

    Words are vi2en's (`vi2en.align.wordspans.word_spans`) on both sides; alignment pairs are
    `(source word, target word)` from the segments' word links.
    """
    from vi2en.align.wordspans import word_spans

    src_words = word_spans(doc.text if doc is not None else source)
    tgt_words = word_spans(output)
    src_index = {start: i for i, (start, _) in enumerate(src_words)}
    tgt_index = {start: i for i, (start, _) in enumerate(tgt_words)}
    pairs: list[tuple[int, int]] = []
    if doc is not None:
        gaps = doc.gaps()
        offset = len(gaps[0])  # where each segment's translation starts in `output` (txt)
        for seg, gap in zip(doc.segments, gaps[1:], strict=True):
            tr = seg.translation
            for link in (tr.links or []) if tr is not None else []:
                s = src_index.get(link.src_start)
                t = tgt_index.get(offset + link.tgt_start)
                if s is not None and t is not None:
                    pairs.append((s, t))
            offset += len(tr.text if tr is not None else "") + len(gap)
    pairs = sorted(set(pairs))
    text = doc.text if doc is not None else source
    src_tokens = [WORD_MARK + text[a:b] for a, b in src_words]
    tgt_tokens = [WORD_MARK + output[a:b] for a, b in tgt_words]
    forward: dict[str, list[int]] = {}
    backward: dict[str, list[int]] = {}
    for s, t in pairs:
        forward.setdefault(str(s), []).append(t)
        backward.setdefault(str(t), []).append(s)
    return {
        "translation": output,
        "Translation": output,
        "SegmentedSourceSentence": src_tokens,
        "SegmentedTranslation": tgt_tokens,
        "SegmentedAlignmentSourceToTarget": forward,
        "SegmentedAlignmentTargetToSource": backward,
        "AlignmentString": " ".join(f"{s}-{t}" for s, t in pairs),
        "RawTranslation": " ".join(tgt_tokens),
    }
