"""`vi2en translate`: an article's translation never depends on what it is batched with.

Issue 11 item 4: the length cap was the sub-batch's largest, so a short sentence translated next
to long ones ran on (66 characters alone, 1,035 in a folder), a folder differed between
`--workers 1` and `2`, and the cache then served whichever came first. Random weights never stop
by themselves, so every output here runs to its cap and any cap but its own shows at once.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests import modelkit
from vi2en.cli.main import main
from vi2en.segment import segment_text
from vi2en.translator import Translator


def _sentence(words: str) -> str:
    return words[0].upper() + words[1:]


def articles() -> dict[str, str]:
    """Three articles: short sentences, long ones (several lines joined), and a mix."""
    lines = modelkit.vietnamese_like_lines(30, seed=5)
    long = [_sentence(" ".join(s.rstrip(".?…") for s in lines[i : i + 2]) + ".")
            for i in range(0, 6, 2)]  # fmt: skip
    return {
        "short.txt": "Mưa to ở Hà Nội\n\nTrời lạnh. Đường ngập. Xe chết máy.\n",
        "long.txt": f"{_sentence(lines[20])}\n\n{long[0]} {long[1]}\n",
        "mixed.txt": f"Tin nhanh\n\nHà Nội. {long[2]} Đường ngập.\n",
    }


def segment_records(path: Path) -> list[dict]:
    """A jsonl output's segment records (the header names the input file, so it is left out)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[1:]]


@pytest.fixture(params=["ctranslate2", pytest.param("transformers", marks=pytest.mark.slow)])
def model(request: pytest.FixtureRequest) -> tuple[str, str]:
    fixture = "tiny_ct2_model" if request.param == "ctranslate2" else "tiny_hf_model"
    return request.param, str(request.getfixturevalue(fixture))


@pytest.mark.issue(11)
def test_an_article_alone_equals_it_in_a_folder_with_any_workers_and_batch_tokens(
    model: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in articles().items():
        (folder / name).write_text(text, encoding="utf-8")
    common = ["--engine", model[0], "--model", model[1], "--format", "jsonl", "--no-cache",
              "--beam-size", "1" if model[0] == "transformers" else "4", "--align", "-q"]
    alone = {}
    for name in articles():
        out = tmp_path / "alone" / f"{name}.jsonl"
        assert main(["translate", str(folder / name), "-o", str(out), *common]) == 0
        alone[name] = segment_records(out)
    runs = [["--workers", "2", "--batch-tokens", "64"], ["--batch-tokens", "100000"]]
    if model[0] == "ctranslate2":  # transformers is the slow reference: two runs are enough
        runs += [["--workers", "1", "--batch-tokens", "1"], ["--batch-tokens", "300"]]
    for i, extra in enumerate(runs):
        out = tmp_path / f"folder{i}"
        assert main(["translate", str(folder), "-o", str(out), *common, *extra]) == 0
        for name, want in alone.items():
            got = segment_records(out / name.replace(".txt", ".jsonl"))
            assert got == want, (extra, name)


@pytest.mark.issue(11)
def test_documents_in_any_order_translate_the_same(model: tuple[str, str]) -> None:
    texts = list(articles().values())
    translator = Translator(model=model[1], engine=model[0], beam_size=1, batch_tokens=4096)
    alone = [translator.translate_document(segment_text(text)) for text in texts]
    order = list(range(len(texts)))
    random.Random(3).shuffle(order)
    together = translator.translate_documents([segment_text(texts[i]) for i in order])
    for i, doc in zip(order, together, strict=True):
        assert [s.translation for s in doc.segments] == [s.translation for s in alone[i].segments]
