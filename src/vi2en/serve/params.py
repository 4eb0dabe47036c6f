"""Reading request parameters as LibreTranslate does: a JSON object, or form fields, plus the
query string — with a clear 400 for malformed JSON, a non-object body or non-UTF-8 form data."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from vi2en.serve.access import ApiError


def is_json(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def query_params(request: Request) -> dict[str, str]:
    """The query string's parameters, refusing bytes that are not UTF-8 (Starlette would
    replace them with U+FFFD and translate the damage).

    Raises:
        ApiError: 400 for a query string that is not UTF-8.
    """
    raw = request.scope.get("query_string", b"").decode("latin-1")
    try:
        return dict(parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError:
        raise ApiError(400, "Invalid request: the query string is not valid UTF-8") from None


async def read_params(request: Request) -> tuple[dict[str, Any], bool]:
    """(parameters, whether they came as JSON). Query parameters are the base; the body's
    fields override them. A GET's body is ignored (libretranslatepy sends one)."""
    params: dict[str, Any] = query_params(request)
    if request.method == "GET":
        return params, False
    if is_json(request):
        body = await request.body()
        try:
            data = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise ApiError(400, "Invalid request: the JSON body is not valid UTF-8") from None
        except json.JSONDecodeError as exc:
            raise ApiError(400, f"Invalid JSON format: {exc.msg} at line {exc.lineno} "
                           f"column {exc.colno}") from None  # fmt: skip
        if not isinstance(data, dict):
            raise ApiError(400, "Invalid JSON format: the body must be a JSON object")
        params.update(data)
        return params, True
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form()
        params.update({key: value for key, value in form.items()})
        return params, False
    body = await request.body()
    if body:
        try:
            text = body.decode("utf-8")
            fields = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            raise ApiError(400, "Invalid request: the form data is not valid UTF-8") from None
        params.update(dict(fields))
    return params, False


def text_param(params: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    """A string parameter; 400 when missing (LibreTranslate's message) or not a string."""
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise ApiError(400, f"Invalid request: missing {name} parameter")
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid request: {name} must be a string")
    return value
