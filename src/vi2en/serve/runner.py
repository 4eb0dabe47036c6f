"""Running the app: uvicorn on a socket bound beforehand, SIGTERM as the normal way to stop.

On SIGTERM (or Ctrl-C) uvicorn stops accepting connections and lets in-flight requests finish,
up to `graceful_timeout` seconds. uvicorn then re-raises the signal so the process dies by it;
here SIGTERM instead ends `run` normally (exit 0: a drain is a clean stop), while a second
Ctrl-C still forces the exit and Ctrl-C reaches the caller as KeyboardInterrupt.
"""

from __future__ import annotations

import signal
import socket
from typing import Any


def run(app: Any, sock: socket.socket, *, graceful_timeout: float = 60.0) -> None:
    """Serve `app` on the listening `sock` until SIGTERM/SIGINT, draining in-flight requests."""
    import uvicorn

    class DrainingServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            if sig == signal.SIGTERM and sig in self._captured_signals:
                self._captured_signals.remove(sig)

    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off",
                            timeout_graceful_shutdown=graceful_timeout)  # fmt: skip
    DrainingServer(config).run(sockets=[sock])
