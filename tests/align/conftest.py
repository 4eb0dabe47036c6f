"""The guided-alignment test model, trained once and cached by the code that builds it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests import modelkit
from tests.align import alignkit

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _root(config: pytest.Config) -> Path:
    """Cache folder keyed by alignkit's code and the library versions (tmp without a cache)."""
    import ctranslate2
    import sentencepiece
    import torch
    import transformers

    digest = hashlib.sha256()
    for path in (HERE / "alignkit.py", REPO / "src/vi2en/engines/models.py"):
        digest.update(path.read_bytes())
    versions = (transformers.__version__, torch.__version__, ctranslate2.__version__,
                sentencepiece.__version__)
    digest.update(" ".join(versions).encode())
    cache = getattr(config, "cache", None)
    if cache is None:
        return config._tmp_path_factory.getbasetemp() / "vi2en-align"  # type: ignore[attr-defined]
    return cache.mkdir("vi2en-align") / digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def aligned_model(request: pytest.FixtureRequest) -> alignkit.TrainedModel:
    """Tiny Marian trained with guided alignment on the synthetic task (HF folder)."""
    folder = modelkit.build_once(
        _root(request.config) / "aligned-hf",
        lambda out: alignkit.train_aligned_marian(out).folder,
    )
    return alignkit.load_trained(folder)


@pytest.fixture(scope="session")
def aligned_ct2_model(request: pytest.FixtureRequest, aligned_model: alignkit.TrainedModel) -> Path:
    """`aligned_model` converted to CTranslate2, float32, with vi2en's own converter."""
    return modelkit.build_once(
        _root(request.config) / "aligned-ct2",
        lambda out: modelkit.convert_ct2(aligned_model.folder, out, quantization="float32"),
    )
