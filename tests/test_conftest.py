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


@pytest.mark.issue(15)
def test_xliff_and_tmx_rendered_in_a_test_are_checked_against_the_standard(
    monkeypatch: pytest.MonkeyPatch, shared_dir: Path
) -> None:
    from tests.formats.sample_doc import make_document
    from vi2en.formats import get_renderer, tmx, xliff

    assert all(getattr(w, "checked_by_tests", False)
               for w in (xliff.render, xliff.render_12, tmx.render))
    doc = make_document()
    assert get_renderer("xliff")(doc) and get_renderer("tmx")(doc)  # through the registry too
    monkeypatch.setattr("vi2en.formats.xliff.SRC_LANG", "not a language!")
    with pytest.raises(AssertionError, match="the standard refuses"):
        get_renderer("xliff")(doc)


@pytest.mark.issue(15)
def test_xliff_files_in_tmp_path_are_checked_when_vi2en_wrote_them(
    tmp_path: Path, shared_dir: Path
) -> None:
    from tests.conftest import exchange_file_problems
    from tests.formats.sample_doc import make_document
    from vi2en.formats import xliff

    good = tmp_path / "a.xlf"
    good.write_text(xliff.render(make_document()), encoding="utf-8")
    assert exchange_file_problems(good) == []
    broken = tmp_path / "sub" / "b.xlf"
    broken.parent.mkdir()
    broken.write_text(good.read_text(encoding="utf-8").replace(' srcLang="vi"', "", 1),
                      encoding="utf-8")
    assert exchange_file_problems(broken)
    foreign = tmp_path / "c.xlf"
    foreign.write_text("<xliff/>", encoding="utf-8")
    assert exchange_file_problems(foreign) is None  # not vi2en's: a test's own bad input
    broken.unlink()  # this test's own tmp_path is checked after it, too
