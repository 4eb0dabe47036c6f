"""Latin-script names of a Vietnamese sentence, and whether its translation keeps them."""

from __future__ import annotations

import pytest

from vi2en.text.names import fold, is_foreign_name, names_missing


def test_foreign_names_and_vietnamese_words() -> None:
    assert is_foreign_name("Putin") and is_foreign_name("KCNA") and is_foreign_name("Kharkov")
    assert not is_foreign_name("Việt") and not is_foreign_name("Nam")
    assert not is_foreign_name("Theo")
    assert fold("L’Oréal") == "l'oreal"


@pytest.mark.parametrize(
    ("source", "target", "missing"),
    [
        # real opus-mt output on NTREX-128 (ntrex128.opus-2020-09-10.en)
        ("Vì sao Tổng Thống Trump từ bỏ nhiều đến thế?",
         "Why did President Twain give up so much?", ["Trump"]),
        ("Sau thách thức của Halkett đối với người thay thế.",
         "After the Chalkett's challenge to the replacement.", ["Halkett"]),
        ("Các thương hiệu như Revlon, Essie, Tweezerman và Dr. PawPaw.",
         "Brands like Revlon, Essie, Twezerman, and Dr. PafPaw.", ["Tweezerman", "PawPaw"]),
        # kept, or in a form a translation rightly uses
        ("Chiến lược của Sainsbury’s", "Sainsbury's strategy", []),
        ("Tiền đạo người Argentina nhận bóng.", "The Argentine striker got the ball.", []),
        ("Người nông dân xứ Wales.", "A Welsh farmer.", []),
        ("Trận đấu giữa Liverpool và Napoli.", "The match between Liverpool and Naples.", []),
        ("Ông Brett Kavanaugh phát biểu.", "Kavanaugh spoke.", []),  # a first name dropped
        ("Ông viết trên Twitter.", "He tweeted.", []),
        ("Bộ trưởng CHDCND Triều Tiên phát biểu.", "North Korea's minister spoke.", []),
        ("Tổng thống Mỹ đến Hà Nội.", "The US president came to Hanoi.", []),
    ],
)
def test_names_missing(source: str, target: str, missing: list[str]) -> None:
    assert names_missing(source, target) == missing
