"""Exact-match translation cache: a rerun translates only what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fake_engine import FakeEngine
from vi2en.cache import TranslationStore, default_cache_path
from vi2en.engines.base import Hypothesis
from vi2en.errors import Vi2enError
from vi2en.translator import Translator


@pytest.fixture(autouse=True)
def cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_cache_lives_in_vi2en_cache_dir(cache_dir: Path) -> None:
    assert default_cache_path() == cache_dir / "translations.sqlite3"


def test_store_round_trips_hypotheses_per_key(tmp_path: Path) -> None:
    hyp = Hypothesis(text="Hello.", pieces=("▁Hello", "."), score=-0.25, hit_limit=True)
    store = TranslationStore("k1")
    store.store({"Xin chào.": hyp})
    assert store.lookup(["Xin chào.", "Khác."]) == {"Xin chào.": hyp}
    assert TranslationStore("k2").lookup(["Xin chào."]) == {}
    assert TranslationStore("k1").lookup(["Xin chào."]) == {"Xin chào.": hyp}  # persisted
    many = [f"câu {i}" for i in range(1200)]  # more than SQLite's bound-variable limit
    store.store({t: hyp for t in many})
    assert len(store.lookup(many)) == 1200


def test_the_cache_key_is_the_signature_key() -> None:
    engine = FakeEngine()
    tr = Translator(engine=engine, cache=True, beam_size=4)
    tr.translate_text("Câu một.")
    assert tr.cache_store.key == tr.signature().key()
    keys = {tr.cache_store.key}
    tr.beam_size = 2  # another beam: another key, and the sentence is translated again
    tr.translate_text("Câu một.")
    keys.add(tr.cache_store.key)
    other = Translator(engine=FakeEngine(model_id="other"), cache=True, beam_size=2)
    other.translate_text("Câu một.")
    keys.add(other.cache_store.key)
    assert len(keys) == 3 and len(engine.calls) == 2
    assert (tr.cache_store.hits, tr.cache_store.misses) == (0, 1)


def test_hits_and_misses_are_counted() -> None:
    Translator(engine=FakeEngine(), cache=True).translate_text("Câu một. Câu hai.")
    tr = Translator(engine=FakeEngine(), cache=True)
    tr.translate_text("Câu một. Câu ba.")
    assert (tr.cache_store.hits, tr.cache_store.misses) == (1, 1)


def test_a_revised_article_retranslates_only_changed_sentences() -> None:
    engine = FakeEngine()
    first = "Câu một. Câu hai. Câu ba.\n"
    Translator(engine=engine, cache=True).translate_text(first)
    engine.calls.clear()
    doc = Translator(engine=engine, cache=True).translate_text(first.replace("hai", "bốn"))
    assert [t for call in engine.calls for t in call["texts"]] == ["Câu bốn."]
    assert [seg.translation.text for seg in doc] == ["CÂU MỘT.", "CÂU BỐN.", "CÂU BA."]


def test_without_the_cache_every_run_translates() -> None:
    engine = FakeEngine()
    Translator(engine=engine, cache=True).translate_text("Câu một.")
    Translator(engine=engine).translate_text("Câu một.")
    assert len(engine.calls) == 2


def test_unwritable_cache_dir_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(Vi2enError, match="--no-cache"):
        TranslationStore("k", path=tmp_path / "file" / "t.sqlite3")



OPEN_AND_STORE = """
import sys, time
from pathlib import Path
from vi2en.cache import TranslationStore
from vi2en.engines.base import Hypothesis
path, go, i = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
while not go.exists():
    time.sleep(0.001)
store = TranslationStore("k", path=path)
store.store({"s" + i: Hypothesis(text="t" + i, pieces=("t" + i,), score=-1.0)})
"""


def test_processes_opening_one_new_cache_at_once_all_work(tmp_path: Path) -> None:
    # Worker processes open one new cache file together; switching it to WAL must not make
    # any of them fail with "database is locked".
    import sqlite3
    import subprocess
    import sys
    import time

    path, go = tmp_path / "new.sqlite3", tmp_path / "go"
    procs = [
        subprocess.Popen([sys.executable, "-c", OPEN_AND_STORE, str(path), str(go), str(i)],
                         stderr=subprocess.PIPE)
        for i in range(8)
    ]  # fmt: skip
    time.sleep(0.5)  # all of them started and waiting
    go.touch()
    errors = [p.communicate(timeout=60)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, errors
    assert len(TranslationStore("k", path=path).lookup([f"s{i}" for i in range(8)])) == 8
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
