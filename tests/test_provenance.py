"""The translation signature: built from what runs, fingerprinting the model files, and the one
record that the cache key, the resume stamps and every output carry."""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.fake_engine import FakeEngine
from vi2en import __version__, provenance
from vi2en.cli.main import main
from vi2en.doc import TranslationSignature
from vi2en.translator import Translator


@pytest.fixture(autouse=True)
def cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(provenance, "_memo", None)  # this test's cache dir, not another's
    return tmp_path / "cache"


@pytest.fixture
def model_copy(tiny_ct2_model: Path, tmp_path: Path) -> Path:
    """A CTranslate2 folder of our own to edit."""
    return Path(shutil.copytree(tiny_ct2_model, tmp_path / "model"))


def test_signature_says_what_ran_not_what_was_asked(model_copy: Path) -> None:
    tr = Translator(str(model_copy), "auto", device="auto", threads=1)
    sig = tr.signature()
    assert (sig.engine, sig.device, sig.compute_type) == ("ctranslate2", "cpu", "int8")
    assert (sig.model, sig.revision, sig.beam_size, sig.soft_limit) == (
        str(model_copy), None, 4, 200)
    assert sig.vi2en == __version__ and sig.segmenter == "vi2en-rules-2"
    assert sig.preparation == "opus-mt-prep-1" and sig.length_policy == "2*up16(n)+10<=512/v2"
    generation = json.loads((model_copy / "generation_config.json").read_text("utf-8"))
    generation.pop("transformers_version", None)
    assert dict(sig.generation) == generation and "num_beams" in generation


def test_fingerprint_is_the_sha256_of_the_files(model_copy: Path) -> None:
    (model_copy / "README.md").write_text("a model card", "utf-8")  # docs do not count
    files = sorted(p for p in model_copy.iterdir() if p.suffix != ".md")
    digest = hashlib.sha256()
    for path in files:
        content = path.read_bytes()
        if path.name == "vi2en.json":  # where it was converted from does not count
            meta = json.loads(content)
            meta.pop("source")
            content = json.dumps(meta, sort_keys=True).encode()
        digest.update(f"{path.name}\0{hashlib.sha256(content).hexdigest()}\n".encode())
    assert provenance.model_fingerprint(model_copy) == digest.hexdigest()


def test_fingerprint_changes_with_any_model_file(model_copy: Path) -> None:
    before = provenance.model_fingerprint(model_copy)
    vocab = model_copy / "vocab.json"
    stat = vocab.stat()
    data = vocab.read_bytes()
    vocab.write_bytes(data.replace(b'"<unk>"', b'"<UNK>"', 1))
    os.utime(vocab, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time
    assert provenance.model_fingerprint(model_copy) != before  # small files are always hashed


def test_large_files_are_hashed_once_and_remembered(model_copy: Path, cache_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    big = model_copy / "model.bin"  # 280 kB in the tiny model: make that "large"
    monkeypatch.setattr(provenance, "MEMO_MIN_BYTES", 100_000)
    small = (model_copy / "vocab.json").stat().st_size
    assert big.stat().st_size >= provenance.MEMO_MIN_BYTES > small
    hashed: list[str] = []
    real = provenance._hash_file
    monkeypatch.setattr(provenance, "_hash_file", lambda p: hashed.append(p.name) or real(p))
    first = provenance.model_fingerprint(model_copy)
    assert hashed.count("model.bin") == 1 and (cache_dir / "fingerprints.json").is_file()
    monkeypatch.setattr(provenance, "_memo", None)  # a new process reads the memo file
    assert provenance.model_fingerprint(model_copy) == first
    assert hashed.count("model.bin") == 1
    with open(big, "r+b") as handle:  # edited in place: new mtime, hashed again
        handle.seek(100)
        handle.write(b"\x00\x01\x02\x03")
    assert provenance.model_fingerprint(model_copy) != first
    assert hashed.count("model.bin") == 2


def test_round_trip_key_and_printable_form() -> None:
    engine = FakeEngine(name="ctranslate2", model_id="m", revision="0123456789abcdef",
                        compute_type="int8")
    sig = provenance.signature_for(engine, beam_size=3, soft_limit=150)
    assert TranslationSignature.from_dict(json.loads(json.dumps(sig.to_dict()))) == sig
    assert sig.key() == TranslationSignature.from_dict(sig.to_dict()).key()
    text = sig.format()
    assert text.startswith(f"vi2en:{__version__}|model:m@0123456789ab|sha:none|gen:")
    assert "|engine:ctranslate2|device:cpu|compute:int8|beam:3|soft:150|" in text
    assert "|len:2*up16(n)+10<=64/v2|" in text
    with pytest.raises(ValueError, match="missing or unknown"):
        TranslationSignature.from_dict({**sig.to_dict(), "extra": 1})


def test_every_field_changes_the_key() -> None:
    sig = provenance.signature_for(FakeEngine(), beam_size=2, soft_limit=200)
    base = sig.to_dict()
    changed = {"vi2en": "9", "model": "x", "revision": "r", "model_sha": "s",
               "generation": {"num_beams": 1}, "engine": "e", "device": "cuda",
               "compute_type": "int16", "beam_size": 5, "soft_limit": 99, "length_policy": "p",
               "segmenter": "s2", "preparation": "p2", "guards": "caps"}  # fmt: skip
    assert set(changed) == set(base)
    keys = {TranslationSignature.from_dict({**base, k: v}).key() for k, v in changed.items()}
    assert len(keys) == len(changed) and sig.key() not in keys


@pytest.mark.issue(11)
def test_a_rerun_rewrites_after_the_generation_config_changes(
    model_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name in ("a", "b"):
        (src / f"{name}.txt").write_text("Hà Nội mưa to.\n", encoding="utf-8")
    argv = ["translate", str(src), "-o", str(out), "--model", str(model_copy), "--format",
            "jsonl", "--threads", "1"]  # fmt: skip
    assert main(argv) == 0
    assert main(argv) == 0
    assert "2 output(s) already up to date" in capsys.readouterr().err
    config = model_copy / "generation_config.json"
    settings = json.loads(config.read_text("utf-8"))
    assert settings["num_beams"] == 4
    config.write_text(json.dumps({**settings, "num_beams": 1}), "utf-8")
    assert main(argv) == 0
    assert "already up to date" not in capsys.readouterr().err
    header = json.loads((out / "a.jsonl").read_text("utf-8").splitlines()[0])
    assert header["beam_size"] == header["signature"]["beam_size"] == 1
    assert header["signature"]["generation"]["num_beams"] == 1


def test_the_stamp_is_made_only_when_an_output_may_be_current(tmp_path: Path,
                                                              monkeypatch) -> None:
    from vi2en.filejobs import plan_jobs, translate_files

    loads: list[str] = []

    def load(name, model, **settings):
        loads.append(model)
        return FakeEngine()

    monkeypatch.setattr("vi2en.engines.load_engine", load)
    (tmp_path / "empty.txt").write_bytes(b"")
    jobs = plan_jobs([str(tmp_path / "empty.txt")], str(tmp_path / "o.txt"))
    with pytest.raises(Exception, match="empty"):
        translate_files(Translator("m"), jobs)
    assert loads == []  # a bad input is reported before any model is loaded


def test_signature_reaches_every_output_format(tmp_path: Path) -> None:
    from vi2en.formats import FORMATS, get_renderer
    from vi2en.formats.jsonl import parse

    engine = FakeEngine(name="ctranslate2", compute_type="int8", revision="abc123")
    doc = Translator(engine=engine).translate_text("Hà Nội mưa to.\n")
    sig = doc.signature
    assert sig is not None and sig.engine == "ctranslate2"
    assert parse(get_renderer("jsonl")(doc)).signature == sig
    for name in ("xliff", "xliff12", "tmx", "html"):
        text = get_renderer(name)(doc)
        assert sig.format() in html.unescape(text), name
    xliff = get_renderer("xliff")(doc)
    assert '<mda:meta type="compute_type">int8</mda:meta>' in xliff
    assert '<prop type="x-vi2en-revision">abc123</prop>' in get_renderer("tmx")(doc)
    assert set(FORMATS) == {"txt", "jsonl", "tsv", "xliff", "xliff12", "tmx", "html"}
