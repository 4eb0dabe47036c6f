"""The output guards: the repetition guard on a trained model made to loop (it loops on input
unlike its training data), the caps guard's input and case restoring, both switchable, both
flagged, both in the signature and kept by the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fake_engine import FakeEngine
from vi2en.cli.main import main
from vi2en.engines import load_engine
from vi2en.guards import (
    FLAG_CAPS_GUARD,
    FLAG_REPETITION_GUARD,
    GuardedEngine,
    case_style,
    loops,
    restore_case,
    sentence_case,
)
from vi2en.translator import Translator

SHOUTED = "MÈO ĐỎ UỐNG NƯỚC"  # the trained model has seen only lower case: it loops on this


@pytest.mark.parametrize(
    "text, style",
    [("GIÁ XĂNG TĂNG MẠNH TỪ HÔM NAY", "upper"), ("Giá Xăng Tăng Mạnh Từ Hôm Nay", "title"),
     ("Giá xăng tăng mạnh từ hôm nay.", None), ("Ông Nguyễn Văn An nói.", None),
     ("WHO", None), ("Hà Nội", None), ("3,5% GDP", None)],
)  # fmt: skip
def test_case_style(text: str, style: str | None):
    assert case_style(text) == style


def test_sentence_case_keeps_the_length_and_restore_gives_the_style_back():
    assert sentence_case("“GIÁ XĂNG TĂNG”") == "“Giá xăng tăng”"
    assert restore_case("Fuel prices rise in the city", "upper") == "FUEL PRICES RISE IN THE CITY"
    assert restore_case("fuel prices rise in the city", "title") == "Fuel Prices Rise in the City"


def test_repetition_guard_on_a_trained_model_made_to_loop(trained_ct2_model: Path):
    engine = load_engine("ctranslate2", str(trained_ct2_model), device="cpu")
    (plain,) = engine.translate_batch([SHOUTED], beam_size=1)
    assert loops(plain.text)  # "tree tree tree ..." on input unlike its training data
    guarded = GuardedEngine(engine, guards=("repetition",))
    (hyp,) = guarded.translate_batch([SHOUTED], beam_size=1)
    assert not loops(hyp.text) and hyp.text != plain.text
    (code, detail), = hyp.flags  # fmt: skip
    assert code == FLAG_REPETITION_GUARD and "kept the re-decoding" in detail
    # What it learnt is untouched: no loop, no re-decoding, no flag.
    (fine,) = guarded.translate_batch(["mèo ăn cơm"], beam_size=1)
    assert fine.text == "cat eats rice" and fine.flags == ()


def test_repetition_guard_keeps_loops_the_source_has_and_can_be_switched_off():
    fake = FakeEngine(babble=3)  # every word three times: a loop, unless told not to repeat
    guarded = GuardedEngine(fake, guards=("repetition",))
    (hyp,) = guarded.translate_batch(["mưa to"])
    assert hyp.text == "MƯA TO" and hyp.flags[0][0] == FLAG_REPETITION_GUARD
    (echo,) = guarded.translate_batch(["không không không"])  # the source repeats itself
    assert echo.flags == () and loops(echo.text)
    (off,) = GuardedEngine(fake, guards=()).translate_batch(["mưa to"])
    assert off.text == "MƯA MƯA MƯA TO TO TO" and off.flags == ()


def test_caps_guard_sends_a_sentence_cased_copy_and_restores_the_case():
    fake = FakeEngine()
    guarded = GuardedEngine(fake, guards=("caps",))
    upper, title, plain = guarded.translate_batch(
        ["GIÁ XĂNG TĂNG MẠNH", "Giá Xăng Tăng Mạnh", "giá xăng tăng mạnh"])  # fmt: skip
    assert fake.calls[-1]["texts"] == ["Giá xăng tăng mạnh", "Giá xăng tăng mạnh",
                                       "giá xăng tăng mạnh"]  # fmt: skip
    assert upper.flags[0][0] == title.flags[0][0] == FLAG_CAPS_GUARD and plain.flags == ()
    assert "ALL CAPS" in upper.flags[0][1] and "Title Case" in title.flags[0][1]
    assert upper.text == "GIÁ XĂNG TĂNG MẠNH"
    # Pieces are those of what the model was given, spans unchanged.
    assert [p.piece for p in guarded.source_pieces("GIÁ XĂNG TĂNG")] == ["Giá", "xăng", "tăng"]


def test_flags_reach_the_translation_signature_and_cache(trained_ct2_model: Path,
                                                         tmp_path: Path):  # fmt: skip
    from vi2en.cache import TranslationStore

    store = TranslationStore("k", path=tmp_path / "cache.sqlite3")
    tr = Translator(str(trained_ct2_model), "ctranslate2", beam_size=1, cache=store)
    first = tr.translate_segments([SHOUTED])[0]
    codes = [f.code for f in first.flags]
    assert FLAG_CAPS_GUARD in codes and first.text.isupper()
    assert tr.signature().guards == "repetition,caps"
    again = Translator(str(trained_ct2_model), "ctranslate2", beam_size=1, cache=store)
    second = again.translate_segments([SHOUTED])[0]
    assert store.hits == 1 and [f.code for f in second.flags] == codes  # flags cached too
    off = Translator(str(trained_ct2_model), "ctranslate2", beam_size=1, guards=())
    assert off.signature().guards == "" and off.signature().key() != tr.signature().key()
    assert not {f.code for f in off.translate_segments([SHOUTED])[0].flags} & {
        FLAG_CAPS_GUARD, FLAG_REPETITION_GUARD}  # fmt: skip


def test_cli_switches(trained_ct2_model: Path, tmp_path: Path, capsys):
    article = tmp_path / "a.vi.txt"
    article.write_text(f"{SHOUTED}\n", "utf-8")
    base = ["translate", str(article), "--model", str(trained_ct2_model), "--beam-size", "1",
            "--no-cache", "--format", "jsonl"]  # fmt: skip
    assert main(base) == 0
    guarded = capsys.readouterr().out
    assert FLAG_CAPS_GUARD in guarded and '"guards": "repetition,caps"' in guarded
    assert main([*base, "--no-caps-guard", "--no-repetition-guard"]) == 0
    plain = capsys.readouterr().out
    # The loop stays, flagged by QA (which word loops depends on how the tiny model trained).
    assert "-guard" not in plain.replace('"guards": ""', "") and '"code": "repetition"' in plain


def test_the_guard_flags_are_the_tables_guard_codes():
    from vi2en import guards
    from vi2en.flags import Stage, codes

    constants = {v for k, v in vars(guards).items() if k.startswith("FLAG_")}
    assert constants == codes(Stage.GUARD)


@pytest.mark.issue(13)
def test_alternatives_are_guarded_like_the_primary():
    fake = FakeEngine(default_beam_size=3)
    guarded = GuardedEngine(fake)
    texts = ["GIÁ XĂNG TĂNG MẠNH", "Giá Xăng Tăng Mạnh", "giá xăng tăng"]
    upper, title, plain = guarded.translate_batch(texts, num_hypotheses=3)
    assert fake.calls[-1]["num_hypotheses"] == 3
    assert upper.alternatives == ()  # in capitals again, each is the primary: dropped
    assert title.alternatives == ("Giá XĂNG TĂNG MẠNH", "GIÁ Xăng TĂNG MẠNH")  # case restored
    assert plain.alternatives == ("giá XĂNG TĂNG", "GIÁ xăng TĂNG")
    looping = FakeEngine(babble=3)
    (hyp,) = GuardedEngine(looping, guards=("repetition",)).translate_batch(
        ["mưa to"], num_hypotheses=3)  # fmt: skip
    assert hyp.text == "MƯA TO" and hyp.alternatives == ()  # the n-best looped: none kept
    (off,) = GuardedEngine(looping, guards=()).translate_batch(["mưa to"], num_hypotheses=3)
    assert off.alternatives == ("mưa MƯA MƯA TO TO TO", "MƯA mưa MƯA TO TO TO")


@pytest.mark.issue(13)
def test_the_guards_refuse_re_decoding_options_instead_of_dropping_them():
    from vi2en.errors import EngineError

    with pytest.raises(EngineError, match="does not re-decode"):
        GuardedEngine(FakeEngine()).translate_batch(["mưa"], no_repeat_ngram_size=3)
