"""The workbench API over real HTTP: documents translated by the server, saves, conflicts,
the token, exports validated against the official schemas, and kill -9 losing nothing."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from tests.formats import conformance
from tests.serve.serverkit import Server, start_server

pytestmark = pytest.mark.issue(14)

ARTICLE = "một hai ba.\n\nbốn năm.\n"


def token_of(server: Server) -> str:
    page = server.get("/").body.decode("utf-8")
    match = re.search(r'name="vi2en-token" content="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


@pytest.fixture(scope="module")
def wb(trained_ct2_model: Path, tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("wb") / "workbench.sqlite"
    srv = start_server(trained_ct2_model, "--workbench-db", str(db))
    yield srv, {"X-Vi2en-Token": token_of(srv)}
    assert srv.stop() == 0, srv.stderr()


def new_document(srv: Server, headers: dict[str, str], text: str = ARTICLE) -> tuple[int, dict]:
    project = srv.post_json("/api/projects", {"name": "News"}, headers=headers)
    assert project.status == 201, project.body
    added = srv.post_json(f"/api/projects/{project.json()['id']}/documents",
                          {"name": "a.txt", "text": text}, headers=headers)  # fmt: skip
    assert added.status == 201, added.body
    doc_id = added.json()["id"]
    return doc_id, srv.get(f"/api/documents/{doc_id}").json()


def put(srv, headers, doc_id, index, **body):
    return srv.request("PUT", f"/api/documents/{doc_id}/segments/{index}",
                       __import__("json").dumps(body),
                       headers={**headers, "Content-Type": "application/json"})  # fmt: skip


def test_a_pasted_article_is_translated_by_the_server(wb, trained_ct2_model, tmp_path):
    from tests.serve.serverkit import cli_translate

    srv, headers = wb
    _, doc = new_document(srv, headers)
    assert [s["source"] for s in doc["segments"]] == ["một hai ba.", "bốn năm."]
    assert [s["state"] for s in doc["segments"]] == ["initial", "initial"]
    assert [s["paragraph"] for s in doc["segments"]] == [0, 1]
    english = cli_translate(trained_ct2_model, ARTICLE, tmp_path)
    assert "\n\n".join(s["mt"] for s in doc["segments"]) + "\n" == english


def test_saves_need_the_token_and_a_stale_version_is_409(wb):
    srv, headers = wb
    doc_id, _doc = new_document(srv, headers)
    no_token = put(srv, {}, doc_id, 0, target="x", state="translated", version=1)
    assert no_token.status == 403 and "X-Vi2en-Token" in no_token.json()["error"]
    assert srv.post_json("/api/projects", {"name": "x"}).status == 403
    first = put(srv, headers, doc_id, 0, target="One two three.", state="translated", version=1)
    assert first.status == 200 and first.json()["version"] == 2
    stale = put(srv, headers, doc_id, 0, target="Other tab.", state="final", version=1)
    assert stale.status == 409
    assert stale.json()["current"]["target"] == "One two three."
    assert srv.get(f"/api/documents/{doc_id}").json()["segments"][0]["target"] == "One two three."
    for body, message in (({"target": 1, "state": "final", "version": 2}, "target must be"),
                          ({"target": "x", "state": "done", "version": 2}, "state must be"),
                          ({"target": "x", "state": "final"}, "version must be")):  # fmt: skip
        bad = put(srv, headers, doc_id, 0, **body)
        assert bad.status == 400 and message in bad.json()["error"], bad.body
    assert srv.get("/api/documents/999999").status == 404
    assert put(srv, headers, doc_id, 7, target="x", state="final", version=1).status == 404


def test_qa_is_recomputed_for_any_target(wb):
    srv, _ = wb
    reply = srv.post_json("/api/qa", {"source": "Năm 2019 có 35 người.",
                                      "target": "In 2018 there were 35 people."})  # fmt: skip
    assert [f["code"] for f in reply.json()["flags"]] == ["number-mismatch"]
    fine = srv.post_json("/api/qa", {"source": "Năm 2019 có 35 người.",
                                     "target": "In 2019 there were 35 people."})  # fmt: skip
    assert fine.json()["flags"] == []


@pytest.mark.parametrize("fmt", ["xliff", "xliff12", "tmx"])
def test_exports_carry_the_post_edits_and_states_and_validate(wb, fmt):
    srv, headers = wb
    doc_id, doc = new_document(srv, headers)
    assert put(srv, headers, doc_id, 0, target="One & <two> three.", state="final",
               version=1).status == 200  # fmt: skip
    assert put(srv, headers, doc_id, 1, target="Four five.", state="translated",
               version=1).status == 200  # fmt: skip
    reply = srv.get(f"/api/documents/{doc_id}/export?format={fmt}")
    assert reply.status == 200
    text = reply.body.decode("utf-8")
    assert conformance.CHECKS[fmt](text) == []
    assert "One &amp; &lt;two&gt; three." in text and "Four five." in text
    if fmt == "xliff":
        assert re.search(r'<segment id="s1" state="final" subState="vi2en:postedit"', text)
        assert re.search(r'<segment id="s2" state="translated"', text)
    elif fmt == "xliff12":
        assert 'state="final"' in text and 'state="translated"' in text
        assert f"<target>{doc['segments'][0]['mt']}</target>" in text  # the MT in alt-trans


def test_text_export_and_postedit_report_read_the_xliff(wb, tmp_path):
    from vi2en.postedit import compare_xliff

    srv, headers = wb
    doc_id, doc = new_document(srv, headers)
    original = srv.get(f"/api/documents/{doc_id}/export?format=xliff").body
    put(srv, headers, doc_id, 1, target="Four and five.", state="final", version=1)
    assert srv.get(f"/api/documents/{doc_id}/export?format=txt").body.decode() == (
        f"{doc['segments'][0]['mt']}\n\nFour and five.\n")
    edited = srv.get(f"/api/documents/{doc_id}/export?format=xliff").body
    report = compare_xliff(original, edited)
    assert len(report.segments) == 2 and report.unchanged_share == 0.5 and report.hter > 0
    assert srv.get(f"/api/documents/{doc_id}/export?format=pdf").status == 400


def test_the_effort_log_times_and_measures_each_segment(wb):
    import time

    from vi2en.postedit import compare_xliff

    srv, headers = wb
    doc_id, doc = new_document(srv, headers)
    assert srv.post_json(f"/api/documents/{doc_id}/segments/0/focus", {},
                         headers=headers).status == 200  # fmt: skip
    assert srv.post_json(f"/api/documents/{doc_id}/segments/9/focus", {},
                         headers=headers).status == 404  # fmt: skip
    time.sleep(0.3)
    put(srv, headers, doc_id, 0, target="One two three.", state="final", version=1)
    put(srv, headers, doc_id, 1, target=doc["segments"][1]["mt"], state="final", version=1)
    effort = srv.get(f"/api/documents/{doc_id}/effort").json()
    first, second = effort["segments"]
    assert first["seconds"] >= 0.3 and second["seconds"] is None  # never focused
    assert first["hter"] > 0 and second == {**second, "hter": 0.0, "unchanged": True}
    assert effort["unchanged_share"] == 0.5 and effort["most_edited"] == [0]
    assert effort["confirmed_words"] == 3 and effort["words_per_hour"] > 0
    edited = srv.get(f"/api/documents/{doc_id}/export?format=xliff").body
    put(srv, headers, doc_id, 0, target=doc["segments"][0]["mt"], state="final", version=2)
    original = srv.get(f"/api/documents/{doc_id}/export?format=xliff").body
    assert effort["hter"] == compare_xliff(original, edited).hter  # as postedit-report says


def test_the_project_memory_exports_and_imports_as_tmx(wb):
    srv, headers = wb
    doc_id, _ = new_document(srv, headers)
    project = srv.get(f"/api/documents/{doc_id}").json()["project_id"]
    put(srv, headers, doc_id, 0, target="One two three.", state="final", version=1)
    tmx = srv.get(f"/api/projects/{project}/tm")
    assert tmx.status == 200 and conformance.CHECKS["tmx"](tmx.body.decode()) == []
    assert "One two three." in tmx.body.decode() and "một hai ba." in tmx.body.decode()
    other = srv.post_json("/api/projects", {"name": "other"}, headers=headers).json()["id"]
    imported = srv.request("POST", f"/api/projects/{other}/tm", tmx.body, headers=headers)
    assert imported.json() == {"imported": 1}
    again = srv.post_json(f"/api/projects/{other}/documents", {"text": ARTICLE},
                          headers=headers).json()["id"]  # fmt: skip
    first = srv.get(f"/api/documents/{again}").json()["segments"][0]
    assert (first["target"], first["match"], first["state"]) == (
        "One two three.", "tm-100", "translated")
    for bad in (b"", b"<tmx><body>", b"<xliff/>", b'<!DOCTYPE x [<!ENTITY a "b">]><tmx/>'):
        reply = srv.request("POST", f"/api/projects/{other}/tm", bad, headers=headers)
        assert reply.status == 400 and "TMX" in reply.json()["error"], reply.body
    assert srv.request("POST", f"/api/projects/{other}/tm", tmx.body).status == 403
    assert srv.get("/api/projects/999999/tm").status == 404


def test_a_project_glossary_marks_terms_and_flags_targets_missing_them(wb):
    srv, headers = wb
    doc_id, _ = new_document(srv, headers)
    project = srv.get(f"/api/documents/{doc_id}").json()["project_id"]
    tsv = "# term\trequired\nhai\ttwo\n"
    reply = srv.request("PUT", f"/api/projects/{project}/glossary", tsv, headers=headers)
    assert reply.json() == {"terms": 1}
    first = srv.get(f"/api/documents/{doc_id}").json()["segments"][0]
    assert first["terms"] == [["hai", "two"]]
    assert "glossary" in [f["code"] for f in first["flags"]]  # the MT lacks 'two'
    saved = put(srv, headers, doc_id, 0, target="One two three.", state="final", version=1)
    assert "glossary" not in [f["code"] for f in saved.json()["flags"]]
    typed = srv.post_json("/api/qa", {"source": "một hai ba.", "target": "One, three.",
                                      "project": project}).json()  # fmt: skip
    assert [f["code"] for f in typed["flags"]] == ["glossary"]
    bad = srv.request("PUT", f"/api/projects/{project}/glossary", "one column\n", headers=headers)
    assert bad.status == 400 and "Vietnamese term<TAB>English term" in bad.json()["error"]
    assert srv.request("PUT", f"/api/projects/{project}/glossary", b"\xff\xfe",
                       headers=headers).status == 400  # fmt: skip
    assert srv.request("PUT", f"/api/projects/{project}/glossary", tsv).status == 403
    assert srv.get(f"/api/projects/{project}/glossary").json() == {"terms": {"hai": "two"}}


def upload(srv, headers, project, name: str, data: bytes):
    boundary = "vi2enboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    return srv.request("POST", f"/api/projects/{project}/documents", body, headers={
        **headers, "Content-Type": f"multipart/form-data; boundary={boundary}"})


def test_uploads_txt_jsonl_and_a_cat_tools_xliff(wb):
    srv, headers = wb
    doc_id, doc = new_document(srv, headers)
    project = srv.get(f"/api/documents/{doc_id}").json()["project_id"]
    txt = upload(srv, headers, project, "a.txt", ARTICLE.encode("utf-16"))
    assert txt.status == 201 and txt.json()["segments"] == 2
    # An XLIFF 2.1 out of vi2en, one target post-edited elsewhere, the other emptied.
    xliff = srv.get(f"/api/documents/{doc_id}/export?format=xliff").body.decode()
    mt0, mt1 = (s["mt"] for s in doc["segments"])
    xliff = xliff.replace(f"<target>{mt0}</target>", "<target>Edited in a CAT tool.</target>")
    xliff = xliff.replace(f"<target>{mt1}</target>", "<target></target>")
    added = upload(srv, headers, project, "from-cat.xlf", xliff.encode())
    assert added.status == 201, added.body
    rows = srv.get(f"/api/documents/{added.json()['id']}").json()["segments"]
    assert [(r["source"], r["paragraph"]) for r in rows] == [("một hai ba.", 0), ("bốn năm.", 1)]
    assert rows[0]["mt"] == "Edited in a CAT tool." and rows[1]["mt"] == mt1  # translated here
    for name, data in (("x.xlf", b"<xliff/>"), ("x.xlf", b"not xml"), ("x.txt", b"\x00\x01")):
        reply = upload(srv, headers, project, name, data)
        assert reply.status == 400 and "error" in reply.json(), reply.body


def test_bad_documents_are_one_line_errors(wb):
    srv, headers = wb
    project = srv.post_json("/api/projects", {"name": "p"}, headers=headers).json()["id"]
    for body in ({"text": "   "}, {"text": "a\x00b"}, {"name": "x"}):
        reply = srv.post_json(f"/api/projects/{project}/documents", body, headers=headers)
        assert reply.status == 400 and "error" in reply.json(), reply.body
    assert srv.request("POST", f"/api/projects/{project}/documents", b"{not json",
                       headers=headers).status == 400  # fmt: skip
    missing = srv.post_json("/api/projects/424242/documents", {"text": "một."}, headers=headers)
    assert missing.status == 404


def test_kill_9_loses_no_confirmed_segment(trained_ct2_model, tmp_path):
    db = tmp_path / "workbench.sqlite"
    srv = start_server(trained_ct2_model, "--workbench-db", str(db))
    headers = {"X-Vi2en-Token": token_of(srv)}
    text = "\n\n".join(["một hai ba.", "bốn năm.", "sáu bảy.", "tám chín."] * 5) + "\n"
    doc_id, doc = new_document(srv, headers, text)
    confirmed = {}
    for seg in doc["segments"]:
        target = f"confirmed {seg['index']}"
        assert put(srv, headers, doc_id, seg["index"], target=target, state="final",
                   version=1).status == 200  # fmt: skip
        confirmed[seg["index"]] = target
    srv.stop(signal.SIGKILL)
    again = start_server(trained_ct2_model, "--workbench-db", str(db))
    try:
        rows = again.get(f"/api/documents/{doc_id}").json()["segments"]
        assert {r["index"]: r["target"] for r in rows} == confirmed
        assert {r["state"] for r in rows} == {"final"}
        assert token_of(again) == headers["X-Vi2en-Token"]  # the open page keeps working
    finally:
        again.stop()
