"""Sentence boundaries: the cases of ../shared/docs/vietnamese-text.md §1.2, and one test per rule.

Expectations follow the doc's reference-regex column, except its three known failures
(initial inside a name, `T. (30 tuổi)`, list numbers), which must come out right here.
"""

from __future__ import annotations

import pytest

from vi2en.segment import line_spans, segment_text, sentence_spans


def sentences(text: str) -> list[str]:
    return [seg.text for seg in segment_text(text)]


def split_line(line: str) -> list[str]:
    return [line[s:e] for s, e in sentence_spans(line, 0, len(line))]


# (input line, expected sentences) — boundaries within one line.
DOC_CASES = [
    # closing quotes stay with the sentence they close (underthesea moves them)
    (
        "Ông Shoigu cho biết: “Tổng thống Putin dành sự quan tâm tối đa.” Sau đó ông rời đi.",
        ["Ông Shoigu cho biết: “Tổng thống Putin dành sự quan tâm tối đa.”", "Sau đó ông rời đi."],
    ),
    (
        "Ông hỏi: “Tại sao lại như vậy?” Không ai trả lời.",
        ["Ông hỏi: “Tại sao lại như vậy?”", "Không ai trả lời."],
    ),
    (
        'Ông nói: "Tôi sẽ về." Sau đó ông đi.',
        ['Ông nói: "Tôi sẽ về."', "Sau đó ông đi."],
    ),
    # the reference splits inside a multi-sentence quotation; each part keeps its quotes
    (
        "Bà nói: “Tôi rất vui. Cảm ơn mọi người.” Khán giả vỗ tay.",
        ["Bà nói: “Tôi rất vui.", "Cảm ơn mọi người.”", "Khán giả vỗ tay."],
    ),
    # dotted tokens
    ("Theo Dantri.com.vn, vụ việc xảy ra hôm qua.", None),
    ("Xem thêm tại VnExpress.net.", None),
    ("Tin tức từ VOV.VN. Sau đó là thời sự.", ["Tin tức từ VOV.VN.", "Sau đó là thời sự."]),
    (
        "Ông làm việc tại TP.HCM. Sau đó ông về quê.",
        ["Ông làm việc tại TP.HCM.", "Sau đó ông về quê."],
    ),
    ("Video mã hóa H.264. Chất lượng tốt.", ["Video mã hóa H.264.", "Chất lượng tốt."]),
    ("Cửa hàng ở P. Bến Nghé, Q.1, TP.HCM.", None),
    # ellipsis, both forms
    (
        "Mọi người im lặng… Sau đó, ai cũng vỗ tay.",
        ["Mọi người im lặng…", "Sau đó, ai cũng vỗ tay."],
    ),
    (
        "Mọi người im lặng... Sau đó, ai cũng vỗ tay.",
        ["Mọi người im lặng...", "Sau đó, ai cũng vỗ tay."],
    ),
    # title and administrative abbreviations
    ("Theo PGS.TS. Lê Văn C, kết quả tốt.", None),
    ("PGS.TS Nguyễn Văn B phát biểu tại hội nghị.", None),
    ("TS. Nguyễn Văn A cho biết kết quả rất tốt.", None),
    ("ThS. Trần Thị B là giảng viên.", None),
    ("GS. Ngô Bảo Châu đã đến thăm trường.", None),
    ("BS. Lê Văn D khám cho bệnh nhân.", None),
    ("Sự kiện diễn ra tại Tp. Hồ Chí Minh vào tháng 3.", None),
    ("Ông đến TP. HCM hôm qua.", None),
    ("UBND TP. Hà Nội đã ra quyết định.", None),
    ("Anh sống ở St. James Street.", None),
    ("Mr. Smith đã đến Việt Nam.", None),
    ("Quân đội U.S. đã rút quân.", None),
    # numbers never split
    ("Có 11.000 binh sỹ và 1.000.000 đồng, tăng 3,5% vào ngày 27/3 và 2/2025.", None),
    ("Ngày 20.08.2014 ông đã đến.", None),
    # quote before the final period (the usual Vietnamese style)
    (
        'Sự hỗ trợ "dự kiến sẽ gia tăng dựa vào tình hình trên thực địa”. Ông nói thêm.',
        ['Sự hỗ trợ "dự kiến sẽ gia tăng dựa vào tình hình trên thực địa”.', "Ông nói thêm."],
    ),
    # an initial before `(`, and inside a name (two of the reference's known failures)
    ("Anh Nguyễn Văn T. (30 tuổi) bị bắt.", None),
    ("Ông Nguyễn V. Nam đã phát biểu.", None),
    # a one-letter lowercase syllable is not an initial (nltk's failure)
    (
        "Các quan chức Mỹ lưu ý. Các cơ sở y tế điều trị.",
        ["Các quan chức Mỹ lưu ý.", "Các cơ sở y tế điều trị."],
    ),
    # `v.v.` ends a list at the end of a sentence (underthesea over-protects it)
    (
        "Chợ bán rau, thịt, cá v.v. Khách hàng rất đông.",
        ["Chợ bán rau, thịt, cá v.v.", "Khách hàng rất đông."],
    ),
    # by design: no split before a lowercase word (a glued `mạnh.Người` splits: issue 15)
    ("Ông nói vậy. nhưng không ai tin.", None),
]


@pytest.mark.parametrize(("line", "expected"), DOC_CASES, ids=lambda v: str(v)[:40])
def test_doc_cases(line, expected):
    assert split_line(line) == (expected if expected is not None else [line])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the ambiguous single capital before a new sentence: we SPLIT when a common sentence
        # starter follows (`Ông`, `Bà`, `Các`…), because a Vietnamese name never continues with
        # one, and crime news writes `Nguyễn Văn A. (30 tuổi)` or `Nguyễn Văn A, 30 tuổi` instead.
        (
            "Người bị bắt là ông Nguyễn Văn A. Ông 50 tuổi.",
            ["Người bị bắt là ông Nguyễn Văn A.", "Ông 50 tuổi."],
        ),
        # initials inside foreign names stay joined
        ("Nhạc sĩ Dionisio A. Lind đã chơi dàn chuông.", None),
        ("Cảnh sát trưởng Murphy J. Paul thông báo.", None),
        ("Cựu tổng thống George W. Bush đã gọi điện.", None),
        ("Tác giả J. K. Rowling ra sách mới.", None),
        # an accented capital is a word, not an initial: `Ý` (Italy)
        (
            "Trận đấu diễn ra tại Naples, Ý. Chelsea sẽ đá ở London.",
            ["Trận đấu diễn ra tại Naples, Ý.", "Chelsea sẽ đá ở London."],
        ),
        # a one-letter name part after a lowercase word is no initial: `vitamin D.` ends
        (
            "Cơ thể cần vitamin D. Trẻ em cần nhiều hơn.",
            ["Cơ thể cần vitamin D.", "Trẻ em cần nhiều hơn."],
        ),
    ],
    ids=lambda v: str(v)[:40],
)
def test_initials(line, expected):
    assert split_line(line) == (expected if expected is not None else [line])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a short attribution after a closed quote stays in the sentence
        ("“Có cá mập ở đó!” Hammel chia sẻ thêm.", None),
        ('"Không chỉ là vấn đề tài chính sao?" Martin hỏi.', None),
        ("“Điều đó rất thách thức.” Bà Sumbung chia sẻ.", None),
        ('Các bạn đã sẵn sàng chưa?" CNN đưa tin.', None),
        # …but not a new sentence that merely contains a verb from the list
        ("Ông hỏi: “Tại sao?” Không ai trả lời.", ["Ông hỏi: “Tại sao?”", "Không ai trả lời."]),
        # …nor a long clause after the quote
        (
            "“Tôi đi.” Ông nói thêm rằng ông sẽ trở về vào sáng ngày mai cùng gia đình.",
            ["“Tôi đi.”", "Ông nói thêm rằng ông sẽ trở về vào sáng ngày mai cùng gia đình."],
        ),
    ],
    ids=lambda v: str(v)[:40],
)
def test_quote_attributions(line, expected):
    assert split_line(line) == (expected if expected is not None else [line])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Thật sao?! Tôi không tin.", ["Thật sao?!", "Tôi không tin."]),
        ("Tuyệt vời!! Cả đội vỡ òa.", ["Tuyệt vời!!", "Cả đội vỡ òa."]),
        ("Ông ấy đến rồi. “Chào anh,” cô nói.", ["Ông ấy đến rồi.", "“Chào anh,” cô nói."]),
        ("Ông ấy đến rồi. - Vâng, tôi biết.", ["Ông ấy đến rồi.", "- Vâng, tôi biết."]),
        (
            "Năm đó rất khó khăn. 2024 là năm tốt hơn.",
            ["Năm đó rất khó khăn.", "2024 là năm tốt hơn."],
        ),
        ("Đến năm 2020. Điện Biên Phủ đã khác.", ["Đến năm 2020.", "Điện Biên Phủ đã khác."]),
        # a lone straight quote after the period closes the quotation
        (
            '"Chúng tôi mong các bạn ở lại. " Đó là lời nhắn.',
            ['"Chúng tôi mong các bạn ở lại. "', "Đó là lời nhắn."],
        ),
        ("Vụ Roe v. Wade được nhắc lại.", None),
        ("(Ông ấy đã đi.) Sau đó trời mưa.", ["(Ông ấy đã đi.)", "Sau đó trời mưa."]),
        ("...", None),
        ("... Và rồi", None),
    ],
    ids=lambda v: str(v)[:40],
)
def test_terminators_closers_openers(line, expected):
    assert split_line(line) == (expected if expected is not None else [line])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lines first: a headline is never merged with the next line (underthesea's failure)
        (
            "Quan hệ hợp tác ngày càng sâu rộng giữa Nga và Triều Tiên\n"
            "Nga và Triều Tiên đã tăng cường quan hệ an ninh.",
            [
                "Quan hệ hợp tác ngày càng sâu rộng giữa Nga và Triều Tiên",
                "Nga và Triều Tiên đã tăng cường quan hệ an ninh.",
            ],
        ),
        ("Tiêu đề bài báo\n\nĐoạn đầu tiên.", ["Tiêu đề bài báo", "Đoạn đầu tiên."]),
        (
            "Tổng thống Putin và Kim Jong Un. Ảnh: Sputnik\n"
            "Theo Hội đồng, Triều Tiên đã điều quân.",
            [
                "Tổng thống Putin và Kim Jong Un.",
                "Ảnh: Sputnik",
                "Theo Hội đồng, Triều Tiên đã điều quân.",
            ],
        ),
        # a line-initial list number is not a sentence (the reference's third known failure)
        (
            "Bài viết có 3 phần:\n1. Giới thiệu\n2. Nội dung",
            ["Bài viết có 3 phần:", "1. Giới thiệu", "2. Nội dung"],
        ),
        (
            "Một câu không có dấu chấm\r\nCâu thứ hai.\r\n",
            ["Một câu không có dấu chấm", "Câu thứ hai."],
        ),
        ("  \n\t\n", []),
        ("", []),
    ],
    ids=lambda v: str(v)[:40],
)
def test_lines_first(text, expected):
    assert sentences(text) == expected


def test_every_nonempty_line_gives_a_segment_and_its_paragraph_index():
    text = "Dòng một\n\n  Dòng hai. Câu ba.  \nDòng bốn"
    doc = segment_text(text)
    assert [(seg.paragraph, seg.sentence) for seg in doc] == [(0, 0), (1, 0), (1, 1), (2, 0)]
    assert [text[s:e] for s, e in line_spans(text)] == ["Dòng một", "Dòng hai. Câu ba.", "Dòng bốn"]


@pytest.mark.issue(15)
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # paragraphs pasted together without a space
        ("Giá xăng tăng 3%.Người dân lo lắng.", ["Giá xăng tăng 3%.", "Người dân lo lắng."]),
        ("Mưa rất mạnh.Người dân ở nhà.", ["Mưa rất mạnh.", "Người dân ở nhà."]),
        ("Vì sao?Không ai biết.", ["Vì sao?", "Không ai biết."]),
        ("Ông nói: “Tôi đi.”Sau đó ông đi.", ["Ông nói: “Tôi đi.”", "Sau đó ông đi."]),
        # …while dotted tokens stay whole
        ("Ông đến TP.HCM hôm qua.", None),
        ("Tin từ VOV.VN cho biết.", None),
        ("Theo Dantri.com.vn, vụ việc xảy ra hôm qua.", None),
        ("Video mã hóa H.264 rất nét.", None),
        ("Tỷ lệ là 3.5 phần trăm.", None),
        ("Sự kiện tại Tp.Hồ Chí Minh hôm qua.", None),
        ("Ông gặp Mr.Smith hôm qua.", None),
        ("Xem tại vnexpress.net.Sau đó", None),
        # a glued ellipsis trails off inside a quotation
        ("Chúng tôi đã làm rò rỉ ư...Không, chúng tôi không làm.", None),
        # a next sentence opening with `(`, `©`, `*`, `■`
        (
            "“Tôi rất vui,” chị Lan nói. © Bản quyền thuộc báo X",
            ["“Tôi rất vui,” chị Lan nói.", "© Bản quyền thuộc báo X"],
        ),
        (
            "Chúc mọi người hạnh phúc. (Bài viết chỉ mang tính tham khảo.)",
            ["Chúc mọi người hạnh phúc.", "(Bài viết chỉ mang tính tham khảo.)"],
        ),
        (
            "Chúc mọi người hạnh phúc. * Bài viết chỉ mang tính tham khảo.",
            ["Chúc mọi người hạnh phúc.", "* Bài viết chỉ mang tính tham khảo."],
        ),
        (
            "Chúc mọi người hạnh phúc. ■ Bài viết chỉ mang tính tham khảo.",
            ["Chúc mọi người hạnh phúc.", "■ Bài viết chỉ mang tính tham khảo."],
        ),
        # a sentence may open with a brand written in lowercase first
        (
            "Apple ra mắt máy mới. iPhone 16 có giá cao.",
            ["Apple ra mắt máy mới.", "iPhone 16 có giá cao."],
        ),
        # …but a bracket continuing the sentence, or after an initial, does not split
        ("Anh Nguyễn Văn T. (30 tuổi) bị bắt.", None),
        ("Ông đã đến. (và rồi đi)", None),
    ],
    ids=lambda v: str(v)[:40],
)
def test_issue_15_boundaries(line, expected):
    assert split_line(line) == (expected if expected is not None else [line])


@pytest.mark.issue(15)
@pytest.mark.parametrize(
    "verb",
    ["khuyến cáo", "nhấn mạnh", "cho hay", "bày tỏ", "lưu ý", "khẳng định", "nhắn nhủ", "tâm sự"],
)
def test_issue_15_attribution_verbs_do_not_split(verb):
    line = f"“Hãy ăn uống điều độ.” BS Hưng {verb}."
    assert split_line(line) == [line]
