"""`vi2en serve` flags and start-up errors: one line and exit 2, before any model loads.
(The server itself is tested over HTTP in tests/serve/.)"""

from __future__ import annotations

import socket

import pytest

from vi2en.cli.main import main

pytestmark = pytest.mark.issue(13)


def test_a_busy_port_is_one_line(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port), "--model", "/nonexistent"]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read the API key file"), ("# only a comment\n", "has no keys"),
     ("k\tmany\n", "whole number"), ("k\t0\n", "at least 1")],
)
def test_a_bad_api_key_file_is_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "keys.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["serve", "--api-keys", str(path), "--port", "0"]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--port", "70000"], ["--batch-wait-ms", "-1"],
                                  ["--req-limit", "-2"], ["--max-body", "10"]])
def test_numbers_are_checked(argv, capsys):
    assert main(["serve", *argv]) == 2
    assert "usage:" in capsys.readouterr().err
