"""The LibreTranslate API against a real server: the real `libretranslatepy` client, field for
field responses, answers identical to `vi2en translate`, 100 concurrent clients."""

from __future__ import annotations

import json
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from libretranslatepy import LibreTranslateAPI

from tests.serve.serverkit import cli_translate

pytestmark = pytest.mark.issue(13)

ARTICLE_TAIL = "\n\nẢnh: TTXVN\nHồng Anh/VOV.VN"


def test_libretranslatepy_translates_detects_and_lists(server, trained_task):
    client = LibreTranslateAPI(server.url)
    source, target = trained_task.held_out[0]
    assert client.translate(source, "vi", "en") == target  # the trained model knows it
    assert client.translate(source, "auto", "en") == target
    assert client.languages() == [
        {"code": "vi", "name": "Vietnamese", "targets": ["en"]},
        {"code": "en", "name": "English", "targets": []},
    ]
    (detected,) = client.detect("Hà Nội mưa to, người dân đi làm muộn.")
    assert detected["language"] == "vi" and detected["confidence"] == 100.0
    assert client.detect("The weather is fine today.")[0]["confidence"] == 0.0


def test_answers_are_identical_to_vi2en_translate(server, trained_ct2_model, trained_task,
                                                  tmp_path):  # fmt: skip
    sentences = [s for s, _ in trained_task.held_out[:6]]
    article = ". ".join(s.capitalize() for s in sentences[:3]) + ".\n" + sentences[3] + "."
    article += ARTICLE_TAIL
    reply = server.post_json("/translate", {"q": article, "source": "vi", "target": "en"})
    assert reply.status == 200, reply.body
    expected = cli_translate(trained_ct2_model, article, tmp_path)
    assert reply.json()["translatedText"] + "\n" == expected
    assert "Photo: TTXVN" in expected and "Hồng Anh/VOV.VN" in expected  # types kept


def test_a_hundred_concurrent_requests_match_the_cli(server, trained_ct2_model, trained_task,
                                                     tmp_path):  # fmt: skip
    sources = [s for s, _ in trained_task.held_out] + [s for s, _ in trained_task.pairs[:80]]
    cli = cli_translate(trained_ct2_model, "\n\n".join(sources) + "\n", tmp_path)
    expected = cli.rstrip("\n").split("\n\n")
    assert len(expected) == len(sources) == 100

    def ask(text: str) -> str:
        reply = server.post_json("/translate", {"q": text, "source": "vi", "target": "en"})
        assert reply.status == 200, reply.body
        return reply.json()["translatedText"]

    with ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(ask, sources))
    assert answers == expected
    metrics = server.get("/metrics").body.decode()
    singles = float(_metric(metrics, 'vi2en_batch_texts_bucket{le="1.0"}'))
    batches = float(_metric(metrics, "vi2en_batch_texts_count"))
    assert singles < batches  # requests shared batches


def _metric(text: str, name: str) -> str:
    return next(line.split()[-1] for line in text.splitlines() if line.startswith(name + " "))


def test_json_list_auto_and_alternatives_fields(server, trained_task, trained_ct2_model):
    texts = [s for s, _ in trained_task.held_out[:2]]
    reply = server.post_json("/translate", {"q": [*texts, "  "], "source": "auto", "target": "en",
                                            "format": "text", "alternatives": 2})  # fmt: skip
    body = reply.json()
    assert body["translatedText"] == [t for _, t in trained_task.held_out[:2]] + ["  "]
    assert [d["language"] for d in body["detectedLanguage"]] == ["vi"] * 3
    expected = [tr.alternatives for tr in _offline(trained_ct2_model, texts, 2)]
    assert body["alternatives"] == [*expected, []] and all(expected)


def _offline(model, texts: list[str], alternatives: int):
    """The same texts through the Python API in this process, as `vi2en serve` loads the model."""
    from vi2en.translator import Translator

    return Translator(str(model), "ctranslate2").translate_segments(texts,
                                                                    alternatives=alternatives)


def test_alternatives_of_a_text_are_its_beams_other_translations(server, trained_task,
                                                                  trained_ct2_model, tmp_path):
    source, target = trained_task.held_out[5]
    plain = server.post_json("/translate", {"q": source, "source": "vi", "target": "en"})
    assert "alternatives" not in plain.json()  # only when asked for, as LibreTranslate
    reply = server.post_json("/translate", {"q": source, "source": "vi", "target": "en",
                                            "alternatives": 3})  # fmt: skip
    body = reply.json()
    assert body["translatedText"] == plain.json()["translatedText"] == target  # unchanged
    (offline,) = _offline(trained_ct2_model, [source], 3)
    assert body["alternatives"] == offline.alternatives and 1 <= len(offline.alternatives) <= 3
    assert target not in body["alternatives"] and len(set(body["alternatives"])) == 3
    # An article: each alternative ranks its sentences' n-bests together; the rest is the
    # rendered article as `vi2en translate` prints it (templates, bylines, blank lines).
    article = f"{trained_task.held_out[6][0].capitalize()}.\n{source.capitalize()}." + ARTICLE_TAIL
    reply = server.post_json("/translate", {"q": article, "source": "vi", "target": "en",
                                            "alternatives": 2}).json()  # fmt: skip
    assert reply["translatedText"] + "\n" == cli_translate(trained_ct2_model, article, tmp_path)
    assert 1 <= len(reply["alternatives"]) <= 2
    for alternative in reply["alternatives"]:
        assert alternative != reply["translatedText"]
        assert alternative.endswith("\n\nPhoto: TTXVN\nHồng Anh/VOV.VN")
        assert alternative.count("\n") == reply["translatedText"].count("\n")


def test_alternatives_as_form_data_and_for_html(server, trained_task):
    source, target = trained_task.held_out[7]
    form = urllib.parse.urlencode({"q": source, "source": "vi", "target": "en",
                                   "alternatives": "2"})  # fmt: skip
    reply = server.request("POST", "/translate", form,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 200 and reply.json()["translatedText"] == target
    assert 1 <= len(reply.json()["alternatives"]) <= 2
    html = server.post_json("/translate", {"q": [f"<p>{source}</p>"], "source": "vi",
                                           "target": "en", "format": "html",
                                           "alternatives": 2}).json()  # fmt: skip
    assert html == {"translatedText": [f"<p>{target}</p>"], "alternatives": [[]]}  # as LT
    negative = server.post_json("/translate", {"q": source, "source": "vi", "target": "en",
                                               "alternatives": -3}).json()  # fmt: skip
    assert negative == {"translatedText": target}  # LibreTranslate: max(0, int(...))


def test_n_best_and_plain_requests_at_once_keep_every_primary(server, trained_task):
    sources = [s for s, _ in trained_task.held_out]

    def ask(i: int) -> tuple[str, list[str] | None]:
        payload = {"q": sources[i % len(sources)], "source": "vi", "target": "en"}
        if i % 3:
            payload["alternatives"] = [1, 3, 10][i % 3]
        body = server.post_json("/translate", payload).json()
        return body["translatedText"], body.get("alternatives")

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(ask, range(60)))
    targets = [t for _, t in trained_task.held_out]
    assert [text for text, _ in answers] == [targets[i % len(targets)] for i in range(60)]
    assert all(alts is None for i, (_, alts) in enumerate(answers) if i % 3 == 0)
    assert all(alts and len(alts) <= [1, 3, 10][i % 3] for i, (_, alts) in enumerate(answers)
               if i % 3)  # fmt: skip


def test_form_data_like_curl_and_weblate(server, trained_task):
    source, target = trained_task.held_out[1]
    form = urllib.parse.urlencode({"q": source, "source": "vi", "target": "en"})
    reply = server.request("POST", "/translate", form,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 200 and reply.json() == {"translatedText": target}


def test_html_keeps_markup_and_escapes(server, trained_task):
    (a, ta), (b, tb) = trained_task.held_out[2:4]
    html = f'<p class="x">{a}</p><ul><li><b>{b}</b></li></ul><code>{a}</code><!-- {a} -->'
    reply = server.post_json("/translate", {"q": html, "source": "vi", "target": "en",
                                            "format": "html"})  # fmt: skip
    assert reply.status == 200, reply.body
    assert reply.json()["translatedText"] == (
        f'<p class="x">{ta}</p><ul><li><b>{tb}</b></li></ul><code>{a}</code><!-- {a} -->'
    )
    kept = server.post_json("/translate", {"q": "<code>&lt;script&gt;</code>", "source": "vi",
                                           "target": "en", "format": "html"}).json()
    assert kept["translatedText"] == "<code>&lt;script&gt;</code>"  # escaped, never markup
    nul = server.post_json("/translate", {"q": "<p>a\u0000</p>", "source": "vi", "target": "en",
                                          "format": "html"})  # fmt: skip
    assert nul.status == 400 and "NUL" in nul.json()["error"]


def test_translate_file_and_download(server, trained_task):
    source, target = trained_task.held_out[4]
    boundary = "vi2enboundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nvi\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="target"\r\n\r\nen\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bài báo.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\n{source}\n\r\n",
        f"--{boundary}--\r\n",
    ]
    reply = server.request("POST", "/translate_file", "".join(parts),
                           headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert reply.status == 200, reply.body
    url = reply.json()["translatedFileUrl"]
    assert url.startswith(server.url + "/download_file/")
    got = server.get(url[len(server.url):])
    assert got.status == 200 and got.body.decode("utf-8") == target + "\n"
    assert server.get("/download_file/..%2F..%2Fetc%2Fpasswd").status == 404


def test_frontend_settings_and_health(server):
    settings = server.get("/frontend/settings").json()
    assert settings["charLimit"] == -1 and settings["apiKeys"] is False
    assert settings["language"]["source"]["code"] == "vi"
    assert server.get("/health").json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (b"{not json", "application/json", 400, "Invalid JSON format"),
        (b"[1, 2]", "application/json", 400, "Invalid JSON format"),
        (b'{"source": "vi", "target": "en"}', "application/json", 400, "missing q"),
        (b'{"q": "", "source": "vi", "target": "en"}', "application/json", 400, "missing q"),
        (b'{"q": [], "source": "vi", "target": "en"}', "application/json", 400, "missing q"),
        (b'{"q": 5, "source": "vi", "target": "en"}', "application/json", 400, "string"),
        (b'{"q": ["a", 1], "source": "vi", "target": "en"}', "application/json", 400, "string"),
        (b'{"q": "a", "target": "en"}', "application/json", 400, "missing source"),
        (b'{"q": "a", "source": "vi"}', "application/json", 400, "missing target"),
        (b'{"q": "a", "source": ["vi"], "target": "en"}', "application/json", 400, "string"),
        (b'{"q": "a", "source": "fr", "target": "en"}', "application/json", 400, "fr is not"),
        (b'{"q": "a", "source": "vi", "target": "xx"}', "application/json", 400, "xx is not"),
        (b'{"q": "a", "source": "vi", "target": "vi"}', "application/json", 400, "not available"),
        (b'{"q": "a", "source": "vi", "target": "en", "format": "pdf"}', "application/json",
         400, "pdf format is not supported"),
        (b'{"q": "a", "source": "vi", "target": "en", "alternatives": "x"}',
         "application/json", 400, "alternatives parameter is not a number"),
        (b'{"q": "a", "source": "vi", "target": "en", "alternatives": 2.5}',
         "application/json", 400, "alternatives parameter is not a number"),
        (b'{"q": "a", "source": "vi", "target": "en", "alternatives": true}',
         "application/json", 400, "alternatives parameter is not a number"),
        (b'{"q": "a", "source": "vi", "target": "en", "alternatives": [1]}',
         "application/json", 400, "alternatives parameter is not a number"),
        (b'{"q": "a", "source": "vi", "target": "en", "alternatives": 11}',
         "application/json", 400, "alternatives parameter must be <= 10"),
        (b'{"q": "a", "source": "vi", "target": "en", "alternatives": 1e400}',
         "application/json", 400, "alternatives parameter is not a number"),
        (b"q=a&source=vi&target=en&alternatives=99999999999999999999",
         "application/x-www-form-urlencoded", 400, "alternatives parameter must be <= 10"),
        (b"q=a&source=vi&target=en&alternatives=", "application/x-www-form-urlencoded", 400,
         "alternatives parameter is not a number"),
        (b'{"q": "a\\u0000b", "source": "vi", "target": "en"}', "application/json", 400, "NUL"),
        (b'{"q": "\\ud800", "source": "vi", "target": "en"}', "application/json", 400,
         "surrogate"),
        (json.dumps({"q": ["a"] * 10_000, "source": "vi", "target": "en"}).encode(),
         "application/json", 400, "exceeds text limit (1000)"),
        (b"q=%C3%28&source=vi&target=en", "application/x-www-form-urlencoded", 400, "UTF-8"),
        (b"q=\xff\xfe&source=vi&target=en", "application/x-www-form-urlencoded", 400, "UTF-8"),
        (b'{"q": "a"}\xff', "application/json", 400, "UTF-8"),
    ],
)
def test_bad_input_is_a_4xx_with_a_message(server, body, content_type, status, message):
    reply = server.request("POST", "/translate", body, headers={"Content-Type": content_type})
    assert reply.status == status, reply.body
    error = reply.json()["error"]
    assert message in error, error
