"""The post-editing workbench's project store: one SQLite file, nothing lost.

WAL mode with `synchronous=FULL`: every save is one transaction, committed to the log before
the HTTP answer goes out, so a server killed with `kill -9` loses no confirmed segment. The
schema is versioned (`PRAGMA user_version`) and brought up to date by `MIGRATIONS`, in order,
each in its own transaction; a file from a newer vi2en is refused, never touched.

Segments carry a `version`: a save names the version it edited, and a save of an older one
(a second tab, a stale page) is a `Conflict` holding the current row, not a silent overwrite.
States follow XLIFF 2: `initial` (the MT), `translated` (edited), `final` (confirmed).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vi2en.doc import Document
from vi2en.errors import InputError, Vi2enError

STATES = ("initial", "translated", "final")

# MIGRATIONS[n] takes a file from schema version n to n + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE projects (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, created REAL NOT NULL);
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL, created REAL NOT NULL,
        doc_json TEXT NOT NULL);  -- the Document as vi2en translated it (Document.to_dict)
    CREATE TABLE segments (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        source TEXT NOT NULL, mt TEXT NOT NULL, target TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('initial', 'translated', 'final')),
        version INTEGER NOT NULL DEFAULT 1,
        updated REAL NOT NULL,
        PRIMARY KEY (document_id, idx));
    """,
    """
    ALTER TABLE segments ADD COLUMN first_focus REAL;   -- when the translator first opened it
    ALTER TABLE segments ADD COLUMN confirmed REAL;     -- when it was last confirmed (final)
    ALTER TABLE segments ADD COLUMN match TEXT;         -- 'tm-100' when reused from the TM
    CREATE TABLE tm (
        id INTEGER PRIMARY KEY,
        project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
        source TEXT NOT NULL, target TEXT NOT NULL,
        provenance TEXT NOT NULL, created REAL NOT NULL,
        UNIQUE (project_id, source));
    """,
    """
    ALTER TABLE segments ADD COLUMN fuzzy_source TEXT;  -- the best fuzzy TM match (>= 75%)
    ALTER TABLE segments ADD COLUMN fuzzy_target TEXT;
    ALTER TABLE segments ADD COLUMN fuzzy_score REAL;
    """,
    """
    CREATE TABLE glossary (
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        term TEXT NOT NULL, required TEXT NOT NULL,
        PRIMARY KEY (project_id, term));
    """,
)
FUZZY_MIN = 75.0  # rapidfuzz ratio (0-100) a TM source must reach to be shown as a fuzzy match
SCHEMA_VERSION = len(MIGRATIONS)


class Conflict(Vi2enError):
    """A save of a segment version that is no longer the current one."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            f"segment {current['index']} was saved elsewhere (now version {current['version']})"
        )
        self.current = current


class NotFound(Vi2enError):
    """No such project, document or segment."""


@dataclass(frozen=True)
class SegmentRow:
    index: int
    source: str
    mt: str
    target: str
    state: str
    version: int
    first_focus: float | None
    confirmed: float | None
    match: str | None
    fuzzy: dict[str, Any] | None = None  # {"source", "target", "score"} of the best fuzzy match

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "source": self.source, "mt": self.mt, "target": self.target,
            "state": self.state, "version": self.version, "match": self.match,
            "fuzzy": self.fuzzy,
        }  # fmt: skip


class Store:
    """The workbench's SQLite file. Safe to share between threads (one connection, a lock)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
        except (OSError, sqlite3.Error) as exc:
            raise InputError(f"cannot open the workbench store {self.path}: {exc}") from None
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._lock = threading.RLock()
        self._migrate()

    # --- schema ---

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            self._db.close()
            raise InputError(f"the workbench store {self.path} has schema {version}, newer than "
                             f"this vi2en's {SCHEMA_VERSION}: upgrade vi2en")  # fmt: skip
        for step in range(version, SCHEMA_VERSION):
            with self._transaction() as db:
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={step + 1}")

    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def token(self) -> str:
        """This store's same-origin token (made once, kept across restarts)."""
        with self._transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key='token'").fetchone()
            if row is not None:
                return str(row["value"])
            value = secrets.token_urlsafe(24)
            db.execute("INSERT INTO meta (key, value) VALUES ('token', ?)", (value,))
            return value

    # --- projects and documents ---

    def create_project(self, name: str) -> int:
        with self._transaction() as db:
            cur = db.execute("INSERT INTO projects (name, created) VALUES (?, ?)",
                             (name, time.time()))  # fmt: skip
            return int(cur.lastrowid or 0)

    def projects(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT p.id, p.name, p.created, COUNT(d.id) AS documents FROM projects p "
                "LEFT JOIN documents d ON d.project_id = p.id GROUP BY p.id ORDER BY p.id"
            ).fetchall()
        return [dict(row) for row in rows]

    def project_documents(self, project_id: int) -> list[dict[str, Any]]:
        self._project(project_id)
        with self._lock:
            rows = self._db.execute(
                "SELECT d.id, d.name, d.created, COUNT(s.idx) AS segments, "
                "SUM(s.state = 'final') AS final FROM documents d "
                "LEFT JOIN segments s ON s.document_id = d.id WHERE d.project_id = ? "
                "GROUP BY d.id ORDER BY d.id", (project_id,),
            ).fetchall()  # fmt: skip
        return [dict(row) for row in rows]

    def _project(self, project_id: int) -> dict[str, Any]:
        with self._lock:
            row = self._db.execute("SELECT * FROM projects WHERE id = ?",
                                   (project_id,)).fetchone()  # fmt: skip
        if row is None:
            raise NotFound(f"no project {project_id}")
        return dict(row)

    def add_document(self, project_id: int, name: str, doc: Document) -> int:
        """Store a translated document; each segment starts as its MT (state `initial`), or as
        an exact TM match of the project (state `translated`, marked `tm-100`)."""
        self._project(project_id)
        now = time.time()
        with self._transaction() as db:
            cur = db.execute(
                "INSERT INTO documents (project_id, name, created, doc_json) VALUES (?, ?, ?, ?)",
                (project_id, name, now, json.dumps(doc.to_dict(), ensure_ascii=False)),
            )
            doc_id = int(cur.lastrowid or 0)
            memory = {row["source"]: row["target"] for row in db.execute(
                "SELECT source, target FROM tm WHERE project_id = ?", (project_id,))}  # fmt: skip
            for seg in doc.segments:
                mt = seg.translation.text if seg.translation is not None else ""
                fuzzy: tuple[str | None, str | None, float | None] = (None, None, None)
                if seg.text in memory:
                    target, state, match = memory[seg.text], "translated", "tm-100"
                else:
                    target, state, match = mt, "initial", None
                    fuzzy = fuzzy_match(seg.text, memory)
                db.execute(
                    "INSERT INTO segments (document_id, idx, source, mt, target, state, updated,"
                    " match, fuzzy_source, fuzzy_target, fuzzy_score)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc_id, seg.index, seg.text, mt, target, state, now, match, *fuzzy),
                )
            return doc_id

    def document(self, doc_id: int) -> tuple[dict[str, Any], Document, list[SegmentRow]]:
        """(the document's row, the Document as translated, its segments as edited)."""
        with self._lock:
            row = self._db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise NotFound(f"no document {doc_id}")
            rows = self._db.execute(
                "SELECT * FROM segments WHERE document_id = ? ORDER BY idx", (doc_id,)
            ).fetchall()
        info = {key: row[key] for key in ("id", "project_id", "name", "created")}
        return info, Document.from_dict(json.loads(row["doc_json"])), [_row(r) for r in rows]

    def segment(self, doc_id: int, index: int) -> SegmentRow:
        with self._lock:
            row = self._db.execute("SELECT * FROM segments WHERE document_id = ? AND idx = ?",
                                   (doc_id, index)).fetchone()  # fmt: skip
        if row is None:
            raise NotFound(f"no segment {index} in document {doc_id}")
        return _row(row)

    # --- editing ---

    def save_segment(self, doc_id: int, index: int, *, target: str, state: str,
                     version: int) -> SegmentRow:  # fmt: skip
        """Save one edit in one transaction; returns the new row (its version + 1).

        Raises:
            Conflict: `version` is not the stored one (saved meanwhile elsewhere).
            NotFound: no such segment.
            InputError: an unknown state.
        """
        if state not in STATES:
            raise InputError(f"state must be one of {', '.join(STATES)}, got {state!r}")
        now = time.time()
        with self._transaction() as db:
            row = db.execute("SELECT * FROM segments WHERE document_id = ? AND idx = ?",
                             (doc_id, index)).fetchone()  # fmt: skip
            if row is None:
                raise NotFound(f"no segment {index} in document {doc_id}")
            if row["version"] != version:
                raise Conflict(_row(row).to_dict())
            confirmed = now if state == "final" else row["confirmed"]
            db.execute(
                "UPDATE segments SET target = ?, state = ?, version = version + 1, updated = ?,"
                " confirmed = ? WHERE document_id = ? AND idx = ?",
                (target, state, now, confirmed, doc_id, index),
            )
            if state == "final" and target.strip():
                project = db.execute("SELECT project_id FROM documents WHERE id = ?",
                                     (doc_id,)).fetchone()["project_id"]  # fmt: skip
                db.execute(
                    "INSERT INTO tm (project_id, source, target, provenance, created) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (project_id, source) DO UPDATE SET "
                    "target = excluded.target, provenance = excluded.provenance, "
                    "created = excluded.created",
                    (project, row["source"], target, f"document {doc_id} segment {index}", now),
                )
        return self.segment(doc_id, index)

    def focus(self, doc_id: int, index: int) -> None:
        """Note when the translator first opened a segment (kept once set)."""
        self.segment(doc_id, index)  # NotFound
        with self._transaction() as db:
            db.execute("UPDATE segments SET first_focus = ? WHERE document_id = ? AND idx = ? "
                       "AND first_focus IS NULL", (time.time(), doc_id, index))  # fmt: skip

    # --- glossary ---

    def set_glossary(self, project_id: int, terms: dict[str, str]) -> int:
        """Replace the project's glossary (Vietnamese term -> required English) in one
        transaction; returns the number of terms."""
        self._project(project_id)
        with self._transaction() as db:
            db.execute("DELETE FROM glossary WHERE project_id = ?", (project_id,))
            db.executemany("INSERT INTO glossary (project_id, term, required) VALUES (?, ?, ?)",
                           [(project_id, t, r) for t, r in terms.items()])  # fmt: skip
        return len(terms)

    def glossary(self, project_id: int) -> dict[str, str]:
        with self._lock:
            rows = self._db.execute("SELECT term, required FROM glossary WHERE project_id = ? "
                                    "ORDER BY term", (project_id,)).fetchall()  # fmt: skip
        return {row["term"]: row["required"] for row in rows}

    # --- translation memory ---

    def tm_entries(self, project_id: int) -> list[dict[str, Any]]:
        self._project(project_id)
        with self._lock:
            rows = self._db.execute("SELECT source, target, provenance, created FROM tm "
                                    "WHERE project_id = ? ORDER BY id",
                                    (project_id,)).fetchall()  # fmt: skip
        return [dict(row) for row in rows]

    def add_tm(self, project_id: int, pairs: list[tuple[str, str]], provenance: str) -> int:
        """Add (source, target) pairs to a project's TM in one transaction; returns how many."""
        self._project(project_id)
        now = time.time()
        with self._transaction() as db:
            for source, target in pairs:
                db.execute(
                    "INSERT INTO tm (project_id, source, target, provenance, created) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (project_id, source) DO UPDATE SET "
                    "target = excluded.target, provenance = excluded.provenance",
                    (project_id, source, target, provenance, now),
                )
        return len(pairs)


def fuzzy_match(source: str, memory: dict[str, str]) -> tuple[str | None, str | None, float | None]:
    """The memory's closest source to `source` (rapidfuzz ratio >= `FUZZY_MIN`): (its source,
    its target, the score rounded to a whole percent), or three Nones."""
    if not memory:
        return None, None, None
    from rapidfuzz import fuzz, process

    best = process.extractOne(source, list(memory), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
    if best is None:
        return None, None, None
    return best[0], memory[best[0]], float(round(best[1]))


def _row(row: sqlite3.Row) -> SegmentRow:
    return SegmentRow(index=row["idx"], source=row["source"], mt=row["mt"], target=row["target"],
                      state=row["state"], version=row["version"], first_focus=row["first_focus"],
                      confirmed=row["confirmed"], match=row["match"],
                      fuzzy=None if row["fuzzy_score"] is None else {
                          "source": row["fuzzy_source"], "target": row["fuzzy_target"],
                          "score": row["fuzzy_score"]})  # fmt: skip
