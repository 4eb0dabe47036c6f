"""Evaluator-controlled normalisation."""

from __future__ import annotations

import pytest

from vi2en.errors import Vi2enError
from vi2en.evaluate.normalize import describe, normalize_lines, parse_steps


@pytest.mark.parametrize(
    ("spec", "steps"),
    [(None, ()), ("", ()), ("none", ()), ("punct,nfc", ("nfc", "punct")),
     (["moses", "PUNCT"], ("moses", "punct")), ("nfc, moses", ("moses", "nfc"))],
)
def test_parse_steps_orders_and_dedups(spec, steps):
    assert parse_steps(spec) == steps


def test_unknown_step_lists_choices():
    with pytest.raises(Vi2enError, match="unknown normalisation step lower; choose from moses"):
        parse_steps("nfc,lower")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("He called for “modern warfare”, KCNA reported.",
         'He called for "modern warfare", KCNA reported.'),
        ("It’s 2019–2020 — really…", "It's 2019-2020 - really..."),
        ("10\u00a0km\u202faway  now ", "10 km away now"),
        ("«Xin chào»", '"Xin chào"'),
    ],
)
def test_punct(line, expected):
    assert normalize_lines([line], ("punct",)) == [expected]


def test_nfc_composes_decomposed_vietnamese():
    decomposed = "vie\u0323\u0302c"
    assert normalize_lines([decomposed], ("nfc",)) == ["việc"]


def test_moses_unescapes_and_detokenizes_iwslt_style():
    lines = ["I don &apos;t remember the pirates , but &quot; yes &quot; &#91; laughs &#93; .",
             "Imagine the first piece : a man burning his life &apos;s work ."]
    assert normalize_lines(lines, ("moses",)) == [
        "I don't remember the pirates, but \"yes\" [laughs].",
        "Imagine the first piece: a man burning his life's work.",
    ]


def test_no_steps_is_identity_and_described_as_sacrebleu_default():
    lines = ["“a”  b "]
    assert normalize_lines(lines, ()) == lines
    assert describe(()).startswith("none (sacreBLEU defaults")
    assert "Unicode NFC" in describe(("nfc",))


def test_punct_turns_quote_mismatch_into_a_perfect_score():
    from sacrebleu.metrics import BLEU

    hyp, ref = ['He called for "modern warfare", KCNA reported.'], [
        "He called for “modern warfare”, KCNA reported."]
    assert BLEU().corpus_score(hyp, [ref]).score < 50
    steps = ("punct",)
    fixed = BLEU().corpus_score(normalize_lines(hyp, steps), [normalize_lines(ref, steps)])
    assert fixed.score == pytest.approx(100.0)
