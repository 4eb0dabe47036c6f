"""Templates: source lines, role notes and credits rendered in English, names kept (issue 15.3)."""

from __future__ import annotations

import pytest

from tests.fake_engine import FakeEngine
from tests.test_pipeline import make_doc
from vi2en.doc import SegmentType
from vi2en.pipeline import translate_document
from vi2en.segment import segment_text
from vi2en.templates import is_name, render

T = SegmentType


def rendered(seg_type: SegmentType, text: str) -> str:
    """The English, with `[…]` around the part that goes to the model."""
    out = render(seg_type, text)
    if out.mt is None:
        return out.head
    return f"{out.head}[{text[out.mt[0] : out.mt[1]]}]{out.tail}"


@pytest.mark.issue(15)
@pytest.mark.parametrize(
    ("seg_type", "text", "english"),
    [
        # source lines: `Theo X` -> `Source: X`, a list -> `Sources:`
        (T.SOURCE, "Theo CNN, Fox News", "Sources: CNN, Fox News"),
        (T.SOURCE, "Theo Reuters", "Source: Reuters"),
        (T.SOURCE, "(Theo Reuters)", "(Source: Reuters)"),
        (T.SOURCE, "Nguồn: VnExpress", "Source: VnExpress"),
        # …a source that is no name is machine-translated inside the template
        (T.SOURCE, "Theo báo Tuổi trẻ", "Source: [báo Tuổi trẻ]"),
        # outlet names and agency tags are kept
        (T.SOURCE, "(TTXVN)", "(TTXVN)"),
        (T.SOURCE, "(Dân trí) -", "(Dân trí) -"),
        (T.SOURCE, "PNO -", "PNO -"),
        # role notes
        (T.BYLINE, "Hồng Anh/VOV.VN (biên dịch)", "Hồng Anh/VOV.VN (translated)"),
        (T.BYLINE, "Thanh Hà (tổng hợp)", "Thanh Hà (compiled)"),
        (T.BYLINE, "Mai Anh (lược dịch)", "Mai Anh (abridged translation)"),
        (T.BYLINE, "Minh Phương (theo Reuters)", "Minh Phương (source: Reuters)"),
        (T.BYLINE, "Minh Phương (theo báo Thanh niên)", "Minh Phương (source: [báo Thanh niên])"),
        (T.BYLINE, "Thu Hà/Dân trí", "Thu Hà/Dân trí"),
        (T.BYLINE, "PV", "PV"),
        (T.BYLINE, "Thực hiện: Minh Quân", "Produced by Minh Quân"),
        (T.BYLINE, "Bài và ảnh: Hoàng Hà", "Text and photos: Hoàng Hà"),
        (T.SOURCE, "Theo Reuters.", "Source: Reuters."),
        # credits: names kept, anything else machine-translated
        (T.CREDIT, "Ảnh: Sputnik", "Photo: Sputnik"),
        (T.CREDIT, "(Ảnh: Reuters)", "(Photo: Reuters)"),
        (T.CREDIT, "Ảnh: Minh Quân.", "Photo: Minh Quân."),
        (T.CREDIT, "ảnh: Hoàng Hà.", "Photo: Hoàng Hà."),
        (T.CREDIT, "ẢNH: QUANG ĐỊNH", "Photo: QUANG ĐỊNH"),
        (T.CREDIT, "Ảnh: Hoàng Hà/VOV.VN", "Photo: Hoàng Hà/VOV.VN"),
        (T.CREDIT, "Nguồn ảnh: Reuters", "Photo: Reuters"),
        (T.CREDIT, "(Nguồn: TTXVN)", "(Source: TTXVN)"),
        (T.CREDIT, "(Nguồn Internet)", "(Source: Internet)"),
        (T.CREDIT, "Video: VTV", "Video: VTV"),
        (T.CREDIT, "Ảnh - Video: Minh Quân", "Photos and video: Minh Quân"),
        (T.CREDIT, "Ảnh: NVCC", "Photo: courtesy of the interviewee"),
        (T.CREDIT, "Ảnh: Công an cung cấp", "Photo: [Công an cung cấp]"),
        (T.CREDIT, "(Ảnh: Sở Y tế cung cấp)", "(Photo: [Sở Y tế cung cấp])"),
        (T.CREDIT, "Nguồn: Bộ Y tế", "Source: [Bộ Y tế]"),
        (T.CREDIT, "Ảnh minh hoạ.", "Illustrative photo."),
        (T.CREDIT, "(Ảnh tư liệu)", "(File photo)"),
        (T.CREDIT, "Ảnh chụp màn hình clip", "Screenshot from a video"),
        # skipped lines are kept
        (T.SKIPPED, "Thứ Năm, 27/03/2025 08:30 (GMT+7)", "Thứ Năm, 27/03/2025 08:30 (GMT+7)"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_render(seg_type: SegmentType, text: str, english: str) -> None:
    assert rendered(seg_type, text) == english


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Minh Quân", True),
        ("QUANG ĐỊNH", True),
        ("Hoàng Hà/VOV.VN", True),
        ("AP, Reuters", True),
        ("VTV24", True),
        ("Công an cung cấp", False),
        ("Bộ Y tế", False),
        ("báo Tuổi trẻ", False),
        ("", False),
    ],
)
def test_is_name(text: str, name: bool) -> None:
    assert is_name(text) is name


@pytest.mark.issue(15)
def test_the_example_articles_closing_line_has_no_vietnamese_left() -> None:
    doc = segment_text("Tiêu đề\nĐoạn mở đầu.\nHồng Anh/VOV.VN (biên dịch) Theo CNN, Fox News")
    translate_document(doc, FakeEngine())
    byline, source = doc.segments[-2:]
    assert (byline.translation.text, byline.translation.method) == (
        "Hồng Anh/VOV.VN (translated)",
        "template",
    )
    assert (source.translation.text, source.translation.method) == (
        "Sources: CNN, Fox News",
        "template",
    )


@pytest.mark.issue(15)
def test_a_credit_that_is_no_name_is_machine_translated_into_the_template() -> None:
    engine = FakeEngine()  # translates by upper-casing
    doc = translate_document(
        make_doc(
            ("Hiện trường vụ cháy.", T.CAPTION, 0),
            ("Ảnh: Công an cung cấp", T.CREDIT, 0),
            ("(Ảnh: Minh Quân)", T.CREDIT, 1),
        ),
        engine,
    )
    credit = doc.segments[1].translation
    assert (credit.text, credit.method) == ("Photo: CÔNG AN CUNG CẤP", "mt")
    assert credit.links is None
    kept = doc.segments[2].translation
    assert (kept.text, kept.method) == ("(Photo: Minh Quân)", "template")
    sent = [text for call in engine.calls for text in call["texts"]]
    assert sorted(sent) == ["Công an cung cấp", "Hiện trường vụ cháy."]
