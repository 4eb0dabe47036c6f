"""Fixtures shared by every test module."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CACHE_ENV = "VI2EN_CACHE_DIR"


def pytest_configure(config: pytest.Config) -> None:
    """Point vi2en's cache (CTranslate2 conversions, translation cache) at a temp folder for the
    whole session, subprocesses included: tests never write into the user's ~/.cache/vi2en
    (issue 11). Tests that need a cache of their own still set one with monkeypatch."""
    folder = tempfile.mkdtemp(prefix="vi2en-test-cache-")
    config.stash[_CACHE_KEY] = (folder, os.environ.get(CACHE_ENV))
    os.environ[CACHE_ENV] = folder
    _restore_sigint()
    _check_exchange_writers()


def _restore_sigint() -> None:
    """A job started with `&` by a non-interactive shell inherits SIGINT ignored, and so would
    every vi2en the tests start: Ctrl-C tests would hang. Children inherit a handler as the
    default disposition, so giving pytest Python's own handler back fixes both."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


# --- Every XLIFF/TMX written in the tests conforms to its standard (issue 15 item 7). ---------
# vi2en's writers are wrapped for the session, so a file rendered in a test process fails there;
# what a CLI subprocess writes is checked on disk after each test that has a tmp_path. Both use
# tests/formats/conformance.py (the official schemas in ../shared/schemas, plus the spec rules
# they cannot express). A test that writes broken files on purpose is marked
# `broken_exchange_files`.
EXCHANGE_WRITERS = {("xliff", "render"): "xliff", ("xliff", "render_12"): "xliff12",
                    ("tmx", "render"): "tmx", ("tmx", "render_memory"): "tmx"}  # fmt: skip
EXCHANGE_SUFFIXES = {".xlf", ".xliff", ".tmx"}


def _check_exchange_writers() -> None:
    import functools
    import importlib

    from tests.formats import conformance

    if not conformance.XLIFF21_XSD.is_file():
        return  # no ../shared: the conformance tests themselves skip (or fail in CI)
    for (module_name, function), kind in EXCHANGE_WRITERS.items():
        module = importlib.import_module(f"vi2en.formats.{module_name}")
        writer = getattr(module, function)
        if getattr(writer, "checked_by_tests", False):
            continue

        @functools.wraps(writer)
        def checked(doc, *, _writer=writer, _kind=kind, **options):
            text = _writer(doc, **options)
            problems = conformance.CHECKS[_kind](text)
            assert not problems, (f"{_writer.__module__}.{_writer.__name__} wrote {_kind} the "
                                  "standard refuses:\n" + "\n".join(problems))
            return text

        checked.checked_by_tests = True  # type: ignore[attr-defined]
        setattr(module, function, checked)


def exchange_file_problems(path: Path) -> list[str] | None:
    """What the standard refuses in an XLIFF/TMX file vi2en wrote (or a test edited from one);
    None for files that are not vi2en's (no `vi2en` near the top, not XML, not XLIFF/TMX)."""
    from lxml import etree

    from tests.formats import conformance

    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"vi2en" not in data[:4096]:
        return None
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None  # malformed on purpose
    if root.tag == "tmx":
        kind = "tmx"
    elif root.tag == f"{{{conformance.NS_20}}}xliff":
        kind = "xliff"
    elif root.tag == "{urn:oasis:names:tc:xliff:document:1.2}xliff":
        kind = "xliff12"
    else:
        return None
    return conformance.CHECKS[kind](data)


@pytest.fixture(autouse=True)
def _exchange_files_conform(request: pytest.FixtureRequest):
    if "tmp_path" not in request.fixturenames or request.node.get_closest_marker(
        "broken_exchange_files"
    ):
        yield
        return
    tmp_path: Path = request.getfixturevalue("tmp_path")  # set up first, so torn down after
    yield
    from tests.formats import conformance

    if not conformance.XLIFF21_XSD.is_file():
        return
    for path in sorted(tmp_path.rglob("*")):
        if path.suffix.lower() in EXCHANGE_SUFFIXES and path.is_file():
            problems = exchange_file_problems(path)
            assert not problems, f"{path.name} does not conform:\n" + "\n".join(problems)


def pytest_unconfigure(config: pytest.Config) -> None:
    folder, before = config.stash.get(_CACHE_KEY, (None, None))
    if folder is None:
        return
    shutil.rmtree(folder, ignore_errors=True)
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before


_CACHE_KEY = pytest.StashKey[tuple[str, "str | None"]]()


@pytest.fixture(scope="session")
def session_cache_dir(pytestconfig: pytest.Config) -> Path:
    """The temp folder this session's `VI2EN_CACHE_DIR` points at."""
    return Path(pytestconfig.stash[_CACHE_KEY][0])


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the checkout; skipped visibly when absent (a fresh clone).

    With VI2EN_REQUIRE_SHARED=1 (set by .ci/run) a missing folder fails instead.
    """
    if not (SHARED / "data").is_dir():
        message = f"shared data not found at {SHARED} (a fresh clone has none)"
        if os.environ.get("VI2EN_REQUIRE_SHARED") == "1":
            pytest.fail(message + " and VI2EN_REQUIRE_SHARED=1")
        pytest.skip(message)
    return SHARED


# --- Test models (engines helper). Built once per content hash, cached in .pytest_cache. ---


@pytest.fixture
def browser(tmp_path: Path):
    """A headless Chromium (tests/chromium.py); skips when none is installed."""
    from tests.chromium import BROWSERS, PipeBrowser, find_browser

    executable = find_browser()
    if executable is None:
        pytest.skip(f"no Chromium installed (looked for {', '.join(BROWSERS)}); "
                    "`apt-get install chromium` to run the browser test")
    driver = PipeBrowser(executable, tmp_path / "profile")
    yield driver
    driver.close()


def _models_root(config: pytest.Config) -> Path:
    """Cache folder for built test models, keyed by the code that builds them.

    Without pytest's cache (`-p no:cacheprovider`) the models go to the session's tmp dir.
    """
    import hashlib

    import ctranslate2
    import sentencepiece
    import transformers

    digest = hashlib.sha256()
    for path in (REPO / "tests" / "modelkit.py", REPO / "src/vi2en/engines/models.py"):
        digest.update(path.read_bytes())
    digest.update(f"{transformers.__version__} {ctranslate2.__version__}".encode())
    digest.update(sentencepiece.__version__.encode())
    cache = getattr(config, "cache", None)
    if cache is None:
        return config._tmp_path_factory.getbasetemp() / "vi2en-models"  # type: ignore[attr-defined]
    return cache.mkdir("vi2en-models") / digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def tiny_hf_model(request: pytest.FixtureRequest) -> Path:
    """A random-weight opus-mt-style Marian folder (Hugging Face format, ~400-piece vocab)."""
    from tests import modelkit

    def build(out: Path) -> Path:
        return modelkit.build_marian(
            out,
            src_lines=modelkit.vietnamese_like_lines(400),
            tgt_lines=modelkit.english_like_lines(400),
        )

    return modelkit.build_once(_models_root(request.config) / "tiny-hf", build)


def _family_model(request: pytest.FixtureRequest, name: str, builder: str) -> Path:
    """A random-weight model of another family, built once by `modelkit.<builder>`."""
    from tests import modelkit

    lines = modelkit.vietnamese_like_lines(300) + modelkit.english_like_lines(300)
    build = getattr(modelkit, builder)
    return modelkit.build_once(_models_root(request.config) / name,
                               lambda out: build(out, lines=lines))  # fmt: skip


def _converted(request: pytest.FixtureRequest, name: str, source: Path) -> Path:
    """`source` converted to CTranslate2 (float32, so greedy output equals transformers')."""
    from tests import modelkit

    def build(out: Path) -> Path:
        return modelkit.convert_ct2(source, out, quantization="float32")

    return modelkit.build_once(_models_root(request.config) / name, build)


@pytest.fixture(scope="session")
def tiny_nllb_model(request: pytest.FixtureRequest) -> Path:
    """A random-weight NLLB-200 folder (M2M100 + NllbTokenizer's tokenizer.json, 128 positions)."""
    return _family_model(request, "tiny-nllb", "build_nllb")


@pytest.fixture(scope="session")
def tiny_nllb_ct2_model(request: pytest.FixtureRequest, tiny_nllb_model: Path) -> Path:
    return _converted(request, "tiny-nllb-ct2", tiny_nllb_model)


@pytest.fixture(scope="session")
def tiny_mbart50_model(request: pytest.FixtureRequest) -> Path:
    """A random-weight mBART-50 folder laid out as vinai/vinai-translate-vi2en-v2."""
    return _family_model(request, "tiny-mbart50", "build_mbart50")


@pytest.fixture(scope="session")
def tiny_mbart50_ct2_model(request: pytest.FixtureRequest, tiny_mbart50_model: Path) -> Path:
    return _converted(request, "tiny-mbart50-ct2", tiny_mbart50_model)


@pytest.fixture(scope="session")
def tiny_madlad_model(request: pytest.FixtureRequest) -> Path:
    """A random-weight MADLAD-400-style T5 folder (`<2en>` token, T5Tokenizer files)."""
    return _family_model(request, "tiny-madlad", "build_madlad")


@pytest.fixture(scope="session")
def tiny_madlad_ct2_model(request: pytest.FixtureRequest, tiny_madlad_model: Path) -> Path:
    return _converted(request, "tiny-madlad-ct2", tiny_madlad_model)


@pytest.fixture(scope="session")
def tiny_ct2_model(request: pytest.FixtureRequest, tiny_hf_model: Path) -> Path:
    """`tiny_hf_model` converted to CTranslate2 (float32, so greedy output equals transformers')."""
    from tests import modelkit

    return modelkit.build_once(
        _models_root(request.config) / "tiny-ct2",
        lambda out: modelkit.convert_ct2(tiny_hf_model, out, quantization="float32"),
    )


@pytest.fixture(scope="session")
def trained_task() -> object:
    """The synthetic word-for-word task `trained_hf_model` learnt (`modelkit.WordTask`)."""
    from tests import modelkit

    return modelkit.word_task()


@pytest.fixture(scope="session")
def trained_hf_model(request: pytest.FixtureRequest, trained_task: object) -> Path:
    """A tiny Marian trained on `trained_task`: it translates its held-out sentences exactly."""
    from tests import modelkit

    return modelkit.build_once(
        _models_root(request.config) / "trained-hf",
        lambda out: modelkit.train_marian(trained_task.pairs, out_dir=out,
                                          held_out=trained_task.held_out),
    )


@pytest.fixture(scope="session")
def trained_ct2_model(request: pytest.FixtureRequest, trained_hf_model: Path) -> Path:
    """`trained_hf_model` converted to CTranslate2 (float32)."""
    from tests import modelkit

    return modelkit.build_once(
        _models_root(request.config) / "trained-ct2",
        lambda out: modelkit.convert_ct2(trained_hf_model, out, quantization="float32"),
    )


@pytest.fixture(scope="session")
def ray_cluster() -> object:
    """One local Ray cluster for the whole session (2 CPUs, and 1 logical GPU so that GPU
    requests can be scheduled and read back from the actors; nothing runs on a GPU).

    Skipped without Ray (`pip install 'vi2en[ray]'`), failed instead when VI2EN_REQUIRE_SHARED=1
    (CI installs `.[dev]`, which has it)."""
    try:
        import ray
    except ImportError:
        if os.environ.get("VI2EN_REQUIRE_SHARED") == "1":
            pytest.fail("ray is not installed (pip install -e '.[dev]')")
        pytest.skip("ray is not installed")
    ray.init(num_cpus=2, num_gpus=1, include_dashboard=False, logging_level="WARNING")
    yield ray
    ray.shutdown()
