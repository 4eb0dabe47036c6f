"""The LibreTranslate API (v1.9), field for field, so Weblate, Discourse, browser add-ons and
`libretranslatepy` work unchanged: `POST /translate`, `POST /translate_file`,
`GET /download_file/NAME`, `POST /detect`, `GET /languages`, `GET /frontend/settings`.

Requests are JSON or form data; `q` is a string or a list; `source` is `vi` or `auto`, `target`
`en`; `format` `text` or `html`. Errors are `{"error": "..."}` with LibreTranslate's messages.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse

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
    alternatives = params.get("alternatives", 0)
    try:
        alternatives = int(alternatives)
    except (TypeError, ValueError):
        raise ApiError(400, "Invalid request: alternatives must be an integer") from None
    if not 0 <= alternatives <= 10:
        raise ApiError(400, "Invalid request: alternatives must be between 0 and 10")

    translated = await request.app.state.translate_plain(texts, html=fmt == "html")
    out: dict[str, Any] = {"translatedText": translated if batch else translated[0]}
    if source == "auto":
        detected = [{"confidence": detect_confidence(t), "language": SOURCE["code"]}
                    for t in texts]  # fmt: skip
        out["detectedLanguage"] = detected if batch else detected[0]
    if alternatives:
        # Only the best hypothesis is kept by the engines: no alternatives to offer.
        out["alternatives"] = [[] for _ in texts] if batch else []
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
