"""Type the lines of a news article and cut each one into typed pieces.

A line is one paragraph: it is never merged with the next. Each line first gets a kind from its
own text (skipped box, dateline, byline, source, credit, caption, prose); a second pass uses its
place in the article (the lead after the title; short closing lines after the last paragraph).

Decisions (see README and `tests/segment/test_layout.py`):

* **Lead.** The first prose paragraph is `lead` when nothing but at most one heading (the title)
  and skipped lines (datelines) come before it. A paragraph opening with an outlet prefix
  (`(Dân trí) -`, `VOV.VN -`) is the lead too. The prefix is its own `source` span.
* **Datelines** (`Thứ Năm, 27/03/2025 08:30 (GMT+7)`) are `skipped`: kept verbatim, never
  translated, and not a source, so a template renderer never prints them as "Sources: …".
* **Headings** are single-sentence lines of at most `HEADING_MAX_WORDS` words with no final
  punctuation. The first line is the title (a heading) even with final punctuation when it is
  one sentence of at most `TITLE_MAX_WORDS` words and more lines follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vi2en.doc import SegmentType
from vi2en.segment import rules
from vi2en.segment.splitter import sentence_spans

Piece = tuple[int, int, SegmentType]

# Line kinds decided from the line alone (pass 1).
PROSE, CAPTION, CREDIT_LINE, SKIP, DATELINE, BYLINE, SOURCE, BYLINE_SOURCE = (
    "prose",
    "caption",
    "credit",
    "skip",
    "dateline",
    "byline",
    "source",
    "byline+source",
)
# What may stand between a caption and its credit: any space (no-break too), a dash
# (`… Nguyễn Huệ - Ảnh: X`).
_CAPTION_CREDIT_DASHES = frozenset("-–—")
# Kinds that may stand in the closing region after the last paragraph.
_CLOSING_KINDS = frozenset({BYLINE, SOURCE, BYLINE_SOURCE, SKIP, DATELINE, CREDIT_LINE})


@dataclass
class Line:
    """One non-empty line: its span, kind and typed pieces."""

    start: int
    end: int
    kind: str
    pieces: list[Piece] = field(default_factory=list)
    is_heading: bool = False


def plan_lines(text: str, spans: list[tuple[int, int]]) -> list[Line]:
    """Type every line and cut it into pieces.

    Args:
        text: The document text.
        spans: The stripped non-empty line spans, from `line_spans`.

    Returns:
        One `Line` per span, with `pieces` covering the line's sentences and special spans.
    """
    lines = [_classify(text, start, end) for start, end in spans]
    _mark_title(text, lines)
    _mark_related_lists(text, lines)
    _mark_closing_lines(text, lines)
    _mark_captions(text, lines)
    _mark_numbered_intertitles(text, lines)
    _mark_lead(text, lines)
    return lines


def _classify(text: str, start: int, end: int) -> Line:
    """Kind and pieces of one line from its own text."""
    if rules.SKIP_MARKER.match(text, start, end) or _is_video_box(text, start, end):
        return Line(start, end, SKIP, [(start, end, SegmentType.SKIPPED)])
    if end - start <= rules.SHORT_LINE_CHARS:
        short = _classify_short(text, start, end)
        if short is not None:
            return short
    tail = max(start, end - rules.TAIL_WINDOW)
    credit = None
    # Cheap substring checks first: the regex search is the costliest step on long articles.
    if any(word in text[tail:end] for word in rules.CREDIT_WORDS):
        credit = rules.CAPTION_CREDIT.search(text, tail, end)
        if credit is not None and not _credit_text_ok(credit.group()):
            credit = None
        credit = credit or rules.ILLUSTRATION_CREDIT.search(text, tail, end)
    if credit:
        return _caption_line(text, start, end, credit.start())
    return _prose_line(text, start, end)


def _classify_short(text: str, start: int, end: int) -> Line | None:
    """Datelines, bylines and sources: whole short lines (None when the line is none of them)."""
    line = text[start:end]
    words = len(line.split())
    if rules.DATELINE.fullmatch(line):
        return Line(start, end, DATELINE, [(start, end, SegmentType.SKIPPED)])
    both = rules.BYLINE_THEN_SOURCE.fullmatch(line)
    if both and words <= rules.BYLINE_MAX_WORDS + rules.SOURCE_MAX_WORDS:
        cut = start + both.start("source")
        byline_end = start + both.end("byline")
        return Line(
            start,
            end,
            BYLINE_SOURCE,
            [(start, byline_end, SegmentType.BYLINE), (cut, end, SegmentType.SOURCE)],
        )
    labelled = rules.BYLINE_LABEL.fullmatch(line)
    if labelled and words <= rules.BYLINE_MAX_WORDS + 4 and _names_only(labelled["names"]):
        return Line(start, end, BYLINE, [(start, end, SegmentType.BYLINE)])
    credit = rules.CAPTION_CREDIT.match(line)  # `Video: Hoàng Hà/VOV.VN` is no byline
    if (
        words <= rules.BYLINE_MAX_WORDS + 2
        and (rules.BYLINE_ROLE.fullmatch(line) or rules.BYLINE_OUTLET.fullmatch(line))
        and not (credit and _credit_text_ok(credit.group()))
    ):
        return Line(start, end, BYLINE, [(start, end, SegmentType.BYLINE)])
    if rules.SOURCE_TAG.fullmatch(line) or (
        words <= rules.SOURCE_MAX_WORDS and _is_named_source(line)
    ):
        return Line(start, end, SOURCE, [(start, end, SegmentType.SOURCE)])
    return None


def _is_named_source(line: str) -> bool:
    """`Theo CNN, Fox News`, `Nguồn: Reuters`: a source list of capitalised names, no final
    dot, unless every word is a capitalised name (`Theo Reuters.`; `Theo Hội đồng …, Triều Tiên
    đã điều quân.` is a sentence)."""
    if not rules.SOURCE_LINE.fullmatch(line):
        return False
    body = line.split(" ", 1)[1] if line.startswith("Theo") else line.split(":", 1)[1]
    if _has_final_punctuation(line):
        return line.endswith(".") and not line.endswith("..") and _names_only(
            body[:-1].replace(",", " ")
        )
    items = [item.strip() for item in body.split(",")]
    return all(item[:1].isupper() or item[:1].isdigit() for item in items)


def _is_video_box(text: str, start: int, end: int) -> bool:
    """`Video: Cận cảnh vụ cháy lớn` opens a related-video box; `Video: VTV` is a credit."""
    box = rules.VIDEO_BOX.match(text, start, end)
    return box is not None and not _names_only(text[box.end() : end])


def _names_only(words_text: str) -> bool:
    """Whether every word opens with a capital or a digit (`Hoàng Hà/VOV.VN`, `VTV24`)."""
    words = [word.lstrip("(\"“'-–") for word in words_text.split()]
    return bool(words) and all(
        not word or not word[0].isalpha() or word[0].isupper() or word in ("và", "của")
        for word in words
    )


def _credit_text_ok(credit: str) -> bool:
    """A credit's text must not open in lowercase (`Ảnh: một người dân chụp …` is a sentence),
    save the few lowercase credits (`Ảnh: internet`, `Ảnh: tư liệu`)."""
    if ":" not in credit:
        return True  # `(Nguồn Internet)`
    body = credit.split(":", 1)[1].strip().lstrip("(\"“'")
    return not body[:1].islower() or body.rstrip(".)").lower() in rules.LOWERCASE_CREDITS


def _caption_line(text: str, start: int, end: int, credit_start: int) -> Line:
    """A caption with a trailing credit: caption sentences, then the credit span.

    A dash between them (`… đường Nguyễn Huệ - Ảnh: QUANG ĐỊNH`) belongs to neither."""
    caption_end = credit_start
    while caption_end > start and (
        text[caption_end - 1].isspace() or text[caption_end - 1] in _CAPTION_CREDIT_DASHES
    ):
        caption_end -= 1
    if caption_end == start:
        return Line(start, end, CREDIT_LINE, [(start, end, SegmentType.CREDIT)])
    pieces: list[Piece] = [
        (s, e, SegmentType.CAPTION) for s, e in sentence_spans(text, start, caption_end)
    ]
    pieces.append((credit_start, end, SegmentType.CREDIT))
    return Line(start, end, CAPTION, pieces)


def _prose_line(text: str, start: int, end: int) -> Line:
    """Body sentences, a trailing `(TTXVN)` tag as `source`; single short unpunctuated: heading."""
    spans = sentence_spans(text, start, end)
    pieces: list[Piece] = [(s, e, SegmentType.BODY) for s, e in spans]
    last_start, last_end = spans[-1]
    tag = None
    if len(spans) > 1 and rules.SOURCE_TAG.fullmatch(text, last_start, last_end):
        # `… diễn ra hôm qua. (TTXVN)`: the splitter already cut before the tag.
        pieces[-1] = (last_start, last_end, SegmentType.SOURCE)
    elif text[last_end - 1] == ")":
        tag = rules.SOURCE_TAG.search(text, max(last_start, last_end - rules.TAIL_WINDOW), last_end)
    if tag and tag.start() > last_start:
        body_end = tag.start()
        while text[body_end - 1].isspace():
            body_end -= 1
        if text[body_end - 1] in ".?!…" or text[body_end - 1] in rules.CLOSERS:
            pieces[-1] = (last_start, body_end, SegmentType.BODY)
            pieces.append((tag.start(), last_end, SegmentType.SOURCE))
    line = Line(start, end, PROSE, pieces)
    line.is_heading = (
        len(pieces) == 1
        and end - start <= rules.SHORT_LINE_CHARS
        and _looks_like_heading(text[start:end])
    )
    if line.is_heading:
        line.pieces = [(start, end, SegmentType.HEADING)]
    return line


def _has_final_punctuation(line: str) -> bool:
    stripped = line.rstrip("".join(rules.CLOSERS))
    return bool(stripped) and stripped[-1] in rules.FINAL_PUNCTUATION


def _looks_like_heading(line: str) -> bool:
    """Short, no final punctuation, not a list item (`1. Giới thiệu` stays body)."""
    first = line.split(maxsplit=1)[0]
    return (
        len(line.split()) <= rules.HEADING_MAX_WORDS
        and not _has_final_punctuation(line)
        and not rules.LIST_NUMBER.fullmatch(first)
    )


def _mark_title(text: str, lines: list[Line]) -> None:
    """The first line (after datelines) is the title when it is one short sentence and more
    lines follow, even with a final `.`, `?` or `!` (`Lại một người da đen khác?!`); a title
    ending in `?` or `!` may hold two sentences (`Vàng tăng giá! Nên mua hay bán?`)."""
    index = next((i for i, line in enumerate(lines) if line.kind not in (SKIP, DATELINE)), None)
    if index is None or index == len(lines) - 1:
        return
    first = lines[index]
    if first.kind != PROSE or first.is_heading:
        return
    words = len(text[first.start : first.end].split())
    ending = text[first.start : first.end].rstrip("".join(rules.CLOSERS))[-1:]
    sentences_ok = len(first.pieces) == 1 or (ending in "?!" and len(first.pieces) <= 2)
    if sentences_ok and words <= rules.TITLE_MAX_WORDS and ending not in ":;,":
        first.is_heading = True
        first.pieces = [(first.start, first.end, SegmentType.HEADING)]


def _mark_captions(text: str, lines: list[Line]) -> None:
    """After the first paragraph, an unpunctuated one-sentence line longer than an intertitle
    reads as a descriptive sentence: a caption without credit (see `eval/heading_rule.py`)."""
    first_paragraph = next(
        (i for i, line in enumerate(lines) if line.kind != SKIP and not line.is_heading), None
    )
    if first_paragraph is None:
        return
    for line in lines[first_paragraph + 1 :]:
        if not line.is_heading or line.kind != PROSE:
            continue
        if len(text[line.start : line.end].split()) > rules.INTERTITLE_MAX_WORDS:
            line.is_heading = False
            line.kind = CAPTION
            line.pieces = [(line.start, line.end, SegmentType.CAPTION)]


def _mark_numbered_intertitles(text: str, lines: list[Line]) -> None:
    """`1. Cảm giác dễ chịu` between paragraphs is a heading; in a list (after a line ending in
    `:`, or beside another numbered line) it stays body."""

    def numbered(line: Line) -> bool:
        first = text[line.start : line.end].split(maxsplit=1)[0]
        return line.kind == PROSE and bool(rules.LIST_NUMBER.fullmatch(first))

    for index, line in enumerate(lines):
        if not numbered(line) or len(line.pieces) != 1:
            continue
        content = text[line.start : line.end]
        if _has_final_punctuation(content) or len(content.split()) > rules.INTERTITLE_MAX_WORDS:
            continue
        before = lines[index - 1] if index else None
        after = lines[index + 1] if index + 1 < len(lines) else None
        if before is not None and (
            numbered(before) or text[before.start : before.end].rstrip().endswith(":")
        ):
            continue
        if after is not None and numbered(after):
            continue
        line.is_heading = True
        line.pieces = [(line.start, line.end, SegmentType.HEADING)]


def _mark_related_lists(text: str, lines: list[Line]) -> None:
    """Headlines listed under a bare `TIN LIÊN QUAN` / `Xem thêm:` box are skipped too."""
    in_box = False
    for line in lines:
        if line.kind == SKIP:
            marker = rules.SKIP_MARKER.match(text, line.start, line.end)
            in_box = marker is not None and not text[marker.end() : line.end].strip()
        elif in_box and line.is_heading:
            line.kind = SKIP
            line.pieces = [(line.start, line.end, SegmentType.SKIPPED)]
        else:
            in_box = False


def _mark_closing_lines(text: str, lines: list[Line]) -> None:
    """After the last paragraph, short name lines (`Thanh Hà`, `PV`) are bylines and
    `Theo …` lines without a final dot are sources."""
    for index in range(len(lines) - 1, 0, -1):
        line = lines[index]
        if line.kind in _CLOSING_KINDS:
            continue
        if line.kind != PROSE or not line.is_heading:
            break
        words = text[line.start : line.end].split()
        if words[0] == "Theo" and len(words) <= rules.SOURCE_MAX_WORDS:
            line.kind, line.pieces = SOURCE, [(line.start, line.end, SegmentType.SOURCE)]
        elif len(names := [w for w in words if w not in "-–&"]) <= 5 and _names_only(
            " ".join(names)
        ):  # `Thanh Hà`, `PV`, `Bảo Anh - Minh Đức`
            line.kind, line.pieces = BYLINE, [(line.start, line.end, SegmentType.BYLINE)]
        else:
            break


def _mark_lead(text: str, lines: list[Line]) -> None:
    """Type the lead paragraph and split off its outlet prefix (see the module docstring)."""
    headings = 0
    for line in lines:
        if line.kind in (SKIP, DATELINE):
            continue
        if line.kind == PROSE and line.is_heading:
            headings += 1
            if headings > 1:
                return
            continue
        if line.kind != PROSE:
            return
        prefix_end = _outlet_prefix_end(text, line.start, line.end)
        pieces: list[Piece] = []
        body_start = line.start
        if prefix_end is not None:
            pieces.append((line.start, prefix_end, SegmentType.SOURCE))
            body_start = prefix_end
            while text[body_start].isspace():
                body_start += 1
        rest = _prose_line(text, body_start, line.end)
        pieces += [
            (s, e, t if t == SegmentType.SOURCE else SegmentType.LEAD)
            for s, e, t in (rest.pieces if not rest.is_heading else [(body_start, line.end, None)])
        ]
        line.pieces = pieces
        return


def _outlet_prefix_end(text: str, start: int, end: int) -> int | None:
    """End of an outlet prefix such as `(Dân trí) -` or `VOV.VN -` opening the line, if any."""
    tag = rules.OUTLET_TAG.match(text, start, end)
    if tag is not None:  # an unlisted short all-caps tag: `PNO - Sáng nay …`
        return tag.end() - 1
    match = rules.OUTLET_PREFIX.match(text, start, end)
    if match is None:
        return None
    name = (match.group("name") or match.group("bare")).strip("()")
    known = name in rules.outlet_names()
    # Unlisted outlets: a domain (`Baomoi.vn -`) or a bracketed acronym (`(ANTĐ) -`); a bare
    # acronym is not enough (`WHO - tổ chức y tế …` is a sentence).
    bracketed = match.group("name") is not None and match.group("name").startswith("(")
    looks_like_outlet = ".vn" in name.lower() or (bracketed and name.isupper())
    if match.group("bare") is not None and not known:
        return None
    if not (known or looks_like_outlet):
        return None
    if not text[match.end() : end].strip():
        return None
    return match.end()
