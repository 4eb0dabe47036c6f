"""scripts/bench.py: its CLI starts, and its model builder makes the shape it is asked for.

No timings here: the benchmark itself is a script (`python scripts/bench.py`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))

import bench  # noqa: E402
import bench_model  # noqa: E402
import bench_report  # noqa: E402


def test_help_runs():
    out = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench.py"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--docs" in out and "--json" in out


@pytest.mark.issue(11)
def test_the_benchmark_builds_the_shape_the_readme_reports():
    """The figures in the README are for the shape it names; the benchmark must build that one
    (was: the constant compared with its own literals, which no change could make fail)."""
    import inspect
    import re

    readme = (SCRIPTS.parent / "README.md").read_text("utf-8")
    found = re.search(r"exact shape \(d_model (\d+), (\d+)\+\d+ layers, (\d+) heads, FFN (\d+),"
                      r"\s+vocabulary ([\d,]+)", readme)  # fmt: skip
    assert found, "the README's Performance section no longer states the benchmark's shape"
    d_model, layers, heads, ffn, vocab = (int(g.replace(",", "")) for g in found.groups())
    default = inspect.signature(bench_model.build_model).parameters["shape"].default
    assert (default.d_model, default.layers, default.heads, default.ffn, default.vocab_size) == (
        d_model, layers, heads, ffn, vocab)
    # bench.py builds the default shape (no other shape is passed).
    assert re.search(r"build_model\(\)", (SCRIPTS / "bench.py").read_text("utf-8"))


def test_ntrex_documents_split_at_document_ids(shared_dir: Path):
    docs = bench.ntrex_documents(3)
    assert [len(d) for d in docs] == [16, 6, 21]


@pytest.mark.slow
def test_builder_makes_the_asked_shape_and_its_int8_conversion(shared_dir: Path, tmp_path: Path):
    from transformers import MarianConfig

    shape = bench_model.MarianShape(
        d_model=16, layers=1, heads=2, ffn=32, vocab_size=4000, spm_vocab_size=600
    )
    hf, ct2 = bench_model.build_model(shape, root=tmp_path)
    config = MarianConfig.from_pretrained(hf)
    assert (config.d_model, config.encoder_layers, config.decoder_ffn_dim) == (16, 1, 32)
    assert config.vocab_size == 4000 and config.activation_function == "swish"
    assert config.static_position_embeddings and config.scale_embedding
    vocab = json.loads((hf / "vocab.json").read_text("utf-8"))
    assert len(vocab) == 4000 and vocab["</s>"] == 0 and vocab["<pad>"] == 3999
    assert json.loads((ct2 / "vi2en.json").read_text("utf-8"))["quantization"] == "int8"
    assert bench_model.build_model(shape, root=tmp_path) == (hf, ct2)  # cached: same folders


def test_close_targets_are_medians_of_the_paired_rounds():
    res = {
        "pipe_ctranslate2_False": {"seconds": 10.0, "sent_per_s": 10.0},
        "pipe_ctranslate2_True": {"seconds": 13.0, "sent_per_s": 7.7},
        "ct2_raw": [{"name": "raw a", "sent_per_s": 12.5}, {"name": "raw b", "sent_per_s": 8.0}],
        "paired": {"raw": [9.0, 11.0, 9.5], "plain": [10.0, 12.0, 10.0],
                   "aligned": [10.5, 14.4, 10.2]},
    }
    log = [{"name": "vi2en CT2 pipeline", "peak_rss_mb": 450.0},
           {"name": "vi2en CT2 pipeline --align", "peak_rss_mb": 480.0},
           {"name": "paired: raw CT2 best, vi2en CT2 -/+ --align, 3 rounds", "peak_rss_mb": 900.0},
           {"name": "vi2en transformers pipeline", "peak_rss_mb": 1500.0}]  # fmt: skip
    figures = bench_report.target_figures(res, log)
    assert figures["align_overhead"] == pytest.approx(1.05)  # rounds: 1.05, 1.20, 1.02
    assert figures["paired_align"] == pytest.approx([1.02, 1.05, 1.20])
    assert figures["pipeline_vs_raw_ct2"] == pytest.approx(11 / 12)  # rounds: 0.90, 0.917, 0.95
    assert figures["pipeline_vs_raw_processes"] == pytest.approx(0.8)  # 10 / 12.5
    assert figures["align_overhead_processes"] == pytest.approx(1.3)
    assert figures["raw_ct2_best"] == "raw a"
    # The int8 path's peak: vi2en CT2 pipeline processes only (paired loads a second model).
    assert figures["peak_mb_int8"] == 480.0


def test_without_paired_rounds_the_separate_runs_decide():
    res = {"pipe_ctranslate2_False": {"seconds": 10.0, "sent_per_s": 10.0},
           "pipe_ctranslate2_True": {"seconds": 10.5, "sent_per_s": 9.5},
           "ct2_raw": [{"name": "raw a", "sent_per_s": 11.0}]}  # fmt: skip
    figures = bench_report.target_figures(res, [])
    assert figures["align_overhead"] == pytest.approx(1.05)
    assert figures["pipeline_vs_raw_ct2"] == pytest.approx(10 / 11)


@pytest.mark.slow
@pytest.mark.issue(13)
def test_joint_spm_build_has_one_sentencepiece_model_for_both_sides(shared_dir: Path,
                                                                     tmp_path: Path):  # fmt: skip
    """The layout an Argos Translate package needs (bench_serve's system (d)); the default build
    keeps its own folder and cache key."""
    import sentencepiece as spm

    shape = bench_model.MarianShape(
        d_model=16, layers=1, heads=2, ffn=32, vocab_size=4000, spm_vocab_size=600
    )
    hf, ct2 = bench_model.build_model(shape, root=tmp_path, joint_spm=True)
    assert hf.parent.name == f"opus-mt-vi-en-joint-spm-{bench_model.shape_key(shape)}"
    assert (ct2 / "source.spm").read_bytes() == (ct2 / "target.spm").read_bytes()
    sp = spm.SentencePieceProcessor(model_file=str(ct2 / "source.spm"))
    vocab = json.loads((hf / "vocab.json").read_text("utf-8"))
    assert sp.id_to_piece(sp.get_piece_size() - 1) in vocab
    # Both languages' text encodes without unknown pieces, so one model decodes English too.
    for text in ("Hà Nội mưa to.", "Heavy rain in Hanoi."):
        assert sp.unk_id() not in sp.encode(text)
    default_hf, _ = bench_model.build_model(shape, root=tmp_path)
    assert default_hf.parent.name == f"opus-mt-vi-en-shape-{bench_model.shape_key(shape)}"
    assert (default_hf / "source.spm").read_bytes() != (default_hf / "target.spm").read_bytes()
