"""`vi2en score` against the real `sacrebleu` command line: same files, same options, same
numbers and signature strings; plus the one-line errors."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vi2en.cli.main import main

SACREBLEU = [sys.executable, "-m", "sacrebleu"]
WIDTH = 6
CUT = 150  # lines of the NTREX cut used where TER or the CLI would be slow


def perturb(lines: list[str], seed: int) -> list[str]:
    """A plausible 'system output': words dropped, swapped and re-cased, some lines untouched."""
    rng = random.Random(seed)
    out = []
    for line in lines:
        words = line.split()
        for _ in range(rng.randrange(0, 1 + len(words) // 5)):
            i, op = rng.randrange(len(words)), rng.random()
            if op < 0.3 and len(words) > 1:
                del words[i]
            elif op < 0.6:
                words[i] = words[i].lower()
            else:
                j = rng.randrange(len(words))
                words[i], words[j] = words[j], words[i]
        out.append(" ".join(words))
    return out


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ntrex(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """NTREX-128 English references, two perturbed systems, and a CUT-line cut (TER is slow)."""
    folder = tmp_path_factory.mktemp("ntrex")
    ref = (shared_dir / "data/ntrex128/ntrex.en").read_text(encoding="utf-8").splitlines()
    files = {"ref": shared_dir / "data/ntrex128/ntrex.en"}
    files["hyp1"] = write(folder / "hyp1.en", perturb(ref, 1))
    files["hyp2"] = write(folder / "hyp2.en", perturb(ref, 2))
    files["refcut"] = write(folder / "refcut.en", ref[:CUT])
    files["refBcut"] = write(folder / "refBcut.en", perturb(ref[:CUT], 7))
    files["hypcut"] = write(folder / "hypcut.en", perturb(ref[:CUT], 3))
    files["hypBcut"] = write(folder / "hypBcut.en", perturb(ref[:CUT], 4))
    return files


def sacrebleu_json(refs: list[Path], hyp: Path, *args: str) -> list[dict]:
    cmd = [*SACREBLEU, *map(str, refs), "-i", str(hyp), "-w", str(WIDTH), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    return data if isinstance(data, list) else [data]


def vi2en_json(capsys: pytest.CaptureFixture[str], refs: list[Path], hyps: list[Path],
               *args: str) -> dict:
    argv = ["score", *(x for r in refs for x in ("-r", str(r))), *map(str, hyps),
            "-f", "json", "--jobs", "1", *args]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


CASES = [
    # (name, references, our flags, sacrebleu flags, metric key)
    ("bleu-default", ["ref"], "hyp1", ["-m", "bleu"], ["-m", "bleu"], "BLEU"),
    ("chrf-default", ["ref"], "hyp1", ["-m", "chrf"], ["-m", "chrf"], "chrF2"),
    ("bleu-intl-lc-floor", ["ref"], "hyp2",
     ["-m", "bleu", "-tok", "intl", "-lc", "-s", "floor", "-sv", "0.2"],
     ["-m", "bleu", "-tok", "intl", "-lc", "-s", "floor", "-sv", "0.2"], "BLEU"),
    ("chrf++", ["refcut"], "hypcut", ["-m", "chrf++"],
     ["-m", "chrf", "--chrf-word-order", "2"], "chrF2++"),
    ("ter", ["refcut"], "hypcut", ["-m", "ter"], ["-m", "ter"], "TER"),
    ("ter-case-punct", ["refcut"], "hypcut", ["-m", "ter", "--ter-case-sensitive",
                                              "--ter-no-punct"],
     ["-m", "ter", "--ter-case-sensitive", "--ter-no-punct"], "TER"),
    ("bleu-2refs", ["refcut", "refBcut"], "hypcut", ["-m", "bleu"], ["-m", "bleu"], "BLEU"),
    ("chrf-2refs", ["refcut", "refBcut"], "hypcut", ["-m", "chrf"], ["-m", "chrf"], "chrF2"),
    ("ter-2refs", ["refcut", "refBcut"], "hypcut", ["-m", "ter"], ["-m", "ter"], "TER"),
    ("bleu-confidence", ["refcut"], "hypcut", ["-m", "bleu", "--confidence"],
     ["-m", "bleu", "--confidence"], "BLEU"),
    ("chrf-short-signature", ["refcut"], "hypcut", ["-m", "chrf", "--short"],
     ["-m", "chrf", "--short", "-f", "text"], "chrF2"),
]


@pytest.mark.parametrize(("name", "refs", "hyp", "ours", "theirs", "key"), CASES,
                         ids=[c[0] for c in CASES])
def test_corpus_score_and_signature_equal_sacrebleu_cli(
    ntrex, capsys, name, refs, hyp, ours, theirs, key
):
    ref_paths = [ntrex[r] for r in refs]
    report = vi2en_json(capsys, ref_paths, [ntrex[hyp]], *ours)
    entry = report["corpus"][str(ntrex[hyp])][key]
    if "--short" in theirs:  # sacreBLEU JSON always prints long signatures; text prints short
        cmd = [*SACREBLEU, *map(str, ref_paths), "-i", str(ntrex[hyp]), "-w", str(WIDTH),
               *theirs]
        text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        assert text == f"{key}|{report['signatures'][key]} = {entry['score']:.{WIDTH}f}"
        return
    (theirs_entry,) = sacrebleu_json(ref_paths, ntrex[hyp], *theirs)
    assert theirs_entry["name"] == key
    assert f"{entry['score']:.{WIDTH}f}" == f"{theirs_entry['score']:.{WIDTH}f}"
    assert report["signatures"][key] == theirs_entry["signature"]
    if "--confidence" in ours:
        assert f"{entry['mean']:.{WIDTH}f}" == f"{theirs_entry['confidence_mean']:.{WIDTH}f}"
        assert f"{entry['ci']:.{WIDTH}f}" == f"{theirs_entry['confidence_var']:.{WIDTH}f}"
    if key == "BLEU":
        assert theirs_entry["verbose_score"] in entry["text"]


def test_all_four_metrics_by_default_match_sacrebleu(ntrex, capsys):
    report = vi2en_json(capsys, [ntrex["refcut"]], [ntrex["hypBcut"]])
    assert report["metrics"] == ["BLEU", "chrF2", "chrF2++", "TER"]
    theirs = sacrebleu_json([ntrex["refcut"]], ntrex["hypBcut"], "-m", "bleu", "chrf", "ter")
    for item in theirs:
        ours = report["corpus"][str(ntrex["hypBcut"])][item["name"]]
        assert f"{ours['score']:.{WIDTH}f}" == f"{item['score']:.{WIDTH}f}"
        assert report["signatures"][item["name"]] == item["signature"]


@pytest.mark.parametrize("metric", ["bleu", "chrf", "ter"])
def test_sentence_scores_equal_sacrebleu_sentence_level(ntrex, capsys, metric):
    report = vi2en_json(capsys, [ntrex["refcut"]], [ntrex["hypcut"]], "-m", metric)
    key = report["metrics"][0]
    cmd = [*SACREBLEU, str(ntrex["refcut"]), "-i", str(ntrex["hypcut"]), "-m", metric, "-sl",
           "-w", str(WIDTH)]
    lines = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()
    ours = report["sentences"][str(ntrex["hypcut"])][key]
    assert len(lines) == len(ours) == CUT
    for line, score in zip(lines, ours, strict=True):
        assert line == f"{key}|{report['sentence_signatures'][key]} = {score:.{WIDTH}f}" or \
            line.startswith(f"{key}|{report['sentence_signatures'][key]} = {score:.{WIDTH}f} ")


PAIRED_ROW = re.compile(r"([\d.]+)(?: \(([\d.]+) ± ([\d.]+)\))?")


def sacrebleu_paired(ntrex, test: str, metric: str, n: str) -> tuple[list[list[str]], str]:
    flag = {"bs": ["--paired-bs", "--paired-bs-n", n], "ar": ["--paired-ar", "--paired-ar-n", n]}
    cmd = [*SACREBLEU, str(ntrex["refcut"]), "-i", str(ntrex["hypcut"]), str(ntrex["hypBcut"]),
           "-m", metric, "-f", "text", "--no-color", "-w", "4", *flag[test]]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    cells = re.findall(r"│\s+([^│]*?)\s+│\s*$", out, flags=re.M)
    signature = re.search(r"^ - \S+\s+(nrefs:\S+)$", out, flags=re.M)
    return cells, signature.group(1) if signature else ""


@pytest.mark.parametrize(("test", "metric", "n"), [("bs", "bleu", "1000"), ("ar", "chrf", "500"),
                                                    ("bs", "ter", "200")])
def test_paired_tests_equal_sacrebleu_cli_and_give_json(ntrex, capsys, test, metric, n):
    flag = ["--paired-bs", "--paired-bs-n", n] if test == "bs" else ["--paired-ar",
                                                                     "--paired-ar-n", n]
    report = vi2en_json(capsys, [ntrex["refcut"]], [ntrex["hypcut"], ntrex["hypBcut"]],
                        "-m", metric, *flag)
    (result,) = report["significance"]
    key = report["metrics"][0]
    cells, signature = sacrebleu_paired(ntrex, test, metric, n)
    assert result["signatures"][key] == signature
    base, other = (r["scores"] for r in result["results"])
    expected_base = f"{base[key]['score']:.4f}"
    if test == "bs":
        expected_base += f" ({base[key]['mean']:.4f} ± {base[key]['ci']:.4f})"
    assert cells[1] == expected_base  # cells[0] is the header
    assert cells[2].startswith(f"{other[key]['score']:.4f}")
    assert cells[3].strip("*() ") == f"p = {other[key]['p_value']:.4f}"
    assert other[key]["significant"] == (other[key]["p_value"] < 0.05)
    json.dumps(report)  # plain floats only: sacreBLEU's own JSON path crashes here


def test_docids_give_per_document_scores(ntrex, shared_dir, capsys):
    report = vi2en_json(capsys, [ntrex["ref"]], [ntrex["hyp1"]], "-m", "bleu", "chrf",
                        "--docids", str(shared_dir / "data/ntrex128/document_ids.tsv"))
    docs = report["documents"]
    assert len(docs["spans"]) == 123
    assert docs["spans"][0] == {"id": "bbc.381790", "first_line": 1, "last_line": 16}
    assert len(docs["scores"][str(ntrex["hyp1"])]["BLEU"]) == 123


def test_worst_segments_come_with_source_and_reference(ntrex, shared_dir, capsys, tmp_path):
    src = write(tmp_path / "srccut.vi", (shared_dir / "data/ntrex128/ntrex.vi")
                .read_text(encoding="utf-8").splitlines()[:CUT])
    assert main(["score", "-r", str(ntrex["refcut"]), str(ntrex["hypcut"]), "--src", str(src),
                 "-m", "chrf", "--worst", "3"]) == 0
    out = capsys.readouterr().out
    assert "3 worst segments by sentence chrF2" in out
    assert out.count("  SRC: ") == 3 and out.count("  REF: ") == 3 and out.count("  HYP: ") == 3


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html"])
def test_output_file_is_written(ntrex, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    argv = ["score", "-r", str(ntrex["refcut"]), str(ntrex["hypcut"]), "-m", "bleu",
            "-f", fmt, "-o", str(target)]
    assert main(argv) == 0
    assert "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" in target.read_text("utf-8")


BAD_INPUTS = [
    ("empty", b"", "is empty"),
    ("blank", b"\n\n  \n", "is empty"),
    ("binary", b"\x00\x01\x02abc\n", "looks binary"),
    ("gbk", "北京\n".encode("gbk"), "is not UTF-8, and read as Windows-1258 it is not text"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_hypothesis_is_one_line_exit_2_and_no_output(tmp_path, capsys, name, data, message):
    ref = write(tmp_path / "ref.en", ["A line."])
    hyp = tmp_path / "hyp.en"
    hyp.write_bytes(data)
    target = tmp_path / "out.json"
    assert main(["score", "-r", str(ref), str(hyp), "-o", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and str(hyp) in err and len(err.splitlines()) == 1
    assert not target.exists()


def test_line_count_mismatch_names_both_files_and_counts(tmp_path, capsys):
    ref = write(tmp_path / "ref.en", ["one", "two", "three"])
    hyp = write(tmp_path / "hyp.en", ["one", "two"])
    assert main(["score", "-r", str(ref), str(hyp)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"vi2en score: error: {hyp} has 2 lines but {ref} has 3; files must "
                   "correspond line by line (for a differently segmented hypothesis, use --align)")


def test_docids_count_mismatch_is_one_line(tmp_path, capsys):
    ref = write(tmp_path / "ref.en", ["one", "two"])
    ids = write(tmp_path / "ids.txt", ["d1"])
    assert main(["score", "-r", str(ref), str(ref), "--docids", str(ids)]) == 2
    assert f"{ids} has 1 lines but {ref} has 2" in capsys.readouterr().err


def test_paired_needs_two_systems(tmp_path, capsys):
    ref = write(tmp_path / "ref.en", ["one"])
    assert main(["score", "-r", str(ref), str(ref), "--paired-bs"]) == 2
    assert "need two or more hypothesis files" in capsys.readouterr().err


def test_subprocess_run_prints_table(tmp_path):
    ref = write(tmp_path / "ref.en", ["The cat sat on the mat.", "It rained."])
    hyp = write(tmp_path / "hyp.en", ["The cat sat on a mat.", "It rained."])
    proc = subprocess.run([sys.executable, "-m", "vi2en", "score", "-r", str(ref), str(hyp),
                           "--normalize", "punct,nfc"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "== Corpus scores ==" in proc.stdout
    assert "normalisation: Unicode NFC; punctuation to ASCII" in proc.stdout
    assert "BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" in proc.stdout


@pytest.mark.issue(11)
@pytest.mark.parametrize(("tokenizer", "module", "extra"),
                         [("ja-mecab", "tokenizer_ja_mecab", "sacrebleu[ja]"),
                          ("ko-mecab", "tokenizer_ko_mecab", "sacrebleu[ko]")])
def test_tokenizer_without_its_extra_says_what_to_install(tmp_path, capsys, monkeypatch,
                                                          tokenizer, module, extra):
    """sacreBLEU's RuntimeError was 'internal error' (exit 1); it is the user's to fix."""
    import importlib

    tokenizers = importlib.import_module(f"sacrebleu.tokenizers.{module}")
    monkeypatch.setattr(tokenizers, "MeCab", None)  # as without the extra, installed or not
    ref = write(tmp_path / "ref.en", ["A line."])
    target = tmp_path / "out.json"
    code = main(["score", "-r", str(ref), str(ref), "-tok", tokenizer, "-o", str(target)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert f"BLEU tokenizer '{tokenizer}' needs packages" in err
    assert f"pip install '{extra}'" in err
    assert not target.exists()


@pytest.mark.issue(11)
@pytest.mark.parametrize("tokenizer", ["spm", "flores101", "flores200"])
def test_spm_tokenizer_offline_says_where_its_model_goes(tmp_path, capsys, monkeypatch,
                                                         tokenizer):
    """sacreBLEU downloads these models on first use; offline that was an URLError (exit 1)."""
    import urllib.error
    import urllib.request

    from sacrebleu.tokenizers import tokenizer_spm

    def offline(*args, **kwargs):
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    monkeypatch.setattr(tokenizer_spm, "SACREBLEU_DIR", str(tmp_path / "sacrebleu"))
    monkeypatch.setattr(urllib.request, "urlopen", offline)
    ref = write(tmp_path / "ref.en", ["A line."])
    code = main(["score", "-r", str(ref), str(ref), "-tok", tokenizer])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith(f"vi2en score: error: BLEU tokenizer '{tokenizer}' needs")
    assert str(tmp_path / "sacrebleu" / "models") in err[-1]
    assert "Name or service not known" in err[-1] and "choose another --tokenize" in err[-1]


@pytest.mark.issue(11)
def test_eval_refuses_a_missing_tokenizer_before_translating(tmp_path, capsys, monkeypatch):
    from sacrebleu.tokenizers import tokenizer_ja_mecab

    import vi2en.translator

    monkeypatch.setattr(tokenizer_ja_mecab, "MeCab", None)
    monkeypatch.setattr(vi2en.translator, "Translator", None)  # translating would crash
    src = write(tmp_path / "src.vi", ["Xin chào."])
    ref = write(tmp_path / "ref.en", ["Hello."])
    code = main(["eval", "--src", str(src), "--ref", str(ref), "-tok", "ja-mecab",
                 "-o", str(tmp_path / "run")])
    assert code == 2
    assert "pip install 'sacrebleu[ja]'" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()
