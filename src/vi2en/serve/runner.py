"""Running the app: uvicorn on a socket bound beforehand, SIGTERM as the normal way to stop.

On SIGTERM (or Ctrl-C) uvicorn stops accepting connections and lets in-flight requests finish,
up to `graceful_timeout` seconds. uvicorn then re-raises the signal so the process dies by it;
here SIGTERM instead ends `run` normally (exit 0: a drain is a clean stop), while a second
Ctrl-C still forces the exit and Ctrl-C reaches the caller as KeyboardInterrupt.

Proxy headers are off unless `forwarded_allow_ips` names the proxies: uvicorn on its own trusts
`X-Forwarded-For` from 127.0.0.1 and ::1 (or `$FORWARDED_ALLOW_IPS`), so any local process could
pick the client address that rate limits count. With the proxies named, uvicorn's
`ProxyHeadersMiddleware` takes the client from the header only on connections from them (the
last address in it that is not itself a trusted proxy), and `X-Forwarded-Proto` as the scheme.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Sequence
from typing import Any


def run(
    app: Any,
    sock: socket.socket,
    *,
    graceful_timeout: float = 60.0,
    forwarded_allow_ips: Sequence[str] = (),
) -> None:
    """Serve `app` on the listening `sock` until SIGTERM/SIGINT, draining in-flight requests.

    Args:
        app: the ASGI app.
        sock: a bound, listening socket.
        graceful_timeout: seconds in-flight requests get after SIGTERM.
        forwarded_allow_ips: addresses or networks (or `*`) of reverse proxies whose
            `X-Forwarded-For` names the client; empty: the header is ignored.
    """
    import uvicorn

    class DrainingServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            if sig == signal.SIGTERM and sig in self._captured_signals:
                self._captured_signals.remove(sig)

    config = uvicorn.Config(
        app, log_config=None, access_log=False, lifespan="off",
        timeout_graceful_shutdown=graceful_timeout,
        proxy_headers=bool(forwarded_allow_ips),
        forwarded_allow_ips=list(forwarded_allow_ips) or None,
    )  # fmt: skip
    DrainingServer(config).run(sockets=[sock])
