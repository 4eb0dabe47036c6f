"""`vi2en eval`: the CLI plumbing (translator stood in), registry listing and clear misses."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import pytest

from tests.fake_engine import FakeEngine
from vi2en.cli.main import main

SRC = ["Trời mưa.", "Giá tăng."]
REF = ["It rained.", "Prices rose."]


class RecordingEngine(FakeEngine):
    """Reports itself as CTranslate2 in int8 on the CPU, whatever was asked ("auto" included),
    and translates the two test lines; `kwargs` records what `load_engine` was asked."""

    kwargs: ClassVar[dict] = {}
    table: ClassVar[dict[str, str]] = {"Trời mưa.": "It rained.", "Giá tăng.": "Prices went up."}

    def translate_batch(self, texts, **options):
        hyps = super().translate_batch(texts, **options)
        return [replace(h, text=self.table[t]) for t, h in zip(texts, hyps, strict=True)]


def load_recording_engine(name, model, **settings):
    RecordingEngine.kwargs = {"engine": name, "model": model, **settings}
    return RecordingEngine(name="ctranslate2", model_id=model, device="cpu", compute_type="int8",
                           default_beam_size=4)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_eval_src_ref_writes_files_and_prints_table(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("vi2en.engines.load_engine", load_recording_engine)
    src, ref = write(tmp_path / "x.vi", SRC), write(tmp_path / "x.en", REF)
    out = tmp_path / "run"
    rc = main(["eval", "--src", str(src), "--ref", str(ref), "--model", "m", "--device", "auto",
               "--beam-size", "2", "-m", "bleu", "chrf", "-o", str(out)])
    assert rc == 0
    text = capsys.readouterr().out
    assert "translated by m (engine ctranslate2, device cpu, int8, beam 2)" in text
    assert "translation signature: vi2en:" in text and "== Corpus scores ==" in text
    assert (RecordingEngine.kwargs["engine"], RecordingEngine.kwargs["device"]) == ("auto", "auto")
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["metrics"] == ["BLEU", "chrF2"]
    assert (out / "x.hyp.en").read_text("utf-8") == "It rained.\nPrices went up.\n"


def test_eval_needs_an_output_dir_and_one_kind_of_input(tmp_path, capsys):
    assert main(["eval", "--testset", "ntrex128"]) == 2
    assert "give -o DIR" in capsys.readouterr().err
    assert main(["eval", "--testset", "ntrex128", "--src", "x", "-o", str(tmp_path)]) == 2
    assert "either --testset NAME or --src" in capsys.readouterr().err


def test_missing_testset_message(tmp_path, capsys):
    assert main(["eval", "--testset", "iwslt15-tst2013", "--testset-dir", str(tmp_path),
                 "-o", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "test set iwslt15-tst2013 is not on disk" in err and "nlp.stanford.edu" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "run").exists()


def test_missing_model_is_one_line_exit_2(tmp_path, capsys):
    src, ref = write(tmp_path / "x.vi", SRC), write(tmp_path / "x.en", REF)
    rc = main(["eval", "--src", str(src), "--ref", str(ref), "--model",
               str(tmp_path / "nothing"), "-o", str(tmp_path / "run")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and len(err.strip().splitlines()) == 1


def test_list_testsets_subprocess(shared_dir):
    proc = subprocess.run([sys.executable, "-m", "vi2en", "eval", "--list-testsets"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "ntrex128: NTREX-128" in proc.stdout
    assert "anchors: BLEU 23.2 / chrF2 51.3" in proc.stdout
    assert "flores200-devtest" in proc.stdout and "not on disk" in proc.stdout


@pytest.mark.issue(11)
@pytest.mark.parametrize(("fixture", "engine"), [("trained_ct2_model", "ctranslate2"),
                                                 ("trained_hf_model", "transformers")])
def test_eval_with_a_trained_real_model_scores_its_exact_translations(
    request, tmp_path, trained_task, fixture: str, engine: str
):
    """A real model end to end; it translates its held-out sentences exactly, so the scores
    are known: chrF2 100 and BLEU 100 (was: a skip guard that never fired and 0 <= chrF <= 100,
    which any number passes)."""
    model = request.getfixturevalue(fixture)
    pairs = trained_task.held_out[:6]
    src = write(tmp_path / "x.vi", [vi for vi, _ in pairs])
    ref = write(tmp_path / "x.en", [en for _, en in pairs])
    out = tmp_path / "run"
    assert main(["eval", "--src", str(src), "--ref", str(ref), "--model", str(model),
                 "--engine", engine, "--compute-type", "float32", "--device", "cpu",
                 "-m", "bleu", "chrf", "-o", str(out)]) == 0  # fmt: skip
    hyp = out / "x.hyp.en"
    assert hyp.read_text("utf-8").splitlines() == [en for _, en in pairs]
    corpus = json.loads((out / "report.json").read_text("utf-8"))["corpus"][str(hyp)]
    assert corpus["chrF2"]["score"] == 100.0
    assert corpus["BLEU"]["score"] == pytest.approx(100.0, abs=1e-9)
    # And a wrong reference lowers chrF to what sacreBLEU says for the same lines.
    import sacrebleu

    wrong = write(tmp_path / "wrong.en", ["the"] * len(pairs))
    out2 = tmp_path / "run2"
    assert main(["eval", "--src", str(src), "--ref", str(wrong), "--model", str(model),
                 "--engine", engine, "--compute-type", "float32", "--device", "cpu",
                 "-m", "chrf", "-o", str(out2)]) == 0  # fmt: skip
    score = json.loads((out2 / "report.json").read_text("utf-8"))["corpus"][
        str(out2 / "x.hyp.en")]["chrF2"]["score"]  # fmt: skip
    want = sacrebleu.corpus_chrf([en for _, en in pairs], [["the"] * len(pairs)]).score
    assert score == pytest.approx(want, abs=1e-9) and score < 100


def test_eval_compares_models_in_one_report(tmp_path, trained_ct2_model, trained_task,
                                            tiny_nllb_model, capsys):  # fmt: skip
    """Two families in one report: the trained Marian and the random NLLB, paired bootstrap
    against the first, one hypothesis file each, both signatures in every report format."""
    pairs = trained_task.held_out[:8]
    src = write(tmp_path / "x.vi", [s for s, _ in pairs])
    ref = write(tmp_path / "x.en", [t for _, t in pairs])
    out = tmp_path / "run"
    assert main(["eval", "--src", str(src), "--ref", str(ref), "--model", str(trained_ct2_model),
                 "--model", str(tiny_nllb_model), "--engine", "ctranslate2", "--device", "cpu",
                 "--beam-size", "1", "-m", "bleu", "chrf", "-o", str(out)]) == 0  # fmt: skip
    table = capsys.readouterr().out
    first = out / f"x.{trained_ct2_model.name}.hyp.en"
    second = out / f"x.{tiny_nllb_model.name}.hyp.en"
    assert first.read_text("utf-8").splitlines() == [t for _, t in pairs]  # the trained one
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["systems"] == [str(first), str(second)]
    assert report["corpus"][str(first)]["BLEU"]["score"] == pytest.approx(100.0)
    assert report["corpus"][str(second)]["BLEU"]["score"] < 50
    assert [t["signature"]["model"] for t in report["translations"]] == [
        str(trained_ct2_model), str(tiny_nllb_model)]  # fmt: skip
    assert report["significance"], "a paired test between the two"
    for text in (table, (out / "report.md").read_text("utf-8"),
                 (out / "report.html").read_text("utf-8")):  # fmt: skip
        assert text.count("translated by") == 2


def test_eval_refuses_the_same_model_twice(tmp_path, capsys):
    src, ref = write(tmp_path / "x.vi", SRC), write(tmp_path / "x.en", REF)
    assert main(["eval", "--src", str(src), "--ref", str(ref), "--model", "m", "--model", "m",
                 "-o", str(tmp_path / "run")]) == 2  # fmt: skip
    assert "given twice" in capsys.readouterr().err
