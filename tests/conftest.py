"""Fixtures shared by every test module."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the checkout; skipped visibly when absent (a fresh clone).

    With VI2EN_REQUIRE_SHARED=1 (set by .ci/run) a missing folder fails instead.
    """
    if not (SHARED / "data").is_dir():
        message = f"shared data not found at {SHARED} (a fresh clone has none)"
        if os.environ.get("VI2EN_REQUIRE_SHARED") == "1":
            pytest.fail(message + " and VI2EN_REQUIRE_SHARED=1")
        pytest.skip(message)
    return SHARED
