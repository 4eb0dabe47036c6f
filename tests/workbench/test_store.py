"""The workbench's project store on its own: versions, conflicts, states, TM, migrations."""

from __future__ import annotations

import sqlite3

import pytest

from vi2en.doc import Document, SegmentType, Translation
from vi2en.errors import InputError
from vi2en.workbench.store import MIGRATIONS, SCHEMA_VERSION, Conflict, NotFound, Store

pytestmark = pytest.mark.issue(14)


def translated(*pairs: tuple[str, str]) -> Document:
    doc = Document(text=" ".join(source for source, _ in pairs))
    start = 0
    for n, (source, target) in enumerate(pairs):
        seg = doc.add_segment(start, start + len(source), SegmentType.BODY, paragraph=0,
                              sentence=n)  # fmt: skip
        seg.translation = Translation(text=target)
        start += len(source) + 1
    return doc


@pytest.fixture
def store(tmp_path):
    st = Store(tmp_path / "wb.sqlite")
    yield st
    st.close()


def test_a_document_starts_as_its_mt_and_saves_bump_the_version(store):
    project = store.create_project("News")
    doc_id = store.add_document(project, "a.txt", translated(("Xin chào.", "Hello."),
                                                             ("Tạm biệt.", "Bye.")))  # fmt: skip
    _, doc, rows = store.document(doc_id)
    assert [(r.source, r.mt, r.target, r.state, r.version) for r in rows] == [
        ("Xin chào.", "Hello.", "Hello.", "initial", 1),
        ("Tạm biệt.", "Bye.", "Bye.", "initial", 1),
    ]
    assert doc.segments[1].text == "Tạm biệt."
    row = store.save_segment(doc_id, 0, target="Hi.", state="translated", version=1)
    assert (row.target, row.state, row.version) == ("Hi.", "translated", 2)
    row = store.save_segment(doc_id, 0, target="Hi!", state="final", version=2)
    assert (row.state, row.version) == ("final", 3) and row.confirmed is not None


def test_a_stale_version_is_a_conflict_not_an_overwrite(store):
    doc_id = store.add_document(store.create_project("p"), "a", translated(("Một.", "One.")))
    store.save_segment(doc_id, 0, target="First tab.", state="translated", version=1)
    with pytest.raises(Conflict) as err:
        store.save_segment(doc_id, 0, target="Second tab.", state="translated", version=1)
    assert err.value.current["target"] == "First tab." and err.value.current["version"] == 2
    assert store.segment(doc_id, 0).target == "First tab."


def test_bad_state_unknown_segment_and_project(store):
    doc_id = store.add_document(store.create_project("p"), "a", translated(("Một.", "One.")))
    with pytest.raises(InputError, match="state must be one of"):
        store.save_segment(doc_id, 0, target="x", state="approved", version=1)
    with pytest.raises(NotFound):
        store.save_segment(doc_id, 5, target="x", state="final", version=1)
    with pytest.raises(NotFound):
        store.add_document(99, "a", translated(("Một.", "One.")))
    assert store.segment(doc_id, 0).version == 1  # nothing half-saved


def test_confirmed_segments_feed_the_tm_and_exact_matches_are_reused(store):
    project = store.create_project("p")
    first = store.add_document(project, "a", translated(("Một.", "One."), ("Hai.", "Two.")))
    store.save_segment(first, 0, target="One!", state="final", version=1)
    store.save_segment(first, 1, target="Two?", state="translated", version=1)  # not confirmed
    assert [(e["source"], e["target"]) for e in store.tm_entries(project)] == [("Một.", "One!")]
    second = store.add_document(project, "b", translated(("Hai.", "Two."), ("Một.", "1.")))
    rows = store.document(second)[2]
    assert [(r.target, r.state, r.match) for r in rows] == [
        ("Two.", "initial", None), ("One!", "translated", "tm-100")]
    other = store.add_document(store.create_project("q"), "c", translated(("Một.", "1.")))
    assert store.document(other)[2][0].match is None  # the TM is per project


def test_a_close_tm_source_is_a_fuzzy_match_with_its_score(store):
    project = store.create_project("p")
    first = store.add_document(project, "a", translated(("Hà Nội có mưa lớn vào chiều nay.", "x")))
    store.save_segment(first, 0, target="Heavy rain in Hanoi this afternoon.", state="final",
                       version=1)  # fmt: skip
    second = store.add_document(project, "b", translated(
        ("Hà Nội có mưa lớn vào sáng nay.", "mt"), ("Một câu khác hẳn.", "mt")))  # fmt: skip
    close, far = store.document(second)[2]
    assert close.fuzzy is not None and 75 <= close.fuzzy["score"] < 100
    assert close.fuzzy["target"] == "Heavy rain in Hanoi this afternoon."
    assert (close.target, close.state, close.match) == ("mt", "initial", None)  # only shown
    assert far.fuzzy is None


def test_tm_pairs_import_in_one_transaction(store):
    project = store.create_project("p")
    assert store.add_tm(project, [("Một.", "One."), ("Hai.", "Two.")], "imported from x") == 2
    assert [e["provenance"] for e in store.tm_entries(project)] == ["imported from x"] * 2
    with pytest.raises(NotFound):
        store.add_tm(42, [("a", "b")], "x")


def test_a_glossary_is_replaced_whole(store):
    project = store.create_project("p")
    assert store.set_glossary(project, {"Hà Nội": "Hanoi", "mưa": "rain"}) == 2
    store.set_glossary(project, {"mưa": "rainfall"})
    assert store.glossary(project) == {"mưa": "rainfall"}
    assert store.glossary(store.create_project("q")) == {}


def test_an_old_file_is_migrated_and_a_newer_one_refused(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "PRAGMA user_version=1;")
    db.execute("INSERT INTO projects (name, created) VALUES ('kept', 0)")
    db.commit()
    db.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert [p["name"] for p in store.projects()] == ["kept"]
    store.close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(InputError, match="newer than this vi2en"):
        Store(path)


def test_the_store_is_in_wal_mode_and_keeps_its_token(tmp_path):
    store = Store(tmp_path / "wb.sqlite")
    token = store.token()
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    again = Store(tmp_path / "wb.sqlite")
    assert again.token() == token and len(token) >= 24
    again.close()


def test_an_unopenable_path_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="cannot open the workbench store"):
        Store(tmp_path / "file" / "wb.sqlite")
