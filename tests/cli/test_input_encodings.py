"""One reader for every command (issue 11 item 9): the same bytes are accepted or refused alike.

Before, `score`/`eval` refused Windows-1258 and called UTF-16 with a byte-order mark binary
while `segment`/`translate` read both; `eval --src` translated TCVN3 mojibake that `translate`
refused; GBK Chinese was read as garbage Vietnamese by the Windows-1258 fallback. Now every
command decodes through `vi2en.text.decode`; inputs meant to be Vietnamese (`segment`,
`translate`, `eval --src`) are also checked for it, while files scored as they are (`score`,
references) keep sacreBLEU's reading of UTF-8.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from vi2en.cli.main import main

SENTENCE = "Quân đội Triều Tiên đã được triển khai đến khu vực Kursk.\n"
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    out = []
    for ch in text:
        nfd = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in nfd if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES)) + tone)
    return "".join(out).encode("cp1258")


TCVN3 = "Qu©n ®éi TriÒu Tiªn ®· ®\xadîc triÓn khai ®Õn khu vùc Kursk cña Nga ®Ó ®Èy lïi.\n"
# (name, bytes, read by the Vietnamese readers?, by score?, what a refusal says)
CASES = [
    ("utf-8", SENTENCE.encode(), True, True, ""),
    ("utf-8 with BOM", codecs.BOM_UTF8 + SENTENCE.encode(), True, True, ""),
    ("utf-16 with BOM", SENTENCE.encode("utf-16"), True, True, ""),
    ("windows-1258", windows_1258(SENTENCE), True, True, ""),
    ("gbk chinese", "中华人民共和国国务院总理今天会见了代表团。\n".encode("gbk"), False, False,
     "read as Windows-1258 it is not text"),
    ("tcvn3 mojibake", TCVN3.encode(), False, True, "legacy TCVN3"),
    ("chinese utf-8", "北京今天下雨。\n".encode(), False, True, "does not look like Vietnamese"),
    ("binary", b"\x00\x01\x02 abc\n", False, False, "looks binary"),
]


@pytest.mark.issue(11)
@pytest.mark.parametrize(("name", "data", "as_vietnamese", "as_scored", "refusal"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_every_command_reads_the_same_bytes_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes,
    as_vietnamese: bool, as_scored: bool, refusal: str,
) -> None:  # fmt: skip
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    outcomes = {}
    for command, argv in {
        "segment": ["segment", str(path), "-o", str(tmp_path / "seg.tsv")],
        # eval reads its source before it loads a model: a missing model is the next error.
        "eval --src": ["eval", "--src", str(path), "--ref", str(path), "--model",
                       str(tmp_path / "no-model"), "-o", str(tmp_path / "eval")],
        "score": ["score", "-r", str(path), str(path), "-o", str(tmp_path / "score.txt")],
    }.items():
        code = main(argv)
        err = capsys.readouterr().err.strip()
        read = code == 0 or (command == "eval --src" and "no-model" in err)
        outcomes[command] = read
        assert len(err.splitlines()) <= 1, err
        if not read:
            assert code == 2 and refusal in err, (command, err)
    expected = {"segment": as_vietnamese, "eval --src": as_vietnamese, "score": as_scored}
    assert outcomes == expected


def test_score_says_how_it_decoded_a_file_sacrebleu_could_not_read(tmp_path: Path, capsys):
    ref, hyp = tmp_path / "ref.en", tmp_path / "hyp.en"
    ref.write_bytes("The army was deployed.\n".encode("utf-16"))
    hyp.write_bytes(b"The army was deployed.\n")
    assert main(["score", "-r", str(ref), str(hyp), "-m", "bleu"]) == 0
    out = capsys.readouterr().out
    assert f"note: {ref}: decoded as UTF-16-LE (byte-order mark)" in out
    assert "100.0" in out
