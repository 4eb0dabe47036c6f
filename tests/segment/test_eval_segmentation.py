"""eval/segmentation.py: the NTREX article construction, the scores, and the error path."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "eval" / "segmentation.py"


@pytest.fixture(scope="module")
def evalseg():
    spec = importlib.util.spec_from_file_location("eval_segmentation", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def write_ntrex(folder: Path, docs: dict[str, list[str]]) -> Path:
    ids, lines = [], []
    for doc_id, sentences in docs.items():
        ids += [doc_id] * len(sentences)
        lines += sentences
    (folder / "document_ids.tsv").write_text("\n".join(ids) + "\n", encoding="utf-8")
    (folder / "ntrex.vi").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_article_construction(evalseg):
    sentences = ["Tiêu đề bài", "Câu một.", "Câu hai không dấu", "Câu ba.", "Câu bốn?"]
    article = evalseg.build_article("x.1", sentences, random.Random(0))
    lines = article.text.splitlines()
    assert lines[0] == "Tiêu đề bài"
    # the paragraph ends early after the sentence with no final punctuation
    assert lines[1] == "Câu một. Câu hai không dấu"
    assert [article.text[s:e] for s, e in article.sentences] == sentences


def test_perfect_score_on_clean_data(evalseg, tmp_path):
    data = write_ntrex(
        tmp_path,
        {
            "a.1": [
                "Mỹ và Hàn Quốc lo sốt vó",
                "Ông đến TP. HCM hôm qua.",
                "Trời mưa.",
                "“Có cá mập!” Hammel chia sẻ thêm.",
                "Nhạc sĩ Dionisio A. Lind chơi đàn.",
            ],
            "b.2": ["Tiêu đề hai", "Một câu.", "Hai câu!"],
        },
    )
    result, errors = evalseg.evaluate(data, seed=1)
    assert errors == []
    assert result["sentence_level"]["f1"] == 1.0
    assert result["headlines_kept_apart"] == 2


def test_errors_are_counted(evalseg, tmp_path):
    # the true "sentence" holds two sentences: the segmenter splits it (a precision error)
    data = write_ntrex(tmp_path, {"a.1": ["Tiêu đề", "Câu một. Câu hai.", "Câu ba."]})
    result, errors = evalseg.evaluate(data, seed=1)
    assert result["true_sentences_split"] == 1
    assert result["sentence_level"]["recall"] == pytest.approx(2 / 3)
    assert any("missed" in line for line in errors)


def test_missing_data_is_one_line_and_exit_2(evalseg, tmp_path, capsys):
    assert evalseg.main([str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not found" in err


def test_ntrex_meets_the_target(evalseg, shared_dir, capsys):
    assert evalseg.main([str(shared_dir / "data" / "ntrex128"), "--json"]) == 0
    result, _ = evalseg.evaluate(shared_dir / "data" / "ntrex128")
    assert result["boundary_level_in_paragraph"]["f1"] >= 0.98
    assert result["sentence_level"]["f1"] >= 0.975  # capped by two-sentence NTREX lines
    assert result["headlines_kept_apart"] == result["documents"]
