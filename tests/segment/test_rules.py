"""Each named rule does what its comment says, word lists load, and no regex can hang."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from vi2en.segment import rules


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (rules.SENTENCE_END, "tối đa.” Sau đó", ".”"),
        (rules.SENTENCE_END, "im lặng… Sau", "…"),
        (rules.SENTENCE_END, "thật?!” Ông", "?!”"),
        (rules.CAPTION_CREDIT, "Kim Jong Un. Ảnh: Spunik", "Ảnh: Spunik"),
        (rules.CAPTION_CREDIT, "Người dân xếp hàng (Ảnh: Reuters)", "(Ảnh: Reuters)"),
        (rules.CAPTION_CREDIT, "Lũ lớn. Ảnh: VOV.VN", "Ảnh: VOV.VN"),
        (rules.CAPTION_CREDIT, "Ảnh: một người chụp. Sau đó ông gửi đi.", None),
        (rules.ILLUSTRATION_CREDIT, "Khu vực bị ngập. Ảnh minh họa", "Ảnh minh họa"),
        (rules.ILLUSTRATION_CREDIT, "Khu vực bị ngập (Ảnh minh hoạ)", "(Ảnh minh hoạ)"),
        (rules.SOURCE_TAG, "Cuộc họp diễn ra hôm qua. (TTXVN)", "(TTXVN)"),
        (rules.SOURCE_TAG, "Tin cũ. (Theo Reuters)", "(Theo Reuters)"),
        (rules.SOURCE_TAG, "Anh Nguyễn Văn T. (30 tuổi)", None),
    ],
)
def test_search_rules(pattern, text, found):
    match = pattern.search(text)
    assert (match.group() if match else None) == found


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (rules.LIST_NUMBER, "1.", True),
        (rules.LIST_NUMBER, "IV.", True),
        (rules.LIST_NUMBER, "1000.", False),
        (rules.INITIALS, "J.R.", True),
        (rules.INITIALS, "Đ.", True),
        (rules.INITIALS, "Ý.", False),
        (rules.DATELINE, "Thứ Năm, 27/03/2025 08:30 (GMT+7)", True),
        (rules.DATELINE, "27/03/2025 - 08:30", True),
        (rules.DATELINE, "27/03/2025 ông đến", False),
        (rules.BYLINE_ROLE, "Hồng Anh/VOV.VN (biên dịch)", True),
        (rules.BYLINE_ROLE, "Minh Phương (theo Reuters)", True),
        (rules.BYLINE_OUTLET, "Hồng Anh/VOV.VN", True),
        (rules.BYLINE_OUTLET, "ngày 27/3 tại Hà Nội", False),
        (rules.SOURCE_LINE, "Theo CNN, Fox News", True),
        (rules.BYLINE_THEN_SOURCE, "Hồng Anh/VOV.VN (biên dịch) Theo CNN, Fox News", True),
        (rules.BYLINE_THEN_SOURCE, "Thu Hà/Dân trí Theo Reuters", True),
    ],
)
def test_fullmatch_rules(pattern, text, matches):
    assert bool(pattern.fullmatch(text)) is matches


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (rules.SKIP_MARKER, "Xem thêm: Nga tấn công", True),
        (rules.SKIP_MARKER, "TIN LIÊN QUAN", True),
        (rules.SKIP_MARKER, "Xem thêm tại VnExpress.net.", False),
        (rules.VIDEO_BOX, "Video: Cận cảnh", True),
        (rules.OUTLET_PREFIX, "(Dân trí) - Sáng nay", True),
        (rules.OUTLET_PREFIX, "(PLO)- Sáng nay", True),
        (rules.OUTLET_PREFIX, "VOV.VN - Hôm qua", True),
        (rules.OUTLET_PREFIX, "Hôm qua, ông đến.", False),
    ],
)
def test_prefix_rules(pattern, text, matches):
    assert bool(pattern.match(text)) is matches


@pytest.mark.parametrize(
    ("loader", "present", "absent"),
    [
        (
            rules.abbreviation_stems,
            ["TP", "Tp", "TS", "ThS", "PGS.TS", "GS.TSKH", "U.S", "Mr"],
            ["v.v", "tp"],
        ),
        (rules.sentence_starters, ["Ông", "Các", "The"], ["Nam", "Lind"]),
        (rules.attribution_verbs, ["nói", "chia sẻ thêm", "đưa tin"], ["trời"]),
        (rules.outlet_names, ["Dân trí", "VOV.VN", "TTO", "NLĐO", "PLO", "TPO"], ["WHO"]),
    ],
)
def test_word_lists(loader, present, absent):
    words = loader()
    assert all(word in words for word in present)
    assert not any(word in words for word in absent)
    assert all(word == word.strip() and "#" not in word for word in words)


ADVERSARIAL = {
    "dots": "'.' * 200_000",
    "quotes": "'\"' * 200_000",
    "curly quotes and bangs": "'“!” ' * 25_000",
    "initials": "'A. ' * 35_000",
    "initials no space": "'A.' * 100_000",
    "credit words": "'Ảnh: ' * 40_000",
    "credit tail": "'x' * 200_000 + ' Ảnh: ' + 'y' * 79",
    "open brackets": "'(' * 200_000",
    "theo": "'Theo ' * 40_000",
    "slashes": "'a/' * 100_000",
    "source tags": "'(TTXVN) ' * 25_000",
    "byline shapes": "'Hồng Anh/VOV.VN (biên dịch) ' * 8_000",
    "dates": "'27/03/2025 ' * 20_000",
    "one long word": "'Đ' * 300_000",
    "many short lines": "'A.\\n' * 35_000",
}


@pytest.mark.parametrize("expr", ADVERSARIAL.values(), ids=list(ADVERSARIAL))
def test_no_catastrophic_backtracking(expr):
    """A hang guard, not a benchmark: the timeout is generous (a shared, loaded machine)."""
    code = textwrap.dedent(
        f"""
        from vi2en.segment import segment_text
        doc = segment_text({expr})
        print(len(doc))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 1
