"""A bug behind the API reaches the client as `500 {"error": "internal error"}`, never a stack
trace; the traceback goes to the log. A real uvicorn on 127.0.0.1 serves an engine that fails."""

from __future__ import annotations

import logging
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.fake_engine import FakeEngine
from vi2en.serve.app import create_app
from vi2en.serve.service import ServiceSettings, TranslationService

pytestmark = pytest.mark.issue(13)


class BuggyEngine(FakeEngine):
    def translate_batch(self, texts, **kw):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("a bug deep inside")


def test_a_bug_is_500_internal_error_and_a_log_line(caplog):
    import uvicorn

    service = TranslationService(BuggyEngine(), ServiceSettings(cache=False, batch_wait_ms=0))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(service), log_config=None,
                                           lifespan="off"))  # fmt: skip
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/translate", method="POST",
            data='{"q": "Hà Nội mưa to.", "source": "vi", "target": "en"}'.encode(),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with caplog.at_level(logging.ERROR, logger="vi2en.serve"), \
                pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=30)
        assert err.value.code == 500
        body = err.value.read().decode()
        assert body == '{"error": "internal error"}'
        assert "ZeroDivisionError" in caplog.text and "Traceback" in caplog.text
    finally:
        server.should_exit = True
        thread.join(10)
        service.close()
