"""run_eval: translate (a stand-in Translator here), score, keep every file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest

from vi2en.doc import Translation
from vi2en.errors import ModelNotFound
from vi2en.evaluate.eval_run import run_eval
from vi2en.evaluate.evaluation import ScoreOptions
from vi2en.evaluate.testsets import resolve_testset

SRC = ["Trời mưa.", "Giá tăng.", "Không ai biết tại sao."]
REF = ["It rained.", "Prices rose.", "Nobody knows why."]


class EchoTranslator:
    """Translates by table lookup; records what it was given."""

    seen: ClassVar[list[list[str]]] = []
    table: ClassVar[dict[str, str]] = dict(
        zip(SRC, ["It rained.", "Prices\nwent up.", "Nobody knows why."], strict=True))

    def __init__(self, model: str = "Helsinki-NLP/opus-mt-vi-en", engine: str = "auto",
                 **kwargs):
        self.model, self.engine_name = model, engine
        self.device, self.beam_size = kwargs.get("device", "auto"), kwargs.get("beam_size")

    def translate_segments(self, texts):
        EchoTranslator.seen.append(list(texts))
        return [Translation(text=self.table.get(t, t.upper())) for t in texts]


@pytest.fixture
def echo(monkeypatch):
    import vi2en.translator

    EchoTranslator.seen = []
    monkeypatch.setattr(vi2en.translator, "Translator", EchoTranslator)
    return EchoTranslator


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_keeps_hypothesis_and_reports(tmp_path, echo):
    src, ref = write(tmp_path / "x.vi", SRC), write(tmp_path / "x.en", REF)
    out = tmp_path / "run"
    report = run_eval(out, source=src, references=[ref],
                      translator_options={"beam_size": 3},
                      options=ScoreOptions(metrics=("bleu", "chrf")))
    # One line per segment: the model's inner line break became a space.
    assert (out / "x.hyp.en").read_text(encoding="utf-8").splitlines() == [
        "It rained.", "Prices went up.", "Nobody knows why."]
    assert json.loads((out / "report.json").read_text("utf-8"))["translation"]["beam_size"] == 3
    assert (out / "report.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "# vi2en score report" in (out / "report.md").read_text("utf-8")
    assert report["worst"]["segments"][str(out / "x.hyp.en")][0]["source"] == "Giá tăng."


def test_tokenized_testset_is_detokenized_for_the_model_and_the_score(
        shared_dir, tmp_path, echo):
    testset = resolve_testset("iwslt15-tst2012")
    report = run_eval(tmp_path / "run", testset=testset,
                      options=ScoreOptions(metrics=("bleu",), worst=0))
    sent = echo.seen[0]
    assert len(sent) == 1553 and not any("&quot;" in line or "&apos;" in line for line in sent)
    assert report["normalization"]["steps"] == ["moses"]
    assert report["testset"]["name"] == "iwslt15-tst2012" and report["anchors"] == []
    assert report["notes"][0].startswith("source detokenised")


def test_ntrex_anchors_ride_along(shared_dir, tmp_path, echo):
    report = run_eval(tmp_path / "run", testset=resolve_testset("ntrex128"),
                      options=ScoreOptions(metrics=("bleu",), worst=0))
    assert report["anchors"][0]["BLEU"] == 23.2
    assert len(report["documents"]["spans"]) == 123
    assert "anchor: OPUS-MT vie-eng" in (tmp_path / "run" / "report.md").read_text("utf-8")


def test_missing_model_raises_model_not_found(tmp_path):
    src, ref = write(tmp_path / "x.vi", SRC), write(tmp_path / "x.en", REF)
    with pytest.raises(ModelNotFound, match="does not exist"):
        run_eval(tmp_path / "run", source=src, references=[ref],
                 translator_options={"model": str(tmp_path / "no-model")})
    assert not (tmp_path / "run" / "report.json").exists()
