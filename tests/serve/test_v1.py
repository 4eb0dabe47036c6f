"""vi2en's own /v1 API, NDJSON streaming, /metrics, /docs, against the session's real server."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.issue(13)


def test_article_in_document_out(server, trained_task):
    (a, ta), (b, tb) = trained_task.held_out[7:9]
    article = f"{a}\n\n{b}\nẢnh: Reuters\n"
    reply = server.post_json("/v1/translate", {"text": article, "align": True})
    assert reply.status == 200, reply.body
    body = reply.json()
    assert body["translation"] == f"{ta}\n\n{tb}\nPhoto: Reuters\n"
    doc = body["document"]
    assert doc["signature"]["engine"] == "ctranslate2"
    segs = doc["segments"]
    assert [s["type"] for s in segs] == ["heading", "heading", "credit"]  # lines without a stop
    assert [doc["text"][s["start"]:s["end"]] for s in segs] == [a, b, "Ảnh: Reuters"]
    assert segs[0]["translation"]["method"] == "mt" and segs[0]["translation"]["links"]
    assert segs[2]["translation"]["method"] == "template"


def test_stream_gives_one_line_per_segment_then_done(server, trained_task):
    pairs = trained_task.held_out[9:13]
    article = "\n\n".join(s for s, _ in pairs) + "\n"
    reply = server.post_json("/v1/translate/stream", {"text": article})
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in reply.body.decode().splitlines()]
    assert [line["translation"]["text"] for line in lines[:-1]] == [t for _, t in pairs]
    assert lines[-1]["done"] is True and lines[-1]["signature"]["beam_size"] == 4
    whole = server.post_json("/v1/translate", {"text": article}).json()["translation"]
    assert lines[-1]["translation"] == whole


def test_segments_and_models(server, trained_task):
    texts = [s for s, _ in trained_task.held_out[13:16]] + [""]
    reply = server.post_json("/v1/segments", {"segments": texts})
    got = [t["text"] for t in reply.json()["translations"]]
    assert got == [t for _, t in trained_task.held_out[13:16]] + [""]
    (model,) = server.get("/v1/models").json()
    assert model["engine"] == "ctranslate2" and model["source"] == "vi"


def test_segments_alternatives_for_the_workbench(server, trained_task, trained_ct2_model):
    from vi2en.translator import Translator

    texts = [s for s, _ in trained_task.held_out[16:19]] + [""]
    plain = server.post_json("/v1/segments", {"segments": texts}).json()["translations"]
    assert all("alternatives" not in t for t in plain)
    reply = server.post_json("/v1/segments", {"segments": texts, "alternatives": 3})
    assert reply.status == 200, reply.body
    got = reply.json()["translations"]
    assert [t["text"] for t in got] == [t["text"] for t in plain]  # the primary is unchanged
    offline = Translator(str(trained_ct2_model), "ctranslate2").translate_segments(
        texts, alternatives=3)  # fmt: skip
    assert [t["alternatives"] for t in got] == [t.alternatives for t in offline]
    assert all(1 <= len(t["alternatives"]) <= 3 for t in got[:3]) and got[3]["alternatives"] == []
    for t in got:
        assert t["text"] not in t["alternatives"]
        assert len(set(t["alternatives"])) == len(t["alternatives"])
    # Asked again once the 1-bests are cached: still the n-best, never a cached 1-best alone.
    again = server.post_json("/v1/segments", {"segments": texts, "alternatives": 3}).json()
    assert again["translations"] == got


def test_article_and_stream_carry_alternatives(server, trained_task):
    text = "\n\n".join(s for s, _ in trained_task.held_out[10:12])  # lower case, as it learnt
    doc = server.post_json("/v1/translate", {"text": text, "alternatives": 2}).json()["document"]
    done = [seg["translation"] for seg in doc["segments"]]
    assert all(0 < len(t["alternatives"]) <= 2 for t in done)
    reply = server.post_json("/v1/translate/stream", {"text": text, "alternatives": 2})
    lines = [json.loads(line) for line in reply.body.decode().splitlines()]
    assert [line["translation"] for line in lines[:-1]] == done and lines[-1]["done"]


@pytest.mark.parametrize(
    ("path", "payload", "message"),
    [
        ("/v1/segments", {"segments": ["a"], "alternatives": -1}, "alternatives"),
        ("/v1/segments", {"segments": ["a"], "alternatives": 11}, "alternatives"),
        ("/v1/segments", {"segments": ["a"], "alternatives": "2"}, "alternatives"),
        ("/v1/segments", {"segments": ["a"], "alternatives": 2.5}, "alternatives"),
        ("/v1/translate", {"text": "a", "alternatives": True}, "alternatives"),
        ("/v1/translate", {"text": 5}, "text"),
        ("/v1/translate", {}, "text"),
        ("/v1/translate", {"text": "a", "colour": 1}, "colour"),
        ("/v1/translate", {"text": "   "}, "only whitespace"),
        ("/v1/translate/stream", {"text": ""}, "empty"),
        ("/v1/segments", {"segments": []}, "segments"),
        ("/v1/segments", {"segments": "abc"}, "segments"),
    ],
)
def test_v1_bad_input_is_400(server, path, payload, message):
    reply = server.post_json(path, payload)
    assert reply.status == 400, reply.body
    assert message in reply.json()["error"]


def test_metrics_docs_and_unknown_paths(server):
    server.post_json("/translate", {"q": "mèo", "source": "vi", "target": "en"})
    text = server.get("/metrics").body.decode()
    for name in ("vi2en_http_requests_total", "vi2en_http_request_duration_seconds_bucket",
                 "vi2en_batch_texts_bucket", "vi2en_queue_texts", "vi2en_cache_hits_total"):
        assert name in text
    assert 'endpoint="/translate",status="200"' in text
    assert server.get("/openapi.json").json()["info"]["title"] == "vi2en"
    assert server.get("/docs").status == 200
    missing = server.get("/no/such/page")
    assert missing.status == 404 and missing.json() == {"error": "Not Found"}
    wrong = server.request("DELETE", "/translate")
    assert wrong.status == 405 and "error" in wrong.json()
