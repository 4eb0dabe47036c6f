"""`vi2en serve`: the model loaded once, behind the LibreTranslate, OPUS-CAT and /v1 APIs.

Thin: it parses flags, loads the engine, builds `vi2en.serve.service.TranslationService` and
`vi2en.serve.app.create_app`, binds the socket itself (so a busy port is one line, and `--port
0` picks a free one, printed) and runs it (`vi2en.serve.runner`: uvicorn, drained on SIGTERM).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vi2en.cli.engine_flags import add_engine_arguments, engine_arguments
from vi2en.cli.options import (
    MAX_BATCH_TOKENS,
    MAX_BEAM_SIZE,
    MAX_SOFT_LIMIT,
    float_range,
    int_range,
    limit_or_off,
)
from vi2en.defaults import DEFAULT_BATCH_TOKENS, DEFAULT_SOFT_LIMIT
from vi2en.errors import Vi2enError

SERVE_PACKAGES = ("fastapi", "uvicorn", "multipart", "prometheus_client")

# Bounds of the numeric flags, all in one place: what makes sense, not what merely does not crash
# (tests/cli/test_options.py checks that every numeric flag of every command has bounds).
MAX_REQ_LIMIT = 1_000_000  # requests per minute per client: more is no limit at all
MAX_BATCH_LIMIT = 1_000_000  # texts per request
MAX_CHARS = 1_000_000_000  # --char-limit, --max-pending-chars, --bulk-chars
MIN_BODY, MAX_BODY = 1024, 1024**3  # bytes; under 1 KiB not even a short request fits
MAX_GRACEFUL_S = 3600.0
MAX_BATCH_WAIT_MS = 1000.0  # a sentence waiting longer for company is just slower


def configure(parser: argparse.ArgumentParser) -> None:
    http = parser.add_argument_group("HTTP")
    http.add_argument("--host", default="127.0.0.1",
                      help="address to listen on (default: %(default)s, this machine only; "
                      "0.0.0.0 for every interface, best behind a reverse proxy)")  # fmt: skip
    http.add_argument("--port", type=int_range(0, 65535), default=5000,
                      help="port (default: %(default)s, LibreTranslate's; 0: a free one, "
                      "printed on stderr; OPUS-CAT plugins expect 8500)")  # fmt: skip
    http.add_argument("--api-keys", metavar="FILE",
                      help="require an API key: one per line, optionally KEY<TAB>REQUESTS "
                      "PER MINUTE")  # fmt: skip
    http.add_argument("--req-limit", type=limit_or_off(MAX_REQ_LIMIT, unit="requests"),
                      default=-1, metavar="N", help="requests per minute per key or client "
                      "(default: -1, no limit)")  # fmt: skip
    http.add_argument("--char-limit", type=limit_or_off(MAX_CHARS, unit="characters"),
                      default=-1, metavar="N",
                      help="characters per request (default: -1, no limit)")  # fmt: skip
    http.add_argument("--batch-limit", type=limit_or_off(MAX_BATCH_LIMIT, unit="texts"),
                      default=1000, metavar="N",
                      help="texts per request (default: %(default)s; -1: no limit)")  # fmt: skip
    http.add_argument("--max-body", type=int_range(MIN_BODY, MAX_BODY), default=5 * 1024 * 1024,
                      metavar="BYTES", help="largest request body (default: %(default)s)")
    http.add_argument("--forwarded-allow-ips", type=proxy_addresses, default=(), metavar="IPS",
                      help="comma-separated addresses or networks of reverse proxies whose "
                      "X-Forwarded-For header names the client (for rate limits and the access "
                      "log); '*': any (only when nothing else can reach the port). Default: "
                      "none, the header is ignored")  # fmt: skip
    http.add_argument("--cors", metavar="ORIGINS",
                      help="comma-separated origins allowed to call from a browser ('*': any)")
    http.add_argument("--graceful-timeout", type=float_range(0, MAX_GRACEFUL_S), default=60.0,
                      metavar="S", help="on SIGTERM, seconds to let in-flight requests finish "
                      "(default: %(default)s)")  # fmt: skip
    http.add_argument("--workbench-db", metavar="FILE",
                      help="the post-editing workbench's project store (default: workbench.sqlite "
                      "in the user data folder)")  # fmt: skip
    http.add_argument("--no-access-log", action="store_true",
                      help="no JSON access log line per request on stderr")
    add_engine_arguments(parser)
    decoding = parser.add_argument_group("decoding and batching")
    decoding.add_argument("--beam-size", type=int_range(1, MAX_BEAM_SIZE), default=None,
                          help="beam width (default: the model's, 4)")
    decoding.add_argument("--batch-tokens", type=int_range(1, MAX_BATCH_TOKENS),
                          default=DEFAULT_BATCH_TOKENS,
                          help="source pieces per batch, padding included (default: %(default)s)")
    decoding.add_argument("--soft-limit", type=int_range(2, MAX_SOFT_LIMIT),
                          default=DEFAULT_SOFT_LIMIT,
                          help="split segments longer than this at clauses (default: %(default)s)")
    decoding.add_argument("--batch-wait-ms", type=float_range(0, MAX_BATCH_WAIT_MS), default=5.0,
                          metavar="MS", help="how long a sentence may wait for others to share "
                          "its batch (default: %(default)s)")  # fmt: skip
    decoding.add_argument("--no-batching", action="store_true",
                          help="translate one request at a time (as LibreTranslate does)")
    decoding.add_argument("--max-pending-chars", type=int_range(1, MAX_CHARS), default=2_000_000,
                          metavar="N", help="characters in flight before requests get 503 "
                          "(default: %(default)s)")  # fmt: skip
    decoding.add_argument("--bulk-chars", type=int_range(0, MAX_CHARS), default=2000, metavar="N",
                          help="requests longer than this go to the bulk lane, so short ones "
                          "pass them (default: %(default)s)")  # fmt: skip
    decoding.add_argument("--no-cache", action="store_true",
                          help="do not use the exact-match translation cache")  # fmt: skip


def proxy_addresses(text: str) -> tuple[str, ...]:
    """`--forwarded-allow-ips`: IP addresses and networks (`10.0.0.0/8`), or `*`.

    uvicorn would take a malformed entry as a literal that never matches, so a typo would
    silently trust nobody; here it is a usage error.
    """
    import ipaddress

    entries = tuple(part.strip() for part in text.split(",") if part.strip())
    if entries == ("*",):
        return entries
    for entry in entries or ("",):
        try:
            ipaddress.ip_network(entry) if "/" in entry else ipaddress.ip_address(entry)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be IP addresses or networks separated by commas, or '*', got {entry!r}"
            ) from None
    return entries


def _check_installed() -> None:
    import importlib.util

    missing = [name for name in SERVE_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise Vi2enError(f"vi2en serve needs {', '.join(missing)}: pip install 'vi2en[serve]'")


def _listen(host: str, port: int):  # type: ignore[no-untyped-def]
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise Vi2enError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run(args: argparse.Namespace) -> int:
    _check_installed()
    import logging

    from vi2en.cli.translate import warn_on_stderr
    from vi2en.serve.access import AccessPolicy, read_api_keys
    from vi2en.serve.app import ServerOptions, create_app
    from vi2en.serve.runner import run as serve_app
    from vi2en.serve.service import ServiceSettings, TranslationService
    from vi2en.translator import Translator

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if args.no_access_log:
        logging.getLogger("vi2en.serve.access").setLevel(logging.WARNING)
    policy = AccessPolicy(
        api_keys=read_api_keys(args.api_keys) if args.api_keys else None,
        req_limit=args.req_limit, char_limit=args.char_limit, batch_limit=args.batch_limit,
    )  # fmt: skip
    cors = [origin.strip() for origin in (args.cors or "").split(",") if origin.strip()]
    sock = _listen(args.host, args.port)  # before loading: a busy port fails fast
    engine = Translator(**engine_arguments(args), notify=warn_on_stderr).engine
    service = TranslationService(engine, ServiceSettings(
        beam_size=args.beam_size, batch_tokens=args.batch_tokens, soft_limit=args.soft_limit,
        batch_wait_ms=args.batch_wait_ms, batching=not args.no_batching,
        cache=not args.no_cache, max_pending_chars=args.max_pending_chars,
        bulk_chars=args.bulk_chars,
    ))  # fmt: skip
    if args.workbench_db:
        workbench_db = Path(args.workbench_db)
    else:
        import platformdirs

        workbench_db = Path(platformdirs.user_data_dir("vi2en")) / "workbench.sqlite"
    app = create_app(service, ServerOptions(policy=policy, max_body=args.max_body, cors=cors,
                                            workbench_db=workbench_db))  # fmt: skip
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"vi2en serve: {service.signature.format()}", file=sys.stderr)
    print(f"vi2en serve: listening on http://{shown}:{port} (workbench: /, docs: /docs)",
          file=sys.stderr, flush=True)  # fmt: skip
    try:
        serve_app(app, sock, graceful_timeout=args.graceful_timeout,
                  forwarded_allow_ips=args.forwarded_allow_ips)  # fmt: skip
    finally:
        service.close()
        app.state.workbench.close()
        sock.close()
    print("vi2en serve: stopped", file=sys.stderr)
    return 0
