"""run_eval: translate (a stand-in Translator here), score, keep every file."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest

from tests.fake_engine import FakeEngine
from vi2en.errors import ModelNotFound
from vi2en.evaluate.eval_run import run_eval
from vi2en.evaluate.evaluation import ScoreOptions
from vi2en.evaluate.testsets import resolve_testset

SRC = ["Trời mưa.", "Giá tăng.", "Không ai biết tại sao."]
REF = ["It rained.", "Prices rose.", "Nobody knows why."]


class TableEngine(FakeEngine):
    """Translates by table lookup and records what it was sent. It reports itself as the
    CTranslate2 engine in int8 on the CPU, not as what was asked for ("auto"), so a report that
    echoes the request instead of what ran fails."""

    table: ClassVar[dict[str, str]] = dict(
        zip(SRC, ["It rained.", "Prices\nwent up.", "Nobody knows why."], strict=True))

    def __init__(self, model: str) -> None:
        super().__init__(max_positions=512, default_beam_size=4, name="ctranslate2",
                         model_id=model, device="cpu", compute_type="int8")
        self.seen: list[str] = []

    def translate_batch(self, texts, **options):
        self.seen += texts
        hyps = super().translate_batch(texts, **options)
        pairs = zip(texts, hyps, strict=True)
        return [replace(h, text=self.table.get(t, h.text)) for t, h in pairs]


@pytest.fixture
def table_engine(monkeypatch):
    """Every Translator loads a `TableEngine`; the last one loaded is `table_engine.engine`."""
    loaded = SimpleNamespace(engine=None, asked=None)

    def load_engine(name, model, **settings):
        loaded.asked = (name, settings)
        loaded.engine = TableEngine(model)
        return loaded.engine

    monkeypatch.setattr("vi2en.engines.load_engine", load_engine)
    return loaded


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_keeps_hypothesis_and_reports(tmp_path, table_engine):
    src, ref = write(tmp_path / "x.vi", SRC), write(tmp_path / "x.en", REF)
    out = tmp_path / "run"
    report = run_eval(out, source=src, references=[ref],
                      translator_options={"beam_size": 3},
                      options=ScoreOptions(metrics=("bleu", "chrf")))
    # One line per segment: the model's inner line break became a space.
    assert (out / "x.hyp.en").read_text(encoding="utf-8").splitlines() == [
        "It rained.", "Prices went up.", "Nobody knows why."]
    translation = json.loads((out / "report.json").read_text("utf-8"))["translation"]
    assert table_engine.asked[0] == "auto"  # asked for auto; the report says what ran
    signature = translation["signature"]
    assert (signature["engine"], signature["device"], signature["compute_type"],
            signature["beam_size"]) == ("ctranslate2", "cpu", "int8", 3)  # fmt: skip
    assert translation["signature_text"].startswith("vi2en:")
    assert "engine:ctranslate2|device:cpu|compute:int8|beam:3" in translation["signature_text"]
    assert (out / "report.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "# vi2en score report" in (out / "report.md").read_text("utf-8")
    assert report.worst.segments[str(out / "x.hyp.en")][0].source == "Giá tăng."


def test_tokenized_testset_is_detokenized_for_the_model_and_the_score(
        shared_dir, tmp_path, table_engine):
    testset = resolve_testset("iwslt15-tst2012")
    report = run_eval(tmp_path / "run", testset=testset,
                      options=ScoreOptions(metrics=("bleu",), worst=0))
    sent = table_engine.engine.seen
    assert len(sent) > 1000 and not any("&quot;" in line or "&apos;" in line for line in sent)
    assert report.normalization.steps == ["moses"]
    assert report.testset["name"] == "iwslt15-tst2012" and report.anchors == []
    assert report.notes[0].startswith("source detokenised")


def test_ntrex_anchors_ride_along(shared_dir, tmp_path, table_engine):
    report = run_eval(tmp_path / "run", testset=resolve_testset("ntrex128"),
                      options=ScoreOptions(metrics=("bleu",), worst=0))
    assert report.anchors[0]["BLEU"] == 23.2
    assert len(report.documents.spans) == 123
    assert "anchor: OPUS-MT vie-eng" in (tmp_path / "run" / "report.md").read_text("utf-8")


def test_missing_model_raises_model_not_found(tmp_path):
    src, ref = write(tmp_path / "x.vi", SRC), write(tmp_path / "x.en", REF)
    with pytest.raises(ModelNotFound, match="does not exist"):
        run_eval(tmp_path / "run", source=src, references=[ref],
                 translator_options={"model": str(tmp_path / "no-model")})
    assert not (tmp_path / "run" / "report.json").exists()
