"""The OPUS-CAT MT Engine endpoints with the request shapes its plugins send (OmegaT plugin:
GET TranslateJson?input=&srcLangCode=&trgLangCode= read with `$.translation`; Wordfast:
`tokenCode=&input={ss}&srcLangCode={sl}&trgLangCode={tl}`; the engine's controller for the rest)."""

from __future__ import annotations

import json
import time
import urllib.parse

import pytest

pytestmark = pytest.mark.issue(13)


def query(**params: str) -> str:
    return urllib.parse.urlencode(params)


def test_translate_json_as_the_omegat_plugin_calls_it(server, trained_task):
    source, target = trained_task.held_out[5]
    reply = server.get("/MTRestService/TranslateJson?" + query(
        input=source, srcLangCode="vi", trgLangCode="en"))  # OmegaT's parameter names
    assert reply.status == 200, reply.body
    pair = reply.json()
    assert pair["translation"] == pair["Translation"] == target
    assert pair["SegmentedSourceSentence"] == ["▁" + w for w in source.split()]
    assert pair["SegmentedTranslation"] == ["▁" + w for w in target.split()]
    links = [tuple(map(int, p.split("-"))) for p in pair["AlignmentString"].split()]
    assert links, "the model's word links are returned"
    n_src, n_tgt = len(source.split()), len(target.split())
    assert all(0 <= s < n_src and 0 <= t < n_tgt for s, t in links)
    forward = {int(k): v for k, v in pair["SegmentedAlignmentSourceToTarget"].items()}
    assert sorted((s, t) for s, ts in forward.items() for t in ts) == sorted(links)
    assert reply.headers["access-control-allow-origin"] == "*"


def test_wordfast_shape_case_insensitive_path_and_translate(server, trained_task):
    source, target = trained_task.held_out[6]
    shape = query(tokenCode="", input=source, srcLangCode="vie", trgLangCode="en-US")
    assert server.get("/mtrestservice/translatejson?" + shape).json()["translation"] == target
    assert server.get("/MtRestService/Translate?" + shape).json() == target
    post = server.request("POST", "/MtRestService/TranslatePost?" + shape)
    assert post.status == 200 and post.json() == {"translation": target}


def test_languages_status_tags(server):
    assert server.get("/MtRestService/ListSupportedLanguagePairs?tokenCode=0").json() == ["vi-en"]
    status = server.get("/MtRestService/CheckModelStatus?" + query(
        tokenCode="0", sourceCode="vi", targetCode="en", modelTag="")).json()
    assert status == "Primary model vi2en for vi-en will be used."
    missing = server.get("/MtRestService/CheckModelStatus?" + query(
        tokenCode="0", sourceCode="fi", targetCode="en")).json()
    assert missing.startswith("No model available for fi-en")
    assert server.get("/MtRestService/GetLanguagePairModelTags?" + query(
        tokenCode="0", srcLangCode="vi", trgLangCode="en")).json() == []


def test_pre_order_batch_fills_the_cache(server, trained_task):
    texts = [s for s, _ in trained_task.pairs[200:205]]
    reply = server.request("POST", "/MtRestService/PreOrderBatch?" + query(
        tokenCode="0", srcLangCode="vi", trgLangCode="en", modelTag=""), json.dumps(texts),
        headers={"Content-Type": "application/json"})
    assert reply.status == 200
    hits_before = _hits(server)
    deadline = time.monotonic() + 30
    while _hits(server) == hits_before and time.monotonic() < deadline:
        server.get("/MtRestService/Translate?" + query(input=texts[-1], srcLangCode="vi",
                                                       trgLangCode="en"))  # fmt: skip
        time.sleep(0.1)
    assert _hits(server) > hits_before  # translated ahead, answered from the cache
    empty = server.request("POST", "/MtRestService/PreOrderBatch?srcLangCode=vi&trgLangCode=en",
                           "[]", headers={"Content-Type": "application/json"})
    assert empty.status == 400


def _hits(server) -> float:
    text = server.get("/metrics").body.decode()
    return float(next(line.split()[-1] for line in text.splitlines()
                      if line.startswith("vi2en_cache_hits_total ")))  # fmt: skip


def test_wrong_pair_or_input_is_400(server):
    wrong = server.get("/MtRestService/TranslateJson?" + query(
        input="mèo", srcLangCode="en", trgLangCode="fi"))
    assert wrong.status == 400 and "No model available for en-fi" in wrong.json()["error"]
    mangled = server.get("/MtRestService/TranslateJson?input=%FF%FE&srcLangCode=vi&trgLangCode=en")
    assert mangled.status == 400 and "not valid UTF-8" in mangled.json()["error"]
    empty = server.get("/MtRestService/TranslateJson?srcLangCode=vi&trgLangCode=en")
    assert empty.status == 200 and empty.json()["translation"] == ""
