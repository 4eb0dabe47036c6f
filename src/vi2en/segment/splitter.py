"""Split text into lines, and a line into sentences, as character spans.

Only offsets are produced; the text is never copied or changed. Every function scans its input
once from left to right, and each candidate sentence end looks at a bounded window around it,
so the whole split is linear in the length of the text.
"""

from __future__ import annotations

import re

from vi2en.segment import rules

# Line breaks as `str.splitlines` knows them; a line is the text between two of them.
_LINE = re.compile(r"[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
# Trailing punctuation stripped from a word before looking it up in a word list.
_WORD_PUNCT = ",;:.!?…”\"’'»)]"


def line_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty lines of `text`, with surrounding whitespace left out.

    Args:
        text: The document text.

    Returns:
        `(start, end)` pairs in text order; `text[start:end]` has no leading or trailing
        whitespace and is never empty.
    """
    spans = []
    for match in _LINE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one line, `text[start:end]` (already stripped), into sentence spans.

    A sentence ends after a run of `.?!…` plus any closing quotes/brackets, when whitespace and a
    sentence opener (uppercase letter, digit, opening quote, dash) follow, and no protection
    rule applies (abbreviation, initial inside a name, list number, quote attribution).

    Args:
        text: The document text.
        start: First character of the line.
        end: End of the line (exclusive).

    Returns:
        Non-overlapping `(start, end)` spans covering the line's sentences, without whitespace
        at either edge.
    """
    spans = []
    sent_start = start
    for match in rules.SENTENCE_END.finditer(text, start, end):
        term_end = match.end()
        if term_end >= end or match.start() <= sent_start:
            continue
        if not text[term_end].isspace():
            # `Giá xăng tăng 3%.Người dân …`: paragraphs pasted together without a space.
            if _is_glued_end(text, match, line_start=start, end=end):
                spans.append((sent_start, term_end))
                sent_start = term_end
            continue
        next_start = _skip_space(text, term_end, end)
        if _is_lone_quote(text, next_start, end):
            # `… ở lại. " Đó là …`: a spaced straight quote closes the sentence before it.
            term_end = next_start + 1
            next_start = _skip_space(text, term_end, end)
        if next_start >= end or not _opens_sentence(text, next_start, end):
            continue
        if _is_protected(text, match, line_start=start, next_start=next_start, end=end):
            continue
        spans.append((sent_start, term_end))
        sent_start = next_start
    spans.append((sent_start, end))
    return spans


def _is_glued_end(text: str, match: re.Match[str], *, line_start: int, end: int) -> bool:
    """A sentence end with no space after it: `tăng 3%.Người dân`, `lo lắng!Chính phủ`.

    It splits only between a lowercase letter, digit, `%` or closer and a capitalised word
    (an uppercase letter, then a lowercase one), so `TP.HCM`, `VOV.VN`, `Dantri.com.vn`,
    `H.264` and `3.5` stay whole; `Tp.Hồ Chí Minh` is kept by the abbreviation rule.
    """
    marks = match.group().rstrip("".join(rules.CLOSERS))
    if "…" in marks or ".." in marks:
        return False  # `rò rỉ ư...Không`: a glued ellipsis trails off inside a quotation
    before = text[match.start() - 1]
    after = match.end()
    if not (before.islower() or before.isdigit() or before in rules.GLUED_BEFORE):
        return False
    if not (after + 1 < end and text[after].isupper() and text[after + 1].islower()):
        return False
    if match.group() != ".":
        return True
    dot = match.start()
    token_start = _word_start(text, dot, line_start)
    if token_start is None:
        return False
    token = text[token_start : dot + 1].lstrip("“\"‘'«([")
    if "." in token[:-1] or "/" in token or "@" in token:
        return False  # a domain, URL or e-mail address: `www.vnexpress.Net`
    return token[:-1] not in rules.abbreviation_stems()


def _skip_space(text: str, pos: int, end: int) -> int:
    """First non-space position at or after `pos` (or `end`)."""
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _is_lone_quote(text: str, pos: int, end: int) -> bool:
    """A quote standing alone between spaces (or before the line end): it closes, not opens."""
    return pos < end and text[pos] in "\"”’'»" and (pos + 1 == end or text[pos + 1].isspace())


def _opens_sentence(text: str, pos: int, end: int) -> bool:
    """Whether `text[pos]` may be the first character of a new sentence.

    A quote opens a sentence only when a word follows it directly: in `… ở lại. "` the lone
    `"` closes the quotation (unbalanced straight quotes). A dash may stand alone (`– Vâng.`),
    and so may a mark opening a note or a box (`© Bản quyền …`, `* Bài viết …`, `■ …`).
    """
    char = text[pos]
    if char.isupper() or char.isdigit() or char in rules.DASHES or char in rules.MARKS:
        return True
    if rules.BRAND_OPENER.match(text, pos, end):  # `… máy mới. iPhone 16 có …`
        return True
    if char == "(":
        # `… hạnh phúc. (Bài viết chỉ mang tính tham khảo.)`; `T. (30 tuổi)` is kept by the
        # initials rule, and a lowercase word after `(` continues the sentence.
        return pos + 1 < end and (text[pos + 1].isupper() or text[pos + 1] in rules.OPENERS)
    return char in rules.OPENERS and pos + 1 < end and not text[pos + 1].isspace()


def _is_protected(
    text: str, match: re.Match[str], *, line_start: int, next_start: int, end: int
) -> bool:
    """Whether a candidate sentence end must not split (abbreviation, initial, list, quote)."""
    terminators = match.group()
    if terminators == ".":
        return _is_protected_dot(
            text, match.start(), line_start=line_start, next_start=next_start, end=end
        )
    if terminators[-1] in rules.CLOSERS and any(c in "”\"’'»" for c in terminators):
        return _is_attribution(text, next_start, end)
    return False


def _is_protected_dot(text: str, dot: int, *, line_start: int, next_start: int, end: int) -> bool:
    """Rules for a single `.`: list numbers, name initials, abbreviations."""
    token_start = _word_start(text, dot, line_start)
    if token_start is None:  # a very long token: never an abbreviation
        return False
    token = text[token_start : dot + 1]
    # `1. Giới thiệu`: a list number opening the line.
    if token_start == line_start and rules.LIST_NUMBER.fullmatch(token):
        return True
    token = token.lstrip("“\"‘'«([")
    if _is_initials(token):
        prev_word = _previous_word(text, token_start, line_start)
        next_word = _next_word(text, next_start, end)
        if prev_word and prev_word[0].isupper():
            # Inside a name (`Nguyễn V. Nam`, `Dionisio A. Lind`) unless a common sentence
            # starter follows: `… ông Nguyễn Văn A. Ông 50 tuổi.` splits before `Ông`.
            return next_word.rstrip(_WORD_PUNCT) not in rules.sentence_starters()
        if _is_initials(next_word):  # `J. K. Rowling`
            return True
    stem = token[:-1]
    stems = rules.abbreviation_stems()
    if stem in stems:
        return True
    # Dotted combinations of listed titles: `PGS.TS.`, `GS.TS.BS.` (parts of 2+ letters, so
    # `v.v.` is not covered by the legal `v.`).
    parts = stem.split(".")
    return len(parts) > 1 and all(len(part) > 1 and part in stems for part in parts)


def _is_initials(token: str) -> bool:
    """`A.`, `J.R.`, `Đ.`: one or more single capital letters, each with a dot."""
    return bool(rules.INITIALS.fullmatch(token)) and token.replace(".", "").isupper()


def _is_attribution(text: str, next_start: int, end: int) -> bool:
    """Whether a closed quote is followed by a short attribution: `“…!” Hammel chia sẻ thêm.`

    The attribution is a capitalised subject of one to four words (`Hammel`, `Bà Sumbung`,
    `CNN`), then a speech verb from the data list, then at most a few words up to the sentence
    end. `Không ai trả lời.` has a lowercase word before the verb, so it is a new sentence.
    """
    window = text[next_start : min(end, next_start + rules.ATTRIBUTION_MAX_CHARS)]
    words = []
    for word in window.split():
        words.append(word)
        if word[-1] in ".?!…" and not word.rstrip(".?!…").endswith(("com", "vn", "net")):
            break
    else:
        if next_start + rules.ATTRIBUTION_MAX_CHARS < end:
            return False  # the clause runs on: not a short attribution
    if len(words) > rules.ATTRIBUTION_MAX_WORDS:
        return False
    bare = [word.rstrip(_WORD_PUNCT) for word in words]
    verbs = rules.attribution_verbs()
    for verb_at in range(1, min(5, len(bare))):
        if not bare[verb_at - 1][:1].isupper():
            return False
        for size in (3, 2, 1):
            if " ".join(bare[verb_at : verb_at + size]) in verbs:
                return True
    return False


def _word_start(text: str, pos: int, line_start: int) -> int | None:
    """Start of the non-space run ending at `pos`, or None if longer than the lookback."""
    limit = max(line_start, pos - rules.MAX_TOKEN_LOOKBACK)
    while pos > limit and not text[pos - 1].isspace():
        pos -= 1
    if pos > line_start and not text[pos - 1].isspace():
        return None
    return pos


def _previous_word(text: str, token_start: int, line_start: int) -> str:
    """The word before the token starting at `token_start` ('' at the line start)."""
    pos = token_start
    limit = max(line_start, pos - rules.MAX_TOKEN_LOOKBACK)
    while pos > limit and text[pos - 1].isspace():
        pos -= 1
    word_end = pos
    start = _word_start(text, pos, line_start) if pos > line_start else None
    return "" if start is None else text[start:word_end]


def _next_word(text: str, next_start: int, end: int) -> str:
    """The word starting at `next_start` (bounded to the lookback length)."""
    stop = min(end, next_start + rules.MAX_TOKEN_LOOKBACK)
    pos = next_start
    while pos < stop and not text[pos].isspace():
        pos += 1
    return text[next_start:pos]
