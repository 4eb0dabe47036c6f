"""`vi2en align`: formats, hard boundaries, the MT bridge, and refusing nonsense input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vi2en.cli.main import main
from vi2en.doc import Translation

VI = [
    "Tổng thống Putin đến Kharkov vào ngày 27/3 để gặp các quan chức địa phương.",
    "Ông nói rằng 11.000 binh sĩ sẽ được rút khỏi khu vực trong tháng tới.",
    "Hãng thông tấn KCNA đưa tin giá lương thực đã tăng 3,5% so với năm ngoái.",
    "Người dân trong thành phố cho biết họ lo lắng về tình hình an ninh.",
    "Một quan chức giấu tên nói với Reuters rằng cuộc đàm phán sẽ tiếp tục.",
    "Theo số liệu chính thức, 250 người đã được sơ tán khỏi nhà của họ.",
]
EN = [
    "President Putin arrived in Kharkov on March 27 to meet local officials.",
    "He said 11,000 troops would be withdrawn from the area next month. "
    "The KCNA news agency reported food prices had risen 3.5% on last year.",
    "People in the city said they were worried about the security situation.",
    "An unnamed official told Reuters the talks would continue.",
    "According to official figures, 250 people were evacuated from their homes.",
]
GOLD = [([0], [0]), ([1, 2], [1]), ([3], [2]), ([4], [3]), ([5], [4])]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    src, tgt = tmp_path / "a.vi", tmp_path / "a.en"
    src.write_text("\n".join(VI) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(EN) + "\n", encoding="utf-8")
    return src, tgt


def test_tsv_to_file(files: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    out = tmp_path / "beads.tsv"
    assert main(["align", str(files[0]), str(files[1]), "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["src", "tgt", "score", "src_text", "tgt_text"]
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("0", "0"),
        ("1,2", "1"),
        ("3", "2"),
        ("4", "3"),
        ("5", "4"),
    ]
    assert rows[2][3] == f"{VI[1]} {VI[2]}" and rows[2][4] == EN[1]
    float(rows[1][2])


def test_jsonl_and_pairs(files: tuple[Path, Path], capsys) -> None:
    assert main(["align", str(files[0]), str(files[1]), "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["src"], r["tgt"]) for r in records] == GOLD
    assert records[0]["src_text"] == VI[0] and records[0]["tgt_text"] == EN[0]
    assert main(["align", str(files[0]), str(files[1]), "--format", "pairs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == f"{VI[1]} {VI[2]}\t{EN[1]}"
    assert len(lines) == 5


def test_blank_line_and_docids_are_hard_boundaries(tmp_path: Path, capsys) -> None:
    src, tgt = tmp_path / "b.vi", tmp_path / "b.en"
    src.write_text("\n".join(VI[:3]) + "\n\n" + "\n".join(VI[3:]) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(EN) + "\n", encoding="utf-8")
    ids = tmp_path / "ids"
    ids.write_text("d1\nd2\nd2\nd2\nd2\nd2\n", encoding="utf-8")
    tgt_ids = tmp_path / "tgt_ids"
    tgt_ids.write_text("d1\nd2\nd2\nd2\nd2\n", encoding="utf-8")
    assert (
        main(
            [
                "align",
                str(src),
                str(tgt),
                "--format",
                "jsonl",
                "--src-docids",
                str(ids),
                "--tgt-docids",
                str(tgt_ids),
            ]
        )
        == 0
    )
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # the blank line after sentence 2 forbids the 2-1 bead [1, 2] -> [1]
    assert all(not {2, 3} <= set(r["src"]) for r in records)
    assert ([0], [0]) in [(r["src"], r["tgt"]) for r in records]
    assert [s for r in records for s in r["src"]] == list(range(6))


def test_segment_mode_splits_articles(tmp_path: Path, capsys) -> None:
    src, tgt = tmp_path / "art.vi", tmp_path / "art.en"
    src.write_text(" ".join(VI[:3]) + "\n" + " ".join(VI[3:]) + "\n", encoding="utf-8")
    tgt.write_text(" ".join(EN[:2]) + "\n" + " ".join(EN[2:]) + "\n", encoding="utf-8")
    assert main(["align", str(src), str(tgt), "--segment", "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[0]["src_text"] == VI[0]
    assert [(r["src"], r["tgt"]) for r in records][:2] == [([0], [0]), ([1], [1])]


def test_bridge_file_and_model(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch, capsys
) -> None:
    bridge = tmp_path / "bridge.en"
    bridge.write_text(
        "\n".join(f"translation {k}" for k in range(len(VI))) + "\n", encoding="utf-8"
    )
    assert main(["align", str(files[0]), str(files[1]), "--bridge", str(bridge)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 6
    calls = []

    class FakeTranslator:
        def __init__(self, *, model: str, engine: str) -> None:
            calls.append((model, engine))

        def translate_segments(self, texts: list[str]) -> list[Translation]:
            return [Translation(text=EN[0] if k == 0 else "x") for k in range(len(texts))]

    monkeypatch.setattr("vi2en.translator.Translator", FakeTranslator)
    assert (
        main(
            [
                "align",
                str(files[0]),
                str(files[1]),
                "--model",
                "m1",
                "--engine",
                "transformers",
                "--format",
                "jsonl",
            ]
        )
        == 0
    )
    assert calls == [("m1", "transformers")]
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert (first["src"], first["tgt"]) == ([0], [0])


def error_of(argv: list[str], capsys) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    return captured.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "no text"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"caf\xe9 \x81\x8d abc", "UTF-8"),
    ],
)
def test_bad_target_file_is_one_line_and_no_output(
    files: tuple[Path, Path], tmp_path: Path, capsys, content: bytes, message: str
) -> None:
    bad, out = tmp_path / "bad.en", tmp_path / "out.tsv"
    bad.write_bytes(content)
    err = error_of(["align", str(files[0]), str(bad), "-o", str(out)], capsys)
    assert message in err
    assert not out.exists()


def test_missing_file(files: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.tsv"
    err = error_of(["align", str(tmp_path / "nope.vi"), str(files[1]), "-o", str(out)], capsys)
    assert "no such file" in err and not out.exists()


@pytest.mark.parametrize(
    ("which", "message"),
    [("vi", "both sides look Vietnamese"), ("en", "both sides look English"), ("swap", "swapped")],
)
def test_same_language_is_refused_unless_forced(
    files: tuple[Path, Path], tmp_path: Path, capsys, which: str, message: str
) -> None:
    src, tgt = files
    argv = {"vi": [src, src], "en": [tgt, tgt], "swap": [tgt, src]}[which]
    out = tmp_path / "out.tsv"
    err = error_of(["align", *map(str, argv), "-o", str(out)], capsys)
    assert message in err and "--force" in err and not out.exists()
    assert main(["align", *map(str, argv), "-o", str(out), "--force"]) == 0
    assert message in capsys.readouterr().err and out.exists()


def test_wildly_different_lengths(files: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    short = tmp_path / "short.en"
    short.write_text("Putin.\n", encoding="utf-8")
    err = error_of(["align", str(files[0]), str(short)], capsys)
    assert "far beyond a translation" in err
    # a moderately different pair aligns, with a warning
    half = tmp_path / "half.en"
    half.write_text("\n".join(EN[:2]) + "\n", encoding="utf-8")
    assert main(["align", str(files[0]), str(half)]) == 0
    assert "warning" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--src-docids", "IDS3"], "3 document ids"),
        (["--bridge", "IDS3"], "the bridge has 3 lines"),
        (["--src-docids", "IDS6", "--tgt-docids", "IDS5X"], "document ids differ"),
        (["--bridge", "IDS3", "--model", "m"], "either a bridge file or a model"),
    ],
)
def test_mismatched_side_files(
    files: tuple[Path, Path], tmp_path: Path, capsys, extra: list[str], message: str
) -> None:
    (tmp_path / "IDS3").write_text("a\nb\nc\n", encoding="utf-8")
    (tmp_path / "IDS6").write_text("a\na\na\nb\nb\nb\n", encoding="utf-8")
    (tmp_path / "IDS5X").write_text("a\na\nc\nc\nc\n", encoding="utf-8")
    extra = [str(tmp_path / e) if e.startswith("IDS") else e for e in extra]
    assert message in error_of(["align", str(files[0]), str(files[1]), *extra], capsys)


def test_subprocess(files: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "pairs.txt"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "vi2en",
            "align",
            str(files[0]),
            str(files[1]),
            "--format",
            "pairs",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0] == f"{VI[0]}\t{EN[0]}"
    done = subprocess.run(
        [sys.executable, "-m", "vi2en", "align", str(files[1]), str(files[1])],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
