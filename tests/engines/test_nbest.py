"""n-best on both engines: `num_hypotheses` fills `alternatives` and never changes the 1-best.

The trained tiny model stops by itself (beams finish at different steps, so an early exit or a
different stopping rule would show); the random one runs every text to its own cap.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import modelkit
from vi2en.engines import load_engine
from vi2en.errors import EngineError

pytestmark = pytest.mark.issue(13)

RANDOM_TEXTS = [*modelkit.vietnamese_like_lines(3, seed=31), "Hà Nội.", "Mưa to ở Huế hôm nay."]
RANDOM_CAPS = [9, 3, 6, 2, 5]


def _load(name: str, path: Path):
    return load_engine(name, str(path), compute_type="float32", threads=1)


@pytest.fixture(scope="module", params=["ctranslate2", "transformers"])
def trained(request: pytest.FixtureRequest, trained_ct2_model: Path, trained_hf_model: Path):
    return _load(request.param, trained_ct2_model if request.param == "ctranslate2"
                 else trained_hf_model)  # fmt: skip


@pytest.fixture(scope="module", params=["ctranslate2", "transformers"])
def random_engine(request: pytest.FixtureRequest, tiny_ct2_model: Path, tiny_hf_model: Path):
    return _load(request.param, tiny_ct2_model if request.param == "ctranslate2"
                 else tiny_hf_model)  # fmt: skip


def _primary(hyp):
    return (hyp.text, hyp.pieces, hyp.score, hyp.hit_limit, hyp.attention, hyp.flags)


@pytest.mark.parametrize("beam_size", [1, 4])
def test_the_1best_is_the_same_whatever_the_n_best(trained, trained_task, beam_size: int):
    texts = [s for s, _ in trained_task.held_out[:8]]
    plain = trained.translate_batch(texts, beam_size=beam_size, return_attention=True)
    assert all(not h.alternatives for h in plain)
    for hypotheses in (2, 4, 6):  # within the beam of 4, and wider than any beam here
        nbest = trained.translate_batch(texts, beam_size=beam_size, return_attention=True,
                                        num_hypotheses=hypotheses)  # fmt: skip
        assert [_primary(h) for h in nbest] == [_primary(h) for h in plain]


def test_alternatives_are_the_beams_other_distinct_outputs_in_order(trained, trained_task):
    texts = [s for s, _ in trained_task.held_out[:8]]
    two = trained.translate_batch(texts, beam_size=4, num_hypotheses=2)
    four = trained.translate_batch(texts, beam_size=4, num_hypotheses=4)
    for small, full in zip(two, four, strict=True):
        assert len(full.alternatives) <= 3 and len(small.alternatives) <= 1
        assert full.alternatives[: len(small.alternatives)] == small.alternatives  # beam order
        assert len(set(full.alternatives)) == len(full.alternatives)
        assert full.text not in full.alternatives and "" not in full.alternatives
    assert sum(len(h.alternatives) for h in four) > len(texts)  # the beam had more to offer
    wide = trained.translate_batch(texts, beam_size=4, num_hypotheses=6)
    assert max(len(h.alternatives) for h in wide) > 3  # a wider beam, decoded apart


def test_both_engines_give_the_same_n_best(trained_ct2_model: Path, trained_hf_model: Path,
                                           trained_task):  # fmt: skip
    texts = [s for s, _ in trained_task.held_out[:6]]
    ct2 = _load("ctranslate2", trained_ct2_model).translate_batch(texts, num_hypotheses=4)
    hf = _load("transformers", trained_hf_model).translate_batch(texts, num_hypotheses=4)
    assert [(h.text, h.alternatives) for h in ct2] == [(h.text, h.alternatives) for h in hf]


def test_n_best_of_a_text_does_not_depend_on_its_batch(random_engine):
    alone = [random_engine.translate_batch([text], max_new_tokens=[cap], num_hypotheses=3)[0]
             for text, cap in zip(RANDOM_TEXTS, RANDOM_CAPS, strict=True)]  # fmt: skip
    together = random_engine.translate_batch(RANDOM_TEXTS, max_new_tokens=RANDOM_CAPS,
                                             num_hypotheses=3)  # fmt: skip
    plain = random_engine.translate_batch(RANDOM_TEXTS, max_new_tokens=RANDOM_CAPS)
    assert [_primary(h) for h in together] == [_primary(h) for h in plain]
    assert [h.text for h in together] == [h.text for h in alone]
    assert [h.alternatives for h in together] == [h.alternatives for h in alone]
    assert any(h.alternatives for h in together)


def test_num_hypotheses_below_one_is_refused(random_engine):
    with pytest.raises(EngineError, match="num_hypotheses must be >= 1"):
        random_engine.translate_batch(["Hà Nội."], num_hypotheses=0)
