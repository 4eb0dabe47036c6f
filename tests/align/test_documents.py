"""Reading and checking the two sides before aligning: language, sizes, formats."""

from __future__ import annotations

import json

import pytest

from vi2en.align.documents import (
    Alignment,
    Side,
    align_sides,
    check_pair,
    format_beads,
    vietnamese_share,
)
from vi2en.align.sentences import Bead
from vi2en.errors import InputError, MismatchError

VI = Side("a.vi", ["Hôm nay trời mưa rất to ở Hà Nội.", "Nhiều tuyến đường bị ngập sâu."])
EN = Side("a.en", ["It rained very heavily in Hanoi today.", "Many streets were deeply flooded."])


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        (" ".join(VI.sentences), 0.15, 0.5),
        (" ".join(EN.sentences), 0.0, 0.0),
        ("Müller in Köln", 0.0, 0.0),  # Latin letters Vietnamese does not use
        ("12 345 !?", 0.0, 0.0),
    ],
)
def test_vietnamese_share(text: str, low: float, high: float) -> None:
    assert low <= vietnamese_share(text) <= high


@pytest.mark.parametrize(
    ("src", "tgt", "message"),
    [
        (VI, VI, "both sides look Vietnamese"),
        (EN, EN, "both sides look English"),
        (EN, VI, "swapped"),
        (VI, Side("x.en", ["Hi."]), "length far beyond"),
        (Side("x.vi", VI.sentences * 5), Side("y.en", [" ".join(EN.sentences * 5)]), "counts"),
    ],
)
def test_check_pair_refuses_then_warns_when_forced(src: Side, tgt: Side, message: str) -> None:
    with pytest.raises(MismatchError, match=message):
        check_pair(src, tgt)
    warnings = check_pair(src, tgt, force=True)
    assert any(message in w and "--force" in w for w in warnings)


def test_a_good_pair_has_no_warnings() -> None:
    assert check_pair(VI, EN) == []
    alignment = align_sides(VI, EN)
    assert [(b.src, b.tgt) for b in alignment.beads] == [((0,), (0,)), ((1,), (1,))]
    assert alignment.warnings == []


def test_unpaired_sentences_warn() -> None:
    src = Side("a.vi", [*VI.sentences, "Một câu không có bản dịch nào ở phía bên kia cả."])
    tgt = Side("a.en", [*EN.sentences, "x"])
    alignment = Alignment(src, tgt, [Bead((0, 1, 2), (0, 1, 2), 0.0)])
    assert format_beads(alignment, "pairs").count("\n") == 1
    with pytest.raises(InputError, match="unknown format"):
        format_beads(alignment, "xml")


def test_formats_keep_text_whole() -> None:
    src = Side("a.vi", ["Câu\tcó tab."])
    tgt = Side("a.en", ["A sentence."])
    alignment = Alignment(src, tgt, [Bead((0,), (0,), -1.23456), Bead((), (), 0.0)])
    tsv = format_beads(alignment, "tsv").splitlines()
    assert tsv[1] == "0\t0\t-1.2346\tCâu có tab.\tA sentence."
    record = json.loads(format_beads(alignment, "jsonl").splitlines()[0])
    assert record["src_text"] == "Câu\tcó tab."  # JSON keeps the text exactly
