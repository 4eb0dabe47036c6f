"""Every family end to end through `vi2en translate` and `vi2en eval` on its tiny model, on
both engines (the Hugging Face folder converted to CTranslate2 once, by vi2en)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vi2en.cli.main import main

FAMILIES = {"marian": "tiny_hf_model", "nllb": "tiny_nllb_model",
            "mbart50": "tiny_mbart50_model", "t5": "tiny_madlad_model"}  # fmt: skip
ARTICLE = "Hà Nội mưa to.\n\nGIÁ XĂNG TĂNG MẠNH TỪ HÔM NAY\n\nẢnh: TTXVN\n"


@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
@pytest.mark.parametrize("family", list(FAMILIES))
def test_translate_and_eval(request, tmp_path: Path, family: str, engine: str, capsys):
    model = request.getfixturevalue(FAMILIES[family])
    article = tmp_path / "a.vi.txt"
    article.write_text(ARTICLE, "utf-8")
    out = tmp_path / "a.jsonl"
    assert main(["translate", str(article), "--model", str(model), "--engine", engine,
                 "--beam-size", "1", "--no-cache", "--format", "jsonl", "-o", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert lines[0]["engine"] == engine
    assert lines[0]["signature"]["guards"] == "repetition,caps"
    segments = [s for line in lines[1:] for s in line.get("segments", [line])]
    text = json.dumps(segments, ensure_ascii=False)
    assert "Photo: TTXVN" in text and "caps-guard" in text
    src, ref = tmp_path / "x.vi", tmp_path / "x.en"
    src.write_text("Trời mưa.\nGiá tăng.\n", "utf-8")
    ref.write_text("It rained.\nPrices rose.\n", "utf-8")
    capsys.readouterr()
    assert main(["eval", "--src", str(src), "--ref", str(ref), "--model", str(model),
                 "--engine", engine, "--beam-size", "1", "-m", "chrf",
                 "-o", str(tmp_path / "run")]) == 0  # fmt: skip
    assert "translated by" in capsys.readouterr().out
