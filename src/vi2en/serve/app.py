"""The ASGI app: the LibreTranslate, OPUS-CAT and /v1 APIs over one `TranslationService`.

FastAPI (on Starlette, served by uvicorn) for its OpenAPI schema and `/docs`, typed /v1 request
models, and Starlette's streaming and form handling; the LibreTranslate and OPUS-CAT endpoints
read their parameters by hand, because their clients send JSON, form data and query strings
interchangeably. One ASGI middleware (`Guard`) does what every request needs: the body limit,
the access log line, metrics, OPUS-CAT's case-insensitive paths, and the last word on errors —
no stack trace ever reaches a client; a bug is `500 {"error": "internal error"}` and a log line.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from vi2en import __version__
from vi2en.errors import EngineError, InputError, Vi2enError
from vi2en.serve.access import AccessPolicy, ApiError
from vi2en.serve.service import Overloaded, TranslationService, ingest, render_text

log = logging.getLogger("vi2en.serve")
access_log = logging.getLogger("vi2en.serve.access")

DEFAULT_MAX_BODY = 5 * 1024 * 1024


@dataclass
class ServerOptions:
    """Everything about the HTTP side (the translating side is `ServiceSettings`)."""

    policy: AccessPolicy = field(default_factory=AccessPolicy)
    max_body: int = DEFAULT_MAX_BODY
    cors: Sequence[str] = ()
    files_dir: Path | None = None
    workbench_db: Path | None = None  # the workbench's project store; None: a temporary one


class _BodyTooLarge(Exception):
    pass


def _json_bytes(status: int, payload: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    start = {
        "type": "http.response.start", "status": status,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    }  # fmt: skip
    return start, {"type": "http.response.body", "body": body}


class Guard:
    """Body limit, access log, metrics, OPUS-CAT path case, and the catch-all 500."""

    def __init__(self, app: Any, *, max_body: int, metrics: Any, opuscat_paths: dict[str, str]):
        self.app = app
        self.max_body = max_body
        self.metrics = metrics
        self.opuscat_paths = opuscat_paths

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        canonical = self.opuscat_paths.get(scope["path"].lower().rstrip("/"))
        if canonical is not None:
            scope = {**scope, "path": canonical, "raw_path": canonical.encode()}
        began = time.perf_counter()
        state = {"status": 500, "started": False, "received": 0}

        async def send_tracked(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["started"] = message["status"], True
            await send(message)

        async def receive_limited() -> dict[str, Any]:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_body:
                    raise _BodyTooLarge
            return message

        async def answer(status: int, message: str) -> None:
            if not state["started"]:
                for part in _json_bytes(status, {"error": message}):
                    await send_tracked(part)

        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"")
        try:
            if length.isdigit() and int(length) > self.max_body:
                raise _BodyTooLarge
            await self.app(scope, receive_limited, send_tracked)
        except _BodyTooLarge:
            await answer(413, f"Invalid request: the body is larger than {self.max_body} bytes")
        except Exception:
            log.exception("internal error on %s %s", scope.get("method"), scope.get("path"))
            await answer(500, "internal error")
        finally:
            seconds = time.perf_counter() - began
            route = scope.get("route")
            endpoint = getattr(route, "path", None) or "unmatched"
            self.metrics.observe_request(endpoint, state["status"], seconds)
            client = scope.get("client") or ("-", 0)
            access_log.info(json.dumps({
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "client": client[0],
                "method": scope.get("method"), "path": scope.get("path"),
                "status": state["status"], "ms": round(seconds * 1000, 1),
                "in_bytes": state["received"],
            }))  # fmt: skip


def create_app(service: TranslationService, options: ServerOptions | None = None) -> FastAPI:
    """The app serving `service`; `options` decide limits, keys, CORS and the files folder."""
    import tempfile

    from vi2en.serve import libretranslate, opuscat, v1, workbench
    from vi2en.serve.metrics import Metrics

    options = options or ServerOptions()
    app = FastAPI(
        title="vi2en", version=__version__,
        description="Vietnamese news to English: LibreTranslate and OPUS-CAT compatible "
        "endpoints, and vi2en's own /v1 API. Errors are {\"error\": \"...\"}.",
    )  # fmt: skip
    metrics = Metrics(service)
    policy = options.policy
    files_dir = options.files_dir or Path(tempfile.mkdtemp(prefix="vi2en-serve-files-"))
    app.state.service = service
    app.state.policy = policy
    app.state.files_dir = files_dir
    from vi2en.workbench.store import Conflict, NotFound, Store

    store = Store(options.workbench_db or Path(tempfile.mkdtemp(prefix="vi2en-workbench-"))
                  / "workbench.sqlite")  # fmt: skip
    app.state.workbench = store
    app.state.workbench_token = store.token()

    async def gate(request: Request, api_key: Any) -> None:
        """Key and rate-limit checks for a translating call."""
        if api_key is not None and not isinstance(api_key, str):
            raise ApiError(400, "Invalid request: api_key must be a string")
        client = request.client.host if request.client else "-"
        policy.check(api_key=api_key or None, client=client)

    async def translate_plain(texts: Sequence[str], *, html: bool = False) -> list[str]:
        """Texts in, translations out (whitespace-only texts come back as they are)."""
        work = [text for text in texts if text.strip()]
        if html:
            from vi2en.serve.html import translate_html

            def run() -> list[str]:
                for text in work:  # NUL bytes, lone surrogates: a 400, as for plain text
                    ingest(text)
                return [translate_html(text, _plain_sync) for text in work]
        else:

            def run() -> list[str]:
                return _plain_sync(work)

        done = iter(await service.run(sum(map(len, work)), run) if work else [])
        return [next(done) if text.strip() else text for text in texts]

    def _plain_sync(texts: Sequence[str]) -> list[str]:
        work = [text for text in texts if text.strip()]
        docs = iter(service.translate_texts(work) if work else [])
        return [render_text(next(docs), text) if text.strip() else text for text in texts]

    async def translate_file_bytes(data: bytes, name: str) -> str:
        from vi2en.formats.txt import render
        from vi2en.text.clean import clean_text
        from vi2en.text.decode import decode_bytes

        text, _ = decode_bytes(data, name=name)
        cleaned, _ = clean_text(text)
        if not cleaned.strip():
            raise InputError(f"{name} has no text (only whitespace)")

        def run() -> str:
            (doc,) = service.translate_texts([cleaned])
            return render(doc)

        return await service.run(len(cleaned), run)

    app.state.gate = gate
    app.state.translate_plain = translate_plain
    app.state.translate_file_bytes = translate_file_bytes
    app.state.background = set()  # PreOrderBatch tasks, kept referenced until done

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, exc.status, headers=exc.headers)

    @app.exception_handler(Overloaded)
    async def overloaded(request: Request, exc: Overloaded) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, 503, headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(EngineError)
    async def engine_error(request: Request, exc: EngineError) -> JSONResponse:
        log.error("engine error on %s: %s", request.url.path, exc)
        return JSONResponse({"error": "internal error"}, 500)

    @app.exception_handler(Conflict)
    async def conflict(request: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse({"error": str(exc), "current": exc.current}, 409)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, 404)

    @app.exception_handler(Vi2enError)
    async def bad_input(request: Request, exc: Vi2enError) -> JSONResponse:
        return JSONResponse({"error": f"Invalid request: {exc}"}, 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
            problems.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
        return JSONResponse({"error": "Invalid request: " + "; ".join(problems)}, 400)

    @app.get("/health", tags=["operations"])
    async def health() -> JSONResponse:
        """Liveness: the model is loaded and the scheduler runs."""
        return JSONResponse({"status": "ok"})

    @app.get("/metrics", tags=["operations"])
    async def prometheus() -> Response:
        """Prometheus text format: requests, latency, batch sizes, queue depth, cache."""
        from prometheus_client import CONTENT_TYPE_LATEST

        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    app.include_router(libretranslate.router)
    app.include_router(opuscat.router)
    app.include_router(v1.router)
    app.include_router(workbench.router)
    if options.cors:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware, allow_origins=list(options.cors), allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )  # fmt: skip
    app.add_middleware(Guard, max_body=options.max_body, metrics=metrics,
                       opuscat_paths=opuscat.canonical_paths())  # fmt: skip
    return app
