"""English for the segments the model does not translate whole: credits, sources, bylines.

Nothing Vietnamese is left in the English article unless it is a name. A `credit`, `source` or
`byline` segment is rendered by template, with its names kept as they are:

* credits: `Ảnh: Sputnik` -> `Photo: Sputnik`, `(Ảnh: Reuters)` -> `(Photo: Reuters)`,
  `Ảnh minh họa` -> `Illustrative photo`, `Nguồn ảnh: AFP` -> `Photo: AFP`;
* sources: `Theo CNN` -> `Source: CNN`, `Theo CNN, Fox News` -> `Sources: CNN, Fox News`,
  `(Theo Reuters)` -> `(Source: Reuters)`, `Nguồn: VnExpress` -> `Source: VnExpress`;
* role notes in bylines: `Hồng Anh/VOV.VN (biên dịch)` -> `Hồng Anh/VOV.VN (translated)`,
  `(tổng hợp)` -> `(compiled)`, `(theo Reuters)` -> `(source: Reuters)`; labelled bylines:
  `Thực hiện: Minh Quân` -> `Produced by Minh Quân`, `Bài và ảnh: X` -> `Text and photos: X`.

Where the text after the template word is not a name (`Ảnh: Công an cung cấp`, `Nguồn: Bộ Y
tế`, `Theo báo Tuổi trẻ`), that part is machine-translated and set into the template
(`Photo: provided by the police`): `render` returns its span as `Rendering.mt`. A name is a run
of capitalised or all-capital words (`Minh Quân`, `QUANG ĐỊNH`, `Hoàng Hà/VOV.VN`, `TTXVN`);
outlet prefixes (`(Dân trí) -`), bracketed agency tags (`(TTXVN)`), plain name bylines and
skipped lines are kept as they are (method "copy").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vi2en.doc import SegmentType

_HOA = r"h(?:ọa|oạ)"  # old and new tone placement: họa / hoạ

# Credits: (pattern on the credit without brackets, English). A `rest` group is the credit's
# content: kept when it is a name, machine-translated otherwise.
#   `Ảnh: Sputnik` -> `Photo: Sputnik`     `Ảnh minh họa` -> `Illustrative photo`
CREDIT_TEMPLATES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE | re.DOTALL), english)
    for pattern, english in (
        (rf"ảnh\s+minh\s+{_HOA}", "Illustrative photo"),
        (rf"ảnh\s+minh\s+{_HOA}\s*:\s*(?P<rest>.+)", "Illustrative photo: {rest}"),
        (r"ảnh\s+tư\s+liệu", "File photo"),
        (r"ảnh\s+tư\s+liệu\s*:\s*(?P<rest>.+)", "File photo: {rest}"),
        (r"ảnh\s+chụp\s+màn\s+hình", "Screenshot"),
        (r"ảnh\s+chụp\s+màn\s+hình\s+(?:clip|video)", "Screenshot from a video"),
        (r"ảnh\s*(?:[-–,/&]|và)\s*(?:video|clip)\s*:\s*(?P<rest>.+)", "Photos and video: {rest}"),
        (r"(?:nguồn\s+)?ảnh\s*:\s*(?P<rest>.+)", "Photo: {rest}"),
        (rf"(?:đồ\s+{_HOA}|infographic)\s*:\s*(?P<rest>.+)", "Graphic: {rest}"),
        (r"(?:video|clip)\s*:\s*(?P<rest>.+)", "Video: {rest}"),
        (r"nguồn\s*:?\s*(?P<rest>.+)", "Source: {rest}"),
    )
)
# Credit contents that are abbreviations with a standard English rendering.
#   `Ảnh: NVCC` (nhân vật cung cấp) -> `Photo: courtesy of the interviewee`
CREDIT_ABBREVIATIONS = {
    "NVCC": "courtesy of the interviewee",
    "BTC": "the organisers",
    "TL": "file",
}
# A source line: `Theo CNN, Fox News` (bare) or `(Theo Reuters)` / `Nguồn: X` as a line.
SOURCE_LINE = re.compile(r"(?:[Tt]heo|[Nn]guồn\s*:)\s+(?P<rest>\S.*)", re.DOTALL)
# A role note closing a byline: `Hồng Anh/VOV.VN (biên dịch)`, `Minh Phương (theo Reuters)`.
BYLINE_ROLE = re.compile(r"(?P<name>.*?)\s*\((?P<role>[^()]+)\)(?P<tail>\.?)", re.DOTALL)
ROLE_NOTES = {
    "biên dịch": "translated",
    "dịch": "translated",
    "lược dịch": "abridged translation",
    "tổng hợp": "compiled",
    "thực hiện": "reporting",
}
# A labelled byline: `Thực hiện: Minh Quân` -> `Produced by Minh Quân`, `Bài và ảnh: X` -> `Text
# and photos: X` (see `vi2en.segment.rules.BYLINE_LABEL`).
BYLINE_LABELS = {
    "thực hiện": "Produced by {rest}",
    "bài và ảnh": "Text and photos: {rest}",
    "bài, ảnh": "Text and photos: {rest}",
    "bài - ảnh": "Text and photos: {rest}",
    "bài/ảnh": "Text and photos: {rest}",
    "bài": "Text: {rest}",
    "nhóm phóng viên": "Reporters: {rest}",
    "nhóm pv": "Reporters: {rest}",
    "thiết kế": "Design: {rest}",
    "trình bày": "Layout: {rest}",
}
BYLINE_LABEL = re.compile(r"(?P<label>[^:]{2,20}?) ?: ?(?P<rest>\S.*)", re.DOTALL)
# A role `theo X` (after sources): `(theo Reuters)` -> `(source: Reuters)`.
ROLE_SOURCE = re.compile(r"[Tt]heo\s+(?P<rest>\S.*)", re.DOTALL)
# A credit wrapped in brackets keeps them: `(Ảnh: Reuters)` -> `(`, `Ảnh: Reuters`, `)`.
_WRAPPED = re.compile(r"(?P<open>[(\[])\s*(?P<body>.*?)\s*(?P<close>[)\]])(?P<tail>\.?)", re.DOTALL)


@dataclass(frozen=True)
class Rendering:
    """How one segment becomes English without being translated whole.

    With `mt` None, `head` is the whole English text. Otherwise the segment text's span `mt`
    is to be machine-translated and set between `head` and `tail`.
    """

    head: str
    mt: tuple[int, int] | None = None
    tail: str = ""
    method: str = "template"  # "template" (rendered) or "copy" (kept as it is)
    known: bool = True  # False: a credit no template knows (kept as it is)


def is_name(text: str) -> bool:
    """Whether `text` reads as names only: every word opens with a capital or a digit.

    `Minh Quân`, `QUANG ĐỊNH`, `Hoàng Hà/VOV.VN`, `AP, Reuters`, `VTV24` are names;
    `Công an cung cấp`, `Bộ Y tế`, `báo Tuổi trẻ` are not.
    """
    words = [word.strip("-–,.()\"“”'") for word in re.split(r"[\s/&+]+", text)]
    words = [word for word in words if word]
    return bool(words) and all(word[0].isupper() or not word[0].isalpha() for word in words)


def render(seg_type: SegmentType, text: str) -> Rendering:
    """The English rendering of a credit, source or byline segment (others are copied).

    Args:
        seg_type: the segment's type.
        text: the segment's text.

    Returns:
        A `Rendering`; `method` is "copy" when the text is kept as it is.
    """
    if seg_type is SegmentType.CREDIT:
        return _render_credit(text)
    if seg_type is SegmentType.SOURCE:
        return _render_source(text)
    if seg_type is SegmentType.BYLINE:
        return _render_byline(text)
    return Rendering(text, method="copy")


def _unwrap(text: str) -> tuple[int, int, str, str]:
    """The span of `text` inside brackets (if any), the opening bracket and what closes it."""
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    wrapped = _WRAPPED.fullmatch(text, start, end)
    if wrapped is None:
        return start, end, "", ""
    return wrapped.start("body"), wrapped.end("body"), wrapped["open"], wrapped["close"] + (
        wrapped["tail"]
    )


def _fill(text: str, english: str, rest: tuple[int, int] | None, head: str, tail: str) -> Rendering:
    """Set the content span `rest` of `text` into `english` (`{rest}`): kept, or to translate."""
    if rest is None:
        return Rendering(f"{head}{english}{tail}")
    start, end = rest
    content = text[start:end].strip()
    before, after = english.split("{rest}")
    if content in CREDIT_ABBREVIATIONS:
        return Rendering(f"{head}{before}{CREDIT_ABBREVIATIONS[content]}{after}{tail}")
    if is_name(content):
        return Rendering(f"{head}{before}{content}{after}{tail}")
    return Rendering(f"{head}{before}", mt=(start, end), tail=f"{after}{tail}")


def _render_credit(text: str) -> Rendering:
    start, end, head, tail = _unwrap(text)
    candidates = [(end, tail)]
    if text[start:end].endswith("."):  # `Ảnh minh hoạ.` -> `Illustrative photo.`
        candidates.append((len(text[:end - 1].rstrip()), "." + tail))
    for body_end, end_tail in candidates:
        for pattern, english in CREDIT_TEMPLATES:
            found = pattern.fullmatch(text, start, body_end)
            if found:
                rest = found.span("rest") if "rest" in pattern.groupindex else None
                return _fill(text, english, rest, head, end_tail)
    return Rendering(text, method="copy", known=False)


def _render_source(text: str) -> Rendering:
    start, end, head, tail = _unwrap(text)
    found = SOURCE_LINE.fullmatch(text, start, end)
    if found is None:  # `(TTXVN)`, `(Dân trí) -`: a name, kept
        return Rendering(text, method="copy")
    rest = found.start("rest"), end
    items = [item for item in text[rest[0] : end].split(",") if item.strip()]
    label = "Sources" if len(items) > 1 and is_name(text[rest[0] : end]) else "Source"
    return _fill(text, f"{label}: {{rest}}", rest, head, tail)


def _render_byline(text: str) -> Rendering:
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    labelled = BYLINE_LABEL.fullmatch(text, start, end)
    if labelled is not None and labelled["label"].lower() in BYLINE_LABELS:
        english = BYLINE_LABELS[labelled["label"].lower()]
        return _fill(text, english, labelled.span("rest"), "", "")
    found = BYLINE_ROLE.fullmatch(text.strip())
    if found is None:
        return Rendering(text, method="copy")
    offset = len(text) - len(text.lstrip())
    name, role = found["name"], found["role"].strip()
    english = ROLE_NOTES.get(role.lower())
    if english is not None:
        return Rendering(f"{name} ({english}){found['tail']}")
    source = ROLE_SOURCE.fullmatch(role)
    if source is None:
        return Rendering(text, method="copy")
    rest_start = offset + found.start("role") + (len(found["role"]) - len(found["role"].lstrip()))
    rest = rest_start + source.start("rest"), rest_start + len(role)
    return _fill(text, "source: {rest}", rest, f"{name} (", f"){found['tail']}")
