"""Translation engines, chosen by name from a registry and imported only when chosen.

`import vi2en.engines` imports neither torch, transformers nor ctranslate2. Each engine module
describes itself with a `SPEC` (`vi2en.engines.registry.EngineSpec`); adding an engine is one
module plus one line in `ENGINE_MODULES`.

    >>> engine = load_engine("auto", "Helsinki-NLP/opus-mt-vi-en")   # doctest: +SKIP
    >>> engine.translate_batch(["Xin chào."])[0].text                  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from vi2en.defaults import (
    DEFAULT_COMPUTE_TYPE,
    DEFAULT_DEVICE,
    DEFAULT_ENGINE,
    DEFAULT_MODEL,
    DEFAULT_THREADS,
    DEVICES,
)
from vi2en.engines.base import Engine, Hypothesis, Piece
from vi2en.engines.registry import EngineOption, EngineSpec, Notify, warn
from vi2en.errors import EngineError, EngineUnsuitable

# The registered engines, in the order engine "auto" tries them. One line per engine.
ENGINE_MODULES = (
    "vi2en.engines.ct2",  # ctranslate2: the fast path
    "vi2en.engines.hf",  # transformers: the reference (needs vi2en[hf])
)
AUTO = "auto"


@cache
def engine_specs() -> dict[str, EngineSpec]:
    """Engine name -> its spec, in registration order (imports each engine module, all light)."""
    specs = [importlib.import_module(module).SPEC for module in ENGINE_MODULES]
    return {spec.name: spec for spec in specs}


def engine_names() -> list[str]:
    """What `--engine` accepts: "auto" and every registered engine."""
    return [AUTO, *engine_specs()]


def compute_types() -> list[str]:
    """Every compute type some engine accepts ("auto" first)."""
    names = [AUTO]
    for spec in engine_specs().values():
        names += [t for t in spec.compute_types if t not in names]
    return names


def get_engine_spec(name: str) -> EngineSpec:
    """The spec of engine `name`.

    Raises:
        EngineError: no engine of that name (the message lists the registered ones).
    """
    specs = engine_specs()
    if name not in specs:
        raise EngineError(f"unknown engine {name!r}; use one of {', '.join(engine_names())}")
    return specs[name]


def load_engine(
    name: str = DEFAULT_ENGINE,
    model: str = DEFAULT_MODEL,
    *,
    device: str = DEFAULT_DEVICE,
    compute_type: str = DEFAULT_COMPUTE_TYPE,
    threads: int = DEFAULT_THREADS,
    notify: Notify | None = None,
    **options: Any,
) -> Engine:
    """Load a translation engine for a model.

    Args:
        name: a registered engine (`engine_names()`), or "auto": the first registered engine
            that is installed and can run the model (CTranslate2, converting a Hugging Face model
            once; then transformers). Each engine that could not is reported through `notify`.
        model: Hub id, Hugging Face folder or CTranslate2 folder.
        device: "auto" (CUDA when present), "cpu" or "cuda".
        compute_type: "auto" (CTranslate2: int8 on CPU, float16 on CUDA; transformers: float32
            on CPU, float16 on CUDA) or one the engine accepts (`EngineSpec.compute_types`).
        threads: CPU threads per translation; 0 keeps the engine's choice.
        notify: where to report a fallback (default: a `Vi2enWarning`); the library never prints.
        **options: engine options (`EngineSpec.options`, e.g. CTranslate2's `inter_threads`,
            transformers' `align_layer`). With "auto", each engine gets its own and ignores the
            others'; an explicitly named engine refuses another engine's option.

    Returns:
        A loaded `Engine`.

    Raises:
        ModelNotFound: The model is not on disk and cannot be fetched (the message says how).
        EngineError: Unknown engine or option, a missing package (the message names the pip
            extra), or a model no engine can run.
    """
    notify = notify or warn
    if device not in DEVICES:
        raise EngineError(f"unknown device {device!r}; use one of {', '.join(DEVICES)}")
    specs = engine_specs()
    owners = {opt.name: spec.name for spec in specs.values() for opt in spec.options}
    unknown = sorted(set(options) - set(owners))
    if unknown:
        raise EngineError(f"unknown engine option(s) {unknown}")
    candidates = [s for s in specs.values() if s.auto] if name == AUTO else [get_engine_spec(name)]
    if name != AUTO:
        foreign = sorted(k for k in options if owners[k] != name)
        if foreign:
            raise EngineError(
                f"option(s) {foreign} belong to engine {owners[foreign[0]]}, not {name}"
            )
    passed_over: list[str] = []
    for spec in candidates:
        reason = _cannot_load(spec, compute_type)
        if reason is None:
            own = {k: spec.option(k).check(v, engine=spec.name)  # type: ignore[union-attr]
                   for k, v in options.items() if owners[k] == spec.name}  # fmt: skip
            try:
                engine = spec.load(model, device=device, compute_type=compute_type,
                                   threads=threads, notify=notify, **own)  # fmt: skip
            except EngineUnsuitable as exc:
                if name != AUTO:
                    raise
                reason = str(exc)
            else:
                if passed_over:
                    notify(f"using {spec.name} ({'; '.join(passed_over)})")
                return engine
        if name != AUTO:
            raise EngineError(f"engine {spec.name}: {reason}")
        passed_over.append(f"{spec.name}: {reason}")
    raise EngineError(f"no engine can run {model}: {'; '.join(passed_over)}")


def _cannot_load(spec: EngineSpec, compute_type: str) -> str | None:
    """Why `spec` cannot be tried here (missing packages, compute type), or None."""
    missing = spec.missing()
    if missing:
        return f"needs {' and '.join(missing)}, not installed: {spec.install_hint()}"
    if compute_type != AUTO and compute_type not in spec.compute_types:
        return (f"compute type {compute_type!r} is not available; it accepts "
                f"{', '.join(spec.compute_types)}")  # fmt: skip
    return None


__all__ = [
    "DEFAULT_MODEL",
    "ENGINE_MODULES",
    "Engine",
    "EngineOption",
    "EngineSpec",
    "Hypothesis",
    "Piece",
    "compute_types",
    "engine_names",
    "engine_specs",
    "get_engine_spec",
    "load_engine",
]
