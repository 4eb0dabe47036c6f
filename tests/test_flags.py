"""The one table of flag codes: each code once, one stage, one threshold that QA really uses."""

from __future__ import annotations

from vi2en.flags import FLAG_TABLE, FLAGS, LENGTH_RATIO_BOUNDS, MIN_CHARS_FOR_RATIO, Stage, codes
from vi2en.qa import check_pair


def test_each_code_is_listed_once_under_one_stage() -> None:
    assert len(FLAGS) == len(FLAG_TABLE)
    stages = [codes(stage) for stage in Stage]
    assert set().union(*stages) == set(FLAGS)
    assert sum(map(len, stages)) == len(FLAGS)  # no code under two stages


def test_the_length_ratio_flag_fires_exactly_outside_the_table_bounds() -> None:
    source = "a" * 100  # no words QA would call Vietnamese
    low, high = LENGTH_RATIO_BOUNDS

    def flagged(target_chars: int, source: str = source) -> bool:
        return "length-ratio" in [f.code for f in check_pair(source, "b" * target_chars)]

    assert flagged(int(low * 100) - 1) and not flagged(int(low * 100))
    assert not flagged(int(high * 100)) and flagged(int(high * 100) + 1)
    short = "a" * (MIN_CHARS_FOR_RATIO - 1)
    assert not flagged(1, source=short)  # too short a source to judge


def test_every_code_the_source_sets_is_in_the_table() -> None:
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "vi2en"
    pattern = re.compile(r"""(?:\bFlag\(\s*|\bFLAG_\w+\s*=\s*)["']([a-z][a-z0-9-]*)["']""")
    used = {
        code for path in src.rglob("*.py") for code in pattern.findall(path.read_text("utf-8"))
    }
    assert {"split-clause", "glossary", "untranslated"} <= used  # the scan finds them
    assert used <= set(FLAGS), f"flag codes missing from vi2en.flags: {sorted(used - set(FLAGS))}"
