"""Segment typing: heading, lead and outlet prefix, caption and credit, byline, source, skip."""

from __future__ import annotations

import pytest

from vi2en.doc import SegmentType
from vi2en.segment import segment_text

H, L, B, CAP, CR, BY, SRC, SK = (
    SegmentType.HEADING,
    SegmentType.LEAD,
    SegmentType.BODY,
    SegmentType.CAPTION,
    SegmentType.CREDIT,
    SegmentType.BYLINE,
    SegmentType.SOURCE,
    SegmentType.SKIPPED,
)
BODY_LINE = "Nga và Triều Tiên đã tăng cường quan hệ an ninh."
LONG = (
    "Thông tin trên được đưa ra sau khi Thứ trưởng Ngoại giao Nga Andrey Rudenko cho biết, nhà"
    " lãnh đạo Triều Tiên Kim Jong Un chuẩn bị có chuyến thăm Nga trong thời gian tới."
)


def typed(text: str) -> list[tuple[SegmentType, str]]:
    return [(seg.type, seg.text) for seg in segment_text(text)]


def last_line_types(line: str) -> list[tuple[SegmentType, str]]:
    """Type `line` as the closing line of a small article (title, lead, body, then `line`)."""
    doc = segment_text(f"Tiêu đề bài báo\nĐoạn mở đầu.\n{BODY_LINE}\n{line}")
    last = doc.segments[-1].paragraph
    return [(seg.type, seg.text) for seg in doc if seg.paragraph == last]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # title, then the lead (the first paragraph after the title), then body
        (
            f"Mỹ và Hàn Quốc lo sốt vó\nĐoạn mở đầu. Câu hai.\n{BODY_LINE}",
            [(H, "Mỹ và Hàn Quốc lo sốt vó"), (L, "Đoạn mở đầu."), (L, "Câu hai."), (B, BODY_LINE)],
        ),
        # no title line (the example article): a long first paragraph is the lead
        (f"{LONG}\n{BODY_LINE}", [(L, LONG), (B, BODY_LINE)]),
        # …while one short sentence on the first line is the title, even with its period
        (f"Đoạn mở đầu.\n{BODY_LINE}", [(H, "Đoạn mở đầu."), (L, BODY_LINE)]),
        # an intertitle between body paragraphs is a heading
        (
            f"Tiêu đề\nĐoạn mở đầu.\n{BODY_LINE}\nQuan hệ hợp tác ngày càng sâu rộng\n{BODY_LINE}",
            [
                (H, "Tiêu đề"),
                (L, "Đoạn mở đầu."),
                (B, BODY_LINE),
                (H, "Quan hệ hợp tác ngày càng sâu rộng"),
                (B, BODY_LINE),
            ],
        ),
        # a short first line with final punctuation is still the title when more follows
        (
            f"Lại một người da đen khác?!\n{BODY_LINE}",
            [(H, "Lại một người da đen khác?!"), (L, BODY_LINE)],
        ),
        # two headings before the first paragraph: that paragraph is not a lead
        (
            f"Chuyên mục Thế giới\nTiêu đề bài\n{BODY_LINE}",
            [(H, "Chuyên mục Thế giới"), (H, "Tiêu đề bài"), (B, BODY_LINE)],
        ),
        # a numbered list item is body, not a heading
        ("Bài viết có 3 phần:\n1. Giới thiệu", [(L, "Bài viết có 3 phần:"), (B, "1. Giới thiệu")]),
        # a long line without final punctuation is body
        (
            "Tiêu đề\n" + " ".join(["từ"] * 40),
            [(H, "Tiêu đề"), (L, " ".join(["từ"] * 40))],
        ),
    ],
    ids=lambda v: str(v)[:40],
)
def test_headings_and_lead(text, expected):
    assert typed(text) == expected


@pytest.mark.parametrize(
    ("prefix", "rest"),
    [
        ("(Dân trí) -", "Sáng nay, mưa lớn gây ngập. Giao thông ùn tắc."),
        ("VOV.VN -", "Hôm qua, Quốc hội đã họp."),
        ("TTO -", "Hôm qua, Quốc hội đã họp."),
        ("(NLĐO) -", "Hôm qua, Quốc hội đã họp."),
        ("(PLO)-", "Hôm qua, Quốc hội đã họp."),
        ("TPO -", "Hôm qua, Quốc hội đã họp."),
        ("(Vietnam+)", "Hôm qua, Quốc hội đã họp."),
    ],
)
def test_outlet_prefix_is_its_own_source_span(prefix, rest):
    doc = segment_text(f"Tiêu đề\n{prefix} {rest}\n{BODY_LINE}")
    lead = [seg for seg in doc if seg.paragraph == 1]
    assert (lead[0].type, lead[0].text) == (SRC, prefix)
    assert all(seg.type == L for seg in lead[1:])
    assert " ".join(seg.text for seg in lead[1:]) == rest
    assert [seg.sentence for seg in lead] == list(range(len(lead)))


@pytest.mark.parametrize(
    "line",
    ["WHO - tổ chức y tế đã cảnh báo.", "(Nguồn tin) - rất dài nhưng không phải báo."],
)
def test_no_outlet_prefix_without_an_outlet(line):
    assert [seg.type for seg in segment_text(f"Tiêu đề\n{line}")][1:] == [L]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Tổng thống Nga Vladimir Putin và Kim Jong Un. Ảnh: Spunik",
            [(CAP, "Tổng thống Nga Vladimir Putin và Kim Jong Un."), (CR, "Ảnh: Spunik")],
        ),
        (
            "Người dân xếp hàng (Ảnh: Reuters)",
            [(CAP, "Người dân xếp hàng"), (CR, "(Ảnh: Reuters)")],
        ),
        ("Khu vực bị ngập. Ảnh minh họa", [(CAP, "Khu vực bị ngập."), (CR, "Ảnh minh họa")]),
        (
            "Biểu đồ tăng trưởng. Nguồn: Tổng cục Thống kê",
            [(CAP, "Biểu đồ tăng trưởng."), (CR, "Nguồn: Tổng cục Thống kê")],
        ),
        ("Cảnh cháy rừng. Video: VOV.VN", [(CAP, "Cảnh cháy rừng."), (CR, "Video: VOV.VN")]),
        ("Cảnh cháy rừng. Clip: Facebook", [(CAP, "Cảnh cháy rừng."), (CR, "Clip: Facebook")]),
        ("Ảnh: TTXVN", [(CR, "Ảnh: TTXVN")]),
        # a sentence running on after the colon is no credit
        (
            "Ảnh: một người dân chụp lại cảnh này. Sau đó ông gửi cho báo chí.",
            [(B, "Ảnh: một người dân chụp lại cảnh này."), (B, "Sau đó ông gửi cho báo chí.")],
        ),
    ],
    ids=lambda v: str(v)[:40],
)
def test_caption_credit(line, expected):
    assert last_line_types(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the example article's last line: byline and source pasted together, split in two
        (
            "Hồng Anh/VOV.VN (biên dịch) Theo CNN, Fox News",
            [(BY, "Hồng Anh/VOV.VN (biên dịch)"), (SRC, "Theo CNN, Fox News")],
        ),
        ("Hồng Anh/VOV.VN (biên dịch)", [(BY, "Hồng Anh/VOV.VN (biên dịch)")]),
        ("Thanh Hà (tổng hợp)", [(BY, "Thanh Hà (tổng hợp)")]),
        ("Minh Phương (theo Reuters)", [(BY, "Minh Phương (theo Reuters)")]),
        ("Thu Hà/Dân trí", [(BY, "Thu Hà/Dân trí")]),
        ("Thanh Hà", [(BY, "Thanh Hà")]),
        ("Theo CNN, Fox News", [(SRC, "Theo CNN, Fox News")]),
        ("Theo báo Tuổi trẻ", [(SRC, "Theo báo Tuổi trẻ")]),
        ("(TTXVN)", [(SRC, "(TTXVN)")]),
        ("(Theo Reuters)", [(SRC, "(Theo Reuters)")]),
        ("Nguồn: Reuters", [(SRC, "Nguồn: Reuters")]),
        # a body sentence starting with `Theo` that has a verb and a period is body
        (
            "Theo Hội đồng Tham mưu, Triều Tiên đã điều quân tới Nga.",
            [(B, "Theo Hội đồng Tham mưu, Triều Tiên đã điều quân tới Nga.")],
        ),
        # a trailing source tag after a closing sentence is split off
        ("Cuộc họp diễn ra hôm qua. (TTXVN)", [(B, "Cuộc họp diễn ra hôm qua."), (SRC, "(TTXVN)")]),
    ],
    ids=lambda v: str(v)[:40],
)
def test_bylines_and_sources(line, expected):
    assert last_line_types(line) == expected


def test_short_name_line_in_the_middle_is_a_heading_not_a_byline():
    doc = segment_text(f"Tiêu đề\nĐoạn mở đầu.\nThanh Hà\n{BODY_LINE}")
    assert doc.segments[2].type == H


@pytest.mark.parametrize(
    "line",
    [
        "Xem thêm: Nga tấn công Kharkov",
        "Đọc thêm: Triều Tiên thử tên lửa",
        "TIN LIÊN QUAN",
        "Từ khóa: Nga, Triều Tiên",
        "Tags: Nga, Ukraine",
        "Video: Cận cảnh vụ cháy lớn",
        # datelines are skipped: kept verbatim, never translated, and not a source
        "Thứ Năm, 27/03/2025 08:30 (GMT+7)",
        "27/03/2025 - 08:30",
        "Chủ nhật, 6/4/2025, 10:15 (GMT+7)",
    ],
)
def test_skipped_lines(line):
    doc = segment_text(f"Tiêu đề\nĐoạn mở đầu.\n{line}\n{BODY_LINE}")
    assert [(seg.type, seg.text) for seg in doc if seg.paragraph == 2] == [(SK, line)]


def test_headlines_listed_under_a_related_box_are_skipped():
    doc = segment_text(
        f"Tiêu đề\nĐoạn mở đầu.\nTIN LIÊN QUAN\nNga tấn công Kharkov\nMỹ họp báo\n{BODY_LINE}"
    )
    assert [seg.type for seg in doc] == [H, L, SK, SK, SK, B]


def test_dateline_before_the_lead_keeps_the_lead():
    doc = segment_text(f"Tiêu đề\nThứ Năm, 27/03/2025 08:30 (GMT+7)\nĐoạn mở đầu.\n{BODY_LINE}")
    assert [seg.type for seg in doc] == [H, SK, L, B]


@pytest.mark.issue(15)
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a credit after a sentence on the same line
        (
            "Đoàn xe đã đến Quảng Ngãi. (Nguồn: TTXVN)",
            [(CAP, "Đoàn xe đã đến Quảng Ngãi."), (CR, "(Nguồn: TTXVN)")],
        ),
        (
            "Người dân dọn dẹp sau lũ. ảnh: Hoàng Hà.",
            [(CAP, "Người dân dọn dẹp sau lũ."), (CR, "ảnh: Hoàng Hà.")],
        ),
        # Tuổi Trẻ's dash before the credit belongs to neither span
        (
            "Người dân trên đường Nguyễn Huệ - Ảnh: QUANG ĐỊNH",
            [(CAP, "Người dân trên đường Nguyễn Huệ"), (CR, "Ảnh: QUANG ĐỊNH")],
        ),
        # credits ending in a full stop, `Nguồn ảnh:`, `(Nguồn …)`, `Video:`, `Đồ họa:`
        ("Ảnh: Minh Quân.", [(CR, "Ảnh: Minh Quân.")]),
        ("ẢNH: NGỌC THẮNG", [(CR, "ẢNH: NGỌC THẮNG")]),
        ("Ảnh: Công an cung cấp", [(CR, "Ảnh: Công an cung cấp")]),
        ("Nguồn ảnh: Reuters", [(CR, "Nguồn ảnh: Reuters")]),
        ("(Nguồn: Reuters)", [(CR, "(Nguồn: Reuters)")]),
        ("(Nguồn Internet)", [(CR, "(Nguồn Internet)")]),
        ("Video: VTV", [(CR, "Video: VTV")]),
        ("Video: Hoàng Hà/VOV.VN", [(CR, "Video: Hoàng Hà/VOV.VN")]),
        ("Đồ họa: Minh Quân", [(CR, "Đồ họa: Minh Quân")]),
        ("Ảnh - Video: Minh Quân", [(CR, "Ảnh - Video: Minh Quân")]),
        # credits with no colon
        (
            "Màn hình điện thoại. Ảnh chụp màn hình",
            [(CAP, "Màn hình điện thoại."), (CR, "Ảnh chụp màn hình")],
        ),
        ("Hiện trường (Ảnh tư liệu)", [(CAP, "Hiện trường"), (CR, "(Ảnh tư liệu)")]),
        # a sentence after the colon, in lowercase, is no credit
        ("Ảnh: một người dân chụp lại cảnh này.", [(B, "Ảnh: một người dân chụp lại cảnh này.")]),
        # a next sentence opening with `©` or `(`: two segments
        (
            "“Tôi rất vui,” chị Lan nói. © Bản quyền thuộc báo X",
            [(B, "“Tôi rất vui,” chị Lan nói."), (B, "© Bản quyền thuộc báo X")],
        ),
        (
            "Chúc mọi người hạnh phúc. (Bài viết chỉ mang tính tham khảo.)",
            [(B, "Chúc mọi người hạnh phúc."), (B, "(Bài viết chỉ mang tính tham khảo.)")],
        ),
        # a quote attribution with `khuyến cáo` stays one sentence
        (
            "“Hãy ăn uống điều độ.” BS Hưng khuyến cáo.",
            [(B, "“Hãy ăn uống điều độ.” BS Hưng khuyến cáo.")],
        ),
    ],
    ids=lambda v: str(v)[:40],
)
def test_issue_15_credits_and_boundaries(line, expected):
    assert last_line_types(line) == expected


@pytest.mark.issue(15)
def test_video_box_with_a_headline_is_still_skipped():
    assert last_line_types("Video: Cận cảnh vụ cháy lớn") == [(SK, "Video: Cận cảnh vụ cháy lớn")]


@pytest.mark.issue(15)
@pytest.mark.parametrize("prefix", ["PNO -", "TTCT -", "ANTV -", "VTC16 -"])
def test_unlisted_short_caps_outlet_prefix(prefix):
    doc = segment_text(f"Tiêu đề\n{prefix} Sáng nay, trời mưa to. Đường ngập.\n{BODY_LINE}")
    assert typed(doc.text)[1:4] == [
        (SRC, prefix),
        (L, "Sáng nay, trời mưa to."),
        (L, "Đường ngập."),
    ]


@pytest.mark.issue(15)
def test_numbered_intertitle_is_a_heading_but_a_list_item_is_not():
    doc = segment_text(
        f"Tiêu đề\nĐoạn mở đầu.\n1. Cảm giác dễ chịu\n{BODY_LINE}\n2. Ngủ ngon hơn\n{BODY_LINE}"
    )
    assert [seg.type for seg in doc] == [H, L, H, B, H, B]
    listed = segment_text("Tiêu đề\nĐoạn mở đầu.\nCó hai bước:\n1. Rửa tay\n2. Đeo khẩu trang")
    assert [seg.type for seg in listed][-2:] == [B, B]
    bare_list = segment_text(f"Tiêu đề\nĐoạn mở đầu.\n1. Rửa tay\n2. Đeo khẩu trang\n{BODY_LINE}")
    assert [seg.type for seg in bare_list][2:4] == [B, B]


@pytest.mark.issue(15)
@pytest.mark.parametrize(
    "title",
    [
        "Vì sao giá vàng tăng mạnh?",
        "Giá vàng tăng mạnh!",
        "Vàng tăng giá! Nên mua hay bán?",
    ],
)
def test_headline_ending_in_question_or_exclamation_is_the_heading(title):
    assert typed(f"{title}\nĐoạn mở đầu.\n{BODY_LINE}")[0] == (H, title)
    # also after a dateline
    doc = segment_text(f"Thứ Năm, 27/03/2025 08:30 (GMT+7)\n{title}\nĐoạn mở đầu.")
    assert [seg.type for seg in doc] == [SK, H, L]


CAPTION_LINE = (
    "Lực lượng cứu hộ tìm kiếm nạn nhân trong đống đổ nát của tòa nhà sáng 12/3 tại Hà Nội"
)


@pytest.mark.issue(15)
def test_long_unpunctuated_line_inside_the_article_is_a_caption_not_a_heading():
    # the limit is measured by eval/heading_rule.py (rules.INTERTITLE_MAX_WORDS)
    doc = segment_text(f"Tiêu đề\nĐoạn mở đầu.\n{CAPTION_LINE}\n{BODY_LINE}")
    assert [(seg.type, seg.text) for seg in doc][2] == (CAP, CAPTION_LINE)
    # a short intertitle stays a heading, and so does a long title line before the lead
    doc = segment_text(f"{CAPTION_LINE}\nĐoạn mở đầu.\nMỹ và Hàn Quốc lo sốt vó\n{BODY_LINE}")
    assert [seg.type for seg in doc] == [H, L, H, B]


@pytest.mark.issue(15)
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Theo Reuters.", [(SRC, "Theo Reuters.")]),
        ("Theo AFP, Reuters.", [(SRC, "Theo AFP, Reuters.")]),
        ("Bảo Anh - Minh Đức", [(BY, "Bảo Anh - Minh Đức")]),
        # …but a closing all-caps headline of more than five words is no byline
        ("GIÁ XĂNG TĂNG MẠNH TỪ HÔM NAY", [(H, "GIÁ XĂNG TĂNG MẠNH TỪ HÔM NAY")]),
        ("Thực hiện: Minh Quân", [(BY, "Thực hiện: Minh Quân")]),
        ("Bài và ảnh: Hoàng Hà", [(BY, "Bài và ảnh: Hoàng Hà")]),
        # a sentence opening with `Theo` keeps its verb and its lowercase words: body
        ("Theo ông Lâm, giá sẽ tăng.", [(B, "Theo ông Lâm, giá sẽ tăng.")]),
    ],
    ids=lambda v: str(v)[:40],
)
def test_more_closing_lines(line, expected):
    assert last_line_types(line) == expected
