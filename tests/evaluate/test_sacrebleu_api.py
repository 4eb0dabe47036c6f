"""The sacreBLEU internals vi2en scores with: present, shaped as expected, and each equal to the
public result it stands for. A sacreBLEU release that changes any of them fails here, loudly,
before it can change a number in a report."""

from __future__ import annotations

import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER

from vi2en.errors import Vi2enError
from vi2en.evaluate import sacrebleu_api

REFS = ["The cat sat on the mat.", "Hanoi had heavy rain on Tuesday.", "Prices rose by 3.5%.",
        "Nobody knows why.", "The meeting ended early."] * 4
HYPS = ["The cat sat on a mat.", "Heavy rain hit Hanoi on Tuesday.", "Prices rose 3.5%.",
        "No one knows why.", "The meeting ended."] * 4
METRICS = [BLEU, CHRF, lambda **kw: CHRF(word_order=2, **kw), TER]


def test_every_private_name_vi2en_uses_is_there_with_its_parameters():
    assert sacrebleu_api.api_problems() == [], (
        f"sacreBLEU {sacrebleu.__version__} changed what vi2en.evaluate.sacrebleu_api uses"
    )
    metric = BLEU(references=[REFS])
    for name in sacrebleu_api.INSTANCE_ATTRIBUTES["metric"]:
        assert hasattr(metric, name), f"BLEU instances no longer have {name}"
    score = metric.corpus_score(HYPS, None, n_bootstrap=10)
    for name in sacrebleu_api.INSTANCE_ATTRIBUTES["score"]:
        assert hasattr(score, name), f"a bootstrapped Score no longer has {name}"


@pytest.mark.parametrize("make", METRICS, ids=["bleu", "chrf", "chrf++", "ter"])
def test_extract_and_aggregate_equal_corpus_score(make):
    metric = make(references=[REFS])
    stats = sacrebleu_api.extract(metric, HYPS, range(len(HYPS)))
    assert sacrebleu_api.aggregate(metric, stats).score == make().corpus_score(HYPS, [REFS]).score
    # A slice of lines is what corpus_score gives on those lines alone.
    part = sacrebleu_api.extract(metric, HYPS[3:7], range(3, 7))
    expected = make().corpus_score(HYPS[3:7], [REFS[3:7]]).score
    assert sacrebleu_api.aggregate(metric, part).score == expected


@pytest.mark.parametrize("make", METRICS, ids=["bleu", "chrf", "chrf++", "ter"])
def test_sentence_score_from_statistics_equals_sentence_score(make):
    metric = make(references=[REFS])
    stats = sacrebleu_api.extract(metric, HYPS, range(len(HYPS)))
    public = make()
    for line in range(5):
        expected = public.sentence_score(HYPS[line], [REFS[line]]).score
        assert sacrebleu_api.sentence_score(metric, stats[line]).score == expected


def test_bootstrap_and_estimate_equal_corpus_score_with_n_bootstrap():
    metric = BLEU(references=[REFS])
    stats = sacrebleu_api.extract(metric, HYPS, range(len(HYPS)))
    score = sacrebleu_api.aggregate(metric, stats)
    seed, samples = sacrebleu_api.bootstrap(metric, stats, 50)
    theirs = BLEU().corpus_score(HYPS, [REFS], n_bootstrap=50)
    assert sacrebleu_api.estimate(score, samples) == (theirs._mean, theirs._ci)
    assert int(seed) == 12345  # SACREBLEU_SEED's default


def test_a_changed_internal_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(BLEU, "_aggregate_and_compute", lambda self, statistics: None)
    monkeypatch.delattr(sacrebleu.significance, "_bootstrap_resample")
    problems = sacrebleu_api.api_problems()
    assert problems == [
        "sacrebleu.metrics.BLEU._aggregate_and_compute takes (statistics), vi2en expects "
        "(stats)",
        "sacrebleu.significance._bootstrap_resample is missing",
    ]
    with pytest.raises(Vi2enError, match=r"changed the internals vi2en scores with .*"
                       r"pip install 'sacrebleu>=2.4,<3'"):
        sacrebleu_api.check_api()
    from vi2en.evaluate.scores import build_metrics

    with pytest.raises(Vi2enError, match="changed the internals"):
        build_metrics(["bleu"], [REFS])
