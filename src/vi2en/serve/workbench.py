"""The post-editing workbench: the page at `/` and its JSON API under `/api/`.

Documents are translated through the service's scheduler, as every other request is, and kept in
the project store (`vi2en.workbench.store`). Every state-changing call carries the store's
same-origin token in `X-Vi2en-Token` (the page reads it from its own `<meta>`): another site's
page in the translator's browser cannot read it, so it cannot post edits, whatever address the
server is bound to. The page's assets are files of this package (no CDN, no build step).
"""

from __future__ import annotations

import hmac
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from vi2en.errors import InputError
from vi2en.serve.access import ApiError

router = APIRouter(tags=["workbench"])

ASSETS = {"workbench.js": "text/javascript", "workbench.css": "text/css"}
EXPORTS = {  # ?format= -> (format registry name, file suffix, media type)
    "xliff": ("xliff", "xlf", "application/xliff+xml"),
    "xliff12": ("xliff12", "xlf", "application/xliff+xml"),
    "tmx": ("tmx", "tmx", "application/x-tmx+xml"),
    "txt": ("txt", "txt", "text/plain; charset=utf-8"),
}


def _asset(name: str) -> str:
    return resources.files("vi2en.serve").joinpath("static", name).read_text(encoding="utf-8")


def _store(request: Request) -> Any:
    return request.app.state.workbench


def _check_token(request: Request) -> None:
    sent = request.headers.get("x-vi2en-token", "")
    if not hmac.compare_digest(sent.encode(), request.app.state.workbench_token.encode()):
        raise ApiError(403, "Forbidden: missing or wrong X-Vi2en-Token (reload the page)")


async def _json(request: Request) -> dict[str, Any]:
    import json

    try:
        payload = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Invalid request: the body is not JSON") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "Invalid request: the body must be a JSON object")
    return payload


def _field(payload: dict[str, Any], name: str, kind: type, default: Any = None) -> Any:
    value = payload.get(name, default)
    if value is None or not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ApiError(400, f"Invalid request: {name} must be a {kind.__name__}")
    return value


@router.get("/", include_in_schema=False)
async def page(request: Request) -> HTMLResponse:
    from html import escape

    html = _asset("workbench.html").replace(
        "{{TOKEN}}", escape(request.app.state.workbench_token, quote=True))
    return HTMLResponse(html, headers={"Content-Security-Policy": "default-src 'self'; "
                                       "object-src 'none'; base-uri 'none'"})


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    return Response(status_code=204)  # none: but no 404 in the browser console


@router.get("/static/{name}", include_in_schema=False)
async def asset(name: str) -> Response:
    if name not in ASSETS:
        raise ApiError(404, f"no asset {name}")
    return Response(_asset(name), media_type=ASSETS[name])


@router.get("/api/projects")
async def list_projects(request: Request) -> JSONResponse:
    """Every project, with its number of documents."""
    return JSONResponse({"projects": _store(request).projects()})


@router.post("/api/projects")
async def create_project(request: Request) -> JSONResponse:
    """Create a project: `{"name": ...}`."""
    _check_token(request)
    name = _field(await _json(request), "name", str).strip()
    if not name:
        raise ApiError(400, "Invalid request: name is empty")
    return JSONResponse({"id": _store(request).create_project(name), "name": name}, 201)


@router.get("/api/projects/{project_id}/documents")
async def list_documents(request: Request, project_id: int) -> JSONResponse:
    return JSONResponse({"documents": _store(request).project_documents(project_id)})


@router.post("/api/projects/{project_id}/documents")
async def add_document(request: Request, project_id: int) -> JSONResponse:
    """Add a document: JSON `{"name", "text"}` (pasted), or a multipart `file` (.txt, .jsonl).

    The text is segmented and translated through the scheduler, as a /v1 request is.
    """
    _check_token(request)
    store = _store(request)
    store._project(project_id)  # a 404 before any translating
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(400, "Invalid request: no file in the form")
        name = upload.filename or "upload.txt"
        data = await upload.read()
    else:
        payload = await _json(request)
        name = str(payload.get("name") or "pasted text")
        data = _field(payload, "text", str).encode("utf-8", "surrogatepass")
    doc = await _translate(request, name, data)
    doc_id = store.add_document(project_id, name, doc)
    return JSONResponse({"id": doc_id, "name": name, "segments": len(doc.segments)}, 201)


async def _translate(request: Request, name: str, data: bytes) -> Any:
    from vi2en.text.decode import decode_bytes

    service = request.app.state.service
    if name.lower().endswith((".xlf", ".xliff")):
        return await _from_xliff(service, data)
    text, _ = decode_bytes(data, name=name)
    if name.lower().endswith(".jsonl"):
        from vi2en.formats.jsonl import parse

        doc = parse(text)
        if all(seg.translation is not None for seg in doc.segments if seg.translated):
            return doc  # already translated by vi2en: kept as it is
        text = doc.text
    if not text.strip():
        raise InputError(f"{name} has no text (only whitespace)")

    def run() -> Any:
        (translated,) = service.translate_texts([text])
        return translated

    return await service.run(len(text), run)


async def _from_xliff(service: Any, data: bytes) -> Any:
    """A CAT tool's XLIFF 1.2/2.x as a document: one segment per XLIFF segment, one paragraph
    per unit; its targets kept as the drafts, the segments without one translated."""
    from vi2en.doc import Document, SegmentType, Translation
    from vi2en.formats.xliff import parse

    segments = [seg for seg in parse(data).segments if seg.source.strip()]
    if not segments:
        raise InputError("the XLIFF file has no segment with source text")
    parts, spans, units = [], [], {}
    pos = 0
    for n, seg in enumerate(segments):
        paragraph = units.setdefault(seg.unit, len(units))
        if n:
            sep = " " if paragraph == spans[-1][2] else "\n\n"
            parts.append(sep)
            pos += len(sep)
        source = seg.source.strip()
        spans.append((pos, pos + len(source), paragraph))
        parts.append(source)
        pos += len(source)
    doc = Document(text="".join(parts), source="xliff")
    sentence = {}
    for start, end, paragraph in spans:
        sentence[paragraph] = sentence.get(paragraph, -1) + 1
        doc.add_segment(start, end, SegmentType.BODY, paragraph=paragraph,
                        sentence=sentence[paragraph])  # fmt: skip
    if any(not (seg.target or "").strip() for seg in segments):

        def run() -> Any:
            translator = service.translator(chars=len(doc.text))
            return translator.translate_documents([doc])[0]

        doc = await service.run(len(doc.text), run)
    for seg, read in zip(doc.segments, segments, strict=True):
        if (read.target or "").strip():
            seg.translation = Translation(text=read.target, method="mt")
    return doc


def _segment_view(seg: Any, row: Any, glossary: dict[str, str] | None = None) -> dict[str, Any]:
    from vi2en.qa import check_pair

    tr = seg.translation
    method = tr.method if tr is not None else None
    flags = []
    if tr is not None and method == "mt" and row.target.strip():
        flags = [{"code": f.code, "message": f.message}
                 for f in check_pair(row.source, row.target, glossary=glossary)]  # fmt: skip
    return {**row.to_dict(), "type": seg.type.value, "paragraph": seg.paragraph,
            "method": method, "flags": flags}  # fmt: skip


@router.get("/api/projects/{project_id}/tm")
async def export_tm(request: Request, project_id: int) -> Response:
    """The project's translation memory (confirmed segments, imports) as TMX 1.4b."""
    from vi2en.formats.tmx import render_memory

    entries = _store(request).tm_entries(project_id)
    body = render_memory([(e["source"], e["target"], e["provenance"]) for e in entries])
    return Response(body, media_type="application/x-tmx+xml", headers={
        "Content-Disposition": f'attachment; filename="project-{project_id}-tm.tmx"'})


@router.post("/api/projects/{project_id}/tm")
async def import_tm(request: Request, project_id: int) -> JSONResponse:
    """Add a TMX file's vi/en pairs to the project's memory (the body, or a multipart `file`)."""
    from vi2en.formats.tmx import parse_memory

    _check_token(request)
    name = "TMX upload"
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        upload = (await request.form()).get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(400, "Invalid request: no file in the form")
        name, data = upload.filename or name, await upload.read()
    else:
        data = await request.body()
    pairs = parse_memory(data)
    added = _store(request).add_tm(project_id, pairs, f"imported from {name}")
    return JSONResponse({"imported": added})


@router.get("/api/projects/{project_id}/glossary")
async def get_glossary(request: Request, project_id: int) -> JSONResponse:
    _store(request)._project(project_id)
    return JSONResponse({"terms": _store(request).glossary(project_id)})


@router.put("/api/projects/{project_id}/glossary")
async def put_glossary(request: Request, project_id: int) -> JSONResponse:
    """Replace the project's glossary with a TSV body (`Vietnamese term<TAB>English term`, as
    `vi2en translate --glossary`); the `glossary` QA flag then checks every target."""
    from vi2en.qa import parse_glossary

    _check_token(request)
    try:
        text = (await request.body()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(400, "Invalid request: the glossary is not UTF-8 text") from None
    terms = parse_glossary(text.splitlines())
    return JSONResponse({"terms": _store(request).set_glossary(project_id, terms)})


@router.get("/api/documents/{doc_id}")
async def get_document(request: Request, doc_id: int) -> JSONResponse:
    """A document's segments: source, MT, current target, state, version, type, QA flags, and
    the glossary terms found in each source."""
    from starlette.concurrency import run_in_threadpool

    from vi2en.qa import _contains

    store = _store(request)
    info, doc, rows = store.document(doc_id)
    glossary = store.glossary(info["project_id"])

    def views() -> list[dict[str, Any]]:  # QA of every segment: off the event loop
        out = []
        for seg, row in zip(doc.segments, rows, strict=True):
            view = _segment_view(seg, row, glossary)
            view["terms"] = [[t, r] for t, r in glossary.items() if _contains(row.source, t)]
            out.append(view)
        return out

    return JSONResponse({**info, "segments": await run_in_threadpool(views)})


@router.put("/api/documents/{doc_id}/segments/{index}")
async def save_segment(request: Request, doc_id: int, index: int) -> JSONResponse:
    """Save `{"target", "state", "version"}`; 409 with the current segment if `version` is
    not the stored one."""
    _check_token(request)
    payload = await _json(request)
    target = _field(payload, "target", str)
    state = _field(payload, "state", str)
    version = _field(payload, "version", int)
    store = _store(request)
    row = store.save_segment(doc_id, index, target=target, state=state, version=version)
    info, doc, _ = store.document(doc_id)
    return JSONResponse(_segment_view(doc.segments[index], row, store.glossary(info["project_id"])))


@router.post("/api/documents/{doc_id}/segments/{index}/focus")
async def focus(request: Request, doc_id: int, index: int) -> JSONResponse:
    """Note that the translator opened the segment (the effort clock starts at the first)."""
    _check_token(request)
    _store(request).focus(doc_id, index)
    return JSONResponse({"ok": True})


@router.get("/api/documents/{doc_id}/effort")
async def effort(request: Request, doc_id: int) -> JSONResponse:
    """The effort log: per segment time from first focus to confirm, character edit distance
    and HTER against the MT (`vi2en.postedit`, sacreBLEU's TER, as `postedit-report`); per
    document HTER, words per hour, the share left unchanged and the most-edited segments."""
    from starlette.concurrency import run_in_threadpool

    # sacreBLEU's TER takes seconds on hundreds of segments: off the event loop, so saves go on.
    return JSONResponse(await run_in_threadpool(_effort, _store(request), doc_id))


def _effort(store: Any, doc_id: int) -> dict[str, Any]:
    from vi2en.errors import MismatchError
    from vi2en.formats import xliff
    from vi2en.formats.xmlio import segment_id
    from vi2en.postedit import compare_xliff

    _, doc, rows = store.document(doc_id)
    edits = {row.index: (row.state, row.target) for row in rows if row.target != row.mt}
    try:
        report = compare_xliff(xliff.render(doc).encode(), xliff.render(doc, edits=edits).encode())
    except MismatchError as exc:
        raise ApiError(400, f"Invalid request: {exc}") from None
    by_id = {segment_id(seg): row for seg, row in zip(doc.segments, rows, strict=True)}
    segments, seconds, words = [], 0.0, 0
    for seg in report.segments:
        row = by_id[seg.id]
        timed = row.confirmed is not None and row.first_focus is not None
        spent = round(row.confirmed - row.first_focus, 1) if timed else None
        if spent is not None and row.state == "final":
            seconds += max(spent, 0.0)
            words += len(row.source.split())
        segments.append({"index": row.index, "id": seg.id, "state": row.state, "seconds": spent,
                         "char_distance": seg.char_distance, "hter": seg.hter,
                         "unchanged": seg.unchanged})  # fmt: skip
    most = sorted((s for s in segments if not s["unchanged"]), key=lambda s: -s["hter"])[:5]
    return {
        "document": doc_id, "hter": report.hter, "char_distance": report.char_distance,
        "unchanged_share": report.unchanged_share, "confirmed_words": words,
        "seconds": round(seconds, 1),
        "words_per_hour": round(words / (seconds / 3600), 1) if seconds > 0 else None,
        "most_edited": [s["index"] for s in most], "segments": segments,
        "ter_signature": report.signature,
    }  # fmt: skip


@router.post("/api/qa")
async def qa(request: Request) -> JSONResponse:
    """QA flags of one pair `{"source", "target"}` (the page calls this as the user types);
    with `"project"`, that project's glossary is checked too."""
    from vi2en.qa import check_pair

    payload = await _json(request)
    source, target = _field(payload, "source", str), _field(payload, "target", str)
    project = payload.get("project")
    glossary = _store(request).glossary(project) if isinstance(project, int) else None
    flags = check_pair(source, target, glossary=glossary) if target.strip() else []
    return JSONResponse({"flags": [{"code": f.code, "message": f.message} for f in flags]})


@router.get("/api/documents/{doc_id}/export")
async def export(request: Request, doc_id: int, format: str = "xliff") -> Response:
    """The post-edited document as XLIFF 2.1 (`xliff`), XLIFF 1.2, TMX or English text."""
    from vi2en.formats import get_format

    if format not in EXPORTS:
        raise ApiError(400, f"Invalid request: format must be one of {', '.join(EXPORTS)}")
    info, doc, rows = _store(request).document(doc_id)
    edits = {row.index: (row.state, row.target) for row in rows
             if row.state != "initial" or row.target != row.mt}  # fmt: skip
    name, suffix, media = EXPORTS[format]
    if format == "txt":
        body = get_format("txt").render(_with_targets(doc, edits))
    else:
        body = _render(name, doc, edits)
    filename = f"{info['name'].rsplit('.', 1)[0] or 'document'}.{suffix}"
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_")
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{ascii_name}"'})


def _with_targets(doc: Any, edits: dict[int, tuple[str, str]]) -> Any:
    """`doc` with each edited segment's target in its translation (in place)."""
    from vi2en.doc import Translation

    for index, (_state, target) in edits.items():
        seg = doc.segments[index]
        if seg.translation is None:
            seg.translation = Translation(text=target)
        seg.translation.text = target
    return doc


def _render(name: str, doc: Any, edits: dict[int, tuple[str, str]]) -> str:
    from vi2en.formats import tmx, xliff

    if name == "xliff":
        return xliff.render(doc, edits=edits)
    if name == "xliff12":
        return xliff.render_12(doc, edits=edits)
    return tmx.render(doc, edits=edits)
