"""The LibreTranslate API (v1.9), field for field, so Weblate, Discourse, browser add-ons and
`libretranslatepy` work unchanged: `POST /translate`, `POST /translate_file`,
`GET /download_file/NAME`, `POST /detect`, `GET /languages`, `GET /frontend/settings`.

Requests are JSON or form data; `q` is a string or a list; `source` is `vi` or `auto`, `target`
`en`; `format` `text` or `html`. Errors are `{"error": "..."}` with LibreTranslate's messages.

`alternatives: N` works as in LibreTranslate 1.9 (`libretranslate/app.py`, `translate`): a number
(a negative one counts as 0), at most the limit (`MAX_ALTERNATIVES` here; LibreTranslate's
`--alternatives-limit`); when N > 0 the answer has `alternatives`, per text a list of up to N
other distinct translations of the whole text from the beam's n-best (rank by rank over its
sentences, as Argos Translate does), and an empty list for `format=html` ("not supported for
html yet", as LibreTranslate). Unlike LibreTranslate, `translatedText` is the same with and
without alternatives: a wider n-best than the beam is decoded apart, never by widening the
beam of the primary.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse

from vi2en.pipeline import MAX_ALTERNATIVES
from vi2en.serve.access import ApiError
from vi2en.serve.params import read_params, text_param

SOURCE = {"code": "vi", "name": "Vietnamese"}
TARGET = {"code": "en", "name": "English"}
FILE_SUFFIXES = (".txt",)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.[A-Za-z0-9._-]+")
_WORD = re.compile(r"[^\W\d_]+")
_VIETNAMESE_LETTER = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]"
)

router = APIRouter(tags=["LibreTranslate"])


def detect_confidence(text: str) -> float:
    """How Vietnamese `text` looks, 0-100: the share of its words written with Vietnamese
    letters (about half of the syllables of running Vietnamese carry one), scaled so that
    half or more gives 100."""
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0
    marked = sum(1 for word in words if _VIETNAMESE_LETTER.search(word))
    return round(min(1.0, 2 * marked / len(words)) * 100, 1)


def _check_languages(source: str, target: str) -> None:
    if source not in ("auto", SOURCE["code"]):
        raise ApiError(400, f"{source} is not supported")
    if target not in (SOURCE["code"], TARGET["code"]):
        raise ApiError(400, f"{target} is not supported")
    if target != TARGET["code"]:
        raise ApiError(
            400, f"{SOURCE['name']} ({target}) is not available as a target language from "
            f"{SOURCE['name']} ({SOURCE['code']})",
        )  # fmt: skip


def _texts(q: Any) -> tuple[list[str], bool]:
    if isinstance(q, str):
        return [q], False
    if isinstance(q, list) and all(isinstance(item, str) for item in q):
        return list(q), True
    raise ApiError(400, "Invalid request: q must be a string or a list of strings")


def alternatives_param(value: Any) -> int:
    """`alternatives` as LibreTranslate reads it: `max(0, int(value))`, at most the limit; but a
    400 for what `int()` would silently truncate or fail on with a 500 there (a fraction, a
    boolean, null, a list).

    Raises:
        ApiError: 400 with LibreTranslate's messages.
    """
    not_a_number = ApiError(400, "Invalid request: alternatives parameter is not a number")
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise not_a_number
    if not isinstance(value, int | float | str):
        raise not_a_number
    try:
        count = max(0, int(value))
    except (ValueError, OverflowError):
        raise not_a_number from None
    if count > MAX_ALTERNATIVES:
        raise ApiError(
            400, f"Invalid request: alternatives parameter must be <= {MAX_ALTERNATIVES}"
        )
    return count


async def _translate_with_alternatives(
    request: Request, texts: list[str], count: int
) -> tuple[list[str], list[list[str]]]:
    """Plain texts translated as `translate_plain` does, each with up to `count` alternatives
    (whitespace-only texts come back as they are, with none)."""
    from vi2en.serve.service import render_alternatives, render_text

    service = request.app.state.service
    work = [text for text in texts if text.strip()]

    def run() -> list[tuple[str, list[str]]]:
        docs = service.translate_texts(work, alternatives=count)
        return [(render_text(doc, text), render_alternatives(doc, text, count))
                for doc, text in zip(docs, work, strict=True)]  # fmt: skip

    done = iter(await service.run(sum(map(len, work)), run) if work else [])
    pairs = [next(done) if text.strip() else (text, []) for text in texts]
    return [p[0] for p in pairs], [p[1] for p in pairs]


@router.post("/translate")
async def translate(request: Request) -> JSONResponse:
    """Translate text (or a list of texts) from Vietnamese to English."""
    params, as_json = await read_params(request)
    gate = request.app.state.gate
    await gate(request, params.get("api_key"))
    q = params.get("q")
    if not q:
        raise ApiError(400, "Invalid request: missing q parameter")
    source = text_param(params, "source")
    target = text_param(params, "target")
    texts, batch = _texts(q)
    if not as_json:  # LibreTranslate normalises form line endings before counting
        texts = ["\n".join(text.splitlines()) for text in texts]
    request.app.state.policy.check_size(texts)
    _check_languages(source, target)  # type: ignore[arg-type]
    fmt = text_param(params, "format", required=False) or "text"
    if fmt not in ("text", "html"):
        raise ApiError(400, f"{fmt} format is not supported")
    alternatives = alternatives_param(params.get("alternatives", 0))

    if alternatives and fmt == "text":
        translated, others = await _translate_with_alternatives(request, texts, alternatives)
    else:  # html: LibreTranslate offers no alternatives for it either
        translated = await request.app.state.translate_plain(texts, html=fmt == "html")
        others = [[] for _ in texts]
    out: dict[str, Any] = {"translatedText": translated if batch else translated[0]}
    if source == "auto":
        detected = [{"confidence": detect_confidence(t), "language": SOURCE["code"]}
                    for t in texts]  # fmt: skip
        out["detectedLanguage"] = detected if batch else detected[0]
    if alternatives:
        out["alternatives"] = others if batch else others[0]
    return JSONResponse(out)


@router.post("/detect")
async def detect(request: Request) -> JSONResponse:
    """Detect the language of a text (this server knows only Vietnamese)."""
    params, _ = await read_params(request)
    await request.app.state.gate(request, params.get("api_key"))
    q = params.get("q")
    if not q:
        raise ApiError(400, "Invalid request: missing q parameter")
    if not isinstance(q, str):
        raise ApiError(400, "Invalid request: q must be a string")
    return JSONResponse([{"confidence": detect_confidence(q), "language": SOURCE["code"]}])


@router.get("/languages")
async def languages() -> JSONResponse:
    """The languages this server translates from, with their targets."""
    return JSONResponse([{**SOURCE, "targets": [TARGET["code"]]}, {**TARGET, "targets": []}])


@router.get("/frontend/settings")
async def frontend_settings(request: Request) -> JSONResponse:
    """What LibreTranslate's web front end and some clients read first."""
    policy = request.app.state.policy
    return JSONResponse({
        "charLimit": policy.char_limit,
        "frontendTimeout": 500,
        "apiKeys": policy.api_keys is not None,
        "keyRequired": policy.api_keys is not None,
        "suggestions": False,
        "filesTranslation": True,
        "supportedFilesFormat": list(FILE_SUFFIXES),
        "language": {"source": SOURCE, "target": TARGET},
    })  # fmt: skip


@router.post("/translate_file")
async def translate_file(request: Request) -> JSONResponse:
    """Translate a .txt file; answers the URL the translation can be downloaded from."""
    params, _ = await read_params(request)
    await request.app.state.gate(request, params.get("api_key"))
    upload = params.get("file")
    if upload is None or isinstance(upload, str):
        raise ApiError(400, "Invalid request: missing file parameter")
    source = text_param(params, "source")
    target = text_param(params, "target")
    if not upload.filename:
        raise ApiError(400, "Invalid request: empty file")
    if Path(upload.filename).suffix.lower() not in FILE_SUFFIXES:
        raise ApiError(400, "Invalid request: file format not supported")
    _check_languages(source, target)  # type: ignore[arg-type]
    data = await upload.read()
    text = await request.app.state.translate_file_bytes(data, upload.filename)
    name = f"{uuid.uuid4().hex}.{_SAFE_NAME.sub('_', Path(upload.filename).name)}"
    folder: Path = request.app.state.files_dir
    (folder / name).write_text(text, encoding="utf-8")
    url = str(request.url_for("download_file", filename=name))
    return JSONResponse({"translatedFileUrl": url})


@router.get("/download_file/{filename}", name="download_file")
async def download_file(request: Request, filename: str) -> FileResponse:
    """A file translated by /translate_file."""
    path: Path = request.app.state.files_dir / filename
    if not _STORED_NAME.fullmatch(filename) or not path.is_file():
        raise ApiError(404, "Invalid filename")
    return FileResponse(path, filename=filename.split(".", 1)[1],
                        media_type="text/plain; charset=utf-8")  # fmt: skip
