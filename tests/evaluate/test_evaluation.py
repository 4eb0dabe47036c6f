"""score_files / score_lines: checks, normalisation, alignment, worst segments, notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from vi2en.errors import MismatchError, Vi2enError
from vi2en.evaluate.evaluation import ScoreOptions, score_files, score_lines
from vi2en.evaluate.results import DocumentSpan

REF = ["The cat sat on the mat.", "It rained all day.", "Prices rose in March.",
       "Nobody knows why.", "The meeting ended early."]
HYP = ["The cat sat on the mat.", "It rained.", "Costs went up in March.",
       "Nobody knows why.", "A meeting ended."]


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_report_has_everything(tmp_path):
    ref, hyp = write(tmp_path / "ref.en", REF), write(tmp_path / "hyp.en", HYP)
    ids = write(tmp_path / "ids", ["d1", "d1", "d2", "d2", "d2"])
    report = score_files([ref], [hyp], docids=ids, options=ScoreOptions(worst=2))
    assert report.segments == 5 and report.systems == [str(hyp)]
    assert report.documents.spans == [DocumentSpan("d1", 1, 2), DocumentSpan("d2", 3, 5)]
    worst = report.worst.segments[str(hyp)]
    assert worst[0].score <= worst[1].score
    assert [w.line for w in worst] == [3, 2]  # the two least similar lines by chrF2
    assert worst[1].length_ratio == pytest.approx(2 / 4)
    assert report.length[str(hyp)].bleu_ratio < 1


def test_worst_by_ter_ranks_highest_ter_first():
    report = score_lines([("ref", REF)], [("hyp", HYP)],
                         options=ScoreOptions(metrics=("ter",), worst=1))
    (row,) = report.worst.segments["hyp"]
    assert row.score == max(report.sentences["hyp"]["TER"])


def test_normalisation_applies_to_both_sides_and_is_recorded():
    ref, hyp = ["He said “yes” – twice…"], ['He said "yes" - twice...']
    plain = score_lines([("r", ref)], [("h", hyp)], options=ScoreOptions(metrics=("bleu",)))
    fixed = score_lines([("r", ref)], [("h", hyp)],
                        options=ScoreOptions(metrics=("bleu",), normalize=("punct",)))
    assert plain.corpus["h"]["BLEU"].score < 60
    assert fixed.corpus["h"]["BLEU"].score == pytest.approx(100)
    assert fixed.normalization.steps == ["punct"]


def test_tokenized_and_escaped_inputs_get_notes():
    ref = ["I don &apos;t know ."] * 100
    report = score_lines([("r", ref)], [("h", ["I don 't know ."] * 100)],
                         options=ScoreOptions(metrics=("bleu",), worst=0))
    assert any("look tokenized" in n for n in report.notes)
    assert any("--normalize moses" in n for n in report.notes)
    assert report.worst is None


def test_baseline_by_basename_and_errors(tmp_path):
    ref = write(tmp_path / "ref.en", REF)
    a, b = write(tmp_path / "a.en", HYP), write(tmp_path / "b.en", REF)
    report = score_files([ref], [a, b], options=ScoreOptions(
        metrics=("bleu",), paired=("bs",), paired_bs_n=50, baseline="b.en"))
    assert report.significance[0].baseline == str(b)
    with pytest.raises(Vi2enError, match=r"--baseline 'c\.en' names none of the systems"):
        score_files([ref], [a, b], options=ScoreOptions(metrics=("bleu",), baseline="c.en"))
    with pytest.raises(Vi2enError, match="--worst-by 'TER' is not among the metrics"):
        score_files([ref], [a], options=ScoreOptions(metrics=("bleu",), worst_by="TER"))


def test_reference_count_mismatch(tmp_path):
    ref, ref2 = write(tmp_path / "ref.en", REF), write(tmp_path / "ref2.en", REF[:4])
    with pytest.raises(MismatchError, match=f"{ref2} has 4 lines but {ref} has 5"):
        score_files([ref, ref2], [ref])


def test_align_merges_a_differently_segmented_hypothesis(tmp_path):
    ref = write(tmp_path / "ref.en", REF)
    hyp = write(tmp_path / "hyp.en", [REF[0] + " " + REF[1], *REF[2:]])
    with pytest.raises(MismatchError):
        score_files([ref], [hyp])
    report = score_files([ref], [hyp], align=True, options=ScoreOptions(metrics=("bleu",)))
    assert report.alignment.beads == 4
    assert report.alignment.beads_not_one_to_one == 1
    assert report.corpus[str(hyp)]["BLEU"].score == pytest.approx(100)


def test_align_takes_one_hypothesis(tmp_path):
    ref = write(tmp_path / "ref.en", REF)
    with pytest.raises(Vi2enError, match="--align works on one hypothesis"):
        score_files([ref], [ref, ref], align=True)
