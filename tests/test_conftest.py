"""The test session itself: it never writes into the user's real vi2en cache (issue 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from vi2en.cache import default_cache_path
from vi2en.engines.models import cache_dir


@pytest.mark.issue(11)
def test_the_session_cache_is_a_temp_folder_not_the_users(session_cache_dir: Path) -> None:
    user_cache = Path(platformdirs.user_cache_dir("vi2en"))
    assert os.environ["VI2EN_CACHE_DIR"] == str(session_cache_dir)
    assert cache_dir() == session_cache_dir and not session_cache_dir.is_relative_to(user_cache)
    assert default_cache_path().parent == session_cache_dir


@pytest.mark.issue(11)
def test_a_conversion_in_a_subprocess_lands_in_the_session_cache(
    tiny_hf_model: Path, session_cache_dir: Path, tmp_path: Path
) -> None:
    # engine auto converts a Hugging Face folder to CTranslate2 and caches the conversion;
    # a subprocess (as the CLI tests use) inherits the session's cache, not the user's.
    home = tmp_path / "home"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HOME": str(home),
           "XDG_CACHE_HOME": str(home / ".cache")}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "vi2en", "translate", "--model", str(tiny_hf_model),
         "--beam-size", "1", "-q"],
        input="Hà Nội mưa to.\n".encode(), capture_output=True, env=env, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    assert list((session_cache_dir / "ct2").iterdir())
    assert not (home / ".cache" / "vi2en").exists()  # nothing in a per-user vi2en cache
