"""Who the client is behind a reverse proxy, over real HTTP: `X-Forwarded-For` counts only on
connections from the proxies `--forwarded-allow-ips` names (uvicorn's ProxyHeadersMiddleware);
from anyone else, a spoofed header changes neither the rate-limit bucket nor the access log."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.serverkit import Server, start_server

pytestmark = pytest.mark.issue(13)


@pytest.fixture(scope="module")
def behind_proxy(trained_ct2_model: Path) -> Iterator[Server]:
    """This test is the proxy: 127.0.0.1 is trusted."""
    srv = start_server(trained_ct2_model, "--req-limit", "2", "--forwarded-allow-ips",
                       "127.0.0.1, 10.0.0.0/8")  # fmt: skip
    yield srv
    srv.stop(signal.SIGKILL)


@pytest.fixture(scope="module")
def other_proxy(trained_ct2_model: Path) -> Iterator[Server]:
    """Only 192.0.2.1 is a trusted proxy; this test connects from 127.0.0.1."""
    srv = start_server(trained_ct2_model, "--req-limit", "2", "--forwarded-allow-ips", "192.0.2.1")
    yield srv
    srv.stop(signal.SIGKILL)


def ask(server: Server, q: str, forwarded_for: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    payload = {"q": q, "source": "vi", "target": "en"}
    return server.post_json("/translate", payload, headers=headers).status


def logged_clients(server: Server) -> list[str]:
    time.sleep(0.2)  # the access-log line is written after the answer
    return [json.loads(line)["client"] for line in server.log if line.startswith('{"time"')]


def test_a_trusted_proxy_gives_each_forwarded_client_its_own_bucket(behind_proxy, trained_task):
    source = trained_task.held_out[0][0]
    assert [ask(behind_proxy, source, "203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert ask(behind_proxy, source, "198.51.100.9") == 200  # another client, its own bucket
    # A client's own X-Forwarded-For comes first and the proxy appends the address it saw:
    # the last address that is not a trusted proxy is the client, whatever came before it.
    assert ask(behind_proxy, source, "198.51.100.1, 203.0.113.7") == 429
    assert ask(behind_proxy, source, "203.0.113.7, 198.51.100.9, 10.1.2.3") == 200
    assert logged_clients(behind_proxy)[-4:] == ["203.0.113.7", "198.51.100.9", "203.0.113.7",
                                                 "198.51.100.9"]  # fmt: skip


def test_a_spoofed_header_from_an_untrusted_address_is_ignored(other_proxy, trained_task):
    source = trained_task.held_out[1][0]
    spoofed = ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    assert [ask(other_proxy, source, ip) for ip in spoofed] == [200, 200, 429]
    assert set(logged_clients(other_proxy)) == {"127.0.0.1"}


def test_by_default_no_address_is_trusted_not_even_loopback(server, trained_task):
    """uvicorn alone would trust X-Forwarded-For from 127.0.0.1; vi2en serve turns that off."""
    assert ask(server, trained_task.held_out[2][0], "203.0.113.99") == 200
    assert logged_clients(server)[-1] == "127.0.0.1"
