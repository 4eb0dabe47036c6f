"""`vi2en serve` on a model of another family (the tiny NLLB-200, converted once): answers equal
`vi2en translate`'s, over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.serve.serverkit import cli_translate, start_server

pytestmark = pytest.mark.issue(17)


def test_an_nllb_model_serves_what_translate_prints(tiny_nllb_ct2_model: Path, tmp_path: Path):
    article = "Hà Nội mưa to.\n\nGIÁ XĂNG TĂNG MẠNH\n\nẢnh: TTXVN"
    server = start_server(tiny_nllb_ct2_model)
    try:
        reply = server.post_json("/translate", {"q": article, "source": "vi", "target": "en"})
    finally:
        assert server.stop() == 0, server.stderr()
    assert reply.status == 200, reply.body
    assert reply.json()["translatedText"] + "\n" == cli_translate(tiny_nllb_ct2_model, article,
                                                                  tmp_path)  # fmt: skip
