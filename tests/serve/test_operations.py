"""Operations against a real server with the limits on: API keys, per-key rate limits, the
body and character limits, 503 + Retry-After when the queue is full, the access log, a bug as
`500 {"error": "internal error"}`, and SIGTERM draining in-flight requests (the last test)."""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from libretranslatepy import LibreTranslateAPI

from tests.serve.serverkit import Server, start_server

pytestmark = pytest.mark.issue(13)


@pytest.fixture(scope="module")
def strict(trained_ct2_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    keys = tmp_path_factory.mktemp("keys") / "keys.tsv"
    keys.write_text("# key<TAB>requests per minute\nslow-key\t2\nopen-key\n", encoding="utf-8")
    srv = start_server(trained_ct2_model, "--api-keys", str(keys), "--max-body", "2048",
                       "--char-limit", "300", "--max-pending-chars", "60",
                       "--batch-wait-ms", "400", "--no-cache",
                       "--cors", "https://weblate.example")  # fmt: skip
    yield srv
    if srv.proc.poll() is None:  # the SIGTERM test did not run
        srv.stop(signal.SIGKILL)


def ask(server: Server, q: str, key: str | None = None):
    payload = {"q": q, "source": "vi", "target": "en"}
    if key is not None:
        payload["api_key"] = key
    return server.post_json("/translate", payload)


def test_api_keys(strict, trained_task):
    source, target = trained_task.held_out[0]
    missing = ask(strict, source)
    assert missing.status == 400 and "API key" in missing.json()["error"]
    wrong = ask(strict, source, "nope")
    assert wrong.status == 403 and wrong.json() == {"error": "Invalid API key"}
    assert LibreTranslateAPI(strict.url, api_key="open-key").translate(source, "vi", "en") == target
    v1 = strict.post_json("/v1/segments", {"segments": [source]},
                          headers={"Authorization": "Bearer open-key"})
    assert v1.status == 200
    assert strict.post_json("/v1/segments", {"segments": [source]}).status == 400


def test_per_key_rate_limit_gives_429_with_retry_after(strict, trained_task):
    source = trained_task.held_out[1][0]
    assert [ask(strict, source, "slow-key").status for _ in range(2)] == [200, 200]
    third = ask(strict, source, "slow-key")
    assert third.status == 429 and third.json()["error"].startswith("Slowdown:")
    assert 1 <= int(third.headers["retry-after"]) <= 61
    assert ask(strict, source, "open-key").status == 200  # other keys unaffected


def test_body_and_character_limits(strict):
    big = strict.post_json("/translate", {"q": "mèo " * 1000, "source": "vi", "target": "en",
                                          "api_key": "open-key"})  # fmt: skip
    assert big.status == 413 and "larger than 2048 bytes" in big.json()["error"]
    # Chunked, without Content-Length: counted as it arrives.
    with socket.create_connection(("127.0.0.1", int(strict.url.rsplit(":", 1)[1]))) as sock:
        sock.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        for _ in range(5):
            sock.sendall(b"400\r\n" + b" " * 1024 + b"\r\n")
        sock.sendall(b"0\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 413")
    many = ask(strict, "mèo " * 80, "open-key")
    assert many.status == 400 and "exceeds text limit (300)" in many.json()["error"]


def test_full_queue_gives_503_with_retry_after(strict, trained_task):
    first = trained_task.held_out[2][0] + " " + trained_task.held_out[3][0]  # ~30 characters
    results: list[int] = []
    worker = threading.Thread(target=lambda: results.append(ask(strict, first * 2, "open-key")
                                                            .status))  # fmt: skip
    worker.start()
    time.sleep(0.15)  # the first request now waits in the scheduler (batch wait 400 ms)
    second = ask(strict, first, "open-key")
    worker.join()
    assert results == [200]
    assert second.status == 503 and int(second.headers["retry-after"]) >= 1
    assert "busy" in second.json()["error"]


def test_cors_allows_only_the_given_origins(strict):
    preflight = {"Origin": "https://weblate.example", "Access-Control-Request-Method": "POST"}
    allowed = strict.request("OPTIONS", "/translate", headers=preflight)
    assert allowed.status == 200
    assert allowed.headers["access-control-allow-origin"] == "https://weblate.example"
    other = strict.request("OPTIONS", "/translate",
                           headers={**preflight, "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_access_log_is_one_json_line_per_request(strict):
    strict.get("/health")
    time.sleep(0.2)
    entries = [json.loads(line) for line in strict.log if line.startswith('{"time"')]
    assert {"client", "method", "path", "status", "ms"} <= set(entries[-1])
    assert any(e["status"] == 413 for e in entries)


def test_sigterm_drains_in_flight_requests_then_exits_0(strict, trained_task):
    source, target = trained_task.held_out[4]
    results: list = []
    worker = threading.Thread(target=lambda: results.append(ask(strict, source, "open-key")))
    worker.start()
    time.sleep(0.15)  # in flight: waiting 400 ms for company in the scheduler
    strict.proc.send_signal(signal.SIGTERM)
    worker.join(30)
    assert strict.proc.wait(30) == 0, strict.stderr()
    assert results and results[0].status == 200 and results[0].json()["translatedText"] == target
    assert "vi2en serve: stopped" in strict.stderr()
