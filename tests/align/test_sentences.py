"""The document sentence aligner: exact recovery on hand-made cases, constraints, coverage."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vi2en.align.sentences import Bead, align_sentences

VI = [
    "Tổng thống Putin đến Kharkov vào ngày 27/3 để gặp các quan chức địa phương.",
    "Ông nói rằng 11.000 binh sĩ sẽ được rút khỏi khu vực trong tháng tới.",
    "Hãng thông tấn KCNA đưa tin giá lương thực đã tăng 3,5% so với năm ngoái.",
    "Người dân trong thành phố cho biết họ lo lắng về tình hình an ninh.",
    "Một quan chức giấu tên nói với Reuters rằng cuộc đàm phán sẽ tiếp tục.",
    "Trời mưa suốt cả ngày và nhiều con đường bị ngập nặng.",
    "Theo số liệu chính thức, 250 người đã được sơ tán khỏi nhà của họ.",
    "Chính phủ hứa sẽ hỗ trợ các gia đình bị ảnh hưởng trong thời gian sớm nhất.",
]
EN = [
    "President Putin arrived in Kharkov on March 27 to meet local officials.",
    "He said 11,000 troops would be withdrawn from the area next month.",
    "The KCNA news agency reported food prices had risen 3.5% on last year.",
    "People in the city said they were worried about the security situation.",
    "An unnamed official told Reuters the talks would continue.",
    "It rained all day and many roads were badly flooded.",
    "According to official figures, 250 people were evacuated from their homes.",
    "The government promised to support affected families as soon as possible.",
]


def pairs(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(bead.src, bead.tgt) for bead in beads]


def assert_covers(beads: list[Bead], n: int, m: int) -> None:
    """Every source and target sentence exactly once, in order."""
    assert [s for bead in beads for s in bead.src] == list(range(n))
    assert [t for bead in beads for t in bead.tgt] == list(range(m))
    assert all(bead.src or bead.tgt for bead in beads)


def test_identical_segmentation_gives_one_to_one() -> None:
    beads = align_sentences(VI, EN)
    assert pairs(beads) == [((k,), (k,)) for k in range(len(VI))]


def test_merged_target_sentences_give_a_two_to_one_bead() -> None:
    en = [*EN[:2], f"{EN[2]} {EN[3]}", *EN[4:]]
    got = pairs(align_sentences(VI, en))
    assert ((2, 3), (2,)) in got
    assert ((4,), (3,)) in got and ((7,), (6,)) in got


def test_split_target_sentence_gives_a_one_to_two_bead() -> None:
    en = [
        *EN[:6],
        "According to official figures,",
        "250 people were evacuated from their homes.",
        EN[7],
    ]
    got = pairs(align_sentences(VI, en))
    assert ((6,), (6, 7)) in got
    assert ((7,), (8,)) in got


def test_dropped_target_sentence_gives_a_one_to_zero_bead() -> None:
    # The neighbours have about the same length: their anchors (KCNA, 3.5%; Reuters) would
    # be left unpaired if either were dropped instead, so sentence 3 is the one.
    en = EN[:3] + EN[4:]
    got = pairs(align_sentences(VI, en))
    assert got == [
        *[((k,), (k,)) for k in range(3)],
        ((3,), ()),
        *[((k,), (k - 1,)) for k in range(4, 8)],
    ]


def test_inserted_target_sentence_gives_a_zero_to_one_bead() -> None:
    extra = (
        "Meanwhile, in a separate development that was reported later in the evening, "
        "officials in the neighbouring province said that the main bridge over the river "
        "would stay closed for repairs until the end of the following week at the earliest."
    )
    en = [*EN[:3], extra, *EN[3:]]
    got = pairs(align_sentences(VI, en))
    assert ((), (3,)) in got
    assert ((3,), (4,)) in got


def test_breaks_are_respected() -> None:
    # Without breaks, 2-3 merged into one English sentence is a 2-1 bead; a source break at 3
    # forbids it, so the merged sentence pairs with one of them and the other is unpaired.
    en = [*EN[:2], f"{EN[2]} {EN[3]}", *EN[4:]]
    beads = align_sentences(VI, en, src_breaks={3})
    assert all(not {2, 3} <= set(bead.src) for bead in beads)
    assert_covers(beads, len(VI), len(en))
    beads = align_sentences(VI, EN, tgt_breaks={1, 5})
    assert all(not ({0, 1} <= set(b.tgt) or {4, 5} <= set(b.tgt)) for b in beads)


def test_empty_sides() -> None:
    assert align_sentences([], []) == []
    assert pairs(align_sentences(VI[:2], [])) == [((0,), ()), ((1,), ())]
    assert pairs(align_sentences([], EN[:1])) == [((), (0,))]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bridge": ["x"]}, "bridge has 1 sentences"),
        ({"max_bead": 4}, "max_bead"),
        ({"band": 0}, "band must be positive"),
    ],
)
def test_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        align_sentences(VI, EN, **kwargs)


def test_max_bead_one_allows_only_one_to_one_and_indels() -> None:
    en = [*EN[:2], f"{EN[2]} {EN[3]}", *EN[4:]]
    beads = align_sentences(VI, en, max_bead=1)
    assert all(len(b.src) <= 1 and len(b.tgt) <= 1 for b in beads)
    assert_covers(beads, len(VI), len(en))


def test_bridge_fixes_what_length_alone_gets_wrong() -> None:
    # Sentences of equal length with no anchors: only the bridge can tell which goes where.
    vi = ["Con mèo ngủ trên ghế.", "Trời hôm nay rất đẹp.", "Bà tôi nấu cơm ngon."]
    en = ["The weather is lovely.", "My gran cooks well."]
    bridge = [
        "The cat sleeps on the chair.",
        "The weather today is lovely.",
        "My grandmother cooks rice well.",
    ]
    got = pairs(align_sentences(vi, en, bridge=bridge))
    assert got == [((0,), ()), ((1,), (0,)), ((2,), (1,))]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), extra=st.integers(0, 3))
def test_every_sentence_is_covered_once_in_order(seed: int, extra: int) -> None:
    rng = random.Random(seed)
    en = list(EN)
    for _ in range(rng.randint(0, 4)):
        k = rng.randrange(len(en))
        action = rng.choice(["merge", "split", "drop", "insert"])
        if action == "merge" and k + 1 < len(en):
            en[k : k + 2] = [f"{en[k]} {en[k + 1]}"]
        elif action == "split" and len(en[k]) > 10:
            cut = rng.randrange(1, len(en[k]) - 1)
            en[k : k + 1] = [en[k][:cut], en[k][cut:]]
        elif action == "drop" and len(en) > 1:
            del en[k]
        else:
            en.insert(k, f"Inserted line number {k}.")
    vi = VI[: len(VI) - extra]
    src_breaks = {rng.randrange(1, len(vi))} if rng.random() < 0.5 else None
    tgt_breaks = {rng.randrange(1, len(en))} if len(en) > 1 and rng.random() < 0.5 else None
    beads = align_sentences(
        vi, en, src_breaks=src_breaks, tgt_breaks=tgt_breaks, band=rng.choice([None, 1, 2])
    )
    assert_covers(beads, len(vi), len(en))
    kinds = {(len(b.src), len(b.tgt)) for b in beads}
    assert kinds <= {(0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1)}
    for brk in src_breaks or ():
        assert all(not {brk - 1, brk} <= set(b.src) for b in beads)
    for brk in tgt_breaks or ():
        assert all(not {brk - 1, brk} <= set(b.tgt) for b in beads)


def test_ntrex_documents_align_well(shared_dir: Path) -> None:
    """Real NTREX-128 documents with the eval script's perturbation (30 documents, seed 13)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "eval"))
    try:
        import align_sentences as evaluation
    finally:
        sys.path.pop(0)
    docs = evaluation.load_documents(shared_dir / "data" / "ntrex128")[:30]
    rng = random.Random(13)
    gold, test = [], []
    for vi, en in docs:
        en_perturbed, doc_gold = evaluation.perturb(en, rng)
        gold.append(doc_gold)
        test.append(evaluation.as_gold(align_sentences(vi, en_perturbed)))
        assert_covers(align_sentences(vi, en_perturbed), len(vi), len(en_perturbed))
    scores = evaluation.score(gold, test)
    assert scores["strict_f1"] >= 0.96  # measured 0.978
    assert scores["lax_f1"] >= 0.98  # measured 0.995
