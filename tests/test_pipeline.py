"""Pipeline unit tests on a fake engine: types, splitting, batching, order, dedup, flags."""

from __future__ import annotations

import pytest

from tests.fake_engine import FakeEngine
from vi2en.doc import Document, SegmentType
from vi2en.errors import Vi2enError
from vi2en.pipeline import (
    FLAG_CREDIT_UNKNOWN,
    FLAG_LENGTH_CAP,
    FLAG_SPLIT_CLAUSE,
    FLAG_SPLIT_HARD,
    max_new_tokens_for,
    translate_document,
    translate_documents,
)

T = SegmentType


def make_doc(*items: tuple[str, SegmentType, int]) -> Document:
    """A document of segments (text, type, paragraph): one space inside, a newline between."""
    text, spans, previous = "", [], None
    for seg_text, seg_type, paragraph in items:
        if previous is not None:
            text += " " if paragraph == previous else "\n"
        spans.append((len(text), len(text) + len(seg_text), seg_type, paragraph))
        text += seg_text
        previous = paragraph
    doc = Document(text=text + "\n")
    for i, (start, end, seg_type, paragraph) in enumerate(spans):
        doc.add_segment(start, end, seg_type, paragraph=paragraph, sentence=i)
    return doc


def long_sentence(clauses: int, words_per_clause: int, joiner: str = "; ") -> str:
    parts = [" ".join(f"c{c}w{w}" for w in range(words_per_clause)) for c in range(clauses)]
    return joiner.join(parts) + "."


@pytest.mark.parametrize(
    ("credit", "english"),
    [
        ("Ảnh: Sputnik", "Photo: Sputnik"),
        ("(Ảnh: Reuters)", "(Photo: Reuters)"),
        ("Nguồn: Reuters", "Source: Reuters"),
        ("Ảnh minh họa", "Illustrative photo"),
        ("Ảnh minh hoạ.", "Illustrative photo."),
        ("(Ảnh minh họa)", "(Illustrative photo)"),
        ("ảnh: TTXVN", "Photo: TTXVN"),
        ("Ảnh tư liệu", "File photo"),
        ("Đồ họa: Minh Hoa", "Graphic: Minh Hoa"),
    ],
)
def test_credits_render_by_template(credit: str, english: str) -> None:
    doc = translate_document(
        make_doc(("Một câu.", T.CAPTION, 0), (credit, T.CREDIT, 0)), FakeEngine()
    )
    tr = doc.segments[1].translation
    assert (tr.text, tr.method) == (english, "template")


def test_unknown_credit_is_copied_and_flagged() -> None:
    doc = translate_document(make_doc(("Thanh Hà", T.CREDIT, 0)), FakeEngine())
    tr = doc.segments[0].translation
    assert (tr.text, tr.method) == ("Thanh Hà", "copy")
    assert [f.code for f in tr.flags] == [FLAG_CREDIT_UNKNOWN]


@pytest.mark.parametrize("seg_type", [T.BYLINE, T.SOURCE, T.SKIPPED])
def test_bylines_sources_skipped_are_copied_not_translated(seg_type: SegmentType) -> None:
    engine = FakeEngine()
    doc = translate_document(make_doc(("Hồng Anh/VOV.VN", seg_type, 0)), engine)
    tr = doc.segments[0].translation
    assert (tr.text, tr.method, tr.score) == ("Hồng Anh/VOV.VN", "copy", None)
    assert engine.calls == []


def test_every_segment_gets_a_translation_in_document_order() -> None:
    doc = make_doc(
        ("Tiêu đề bài báo", T.HEADING, 0),
        ("Câu dẫn đầu tiên ở đây.", T.LEAD, 1),
        ("Một câu rất dài hơn nhiều so với những câu khác trong bài.", T.BODY, 2),
        ("Ngắn.", T.BODY, 2),
        ("Ảnh: AP", T.CREDIT, 3),
        ("PV", T.BYLINE, 4),
    )
    translate_document(doc, FakeEngine())
    assert all(seg.translation is not None for seg in doc)
    for seg in doc:
        if seg.translated:
            assert seg.translation.method == "mt"
            assert seg.translation.text == seg.text.upper()
            assert seg.translation.score == pytest.approx(-0.5 * len(seg.text.split()))


def test_identical_segments_are_translated_once() -> None:
    engine = FakeEngine()
    doc = make_doc(("Xin chào.", T.BODY, 0), ("Cảm ơn.", T.BODY, 0), ("Xin chào.", T.BODY, 1))
    translate_document(doc, engine)
    sent = [text for call in engine.calls for text in call["texts"]]
    assert sorted(sent) == ["Cảm ơn.", "Xin chào."]
    assert doc.segments[0].translation.text == doc.segments[2].translation.text == "XIN CHÀO."


@pytest.mark.parametrize("batch_tokens", [1, 10, 32, 1000])
def test_batches_are_length_sorted_and_within_the_token_budget(batch_tokens: int) -> None:
    engine = FakeEngine()
    items = [
        (" ".join(f"w{i}x{k}" for k in range(n)) + ".", T.BODY, i)
        for i, n in enumerate([7, 1, 12, 3, 3, 9, 2, 5, 20, 17, 40])
    ]
    engine.max_positions = 128
    doc = translate_document(make_doc(*items), engine, batch_tokens=batch_tokens)
    lengths = [[len(t.split()) + 1 for t in call["texts"]] for call in engine.calls]
    flat = [n for batch in lengths for n in batch]
    assert flat == sorted(flat)
    for batch in lengths:
        assert len(batch) == 1 or max(batch) * len(batch) <= batch_tokens
    # Every batch decodes to one cap, each text's own.
    for call, batch in zip(engine.calls, lengths, strict=True):
        assert call["max_new_tokens"] == [max_new_tokens_for(n, cap=128) for n in batch]
        assert len(set(call["max_new_tokens"])) == 1
    assert sum(len(b) for b in lengths) == len(items)
    assert [seg.translation.text for seg in doc] == [seg.text.upper() for seg in doc]


def test_beam_size_defaults_to_the_engine_and_max_new_tokens_follows_length() -> None:
    engine = FakeEngine(default_beam_size=3)
    translate_document(make_doc(("một hai ba", T.BODY, 0)), engine)
    assert engine.calls[0]["beam_size"] == 3
    assert engine.calls[0]["max_new_tokens"] == [max_new_tokens_for(4, cap=64)] == [42]
    translate_document(make_doc(("một hai ba", T.BODY, 0)), engine, beam_size=1)
    assert engine.calls[1]["beam_size"] == 1


def test_input_is_prepared_like_opus_mt_training_data() -> None:
    engine = FakeEngine()
    doc = translate_document(
        make_doc(("Ông nói: “Xin\u200bchào”…  thế\u00a0giới", T.BODY, 0)), engine
    )
    assert engine.calls[0]["texts"] == ['Ông nói: "Xinchào"... thế giới']
    assert doc.segments[0].translation.text == 'ÔNG NÓI: "XINCHÀO"... THẾ GIỚI'


def test_a_600_piece_sentence_is_split_at_clauses_and_keeps_every_word() -> None:
    engine = FakeEngine(max_positions=512)
    sentence = long_sentence(clauses=12, words_per_clause=50)  # 600 words + </s>
    doc = translate_document(make_doc((sentence, T.BODY, 0)), engine, soft_limit=200)
    tr = doc.segments[0].translation
    assert tr.text.split() == [w.upper() for w in sentence.split()]
    assert tr.parts == len([t for call in engine.calls for t in call["texts"]]) >= 4
    assert [f.code for f in tr.flags] == [FLAG_SPLIT_CLAUSE]
    for call in engine.calls:
        assert all(len(t.split()) + 1 <= 200 for t in call["texts"])
    assert tr.score == pytest.approx(
        sum(-0.5 * len(t.split()) for c in engine.calls for t in c["texts"]) / tr.parts
    )


@pytest.mark.parametrize("conjunction", ["nhưng", "và", "trong khi", "tuy nhiên"])
def test_comma_before_a_conjunction_is_a_clause_boundary(conjunction: str) -> None:
    engine = FakeEngine()
    sentence = long_sentence(2, 30, joiner=f", {conjunction} ")
    doc = translate_document(make_doc((sentence, T.BODY, 0)), engine, soft_limit=40)
    texts = [t for call in engine.calls for t in call["texts"]]
    assert len(texts) == 2 and texts[1].startswith(conjunction)
    assert doc.segments[0].translation.parts == 2


def test_a_sentence_without_boundaries_over_the_hard_limit_is_split_at_whitespace() -> None:
    engine = FakeEngine(max_positions=64)
    sentence = " ".join(f"w{i}" for i in range(600))
    doc = translate_document(make_doc((sentence, T.BODY, 0)), engine, soft_limit=50)
    tr = doc.segments[0].translation
    assert tr.text.split() == [w.upper() for w in sentence.split()]
    assert [f.code for f in tr.flags] == [FLAG_SPLIT_HARD]
    texts = [t for call in engine.calls for t in call["texts"]]
    assert tr.parts == len(texts) == 13  # 49 words + </s> per part
    assert all(len(t.split()) + 1 <= 50 for t in texts)


def test_clause_parts_still_too_long_are_hard_split_too() -> None:
    engine = FakeEngine(max_positions=64)
    sentence = long_sentence(2, 100)
    tr = translate_document(make_doc((sentence, T.BODY, 0)), engine).segments[0].translation
    assert [f.code for f in tr.flags] == [FLAG_SPLIT_CLAUSE, FLAG_SPLIT_HARD]
    assert tr.text.split() == [w.upper() for w in sentence.split()]


def test_over_the_soft_limit_without_boundaries_but_within_the_model_is_kept_whole() -> None:
    engine = FakeEngine(max_positions=512)
    sentence = " ".join(f"w{i}" for i in range(300))
    tr = translate_document(make_doc((sentence, T.BODY, 0)), engine).segments[0].translation
    assert (tr.parts, tr.flags) == (1, [])


@pytest.mark.parametrize(
    ("pieces", "cap"), [(1, 42), (16, 42), (17, 74), (32, 74), (33, 106), (250, 512), (512, 512)]
)
def test_the_cap_is_twice_the_length_rounded_up_to_16_plus_10_at_most_the_limit(
    pieces: int, cap: int
) -> None:
    assert max_new_tokens_for(pieces) == cap
    assert max_new_tokens_for(pieces, cap=40) == 40


def test_hitting_the_cap_is_flagged_and_length_ratio_is_left_to_qa() -> None:
    engine = FakeEngine(babble=30)
    doc = translate_document(
        make_doc(("một hai ba bốn năm", T.BODY, 0), ("Hai từ.", T.BODY, 0)), engine
    )
    # The babble is ~10x the source, but the length ratio is QA's flag (vi2en.flags), not ours.
    for seg in doc.segments:
        assert [f.code for f in seg.translation.flags] == [FLAG_LENGTH_CAP]
    assert len(doc.segments[0].translation.text.split()) == max_new_tokens_for(6) - 1


def test_every_flag_the_pipeline_sets_is_a_pipeline_code_of_the_table() -> None:
    from vi2en import pipeline
    from vi2en.flags import Stage, codes

    constants = {v for k, v in vars(pipeline).items() if k.startswith("FLAG_")}
    assert constants == codes(Stage.PIPELINE)


def test_documents_are_batched_together_and_progress_is_reported() -> None:
    engine = FakeEngine()
    docs = [make_doc(("Câu một.", T.BODY, 0)), make_doc(("Câu hai.", T.BODY, 0))]
    seen: list[tuple[int, int]] = []
    translate_documents(docs, engine, progress=lambda done, total: seen.append((done, total)))
    assert len(engine.calls) == 1 and len(engine.calls[0]["texts"]) == 2
    assert seen == [(0, 2), (2, 2)]
    assert [d.segments[0].translation.text for d in docs] == ["CÂU MỘT.", "CÂU HAI."]
    assert docs[0].signature is None  # the signature is the Translator's to give


def test_a_segment_that_prepares_to_nothing_is_kept_not_sent() -> None:
    engine = FakeEngine()
    doc = translate_document(make_doc(("\u200b\u200b", T.BODY, 0)), engine)
    assert doc.segments[0].translation.method == "copy"
    assert engine.calls == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"batch_tokens": 0}, "batch_tokens"),
        ({"soft_limit": 1}, "soft_limit"),
        ({"beam_size": -1}, "beam size"),
    ],
)
def test_bad_options_raise(options: dict, message: str) -> None:
    with pytest.raises(Vi2enError, match=message):
        translate_document(make_doc(("Câu.", T.BODY, 0)), FakeEngine(), **options)


@pytest.mark.issue(11)
def test_each_document_is_handed_back_as_soon_as_it_is_done() -> None:
    # Ten documents of words of rising length: with a global length sort every document has a
    # segment in the last batches; in document-first order they finish one after another.
    engine = FakeEngine()
    docs = [
        make_doc(*[(" ".join(["từ"] * (d + k + 1)) + ".", T.BODY, k) for k in range(4)])
        for d in range(10)
    ]
    order = sorted({len(s.text.split()) for d in docs for s in d.segments})
    plain = translate_documents(
        [make_doc(*[(s.text, T.BODY, s.paragraph) for s in d.segments]) for d in docs],
        FakeEngine(), batch_tokens=12,
    )  # fmt: skip
    seen: list[tuple[int, int]] = []  # (document, batches run so far)

    def done(doc: Document) -> None:
        assert all(seg.translation is not None for seg in doc.segments)
        seen.append((docs.index(doc), len(engine.calls)))

    translate_documents(docs, engine, batch_tokens=12, on_document=done)
    total = len(engine.calls)
    assert sorted(d for d, _ in seen) == list(range(10))  # each once
    assert len(order) > 4 and total > 5
    assert seen[0][1] < total / 2  # the first document came back long before the end
    assert [b for _, b in seen] == sorted(b for _, b in seen)
    # Reordering the batches changes nothing in the output.
    assert [[s.translation.text for s in d.segments] for d in docs] == [
        [s.translation.text for s in d.segments] for d in plain
    ]


def test_documents_with_nothing_to_translate_are_handed_back_before_any_batch() -> None:
    engine = FakeEngine()
    docs = [make_doc(("Ảnh: AP", T.CREDIT, 0)), make_doc(("Câu một.", T.BODY, 0))]
    seen: list[tuple[int, int]] = []
    translate_documents(
        docs, engine, on_document=lambda doc: seen.append((docs.index(doc), len(engine.calls)))
    )
    assert seen == [(0, 0), (1, 1)]


@pytest.mark.issue(15)
def test_machine_output_is_normalised_to_nfc() -> None:
    import unicodedata

    class DecomposingEngine(FakeEngine):
        def translate_batch(self, texts, **options):
            hyps = super().translate_batch(texts, **options)
            for hyp in hyps:
                object.__setattr__(hyp, "text", unicodedata.normalize("NFD", "Việt Nam café"))
            return hyps

    doc = translate_document(make_doc(("Xin chào.", T.BODY, 0)), DecomposingEngine())
    text = doc.segments[0].translation.text
    assert text == unicodedata.normalize("NFC", "Việt Nam café") and len(text) == 13


# --- n-best alternatives (issue 13) ---


def _translations(doc: Document) -> list:
    return [seg.translation for seg in doc.segments]


@pytest.mark.issue(13)
def test_alternatives_leave_the_primary_as_it_is_and_ask_the_whole_beam() -> None:
    items = (("Một hai ba.", T.BODY, 0), ("Ảnh: Công an cung cấp", T.CREDIT, 0),
             ("Ảnh: Sputnik", T.CREDIT, 0))  # fmt: skip
    plain = translate_document(make_doc(*items), FakeEngine())
    engine = FakeEngine(default_beam_size=4)
    nbest = translate_document(make_doc(*items), engine, alternatives=2)
    assert [t.text for t in _translations(nbest)] == [t.text for t in _translations(plain)]
    assert [t.alternatives for t in _translations(plain)] == [None, None, None]
    body, credit, template = _translations(nbest)
    # The fake's n-best lowers word 1, then word 2...: NFC-joined, at most 2, primary excluded.
    assert body.text == "MỘT HAI BA." and body.alternatives == ["một HAI BA.", "MỘT hai BA."]
    assert credit.text == "Photo: CÔNG AN CUNG CẤP"  # the template's head is kept on each
    assert credit.alternatives == ["Photo: công AN CUNG CẤP", "Photo: CÔNG an CUNG CẤP"]
    assert template.alternatives == []  # no model output to vary
    assert {call["num_hypotheses"] for call in engine.calls} == {4}  # the beam's whole n-best


@pytest.mark.issue(13)
def test_more_alternatives_than_the_beam_ask_a_wider_n_best() -> None:
    engine = FakeEngine(default_beam_size=2)
    doc = translate_document(make_doc(("a b c d e f", T.BODY, 0)), engine, alternatives=5)
    assert engine.calls[0]["num_hypotheses"] == 6 and engine.calls[0]["beam_size"] == 2
    assert doc.segments[0].translation.alternatives == [
        "a B C D E F", "A b C D E F", "A B c D E F", "A B C d E F", "A B C D e F"]  # fmt: skip


@pytest.mark.issue(13)
def test_a_split_segment_ranks_its_parts_alternatives_together() -> None:
    sentence = long_sentence(2, 4)  # two clauses, each over the soft limit's half
    doc = translate_document(make_doc((sentence, T.BODY, 0)), FakeEngine(), soft_limit=6,
                             alternatives=1)  # fmt: skip
    tr = doc.segments[0].translation
    assert tr.parts == 2
    first, second = tr.text.split("; ")
    assert tr.alternatives == [f"{first[0:4].lower()}{first[4:]}; "
                               f"{second[0:4].lower()}{second[4:]}"]  # fmt: skip


@pytest.mark.issue(13)
def test_alternatives_bypass_the_cache_both_ways(tmp_path) -> None:
    from vi2en.cache import TranslationStore

    store = TranslationStore("k", path=tmp_path / "cache.sqlite3")
    items = (("Một hai ba.", T.BODY, 0),)
    translate_document(make_doc(*items), FakeEngine(), cache=store)  # a 1-best, cached
    engine = FakeEngine()
    doc = translate_document(make_doc(*items), engine, cache=store, alternatives=1)
    assert engine.calls and doc.segments[0].translation.alternatives == ["một HAI BA."]
    fresh = TranslationStore("k2", path=tmp_path / "cache.sqlite3")
    translate_document(make_doc(("Bốn năm.", T.BODY, 0)), FakeEngine(), cache=fresh,
                       alternatives=1)  # fmt: skip
    assert fresh.lookup(["Bốn năm."]) == {}  # nothing stored from an n-best run


@pytest.mark.issue(13)
@pytest.mark.parametrize("bad", [-1, 11, 2.0, True, "2", None])
def test_bad_alternatives_are_refused(bad) -> None:
    with pytest.raises(Vi2enError, match="alternatives must be 0 to 10"):
        translate_document(make_doc(("Một.", T.BODY, 0)), FakeEngine(), alternatives=bad)
