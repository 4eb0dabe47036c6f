"""Original OPUS-MT/Tatoeba-MT release zips: converted without torch, downloaded over real HTTP
(resumed, checksummed, cached), and run through `vi2en translate --model tatoeba-aav`."""

from __future__ import annotations

import hashlib
import http.server
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tests import modelkit
from tests.test_core_install import run_without_hf
from vi2en.cli.main import main
from vi2en.engines import models, releases
from vi2en.engines.catalogue import known_model
from vi2en.errors import ModelNotFound

SAMPLES = modelkit.vietnamese_like_lines(12, seed=5)


@pytest.fixture(scope="module")
def release_zip(tiny_hf_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return modelkit.marian_release(tiny_hf_model, tmp_path_factory.mktemp("zip") / "r.zip")


def greedy(folder: Path) -> list[tuple[str, tuple[str, ...]]]:
    from vi2en.engines.ct2 import CT2Engine

    engine = CT2Engine(folder, device="cpu", compute_type="float32", threads=1)
    return [(h.text, h.pieces) for h in engine.translate_batch(SAMPLES, beam_size=1)]


def test_fixture_has_marians_own_names(release_zip: Path):
    import numpy as np

    with zipfile.ZipFile(release_zip) as archive:
        npz = next(n for n in archive.namelist() if n.endswith(".npz"))
        with archive.open(npz) as handle:
            keys = set(np.load(handle).files)
    assert {"Wemb", "decoder_ff_logit_out_b", "encoder_l1_self_Wq", "encoder_l1_ffn_ffn_ln_scale",
            "decoder_l2_context_Wo_ln_bias", "special:model.yml"} <= keys  # fmt: skip
    assert not any("." in k.replace("special:model.yml", "") for k in keys)  # no HF names


def test_release_converts_to_the_same_model_as_the_hub_folder(
    release_zip: Path, tiny_ct2_model: Path
):
    converted = models.convert_model(str(release_zip), quantization="float32")
    assert (converted / "model.bin").is_file() and (converted / "vocab.json").is_file()
    meta = models.read_json(converted / models.VI2EN_META)
    assert meta["guided_alignment"] is True and meta["settings"]["num_beams"] == 6
    assert greedy(converted) == greedy(tiny_ct2_model)
    # Cached: the same zip again is neither unpacked nor converted again.
    assert models.convert_model(str(release_zip), quantization="float32") == converted


def test_release_converts_and_translates_without_torch(release_zip: Path, tmp_path: Path):
    done = run_without_hf(["translate", "--model", str(release_zip), "--format", "tsv",
                           "--beam-size", "1"], tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines()[-1] == "Ảnh: TTXVN\tPhoto: TTXVN"
    assert b"LEAKED" not in done.stderr


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.vi.txt"
    path.write_text("Hà Nội mưa to. Ảnh: TTXVN\n", "utf-8")
    return path


def test_transformers_engine_refuses_a_release(release_zip: Path, article: Path, capsys):
    assert main(["translate", "--engine", "transformers", "--model", str(release_zip),
                 str(article)]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "use --engine ctranslate2" in err


class RangeHandler(http.server.BaseHTTPRequestHandler):
    """Serves one file with HTTP Range support; records the Range headers it saw."""

    body = b""
    ranges: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:
        if not self.path.endswith(".zip"):
            self.send_error(404)
            return
        wanted = self.headers.get("Range")
        type(self).ranges.append(wanted)
        start = int(wanted.removeprefix("bytes=").rstrip("-")) if wanted else 0
        if start >= len(self.body):
            self.send_error(416)
            return
        self.send_response(206 if wanted else 200)
        self.send_header("Content-Length", str(len(self.body) - start))
        self.end_headers()
        self.wfile.write(self.body[start:])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(release_zip: Path) -> Iterator[str]:
    RangeHandler.body = release_zip.read_bytes()
    RangeHandler.ranges = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RangeHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VI2EN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_download_resumes_checks_and_caches(server: str, cache: Path, release_zip: Path,
                                            article: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys):  # fmt: skip
    monkeypatch.setenv(releases.MIRROR_ENV, server)
    entry = known_model("tatoeba-aav")
    assert entry is not None and entry.source.startswith(releases.RELEASE_HOST)
    body = release_zip.read_bytes()
    part = cache / "downloads" / "tatoeba-aav.zip.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(body[: len(body) // 3])  # what an interrupted download left
    assert main(["models", "download", "tatoeba-aav"]) == 0
    out, err = capsys.readouterr()
    assert RangeHandler.ranges == [f"bytes={len(body) // 3}-"]
    assert "licence CC-BY 4.0" in err and "resuming the download" in err
    assert hashlib.sha256(body).hexdigest() in err
    converted = Path(out.strip())
    assert (converted / "model.bin").is_file() and not part.exists()
    assert main(["models", "list", "--known"]) == 0
    listing = capsys.readouterr().out
    assert f"on disk:  {cache / 'releases' / 'tatoeba-aav'}" in listing
    assert "on disk:  no (vi2en models download tatoeba-bt)" in listing
    # Cached: a second download asks nothing of the server.
    assert main(["models", "download", "tatoeba-aav"]) == 0
    assert len(RangeHandler.ranges) == 1
    # ... and the short name now works as --model, through the ctranslate2 engine.
    capsys.readouterr()
    assert main(["translate", "--model", "tatoeba-aav", str(article), "--format", "tsv"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Ảnh: TTXVN\tPhoto: TTXVN"


def test_checksum_mismatch_removes_the_download(server: str, cache: Path):
    url = f"{server}/vie-eng/opus+bt-2021-04-30.zip"
    with pytest.raises(ModelNotFound, match="checksum mismatch"):
        releases.get_release(url, cache, sha256="0" * 64, notify=lambda _: None)
    assert not list((cache / "downloads").glob("*.part"))
    assert not (cache / "releases").exists() or not any((cache / "releases").iterdir())


def test_unreachable_or_missing_is_one_line(server: str, cache: Path, article: Path, capsys):
    assert main(["models", "download", f"{server}/nothing.txt"]) == 2
    assert "HTTP 404" in capsys.readouterr().err
    assert main(["translate", "--model", "tatoeba-bt", str(article)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "vi2en models download tatoeba-bt" in err


@pytest.mark.parametrize("member", ["../evil.txt", "/abs.txt"])
def test_unsafe_or_foreign_zips_are_refused(tmp_path: Path, cache: Path, member: str, capsys):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr(member, "x")
    assert main(["models", "convert", str(bad)]) == 2
    assert "unsafe path" in capsys.readouterr().err
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("notes.txt", "x")
    assert main(["models", "convert", str(plain)]) == 2
    assert "not an OPUS-MT/Tatoeba-MT release" in capsys.readouterr().err


def test_a_plain_transformer_release_has_no_aligned_attention(tiny_hf_model: Path,
                                                              tmp_path: Path, cache: Path):
    from vi2en.engines.ct2 import CT2Engine

    plain = modelkit.marian_release(tiny_hf_model, tmp_path / "plain.zip", align=False)
    engine = CT2Engine(models.convert_model(str(plain), quantization="float32"), device="cpu")
    assert engine.family.name == "marian" and engine.aligned_attention is False
    aligned = modelkit.marian_release(tiny_hf_model, tmp_path / "aligned.zip", align=True)
    engine = CT2Engine(models.convert_model(str(aligned), quantization="float32"), device="cpu")
    assert engine.aligned_attention is True
