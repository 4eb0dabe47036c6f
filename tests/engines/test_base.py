"""The `Engine` contract on both engines: a text's hypothesis never depends on its batch.

Random weights never stop by themselves, so every output runs to its cap: a text decoded next to
a text with a larger cap shows at once whether it was decoded to its own cap or to the batch's.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from tests import modelkit
from vi2en.engines import load_engine
from vi2en.engines.base import cap_groups

# Short and long texts, so a batch mixes lengths; caps as different as the texts.
TEXTS = [*modelkit.vietnamese_like_lines(4, seed=21), "Hà Nội.", "Mưa to ở Huế hôm nay."]
CAPS = [9, 3, 6, 9, 2, 4]


def test_cap_groups_keep_first_appearance_order() -> None:
    assert cap_groups([5, 3, 5, 9, 3]) == [[0, 2], [1, 4], [3]]
    assert cap_groups([]) == []


@pytest.fixture(
    scope="module",
    params=[
        ("ctranslate2", {"inter_threads": 1, "threads": 1}),
        ("ctranslate2", {"inter_threads": 2, "threads": 1}),
        ("ctranslate2", {"inter_threads": 1, "threads": 2, "max_batch_size": 2}),
        ("transformers", {"threads": 1}),
    ],
    ids=["ct2-1x1", "ct2-2x1", "ct2-1x2-sub2", "transformers"],
)
def engine(request: pytest.FixtureRequest, tiny_ct2_model: Path, tiny_hf_model: Path):
    name, options = request.param
    if name == "ctranslate2":
        return load_engine(name, str(tiny_ct2_model), compute_type="float32", **options)
    return load_engine(name, str(tiny_hf_model), **options)


@pytest.mark.issue(11)
@pytest.mark.parametrize("beam_size", [1, 4])
def test_a_text_translates_the_same_alone_shuffled_and_in_any_batch(engine, beam_size: int):
    """Issue 11 item 4: the cap was the sub-batch's largest, so a short text babbled on."""
    alone = [
        engine.translate_batch(
            [text], beam_size=beam_size, max_new_tokens=[cap], return_attention=True
        )[0]
        for text, cap in zip(TEXTS, CAPS, strict=True)
    ]
    assert [len(h.pieces) for h in alone] == CAPS  # each ran to its own cap, no further
    assert all(h.hit_limit for h in alone)
    order = list(range(len(TEXTS)))
    random.Random(beam_size).shuffle(order)
    for size in (2, 3, len(TEXTS)):
        chunks = [order[i : i + size] for i in range(0, len(order), size)]
        results = engine.translate_batches(
            [[TEXTS[i] for i in chunk] for chunk in chunks],
            beam_size=beam_size,
            max_new_tokens=[[CAPS[i] for i in chunk] for chunk in chunks],
            return_attention=True,
        )
        for chunk, hyps in zip(chunks, results, strict=True):
            for i, hyp in zip(chunk, hyps, strict=True):
                # Text, pieces, score and cap flag bit for bit; attention too, but for the last
                # float32 bit on CTranslate2 (its softmax runs over the padded source width).
                assert replace(hyp, attention=None) == replace(alone[i], attention=None)
                assert len(hyp.attention) == len(alone[i].attention)
                for got, want in zip(hyp.attention, alone[i].attention, strict=True):
                    assert got == pytest.approx(want, rel=0, abs=1e-7)


@pytest.mark.issue(13)
def test_distinct_alternatives_keep_order_and_drop_repeats_blanks_and_the_primary() -> None:
    from vi2en.engines.base import distinct_alternatives

    assert distinct_alternatives("a b", ["b a", "a b", " b a ", "", "c", "a b "]) == ("b a", "c")
