"""Translator API and file runs, on the fake engine (real models: tests/cli/test_translate.py)."""

from __future__ import annotations

import pytest

import vi2en
from tests.fake_engine import FakeEngine
from vi2en.doc import Document, SegmentType
from vi2en.errors import InputError
from vi2en.flags import FLAGS, Stage
from vi2en.qa import check_document
from vi2en.translator import Translator

ARTICLE = "Nga và Triều Tiên ký hiệp ước\nHai nước ký hiệp ước hôm qua. Ảnh: Sputnik\n"


def test_translator_is_exported_lazily() -> None:
    assert vi2en.Translator is Translator
    with pytest.raises(AttributeError, match="no attribute"):
        vi2en.Nothing  # noqa: B018


def test_engine_is_loaded_on_first_use_only(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = []
    monkeypatch.setattr(
        "vi2en.engines.load_engine",
        lambda *a, **k: loaded.append((a, k)) or FakeEngine(),
    )
    tr = Translator("some/model", "ctranslate2", threads=2)
    assert loaded == []
    tr.translate_text(ARTICLE)
    tr.translate_text(ARTICLE)
    assert loaded == [
        (("ctranslate2", "some/model"),
         {"device": "auto", "compute_type": "auto", "threads": 2, "notify": None})
    ]  # fmt: skip


def test_translate_text_cleans_segments_and_translates() -> None:
    doc = Translator(engine=FakeEngine()).translate_text("\ufeff" + ARTICLE)
    assert doc.text == ARTICLE
    by_type = {seg.type: seg.translation for seg in doc}
    assert by_type[SegmentType.CREDIT].text == "Photo: Sputnik"
    assert by_type[SegmentType.HEADING].text == "NGA VÀ TRIỀU TIÊN KÝ HIỆP ƯỚC"
    assert all(seg.translation is not None for seg in doc)


@pytest.mark.parametrize("text", ["", "  \n\t "])
def test_translate_text_refuses_empty_input(text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        Translator(engine=FakeEngine()).translate_text(text)


def test_translate_segments_keeps_one_translation_per_string() -> None:
    engine = FakeEngine()
    out = Translator(engine=engine).translate_segments(["Câu một. Câu hai.", "", "Ba\nbốn"])
    assert [t.text for t in out] == ["CÂU MỘT. CÂU HAI.", "", "BA BỐN"]
    assert [t.method for t in out] == ["mt", "copy", "mt"]
    assert sorted(engine.calls[0]["texts"]) == ["Ba bốn", "Câu một. Câu hai."]


def test_word_links_map_back_to_source_and_joined_target() -> None:
    text = "Ông “Nam” nói; " + " ".join(f"từ{i}" for i in range(8)) + "."
    tr = Translator(engine=FakeEngine(), align=True, soft_limit=6)
    doc = tr.translate_document(Document(text=text))
    seg = doc.segments[0]
    assert seg.translation.parts == 2
    links = seg.translation.links
    assert links
    for link in links:
        src = doc.text[link.src_start : link.src_end]
        tgt = seg.translation.text[link.tgt_start : link.tgt_end]
        assert tgt.upper() == tgt and src.upper().replace("“", '"').replace("”", '"') == tgt
    # The second part's words are linked at their place in the joined translation.
    last = max(links, key=lambda link: link.tgt_index)
    assert seg.translation.text[last.tgt_start : last.tgt_end] == "TỪ7"
    assert doc.text[last.src_start : last.src_end] == "từ7"
    assert last.tgt_index == last.src_index == 13  # Ông “ Nam ” nói ; từ0..từ7


def test_qa_is_a_stage_of_translation_and_replaces_only_its_own_flags() -> None:
    # babble=3 repeats every word three times: a decoding loop QA must flag, three times as long.
    # no diacritics: not "untranslated"; 50+ characters (length-ratio judges it) in few words
    text = "Thongtin chinhthuc vephienhop buoisangnay taiHaNoi vaDaNang."
    doc = Translator(engine=FakeEngine(babble=3)).translate_text(text)
    codes = [f.code for f in doc.segments[0].translation.flags]
    assert "repetition" in codes and "length-ratio" in codes
    assert all(FLAGS[code].stage is Stage.QA for code in codes)
    before = list(doc.segments[0].translation.flags)
    assert check_document(doc).segments[0].translation.flags == before  # rerun: no duplicates

    off = Translator(engine=FakeEngine(babble=3), qa=False).translate_text(text)
    assert off.segments[0].translation.flags == []


def test_glossary_is_checked_and_qa_settings_are_in_the_run_stamp() -> None:
    engine = FakeEngine(babble=2)  # each word twice: not a copy of the source, not a loop
    glossary = {"Bình Nhưỡng": "Pyongyang"}
    text = "Kim Jong Un visits Bình Nhưỡng today with his officials."
    doc = Translator(engine=engine, glossary=glossary).translate_text(text)
    assert "glossary" in [f.code for f in doc.segments[0].translation.flags]
    stamps = {
        Translator(engine=engine).run_stamp("xliff"),
        Translator(engine=engine, qa=False).run_stamp("xliff"),
        Translator(engine=engine, glossary=glossary).run_stamp("xliff"),
    }
    assert len(stamps) == 3  # a folder rerun with other QA settings rewrites its outputs
