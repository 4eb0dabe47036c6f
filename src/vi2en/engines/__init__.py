"""Translation engines, chosen by name and imported only when chosen.

`import vi2en.engines` imports neither torch, transformers nor ctranslate2: `load_engine` imports
the one engine module it needs.

    >>> engine = load_engine("auto", "Helsinki-NLP/opus-mt-vi-en")   # doctest: +SKIP
    >>> engine.translate_batch(["Xin chào."])[0].text                  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vi2en.engines.base import Engine, Hypothesis, Piece
from vi2en.errors import EngineError

if TYPE_CHECKING:
    from vi2en.engines.models import ResolvedModel

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-vi-en"
# Engine name -> what it is; "auto" picks CTranslate2 whenever it is installed (it converts a
# Hugging Face model once and caches the conversion), else transformers.
ENGINES = {
    "ctranslate2": "CTranslate2 (fast; converts a Hugging Face model once, cached)",
    "transformers": "transformers + torch (reference; needs a Hugging Face folder)",
    "auto": "ctranslate2 when installed, else transformers",
}
# Options each engine accepts beyond device/compute_type/threads.
ENGINE_OPTIONS = {
    "ctranslate2": ("inter_threads", "max_batch_size", "batch_type"),
    "transformers": ("align_layer", "align_head"),
}


def load_engine(
    name: str = "auto",
    model: str = DEFAULT_MODEL,
    *,
    device: str = "auto",
    compute_type: str = "auto",
    threads: int = 0,
    **options: Any,
) -> Engine:
    """Load a translation engine for a model.

    Args:
        name: "ctranslate2", "transformers" or "auto" (CTranslate2 when it is installed or the
            model is a CTranslate2 folder, else transformers).
        model: Hub id, Hugging Face folder or CTranslate2 folder.
        device: "auto" (CUDA when present), "cpu" or "cuda".
        compute_type: "auto" (CTranslate2: int8 on CPU, float16 on CUDA; transformers: float32
            on CPU, float16 on CUDA) or an explicit type ("float32", "int8", ...).
        threads: CPU threads per translation (CTranslate2 `intra_threads`, torch
            `set_num_threads`); 0 keeps the library default.
        **options: Engine options: CTranslate2 `inter_threads`, `max_batch_size`,
            `batch_type`; transformers `align_layer`, `align_head`. Options of the other engine
            are ignored, so one set of options works with "auto".

    Returns:
        A loaded `Engine`.

    Raises:
        ModelNotFound: The model is not on disk and cannot be fetched (the message says how).
        EngineError: Unknown engine, a missing package, or a model the engine cannot run.
    """
    from vi2en.engines import models

    if name not in ENGINES:
        raise EngineError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")
    unknown = set(options) - {o for opts in ENGINE_OPTIONS.values() for o in opts}
    if unknown:
        raise EngineError(f"unknown engine option(s) {sorted(unknown)}")
    resolved = models.resolve_model(model)
    path = resolved.path
    if name == "auto":
        name = "transformers"
        if resolved.format == "ct2" or importlib.util.find_spec("ctranslate2") is not None:
            try:
                path = _ct2_folder(model, resolved, device=device, compute_type=compute_type)
                name = "ctranslate2"
            except EngineError:  # a model CTranslate2 cannot convert: transformers runs it
                if resolved.format == "ct2":
                    raise
    elif name == "ctranslate2":
        path = _ct2_folder(model, resolved, device=device, compute_type=compute_type)
    picked = {k: v for k, v in options.items() if k in ENGINE_OPTIONS[name]}
    if name == "transformers":
        if resolved.format == "ct2":
            raise EngineError(
                f"{model} is a CTranslate2 model; transformers needs the Hugging Face folder "
                "(or use --engine ctranslate2)"
            )
        from vi2en.engines.hf import HFEngine

        return HFEngine(path, model_id=model, device=device,
                        compute_type=compute_type, threads=threads, **picked)
    from vi2en.engines.ct2 import CT2Engine

    return CT2Engine(path, model_id=model, device=device, compute_type=compute_type,
                     threads=threads, **picked)


def _ct2_folder(model: str, resolved: ResolvedModel, *, device: str, compute_type: str) -> Path:
    """The CTranslate2 folder for a resolved model: itself, or its cached conversion."""
    from vi2en.engines import models

    if resolved.format == "ct2":
        return resolved.path
    try:
        from vi2en.engines.ct2 import pick_device

        real_device = pick_device(device)
    except ImportError as exc:
        raise EngineError("CTranslate2 is not installed: pip install ctranslate2") from exc
    return models.convert_model(
        model, quantization=models.conversion_quantization(compute_type, real_device)
    )


__all__ = ["DEFAULT_MODEL", "ENGINES", "Engine", "Hypothesis", "Piece", "load_engine"]
