"""Every flag code vi2en puts on a translation, in one table, each with the one threshold that
decides it.

Three stages set flags: the pipeline (`vi2en.pipeline`: how a segment was translated), the output
guards (`vi2en.guards`: a known failure mode fixed) and QA (`vi2en.qa`: what looks wrong in the
result). A code belongs to exactly one stage, so QA can
rerun (`vi2en export`) and replace its own flags without touching the pipeline's. Codes are
stable: CAT tools, the review page and reports filter on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Stage(str, Enum):
    """Which stage sets a flag."""

    PIPELINE = "pipeline"
    GUARD = "guard"  # the output guards around the engine (`vi2en.guards`)
    QA = "qa"

    def __str__(self) -> str:
        return self.value


# The thresholds, each used by exactly one check.
# Target/source length in characters outside this range is an outlier (vi->en news is ~0.8-1.4);
# sources shorter than MIN_CHARS_FOR_RATIO vary too much to judge (`Cô ấy không phải là người
# phân biệt chủng tộc.`, 47 characters, is rightly `She's not a racist.`, 0.41x).
LENGTH_RATIO_BOUNDS = (0.5, 2.2)
MIN_CHARS_FOR_RATIO = 50
MIN_REPEATS = 3  # a word n-gram (n <= 4) this many times in a row is a decoding loop


@dataclass(frozen=True)
class FlagCode:
    """One flag code: who sets it, what it means, and when it fires."""

    code: str
    stage: Stage
    meaning: str
    threshold: str  # when it fires, in words (the numbers come from the constants above)


_LOW, _HIGH = LENGTH_RATIO_BOUNDS
FLAG_TABLE: tuple[FlagCode, ...] = (
    FlagCode("split-clause", Stage.PIPELINE, "split at clause boundaries before translation",
             "more source pieces than --soft-limit (default 200)"),
    FlagCode("split-hard", Stage.PIPELINE, "split at whitespace before translation",
             "a part still over the model's positions (512 for opus-mt)"),
    FlagCode("length-cap", Stage.PIPELINE, "decoding stopped at max_new_tokens: output may be cut",
             "a part's output reached its cap: 2n+10, n rounded up to 16 (at most 512)"),
    FlagCode("credit-untemplated", Stage.PIPELINE, "a credit no template knows: copied as is",
             "no credit template matches"),
    FlagCode("repetition-guard", Stage.GUARD, "the output looped and was decoded again "
             "(no_repeat_ngram_size 3, then 2; repetition penalty 1.2); the best was kept",
             f"a 1-4 word n-gram {MIN_REPEATS}+ times in a row in the output, not in the source"),
    FlagCode("caps-guard", Stage.GUARD, "the source was in ALL CAPS or Title Case: a "
             "sentence-cased copy was translated and the case style restored",
             "8+ cased letters, 90%+ upper (or 4+ words, all capitalised)"),
    FlagCode("number-mismatch", Stage.QA, "a number in one language has no equal in the other",
             "any unmatched number"),
    FlagCode("date-mismatch", Stage.QA, "a day, month or year differs", "any unmatched date"),
    FlagCode("percent-mismatch", Stage.QA, "a percentage differs", "any unmatched percentage"),
    FlagCode("untranslated", Stage.QA, "the target is empty, a copy of the source, or Vietnamese",
             "empty, equal to the source, or over half its words Vietnamese; on templated and "
             "kept lines, any Vietnamese word that is no name (`(biên dịch)`, `Theo CNN`)"),
    FlagCode("repetition", Stage.QA, "a word or phrase repeated in a row (a decoding loop)",
             f"a 1-4 word n-gram {MIN_REPEATS}+ times in a row (`no, no, no` only past the "
             "source's own run + 2)"),
    FlagCode("length-ratio", Stage.QA, "the target is far shorter or longer than the source",
             f"target/source characters outside {_LOW}-{_HIGH}, sources of "
             f"{MIN_CHARS_FOR_RATIO}+ characters"),
    FlagCode("unbalanced-quotes", Stage.QA, "the target's quotation marks do not pair up",
             "unpaired double quotes in the target, all quotes paired in the source; not one "
             "lone mark when the source has none (a quotation running on)"),
    FlagCode("unbalanced-brackets", Stage.QA, "the target's brackets do not pair up",
             "unpaired in the target, paired in the source"),
    FlagCode("entity-mismatch", Stage.QA, "a Latin-script name of the source lost or changed",
             "a capitalised non-Vietnamese word of 3+ letters (no acronym) in the source that the "
             "target has in no usual form (`Wales` ~ `Welsh`, `Mexico` ~ `Mexican`)"),
    FlagCode("glossary", Stage.QA, "a glossary term without its required English term",
             "the term in the source, its translation not in the target (--glossary)"),
)  # fmt: skip
FLAGS: dict[str, FlagCode] = {flag.code: flag for flag in FLAG_TABLE}


def codes(stage: Stage) -> frozenset[str]:
    """The codes `stage` sets."""
    return frozenset(flag.code for flag in FLAG_TABLE if flag.stage is stage)

