"""QA flags: each fires on its planted error and stays quiet on a clean pair."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.sample_doc import BODY_1, BODY_2, make_document
from vi2en.errors import InputError
from vi2en.qa import CODES, check_document, check_pair, load_glossary, parse_glossary

GLOSSARY = {"Bình Nhưỡng": "Pyongyang"}

CLEAN = [
    ("Hà Nội đón 11.000 khách.", "Hanoi welcomed 11,000 visitors."),
    ("Ngày 27/3, giá xăng tăng 3,5%.", "On March 27, petrol prices rose 3.5%."),
    ("Ngày 27/3, giá xăng tăng 3,5%.", "On 27 March, petrol prices rose 3.5 percent."),
    ("Trong tháng 2/2025, xuất khẩu đạt 3,5 tỷ USD.", "In Feb 2025, exports hit $3.5 billion."),
    ("Ngày 5 tháng 4 năm 2024, hai bên ký thỏa thuận.", "On April 5, 2024, the two sides signed."),
    ("Ông Kim đến Bình Nhưỡng hôm thứ 2.", "Mr Kim arrived in Pyongyang on Monday."),
    ("Ông nói: “Chúng tôi sẵn sàng” (trích).", "He said: “We are ready” (quote)."),
    ("Ông nói: \"Chúng tôi sẵn sàng\".", "He said: \"We are ready\"."),
    ("Dân số đạt 1,2 triệu người vào năm 2020.", "The population reached 1.2 million in 2020."),
    ("Có 3 người bị thương.", "Three people were injured."),
    # false-alarm classes found by reading every flag on real opus-mt output (eval/qa_flags.py)
    ("Ông Kim gặp bà May tại London.", "Mr Kim met Theresa May in London."),
    ("Jan Gelfand nói với CNN.", "Jan Gelfand told CNN."),
    ("Anh Nam, 24 tuổi, bị bắt.", "Twenty-four-year-old Nam was arrested."),
    ("Anh sống ở Q.8, TP.HCM.", "He lives in District 8, Ho Chi Minh City."),
    ("Sự việc xảy ra lúc 7 giờ sáng.", "It happened at 7: 00 a.m."),
    ("Bão đổ bộ lúc 05:00 sáng.", "The storm made landfall at 5 a.m."),
    ("Hạn chót là 30 tháng 9.", "The deadline is September 30."),
    ("Ông đến vào ngày 29/09/2018.", "He came on September 29,2018."),
    ("Sân bay đóng cửa cho đến tháng Mười.", "The airport is closed until October."),
    ("Kế hoạch ban hành vào tháng 7, 2017.", "The plan was issued in July 2017."),
    ("Máy bay chìm sâu khoảng 30 mét.", "The plane sank about 30 meters (100 feet)."),
    ("Bờ biển dài 300 km (190 dặm).", "The coast is 300 km (186 miles) long."),
    ("Sóng thần đi với tốc độ 800 kph.", "The tsunami travelled at 800 kph (497 mph)."),
    ("Số ca nhiễm tăng 14%.", "Infections rose by 14 - percent."),
    ("Chỉ có 1% không tốt.", "Only one percent is bad."),
    ("Hai mươi phần trăm học sinh đồng ý.", "Twenty per cent of pupils agreed."),
    ("Anh ta bị phạt 250.000 đô la.", "He was fined a quarter of a million dollars."),
    ("Đặc biệt trong 1/3 thời gian cuối trận.", "Especially in the final third."),
    ("Ông phục vụ 1 năm ở Iraq.", "He served a year in Iraq."),
    ("Ông nhận huân chương trong Thế chiến 1.", "He won the medal in World War I."),
    ("Hôm thứ 2, anh về đích thứ 3.", "On Monday he finished 3rd."),
    ("Những tên cướp lấy 26,750 đô la.", "The robbers took $26,750."),
    ("Gọi số 0800 555 111.", "Call 0800 555 111."),
    ("Không, không, không.", "No, no, no."),
    ("Không, ồ không hề.", "No, no, no."),
    ("Các sĩ quan đảo chính.", 'The officers staged a coup d"état at the Lakers" office.'),
    ("Anh nói: 'Tôi muốn dẫn dắt đội tuyển.", 'He said: "I want to lead the team.'),
    ("Chỉ còn năm tuần nữa là tới bầu cử.", '"Five weeks away from the election.'),
    ("Cô ấy không phải là người phân biệt chủng tộc.", "She's not a racist."),
    ("Ông Brett Kavanaugh gặp ông Putin ở Kharkov.", "Kavanaugh met Putin in Kharkov."),
]

# (code, source, target with the planted error)
PLANTED = [
    ("number-mismatch", "Hà Nội đón 11.000 khách.", "Hanoi welcomed 1,000 visitors."),
    ("number-mismatch", "Dân số đạt 1,2 triệu người.", "The population reached 12 million."),
    ("number-mismatch", "Gọi số 0800 555 111.", "Call 0800 560 111."),
    ("number-mismatch", "Sóng cao 30 mét (100 feet).", "Waves reached 30 feet [30 m]."),
    ("number-mismatch", "Bờ biển dài 300 km.", "The coast is 300 miles long."),
    ("number-mismatch", "Tốc độ 800 kph (497 dặm/giờ).", "A speed of 800 kph (1697 mph)."),
    ("number-mismatch", "Bờ biển dài 300 km (190 dặm).", "The coast is 301 km (190 miles)."),
    ("number-mismatch", "Anh sống ở Q.8.", "He lives in District 9."),
    ("number-mismatch", "Ông bị phạt 250.000 đô la.", "He was fined half a million dollars."),
    ("date-mismatch", "Ngày 27/3, giá xăng tăng.", "On March 28, petrol prices rose."),
    ("date-mismatch", "Trong tháng 2/2025, xuất khẩu tăng.", "In March 2025, exports rose."),
    ("date-mismatch", "Ngày 27/3, giá xăng tăng.", "On 27 April, petrol prices rose."),
    ("date-mismatch", "Hội nghị tháng Sáu tại Singapore.", "The July summit in Singapore."),
    ("date-mismatch", "Ông đến vào 29 tháng 9.", "He came on Saturday (29th)."),
    ("date-mismatch", "Vào ngày 29/09/1918.", "On September 29, 1818."),
    ("percent-mismatch", "Giá xăng tăng 3,5%.", "Petrol prices rose 5.3%."),
    ("percent-mismatch", "Giá xăng tăng 3,5%.", "Petrol prices rose 35 percent."),
    ("percent-mismatch", "Hai mươi phần trăm đồng ý.", "Thirty per cent agreed."),
    ("untranslated", "Ông Kim đến Bình Nhưỡng.", "Ông Kim đến Bình Nhưỡng."),
    ("untranslated", "Ông Kim đến Bình Nhưỡng.", ""),
    ("untranslated", "Ông Kim đến Bình Nhưỡng.", "Mr Kim đến Bình Nhưỡng hôm nay."),
    ("repetition", "Giá vàng tăng mạnh hôm nay.", "Gold prices rose sharply sharply sharply."),
    ("repetition", "Giá vàng tăng mạnh hôm nay.", "Gold of the city of the city of the city."),
    ("repetition", "Không, không, không.", "No, no, no, no, no, no, no."),
    ("length-ratio", "Giá vàng tăng mạnh trong phiên sáng nay tại Hà Nội.", "Gold."),
    (
        "length-ratio",
        "Giá vàng tăng mạnh sáng nay tại các cửa hàng ở Hà Nội.",
        "Gold prices rose sharply this morning in Hanoi, traders in the capital said on Monday, "
        "as they have done every single morning since the beginning of this very long year.",
    ),
    ("unbalanced-quotes", "Ông nói: \"Sẵn sàng\".", "He said: \"Ready."),
    ("unbalanced-quotes", "Ông nói: “Sẵn sàng”.", "He said: “Ready."),
    ("unbalanced-brackets", "Ông Kim (Triều Tiên) đến.", "Mr Kim (North Korea arrived."),
    ("unbalanced-brackets", "Ông Kim (Triều Tiên) đến.", "Mr Kim (North Korea] arrived."),
    ("glossary", "Ông Kim đến Bình Nhưỡng.", "Mr Kim arrived in Binh Nhuong."),
    ("entity-mismatch", "Vì sao Tổng thống Trump từ bỏ?", "Why did President Twain give up?"),
]


@pytest.mark.parametrize(("source", "target"), CLEAN)
def test_clean_pairs_raise_no_flag(source: str, target: str) -> None:
    assert check_pair(source, target, glossary=GLOSSARY) == []


@pytest.mark.parametrize(("code", "source", "target"), PLANTED)
def test_each_flag_fires_on_its_planted_error(code: str, source: str, target: str) -> None:
    flags = check_pair(source, target, glossary=GLOSSARY)
    assert code in [f.code for f in flags], flags
    assert all(f.code in CODES and f.message for f in flags)


def test_source_side_unbalanced_quotes_are_not_blamed_on_the_target() -> None:
    # A quotation running over two sentences leaves both sides unbalanced: not a target error.
    assert check_pair("Ông nói: \"Chúng tôi sẵn sàng.", "He said: \"We are ready.") == []


def test_check_document_flags_mt_segments_only_and_is_idempotent() -> None:
    doc = make_document(targets={BODY_1: "Hanoi welcomed 1,000 visitors in February 2025.",
                                 BODY_2: "Mr Kim arrived in Binh Nhuong."})
    for _ in range(2):
        check_document(doc, glossary=GLOSSARY)
    codes = [[f.code for f in seg.translation.flags] if seg.translation else None for seg in doc]
    # The heading's pipeline flag (split-clause) is left alone.
    assert codes == [["split-clause"], ["number-mismatch"], ["glossary"], [], [], None]


@pytest.mark.parametrize(
    ("kept", "left"),
    [
        ("Photo: Công an cung cấp", ["cấp"]),
        ("Hồng Anh/VOV.VN (biên dịch)", ["biên", "dịch"]),
        ("Theo CNN, Fox News", ["Theo"]),
        ("Thanh Hà (tổng hợp)", ["tổng", "hợp"]),
        ("Photo: Hoàng Hà", []),
        ("Hồng Anh/VOV.VN (translated)", []),
        ("Source: CNN, Fox News", []),
        ("(Dân trí) -", []),  # an outlet's name
        ("Người lao động –", []),
    ],
)
def test_templated_and_kept_lines_are_flagged_for_vietnamese_left(
    kept: str, left: list[str]
) -> None:
    doc = make_document()
    credit, byline = doc.segments[3], doc.segments[4]
    credit.translation.text = kept
    byline.translation.text = kept
    check_document(doc)
    for seg in (credit, byline):
        codes = [f.code for f in seg.translation.flags]
        assert codes == (["untranslated"] if left else []), seg.translation.flags
        if left:
            assert all(repr(w) in seg.translation.flags[0].message for w in left)
    assert not doc.segments[5].translation  # skipped lines are not checked


def test_check_document_keeps_other_flags() -> None:
    doc = make_document()
    from vi2en.doc import Flag

    doc.segments[1].translation.flags.append(Flag("length-cap", "hit max_new_tokens"))
    check_document(doc)
    assert [f.code for f in doc.segments[1].translation.flags] == ["length-cap"]


def test_glossary_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "terms.tsv"
    path.write_text("# vi\ten\nBình Nhưỡng\tPyongyang\n\nHàn Quốc\tSouth Korea\n", "utf-8")
    assert load_glossary(path) == {"Bình Nhưỡng": "Pyongyang", "Hàn Quốc": "South Korea"}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["Bình Nhưỡng Pyongyang"], "line 1: expected"),
        (["Bình Nhưỡng\t"], "line 1: expected"),
        (["a\tb\tc"], "line 1: expected"),
        (["a\tb", "a\tc"], "line 2: 'a' is already mapped"),
        (["# only a comment"], "has no terms"),
    ],
)
def test_malformed_glossary_is_refused(lines: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_glossary(lines)


def test_glossary_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read glossary"):
        load_glossary(tmp_path / "missing.tsv")
    bad = tmp_path / "latin1.tsv"
    bad.write_bytes(b"B\xecnh\tx\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_glossary(bad)


def test_number_regexes_are_linear_on_adversarial_input() -> None:
    # A long run of digit groups must not backtrack catastrophically (ReDoS guard).
    import subprocess
    import sys

    code = (
        "from vi2en.qa import check_pair; s = '1.' * 20000 + 'x'; "
        "check_pair(s, s.replace('.', ',') + '%')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
