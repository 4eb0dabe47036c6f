"""Who may call, how often, how much: API keys, per-key/IP request limits, request size limits.

All off by default, as in LibreTranslate: `--api-keys FILE` turns keys on (every translating
call must carry one), `--req-limit N` allows N requests per minute per key (or per client IP
without one), `--char-limit N` and `--batch-limit N` bound one request.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from vi2en.errors import InputError


class ApiError(Exception):
    """An HTTP error answered as `{"error": message}` with `status` (and extra headers)."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def read_api_keys(path: str | Path) -> dict[str, int | None]:
    """Keys from a file: one per line, optionally `KEY<TAB>REQUESTS_PER_MINUTE`; `#` comments.

    Raises:
        InputError: unreadable file, a bad limit, or no key at all.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the API key file {path}: {exc}") from None
    keys: dict[str, int | None] = {}
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, _, limit = line.partition("\t")
        if limit.strip() and not (limit.strip().isdigit() and int(limit) > 0):
            raise InputError(f"{path}:{number}: the limit must be a whole number of requests "
                             f"per minute, at least 1 (none: the default), got {limit!r}")
        keys[key.strip()] = int(limit) if limit.strip() else None
    if not keys:
        raise InputError(f"the API key file {path} has no keys")
    return keys


@dataclass
class AccessPolicy:
    """The server's access rules; `check` raises `ApiError` for a call that breaks one."""

    api_keys: dict[str, int | None] | None = None
    req_limit: int = -1  # requests per minute per key or IP; -1: no limit
    char_limit: int = -1  # characters per request; -1: no limit
    batch_limit: int = 1000  # texts per request (LibreTranslate: unlimited; 10,000 `q` is abuse)
    _seen: dict[str, deque[float]] = field(default_factory=dict)

    def check(self, *, api_key: str | None, client: str) -> None:
        """Key and rate checks for one translating call.

        Raises:
            ApiError: 400 no key where one is required, 403 unknown key, 429 over the limit.
        """
        limit = self.req_limit
        if self.api_keys is not None:
            if not api_key:
                raise ApiError(400, "Please contact the server operator to get an API key")
            if api_key not in self.api_keys:
                raise ApiError(403, "Invalid API key")
            limit = self.api_keys[api_key] if self.api_keys[api_key] is not None else limit
        if limit is None or limit < 0:
            return
        who = f"key:{api_key}" if api_key else f"ip:{client}"
        now = time.monotonic()
        seen = self._seen.setdefault(who, deque())
        while seen and seen[0] <= now - 60:
            seen.popleft()
        if len(seen) >= limit:
            retry = max(1, int(seen[0] + 60 - now) + 1)
            raise ApiError(429, f"Slowdown: {limit} per 1 minute",
                           headers={"Retry-After": str(retry)})  # fmt: skip
        seen.append(now)

    def check_size(self, texts: list[str]) -> None:
        """Batch and character limits of one request (LibreTranslate's messages).

        Raises:
            ApiError: 400 over a limit.
        """
        if self.batch_limit >= 0 and len(texts) > self.batch_limit:
            raise ApiError(400, f"Invalid request: request ({len(texts)}) exceeds text limit "
                           f"({self.batch_limit})")  # fmt: skip
        chars = sum(len(text) for text in texts)
        if self.char_limit >= 0 and chars > self.char_limit:
            raise ApiError(400, f"Invalid request: request ({chars}) exceeds text limit "
                           f"({self.char_limit})")  # fmt: skip
