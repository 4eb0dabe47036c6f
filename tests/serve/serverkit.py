"""A real `vi2en serve` in a subprocess on 127.0.0.1 (a free port), and a small HTTP client.

No mocked HTTP layer: tests talk to the server over loopback with urllib, libretranslatepy or
raw sockets, the way clients nobody here wrote do.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
LISTENING = re.compile(r"listening on (http://\S+)")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Server:
    """A running `vi2en serve` subprocess."""

    proc: subprocess.Popen[bytes]
    url: str
    log: list[str] = field(default_factory=list)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | None = None,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> Reply:
        data = body.encode("utf-8") if isinstance(body, str) else body
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers=headers or {})  # fmt: skip
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return Reply(resp.status, _lower(resp.headers), resp.read())
        except urllib.error.HTTPError as err:
            return Reply(err.code, _lower(err.headers), err.read())

    def post_json(self, path: str, payload: Any, **kw: Any) -> Reply:
        headers = {"Content-Type": "application/json", **kw.pop("headers", {})}
        return self.request("POST", path, json.dumps(payload), headers=headers, **kw)

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise

    def stderr(self) -> str:
        return "\n".join(self.log)


def _lower(headers: Any) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


def start_server(model: Path, *extra: str, timeout: float = 120) -> Server:
    """Start `vi2en serve --port 0` on the model and wait until it answers /health."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "HF_HUB_OFFLINE": "1"}
    argv = [sys.executable, "-m", "vi2en", "serve", "--model", str(model),
            "--engine", "ctranslate2", "--host", "127.0.0.1", "--port", "0", *extra]  # fmt: skip
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    log: list[str] = []
    found: list[str] = []

    def pump() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            log.append(line)
            match = LISTENING.search(line)
            if match and not found:
                found.append(match.group(1))

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not found:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("vi2en serve did not start:\n" + "\n".join(log))
        time.sleep(0.05)
    server = Server(proc, found[0], log)
    while True:
        try:
            if server.get("/health", timeout=5).status == 200:
                return server
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("vi2en serve never answered /health:\n" + server.stderr())
        time.sleep(0.05)


def cli_translate(model: Path, text: str, tmp: Path) -> str:
    """What `vi2en translate` prints for `text` (fresh, no cache)."""
    source = tmp / "cli-input.txt"
    source.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "vi2en", "translate", str(source), "--model", str(model),
         "--engine", "ctranslate2", "--no-cache", "-q"],
        capture_output=True, env=env, check=True,
    )  # fmt: skip
    return done.stdout.decode("utf-8")
