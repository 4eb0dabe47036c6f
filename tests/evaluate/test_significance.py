"""Paired tests: sacreBLEU's PairedTest results, served cached statistics, as plain JSON."""

from __future__ import annotations

import json

import pytest
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.significance import PairedTest

from vi2en.errors import Vi2enError
from vi2en.evaluate.results import to_dict
from vi2en.evaluate.scores import build_metrics, extract_statistics
from vi2en.evaluate.significance import paired_test

REFS = ["the cat sat on the mat", "it rained all day in Hanoi", "prices rose in March",
        "nobody knows why", "the meeting ended early"] * 8
SYS_A = ["the cat sat on a mat", "it rained all day", "prices rose in March",
         "no one knows why", "the meeting ended"] * 8
SYS_B = ["a cat sat on the mat", "it rained in Hanoi all day", "prices went up in March",
         "nobody knows why", "the meeting ended early"] * 8
SYSTEMS = [("A", SYS_A), ("B", SYS_B)]


@pytest.mark.parametrize(("test", "n"), [("bs", 300), ("ar", 400)])
def test_equals_sacrebleu_paired_test(test, n):
    metrics = build_metrics(["bleu", "chrf"], [REFS])
    stats = extract_statistics(metrics, [SYS_A, SYS_B])
    ours = paired_test(metrics, SYSTEMS, stats, test=test, n_samples=n)
    sigs, table = PairedTest(
        [("A", SYS_A), ("B", SYS_B)],
        {"BLEU": BLEU(references=[REFS]), "chrF2": CHRF(references=[REFS])},
        references=None, test_type=test, n_samples=n)()
    for key in ("BLEU", "chrF2"):
        assert ours.signatures[key] == sigs[key].format()
        for pos in (0, 1):
            res = table[key][pos]
            mine = ours.results[pos].scores[key]
            assert mine.score == pytest.approx(res.score)
            assert mine.p_value == (None if res.p_value is None else pytest.approx(res.p_value))
            if test == "bs":
                assert mine.ci == pytest.approx(float(res.ci))
    assert ours.results[0].baseline and ours.results[0].scores["BLEU"].p_value is None
    json.dumps(to_dict(ours))  # sacreBLEU's float32 results made plain


def test_baseline_can_be_another_system():
    metrics = build_metrics(["bleu"], [REFS])
    stats = extract_statistics(metrics, [SYS_A, SYS_B])
    out = paired_test(metrics, SYSTEMS, stats, test="bs", baseline=1, n_samples=100)
    assert out.baseline == "B"
    assert [r.system for r in out.results] == ["B", "A"]


def test_cached_statistics_are_used_and_the_metric_restored(monkeypatch):
    metrics = build_metrics(["bleu"], [REFS])
    stats = extract_statistics(metrics, [SYS_A, SYS_B])
    calls = []
    monkeypatch.setattr(BLEU, "_extract_corpus_statistics",
                        lambda self, h, r: calls.append(1) or [])
    paired_test(metrics, SYSTEMS, stats, test="bs", n_samples=50)
    assert calls == []
    assert "_extract_corpus_statistics" not in vars(metrics["BLEU"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"test": "t"}, "unknown paired test 't'"),
     ({"test": "bs", "baseline": 5}, "baseline index 5 is out of range")],
)
def test_errors(kwargs, message):
    metrics = build_metrics(["bleu"], [REFS])
    stats = extract_statistics(metrics, [SYS_A, SYS_B])
    with pytest.raises(Vi2enError, match=message):
        paired_test(metrics, SYSTEMS, stats, **kwargs)


def test_one_system_is_refused():
    metrics = build_metrics(["bleu"], [REFS])
    stats = extract_statistics(metrics, [SYS_A])
    with pytest.raises(Vi2enError, match="at least two systems"):
        paired_test(metrics, SYSTEMS[:1], stats, test="bs")
