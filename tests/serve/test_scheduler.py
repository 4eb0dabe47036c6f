"""The cross-request scheduler on the deterministic fake engine: batches shared across
requests, duplicates translated once, interactive texts ahead of a document, errors delivered."""

from __future__ import annotations

import threading

import pytest

from tests.fake_engine import FakeEngine
from vi2en.serve.scheduler import BULK, INTERACTIVE, BatchScheduler, SchedulingEngine

pytestmark = pytest.mark.issue(13)


class GatedEngine(FakeEngine):
    """A fake engine whose first batch waits until `gate` is set (to queue work behind it)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.started = threading.Event()

    def translate_batch(self, texts, **kw):  # type: ignore[no-untyped-def]
        self.started.set()
        self.gate.wait(10)
        return super().translate_batch(texts, **kw)


def submit(scheduler: BatchScheduler, texts: list[str], lane: str = INTERACTIVE):
    return scheduler.submit(texts, pieces=[len(t.split()) + 1 for t in texts],
                            caps=[64] * len(texts), beam_size=2, attention=False, lane=lane)


def test_requests_share_a_batch_and_duplicates_run_once():
    engine = FakeEngine()
    scheduler = BatchScheduler(engine, beam_size=2, batch_tokens=1024, max_wait=0.3)
    first = submit(scheduler, ["một hai", "ba"])
    second = submit(scheduler, ["ba", "bốn năm"])
    assert [f.result(10).text for f in first + second] == ["MỘT HAI", "BA", "BA", "BỐN NĂM"]
    scheduler.close()
    assert len(engine.calls) == 1
    assert sorted(engine.calls[0]["texts"]) == ["ba", "bốn năm", "một hai"]


def test_interactive_texts_pass_a_queued_document():
    engine = GatedEngine()
    scheduler = BatchScheduler(engine, beam_size=2, batch_tokens=8, max_wait=0.0)
    blocker = submit(scheduler, ["chặn"])
    assert engine.started.wait(10)
    document = submit(scheduler, [f"câu số {i}" for i in range(40)], lane=BULK)
    short = submit(scheduler, ["ngắn thôi"])
    engine.gate.set()
    assert short[0].result(10).text == "NGẮN THÔI"
    assert blocker[0].result(10).text == "CHẶN"
    [f.result(10) for f in document]
    scheduler.close()
    order = [text for call in engine.calls for text in call["texts"]]
    assert order.index("ngắn thôi") < order.index("câu số 30")
    assert order.index("câu số 0") < order.index("ngắn thôi") + 4  # bulk keeps its share


def test_engine_errors_reach_every_waiting_request():
    class Broken(FakeEngine):
        def translate_batch(self, texts, **kw):  # type: ignore[no-untyped-def]
            raise RuntimeError("boom")

    scheduler = BatchScheduler(Broken(), beam_size=2, batch_tokens=64, max_wait=0.0)
    (future,) = submit(scheduler, ["a"])
    with pytest.raises(RuntimeError, match="boom"):
        future.result(10)
    scheduler.close()


def test_scheduling_engine_is_the_engine_but_for_batches():
    engine = FakeEngine()
    scheduler = BatchScheduler(engine, beam_size=2, batch_tokens=64, max_wait=0.0)
    proxy = SchedulingEngine(engine, scheduler, lane=INTERACTIVE)
    assert proxy.name == "fake" and proxy.count_pieces(["a b"]) == [3]
    batches = list(proxy.translate_batches([["a b"], ["c"]], beam_size=2))
    assert [[h.text for h in b] for b in batches] == [["A B"], ["C"]]
    scheduler.close()
    with pytest.raises(Exception, match="shutting down"):
        submit(scheduler, ["x"])


def test_pack_keeps_one_cap_per_batch_within_the_budget():
    from vi2en.serve.scheduler import _Item, pack

    items = {f"t{i}": [_Item(f"t{i}", pieces, cap, False, INTERACTIVE)]
             for i, (pieces, cap) in enumerate([(5, 42), (3, 42), (9, 42), (20, 74), (4, 42)])}
    batches = pack(items, batch_tokens=12)
    assert batches == [["t1", "t4"], ["t0"], ["t2"], ["t3"]]
    for batch in batches:
        assert len({items[t][0].cap for t in batch}) == 1
        assert len(batch) == 1 or max(items[t][0].pieces for t in batch) * len(batch) <= 12


@pytest.mark.issue(13)
def test_n_best_texts_share_the_1best_batch_and_wider_ones_run_apart():
    engine = FakeEngine()
    scheduler = BatchScheduler(engine, beam_size=2, batch_tokens=1024, max_wait=0.3)

    def ask(texts: list[str], hypotheses: int):
        return scheduler.submit(texts, pieces=[3] * len(texts), caps=[64] * len(texts),
                                beam_size=2, attention=False, lane=INTERACTIVE,
                                hypotheses=hypotheses)  # fmt: skip

    plain = ask(["một hai", "ba bốn"], 1)
    nbest = ask(["ba bốn", "năm sáu"], 2)
    wide = ask(["một hai"], 4)
    got = [f.result(10) for f in plain + nbest + wide]
    scheduler.close()
    assert [h.text for h in got] == ["MỘT HAI", "BA BỐN", "BA BỐN", "NĂM SÁU", "MỘT HAI"]
    assert [h.alternatives for h in got[:2]] == [(), ()]  # asked for the 1-best only
    assert got[2].alternatives == ("ba BỐN",) and got[3].alternatives == ("năm SÁU",)
    assert got[4].alternatives == ("một HAI", "MỘT hai")
    calls = sorted((c["num_hypotheses"], sorted(c["texts"])) for c in engine.calls)
    assert calls == [(2, ["ba bốn", "một hai", "năm sáu"]), (4, ["một hai"])]


@pytest.mark.issue(13)
def test_scheduling_engine_refuses_re_decoding_options():
    scheduler = BatchScheduler(FakeEngine(), beam_size=2, batch_tokens=64, max_wait=0.0)
    proxy = SchedulingEngine(FakeEngine(), scheduler, lane=INTERACTIVE)
    with pytest.raises(Exception, match="does not re-decode"):
        proxy.translate_batch(["a"], repetition_penalty=1.2)
    assert proxy.translate_batch(["a b"], beam_size=2, num_hypotheses=2)[0].alternatives == (
        "a B",)  # fmt: skip
    scheduler.close()
