"""Exact-match translation cache: a revised article re-translates only the sentences that changed.

An SQLite file in vi2en's cache directory (`VI2EN_CACHE_DIR`, else the user cache dir) maps
(key, prepared segment text) to the hypothesis. The key is the translation signature's
(`vi2en.doc.TranslationSignature.key`): engine, model and the fingerprint of its files,
generation config, device, compute type, beam, decoding policy and versions, the same record
the resume stamps come from. Attention is never cached, so the pipeline bypasses the cache when
aligning. `hits` and `misses` count lookups (shown by `vi2en translate -v`). A store may be
shared by threads (`vi2en serve` translates requests on many): one lock guards the connection.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from vi2en.engines.base import Hypothesis
from vi2en.errors import Vi2enError

CACHE_FILE = "translations.sqlite3"
_SQL_CHUNK = 500  # SQLite's default limit on bound variables is 999


def default_cache_path() -> Path:
    """`<vi2en cache dir>/translations.sqlite3` (`VI2EN_CACHE_DIR` honoured)."""
    override = os.environ.get("VI2EN_CACHE_DIR")
    if override:
        return Path(override) / CACHE_FILE
    import platformdirs

    return Path(platformdirs.user_cache_dir("vi2en")) / CACHE_FILE


def _use_wal(db: sqlite3.Connection) -> None:
    """WAL mode (kept in the file once set) and no fsync per commit on this connection."""
    db.execute("PRAGMA synchronous=NORMAL")
    if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    with contextlib.suppress(sqlite3.OperationalError):  # another process is switching it
        db.execute("PRAGMA journal_mode=WAL")


class TranslationStore:
    """The pipeline's `TranslationCache` backed by SQLite, for one signature key."""

    def __init__(self, key: str, *, path: Path | None = None) -> None:
        self.key = key
        self.path = path or default_cache_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            # WAL with synchronous=NORMAL: a commit survives the process being killed (what
            # resuming needs) without an fsync each; rollback mode's fsyncs cost ~20 ms per
            # batch, 40 s of a 2,000-batch run. Concurrent runs still share the file safely.
            _use_wal(self.db)
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS translations (key TEXT, source TEXT, target TEXT, "
                "pieces TEXT, score REAL, hit_limit INTEGER, flags TEXT NOT NULL DEFAULT '[]', "
                "PRIMARY KEY (key, source))"
            )
            _add_flags_column(self.db)
            self.db.commit()
        except (OSError, sqlite3.Error) as exc:
            from vi2en.text.files import os_reason

            reason = os_reason(self.path, exc) if isinstance(exc, OSError) else str(exc)
            raise Vi2enError(
                f"cannot open the translation cache {self.path}: {reason} "
                "(set VI2EN_CACHE_DIR, or run with --no-cache)"
            ) from None
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()

    def lookup(self, texts: Sequence[str]) -> dict[str, Hypothesis]:
        """Cached hypotheses for those of `texts` already translated with this key."""
        found: dict[str, Hypothesis] = {}
        with self._lock:
            self._lookup(texts, found)
        return found

    def _lookup(self, texts: Sequence[str], found: dict[str, Hypothesis]) -> None:
        for i in range(0, len(texts), _SQL_CHUNK):
            chunk = list(texts[i : i + _SQL_CHUNK])
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                "SELECT source, target, pieces, score, hit_limit, flags FROM translations "
                f"WHERE key = ? AND source IN ({marks})",
                [self.key, *chunk],
            )
            for source, target, pieces, score, hit_limit, flags in rows:
                found[source] = Hypothesis(
                    text=target, pieces=tuple(json.loads(pieces)), score=score,
                    hit_limit=bool(hit_limit), flags=tuple(map(tuple, json.loads(flags))),
                )  # fmt: skip
        self.hits += len(found)
        self.misses += len(texts) - len(found)

    def store(self, hyps: dict[str, Hypothesis]) -> None:
        """Remember fresh hypotheses (committed at once, so an interrupted run keeps them)."""
        with self._lock:
            self._store(hyps)

    def _store(self, hyps: dict[str, Hypothesis]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO translations (key, source, target, pieces, score, hit_limit, "
            "flags) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (self.key, source, h.text, json.dumps(h.pieces, ensure_ascii=False), h.score,
                 int(h.hit_limit), json.dumps(h.flags, ensure_ascii=False))
                for source, h in hyps.items()
            ],
        )  # fmt: skip
        self.db.commit()

    def close(self) -> None:
        self.db.close()


def _add_flags_column(db: sqlite3.Connection) -> None:
    """Give a cache file from before guard flags were cached its `flags` column."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(translations)")}
    if "flags" in columns:
        return
    try:
        db.execute("ALTER TABLE translations ADD COLUMN flags TEXT NOT NULL DEFAULT '[]'")
    except sqlite3.OperationalError as exc:  # another process added it first
        if "duplicate column" not in str(exc):
            raise
