"""One `vi2en serve` for the whole session (on the trained tiny model, which translates its
word task exactly), so the server tests add one model load, not one per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.serverkit import Server, start_server


@pytest.fixture(scope="session")
def server(trained_ct2_model: Path) -> Iterator[Server]:
    srv = start_server(trained_ct2_model)
    yield srv
    code = srv.stop()
    assert code == 0, srv.stderr()
