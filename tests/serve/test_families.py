"""`vi2en serve` on a model of every family (the tiny models, converted to CTranslate2 once):
answers equal `vi2en translate`'s, over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.serve.serverkit import cli_translate, start_server

pytestmark = pytest.mark.issue(17)


FAMILIES = {"marian": "tiny_ct2_model", "nllb": "tiny_nllb_ct2_model",
            "mbart50": "tiny_mbart50_ct2_model", "t5": "tiny_madlad_ct2_model"}  # fmt: skip


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_family_serves_what_translate_prints(
    request: pytest.FixtureRequest, family: str, tmp_path: Path
) -> None:
    model: Path = request.getfixturevalue(FAMILIES[family])
    article = "Hà Nội mưa to.\n\nGIÁ XĂNG TĂNG MẠNH\n\nẢnh: TTXVN"
    server = start_server(model)
    try:
        reply = server.post_json("/translate", {"q": article, "source": "vi", "target": "en"})
    finally:
        assert server.stop() == 0, server.stderr()
    assert reply.status == 200, reply.body
    assert reply.json()["translatedText"] + "\n" == cli_translate(model, article, tmp_path)
