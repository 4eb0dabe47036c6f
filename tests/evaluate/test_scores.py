"""Scores derived from sacreBLEU statistics equal sacreBLEU's own corpus/sentence scores."""

from __future__ import annotations

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from vi2en.errors import Vi2enError
from vi2en.evaluate.scores import (
    build_metrics,
    corpus_result,
    document_scores,
    document_spans,
    extract_statistics,
    sentence_metric,
    sentence_scores,
)

REFS = [
    "The cat sat on the mat.",
    "Hanoi had heavy rain on Tuesday, officials said.",
    "He called for modern warfare.",
    "Prices rose by 3.5% in March.",
    "Nobody knows why.",
    "The meeting ended early.",
] * 70  # 420 lines: enough to use two worker processes
HYP_A = [
    "The cat sat on a mat.",
    "Hanoi had rain on Tuesday, said officials.",
    "He called for a modern war.",
    "Prices rose 3.5% in March.",
    "No one knows why.",
    "The meeting ended early.",
] * 70
HYP_B = [h.upper() if i % 3 == 0 else h for i, h in enumerate(HYP_A)]
SACRE = {"BLEU": BLEU, "chrF2": CHRF, "TER": TER}


@pytest.fixture(scope="module")
def metrics():
    return build_metrics(["bleu", "chrf", "chrf++", "ter"], [REFS])


def test_names_follow_sacrebleu(metrics):
    assert list(metrics) == ["BLEU", "chrF2", "chrF2++", "TER"]


def test_unknown_metric_and_bad_option():
    with pytest.raises(Vi2enError, match="unknown metric 'meteor'"):
        build_metrics(["meteor"], [REFS])
    with pytest.raises(Vi2enError, match="sacreBLEU rejected the bleu options"):
        build_metrics(["bleu"], [REFS], bleu_options={"smooth_method": "magic"})


@pytest.mark.parametrize("jobs", [1, 2])
def test_corpus_scores_equal_corpus_score(metrics, jobs):
    stats = extract_statistics(metrics, [HYP_A, HYP_B], jobs=jobs)
    expected = {
        "BLEU": BLEU(), "chrF2": CHRF(), "chrF2++": CHRF(word_order=2), "TER": TER()}
    for key, metric in metrics.items():
        for i, hyps in enumerate([HYP_A, HYP_B]):
            ours = corpus_result(metric, stats[key][i]).score
            assert ours == expected[key].corpus_score(hyps, [REFS]).score


def test_parallel_and_serial_statistics_are_identical(metrics):
    assert extract_statistics(metrics, [HYP_B], jobs=2) == extract_statistics(
        metrics, [HYP_B], jobs=1)


def test_confidence_matches_corpus_score_bootstrap():
    metric = build_metrics(["bleu"], [REFS])["BLEU"]
    stats = extract_statistics({"BLEU": metric}, [HYP_B])["BLEU"][0]
    ours = corpus_result(metric, stats, confidence_n=200)
    theirs = BLEU()
    score = theirs.corpus_score(HYP_B, [REFS], n_bootstrap=200)
    assert (ours.mean, ours.ci) == (score._mean, score._ci)
    assert metric.get_signature().format() == theirs.get_signature().format()
    assert "bs:200|seed:12345" in metric.get_signature().format()


def test_sentence_scores_equal_sentence_score(metrics):
    stats = extract_statistics(metrics, [HYP_B[:12]])
    for key, cls in [("BLEU", lambda: BLEU(effective_order=True)), ("chrF2", CHRF),
                     ("TER", TER)]:
        ours = sentence_scores(sentence_metric(metrics[key]), stats[key][0][:12])
        theirs = [cls().sentence_score(h, [r]).score for h, r in zip(HYP_B, REFS[:12],
                                                                       strict=False)]
        assert ours == pytest.approx(theirs, abs=1e-12)
    assert "eff:yes" in sentence_metric(metrics["BLEU"]).get_signature().format()
    assert "eff:no" in metrics["BLEU"].get_signature().format()


def test_document_spans_are_runs_of_equal_ids():
    ids = ["a", "a", "b", "b", "b", "a"]
    assert document_spans(ids) == [("a", 0, 2), ("b", 2, 5), ("a", 5, 6)]


def test_document_scores_equal_corpus_score_on_the_slice(metrics):
    stats = extract_statistics(metrics, [HYP_B])
    spans = [("d1", 0, 5), ("d2", 5, 30)]
    for key in ("BLEU", "TER"):
        ours = document_scores(metrics[key], stats[key][0], spans)
        theirs = [SACRE[key]().corpus_score(HYP_B[a:b], [REFS[a:b]]).score for _, a, b in spans]
        assert ours == theirs


def test_identical_hypotheses_are_scored_once(metrics, monkeypatch):
    calls = []
    original = TER._extract_corpus_statistics

    def spy(self, hyps, refs):
        calls.append(len(hyps))
        return original(self, hyps, refs)

    monkeypatch.setattr(TER, "_extract_corpus_statistics", spy)
    extract_statistics({"TER": metrics["TER"]}, [HYP_A, list(HYP_A), HYP_B])
    # 6 distinct (line, hypothesis) pairs repeat 70 times but line numbers differ, so the
    # work is the distinct pairs of A plus the lines where B differs from A.
    assert sum(calls) == len(HYP_A) + sum(a != b for a, b in zip(HYP_A, HYP_B, strict=True))

