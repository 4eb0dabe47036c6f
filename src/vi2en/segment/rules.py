"""Named rules of the Vietnamese news segmenter: regexes, character sets and word lists.

Every regex here runs on untrusted text, one line at a time. Each is written so that it cannot
backtrack catastrophically: no nested quantifiers over overlapping classes, bounded repeats, and
anchors where the rule is about a whole line. `tests/segment/test_rules.py` runs a long adversarial
input through the segmenter in a subprocess as a hang guard.

Word lists (abbreviations, sentence starters, attribution verbs, outlet names) are data files in
`segment/data/`, one entry per line, `#` starts a comment.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# --- Characters -----------------------------------------------------------------------------

# Closing quotes and brackets that stay on the sentence they close: `…tối đa.”` keeps `”`.
CLOSERS = frozenset("”\"’'»)]")
# Characters that may open the next sentence besides an uppercase letter or a digit.
OPENERS = frozenset("“\"‘'«-–—")
# Hyphen and dashes: `- Tôi không biết.` opens a sentence (dialogue, lists).
DASHES = frozenset("-–—")

# --- Sentence ends --------------------------------------------------------------------------

# A candidate sentence end: a run of terminators (`.`, `?`, `!`, `…`, so `...`, `?!`, `!!` too)
# plus the closing quotes/brackets glued to it. The caller checks what follows.
#   `…tối đa.” Sau đó` -> match `.”`;  `im lặng… Sau` -> match `…`;  `thật?!” Ông` -> `?!”`
SENTENCE_END = re.compile(r"[.?!…]+[”\"’'»)\]]*")

# How far back (characters) a token before a dot is read; longer tokens are never abbreviations.
MAX_TOKEN_LOOKBACK = 40

# One or more capital initials: `A.`, `J.R.`, `Đ.`. Accented capitals are left out on purpose:
# `Ý` (Italy) is a word, so `… tại Naples, Ý. Chelsea sẽ …` is two sentences.
INITIALS = re.compile(r"(?:[A-ZĐ]\.)+")

# A line-initial list number or roman numeral: `1.`, `12.`, `IV.`; no split after it.
#   `1. Giới thiệu` -> one segment
LIST_NUMBER = re.compile(r"(?:\d{1,3}|[IVX]{1,5}|[a-z])\.")

# --- Whole-line and line-tail patterns --------------------------------------------------------

# Final punctuation of a line (before closers): a line without it is a heading candidate.
#   `Mỹ và Hàn Quốc lo sốt vó` -> no final punctuation
FINAL_PUNCTUATION = frozenset(".?!…:;")

# A photo/video credit at the end of a caption line, own span typed `credit`.
#   `… Kim Jong Un. Ảnh: Spunik` -> credit `Ảnh: Spunik`
#   `Người dân xếp hàng (Ảnh: Reuters)` -> credit `(Ảnh: Reuters)`
# The credit text may hold dotted tokens (`VOV.VN`) but no sentence end, and is at most 80 chars.
CAPTION_CREDIT = re.compile(
    r"(?<!\S)\(?(?:Ảnh|Ảnh minh họa|Ảnh minh hoạ|Nguồn ảnh|Nguồn|Video|Clip|Đồ họa|Đồ hoạ)"
    r"\s?:\s?(?:[^.!?\n]|\.(?=\S)){1,80}$"
)
# Credits and source tags sit at the end of a line: only this many last characters are searched.
TAIL_WINDOW = 120

# Words one of which every credit holds (a cheap test before the regex search).
CREDIT_WORDS = ("Ảnh", "Nguồn", "Video", "Clip", "Đồ h")

# A credit with no colon: `Ảnh minh họa`, `(Ảnh minh họa)` at the end of a line.
ILLUSTRATION_CREDIT = re.compile(r"(?<!\S)\(?Ảnh minh h(?:ọa|oạ)\)?\.?$")

# Related links, tags and boxes: the whole line is `skipped`.
#   `Xem thêm: Nga tấn công …` -> skipped;  `TIN LIÊN QUAN` -> skipped
SKIP_MARKER = re.compile(
    r"(?:Xem thêm|Đọc thêm|Tin liên quan|TIN LIÊN QUAN|Tin cùng chuyên mục|Từ khóa|Từ khoá"
    r"|TỪ KHÓA|Tags?|TAGS?)\s?(?::|$)"
)
# A line that starts a related-video box rather than crediting a caption.
#   `Video: Cận cảnh vụ cháy` (whole line) -> skipped
VIDEO_BOX = re.compile(r"(?:Video|Clip|VIDEO|CLIP)\s?:")

# A dateline: weekday and/or date, time, time zone. Typed `skipped` (kept, never translated).
#   `Thứ Năm, 27/03/2025 08:30 (GMT+7)` -> skipped;  `27/03/2025 - 08:30` -> skipped
DATELINE = re.compile(
    r"(?:(?:Thứ (?:Hai|Ba|Tư|Năm|Sáu|Bảy|hai|ba|tư|năm|sáu|bảy)|Chủ [Nn]hật|CN),? ?)?"
    r"\d{1,2}/\d{1,2}/\d{4}"
    r"(?: ?[-|,]? ?\d{1,2}[:h]\d{2}(?::\d{2})?)?"
    r"(?: ?\(?(?:GMT|UTC) ?[+-] ?\d{1,2}\)?)?$"
)

# A byline naming the writer, with a role in brackets; typed `byline`.
#   `Hồng Anh/VOV.VN (biên dịch)` -> byline;  `Minh Phương (theo Reuters)` -> byline
BYLINE_ROLE = re.compile(
    r"[^\s()][^()\n]{0,60}\((?:biên dịch|tổng hợp|lược dịch|dịch|theo [^()\n]{1,50}"
    r"|Theo [^()\n]{1,50})\)"
)
# A writer with an outlet: `Hồng Anh/VOV.VN`, `Thu Hà/Dân trí` (a short line).
BYLINE_OUTLET = re.compile(r"[^\W\d_][^/\n]{0,40}/[^\W\d_][^/\s\n]{0,20}(?: [^/\s\n]{1,20}){0,2}$")
# A source line: `Theo CNN, Fox News`, `Nguồn: Reuters` with no final punctuation.
SOURCE_LINE = re.compile(r"(?:Theo|Nguồn ?:) \S[^\n]{0,100}$")
# A bracketed source tag ending a paragraph or alone on a line: `(TTXVN)`, `(Theo Reuters)`.
#   `… diễn ra hôm qua. (TTXVN)` -> body `… hôm qua.` + source `(TTXVN)`
SOURCE_TAG = re.compile(
    r"(?<!\S)\((?:[A-ZĐ][A-ZĐ0-9+&./ -]{1,30}|[Tt]heo [^()\n]{1,50}|Nguồn ?: ?[^()\n]{1,50})\)$"
)
# A byline and a source pasted onto one line: the split goes before `Theo`/`Nguồn:`.
#   `Hồng Anh/VOV.VN (biên dịch) Theo CNN, Fox News` -> byline + source
#   `Thu Hà/Dân trí Theo Reuters` -> byline `Thu Hà/Dân trí` + source `Theo Reuters`
BYLINE_THEN_SOURCE = re.compile(
    r"(?P<byline>[^\s()][^()\n]{0,60}\((?:biên dịch|tổng hợp|lược dịch|dịch)\)"
    r"|[^\W\d_][^/\s]{0,20}(?: [^/\s]{1,20}){0,3}/[^\s/]{1,20}(?: [^/\s]{1,20}){0,2})"
    r" (?P<source>(?:Theo|Nguồn ?:) \S[^\n]{0,100})$"
)

# An outlet prefix opening the lead: its own `source` span, never machine-translated.
#   `(Dân trí) - Sáng nay, …` -> source `(Dân trí) -`;  `VOV.VN - Hôm qua …` -> `VOV.VN -`
#   `TTO - …`, `(NLĐO) - …`, `(PLO)- …`, `TPO - …`, `(Vietnam+) …`
OUTLET_PREFIX = re.compile(
    r"(?P<name>\([^()\n]{2,25}\)|[A-ZĐ][A-Za-zĐ.+]{1,15})(?: ?[-–—]| ?:)(?= )"
    r"|(?P<bare>\([^()\n]{2,25}\))(?= )"
)

# Line length limits for headings and short closing lines.
HEADING_MAX_WORDS = 35
# Datelines, bylines, sources and headings are short lines: longer ones skip those checks.
SHORT_LINE_CHARS = 300
TITLE_MAX_WORDS = 20
BYLINE_MAX_WORDS = 8
SOURCE_MAX_WORDS = 12

# An attribution after a closing quote is this short: `“…!” Hammel chia sẻ thêm.`
ATTRIBUTION_MAX_WORDS = 7
ATTRIBUTION_MAX_CHARS = 80


@cache
def load_word_list(name: str) -> frozenset[str]:
    """Read a data file from `segment/data/`: one entry per line, `#` comments, blanks ignored.

    Args:
        name: File name inside `vi2en/segment/data/`.

    Returns:
        The entries, stripped.
    """
    text = resources.files("vi2en.segment").joinpath("data", name).read_text(encoding="utf-8")
    entries = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(entry for entry in entries if entry)


@cache
def abbreviation_stems() -> frozenset[str]:
    """Title and administrative abbreviations, without their dot: `TP`, `PGS`, `Mr`."""
    return frozenset(entry.rstrip(".") for entry in load_word_list("vi_abbreviations.txt"))


@cache
def sentence_starters() -> frozenset[str]:
    """Capitalised words that start sentences but never continue a name (`Ông`, `The`)."""
    return load_word_list("vi_sentence_starters.txt")


@cache
def attribution_verbs() -> frozenset[str]:
    """Speech verbs ending a quote attribution (`nói`, `chia sẻ thêm`, `đưa tin`)."""
    return load_word_list("vi_attribution_verbs.txt")


@cache
def outlet_names() -> frozenset[str]:
    """News outlets that prefix a lead (`Dân trí`, `VOV.VN`, `TTO`), as written in the prefix."""
    return load_word_list("vi_outlets.txt")
