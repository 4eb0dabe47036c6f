"""Post-edit effort: a post-edited XLIFF round-trips into HTER, character edits, unchanged share."""

from __future__ import annotations

import random

import pytest
from sacrebleu.metrics import TER

from tests.formats.sample_doc import make_document
from vi2en.errors import FormatError, InputError, MismatchError
from vi2en.formats.xliff import render, render_12
from vi2en.postedit import MAX_SEGMENT_CHARS, MAX_SEGMENT_WORDS, compare_xliff, levenshtein

MT_2 = "Hanoi welcomed 11,000 visitors in February 2025."
POST_2 = "Hanoi welcomed 11,000 tourists in February 2025."
MT_3 = "Mr Kim arrived in Pyongyang."
POST_3 = "Kim Jong-un arrived in Pyongyang on Monday."


def post_edit(xml: str) -> str:
    """What a translator does in a CAT tool: edit two targets, keep the first."""
    assert MT_2 in xml and MT_3 in xml
    return xml.replace(f">{MT_2}<", f">{POST_2}<", 1).replace(f">{MT_3}<", f">{POST_3}<", 1)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("abc", "", 3), ("kitten", "sitting", 3), ("Hà Nội", "Ha Noi", 2)],
)
def test_levenshtein(a: str, b: str, distance: int) -> None:
    assert levenshtein(a, b) == distance == levenshtein(b, a)


@pytest.mark.parametrize("renderer", [render, render_12], ids=["2.1", "1.2"])
def test_post_edited_xliff_round_trips_into_an_effort_report(renderer) -> None:
    original = renderer(make_document())
    report = compare_xliff(original.encode(), post_edit(original).encode())
    # Only the three MT segments are measured (not the template credit or the kept byline).
    assert [s.id for s in report.segments] == ["s1", "s2", "s3"]
    first, second, third = report.segments
    assert first.unchanged and first.hter == 0 and first.char_distance == 0
    assert not second.unchanged
    assert second.char_distance == levenshtein(MT_2, POST_2) == 7
    ter = TER(case_sensitive=True)
    assert second.hter == round(ter.sentence_score(MT_2, [POST_2]).score, 2)
    assert third.hter == round(ter.sentence_score(MT_3, [POST_3]).score, 2)
    corpus = ter.corpus_score([s.mt for s in report.segments], [[s.post_edit for s in
                                                                 report.segments]])
    assert report.hter == round(corpus.score, 2) > 0
    assert report.unchanged_share == round(1 / 3, 4)
    assert report.char_distance == sum(s.char_distance for s in report.segments)
    assert "case:mixed" in report.signature and "tok:tercom" in report.signature


def test_report_table_and_json() -> None:
    original = render(make_document())
    report = compare_xliff(original.encode(), post_edit(original).encode())
    table = report.format_table()
    assert table.splitlines()[0].split() == ["id", "HTER", "chars", "char%", "changed"]
    assert "33.3% unchanged of 3 MT segments" in table
    data = report.to_dict()
    assert data["measured_segments"] == 3 and data["segments"][1]["post_edit"] == POST_2


def test_unedited_file_has_zero_effort() -> None:
    original = render(make_document()).encode()
    report = compare_xliff(original, original)
    assert (report.hter, report.char_distance, report.unchanged_share) == (0.0, 0, 1.0)


def test_a_21_original_matches_a_12_post_edit() -> None:
    doc = make_document()
    report = compare_xliff(render(doc).encode(), post_edit(render_12(doc)).encode())
    assert [s.unchanged for s in report.segments] == [True, False, False]


def test_missing_edited_target_is_reported_not_measured() -> None:
    original = render(make_document())
    edited = original.replace(f"<target>{MT_3}</target>", "")
    report = compare_xliff(original.encode(), edited.encode())
    assert report.missing_targets == ["s3"]
    assert [s.id for s in report.segments] == ["s1", "s2"]


def test_different_documents_are_refused() -> None:
    other = make_document(text=make_document().text + " ")
    with pytest.raises(MismatchError, match="different documents"):
        compare_xliff(render(make_document()).encode(), render(other).encode())


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('<segment id="s3"', '<segment id="s9"', "missing from the edited file: s3; not in the "
         "original: s9"),
        ("Ông Kim đến Bình Nhưỡng.", "Ông Kim rời Bình Nhưỡng.", "s3 has a different source"),
    ],
)
def test_mismatched_ids_or_sources_are_refused(old: str, new: str, message: str) -> None:
    original = render(make_document())
    with pytest.raises(MismatchError, match=message):
        compare_xliff(original.encode(), original.replace(old, new).encode())


def test_unsafe_edited_file_is_refused() -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(FormatError, match="DTD or entities"):
        compare_xliff(render(make_document()).encode(), evil)


@pytest.mark.issue(11)
@pytest.mark.parametrize("bad", ["original", "edited"])
def test_the_error_names_the_bad_file(bad: str) -> None:
    """Issue 11 item 10: which of the two files is not XLIFF?"""
    good = render(make_document()).encode()
    files = {"original": good, "edited": good, bad: b"<html><body>no</body></html>"}
    with pytest.raises(FormatError, match=rf"^{bad}\.xlf: not an XLIFF file"):
        compare_xliff(files["original"], files["edited"], names=("original.xlf", "edited.xlf"))
    other = render(make_document(text=make_document().text + " ")).encode()
    with pytest.raises(MismatchError, match=r"in a\.xlf and .* in b\.xlf"):
        compare_xliff(good, other, names=("a.xlf", "b.xlf"))


@pytest.mark.issue(11)
def test_levenshtein_counts_code_points_as_the_textbook_recurrence_does() -> None:
    """rapidfuzz's C++ distance, checked against the O(n*m) definition on random strings."""

    def reference(a: str, b: str) -> int:
        previous = list(range(len(b) + 1))
        for i, char_a in enumerate(a, start=1):
            current = [i]
            for j, char_b in enumerate(b, start=1):
                current.append(min(previous[j] + 1, current[j - 1] + 1,
                                   previous[j - 1] + (char_a != char_b)))  # fmt: skip
            previous = current
        return previous[-1]

    rng = random.Random(7)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyạảấầẩẫậắằẳẵặẹẻẽếềểễệ ,.\u0300\U0001f600"
    for _ in range(300):
        a = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
        b = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
        assert levenshtein(a, b) == reference(a, b)
    # Long segments are no longer quadratic Python (one 20,000-character pair took 80-104 s).
    long_a = "".join(rng.choices(alphabet, k=20_000))
    assert levenshtein(long_a, long_a[::-1]) == levenshtein(long_a[::-1], long_a) > 0


def edit_first_target(xml: str, new_target: str) -> bytes:
    return xml.replace(f">{MT_2}<", f">{new_target}<", 1).encode()


@pytest.mark.issue(11)
@pytest.mark.parametrize(
    ("post", "message"),
    [
        (" ".join(["word"] * (MAX_SEGMENT_WORDS + 1)),
         rf"segment s2: the post-edit in b\.xlf has {MAX_SEGMENT_WORDS + 1} words"),
        ("x" * (MAX_SEGMENT_CHARS + 1), rf"{MAX_SEGMENT_CHARS + 1} characters; postedit-report "
         rf"measures segments of at most {MAX_SEGMENT_WORDS} words and {MAX_SEGMENT_CHARS}"),
    ],
    ids=["words", "characters"],
)
def test_segments_over_the_limits_are_refused_naming_file_and_segment(post: str, message: str):
    xml = render(make_document())
    with pytest.raises(InputError, match=message):
        compare_xliff(xml.encode(), edit_first_target(xml, post), names=("a.xlf", "b.xlf"))
    # At the limit it is measured.
    at_limit = " ".join(["word"] * MAX_SEGMENT_WORDS)
    report = compare_xliff(xml.encode(), edit_first_target(xml, at_limit))
    assert report.segments[1].post_edit == at_limit


@pytest.mark.issue(11)
def test_file_and_segment_count_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from vi2en import postedit

    xml = render(make_document()).encode()
    monkeypatch.setattr(postedit, "MAX_XLIFF_BYTES", len(xml) - 1)
    with pytest.raises(InputError, match=r"^a\.xlf is larger than .*report on the document in"):
        compare_xliff(xml, xml, names=("a.xlf", "b.xlf"))
    monkeypatch.setattr(postedit, "MAX_XLIFF_BYTES", len(xml))
    monkeypatch.setattr(postedit, "MAX_SEGMENTS", 2)
    with pytest.raises(InputError, match=r"a\.xlf has 3 MT segments; .* at most 2 per document"):
        compare_xliff(xml, xml, names=("a.xlf", "b.xlf"))


def test_document_hter_is_sacrebleus_corpus_ter_over_many_segments() -> None:
    """Summed from the segments' statistics (no second TER pass), equal to `corpus_score`."""
    rng = random.Random(2)
    words = ["the", "a", "of", "city", "police", "said", "report", "new", "house", "minister"]
    doc = make_document()
    xml = render(doc)
    edited = xml
    for mt in (MT_2, MT_3):
        edited = edited.replace(f">{mt}<", f">{' '.join(rng.choices(words, k=12))}<", 1)
    report = compare_xliff(xml.encode(), edited.encode())
    corpus = TER(case_sensitive=True).corpus_score(
        [s.mt for s in report.segments], [[s.post_edit for s in report.segments]]
    )
    assert report.hter == round(corpus.score, 2) > 0
