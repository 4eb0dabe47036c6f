"""The engine registry: each engine describes itself, and is imported only when it is loaded.

An engine module (say `vi2en/engines/ct2.py`) defines `SPEC = EngineSpec(...)`: its name, a
one-line description, its own options (type, default, help), the compute types it accepts, the
packages it needs and the pip extra that brings them, and `loader`, the "module:function" that
loads it. `vi2en.engines.ENGINE_MODULES` lists the modules, one line each. The CLI builds
`--engine`, `--compute-type` and the per-engine flags from these specs, and `load_engine` checks
options against them, so nothing about an engine is written down twice.

A loader is called as `load(model, *, device, compute_type, threads, notify, **options)` and
returns a loaded `Engine`. It raises `EngineUnsuitable` when it cannot run that model (a model
family it does not know, a conversion that failed), so that engine `auto` tries the next one.
"""

from __future__ import annotations

import importlib
import importlib.util
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vi2en.errors import EngineError, Vi2enWarning

if TYPE_CHECKING:
    from vi2en.engines.base import Engine

# Where a library function reports something that is not an error (it never prints).
Notify = Callable[[str], None]


def warn(message: str) -> None:
    """The default `notify`: a `Vi2enWarning` (shown once per place by Python's warnings)."""
    warnings.warn(message, Vi2enWarning, stacklevel=3)


@dataclass(frozen=True)
class EngineOption:
    """One option an engine takes beyond device, compute type and threads."""

    name: str
    type: type
    default: Any
    help: str
    choices: tuple[Any, ...] | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None

    def check(self, value: Any, *, engine: str) -> Any:
        """The value if it is of the right type and range, else EngineError naming the option.

        Raises:
            EngineError: wrong type, outside `minimum`..`maximum`, or not among `choices`.
        """
        wrong_type = not isinstance(value, self.type) or (
            self.type is not bool and isinstance(value, bool)
        )
        if wrong_type:
            raise EngineError(
                f"{engine} option {self.name} must be {self.type.__name__}, got {value!r}"
            )
        if self.minimum is not None and value < self.minimum:
            raise EngineError(f"{engine} option {self.name} must be >= {self.minimum}, got {value}")
        if self.maximum is not None and value > self.maximum:
            raise EngineError(f"{engine} option {self.name} must be <= {self.maximum}, got {value}")
        if self.choices is not None and value not in self.choices:
            choices = ", ".join(map(str, self.choices))
            raise EngineError(
                f"{engine} option {self.name} must be one of {choices}, got {value!r}"
            )
        return value


@dataclass(frozen=True)
class EngineSpec:
    """What an engine is, what it takes and what it needs; `loader` is imported on `load`.

    `auto` says whether engine `auto` may pick it (in `ENGINE_MODULES` order). `requires` are
    the top-level modules it imports; `extra` the `pip install 'vi2en[EXTRA]'` that brings them.
    """

    name: str
    description: str
    loader: str
    compute_types: tuple[str, ...]
    options: tuple[EngineOption, ...] = ()
    requires: tuple[str, ...] = ()
    extra: str | None = None
    auto: bool = True

    def missing(self) -> list[str]:
        """The required modules that cannot be imported here."""
        return [name for name in self.requires if importlib.util.find_spec(name) is None]

    def install_hint(self) -> str:
        """The command that installs what this engine needs."""
        if self.extra:
            return f"pip install 'vi2en[{self.extra}]'"
        return "pip install " + " ".join(self.requires)

    def option(self, name: str) -> EngineOption | None:
        return next((opt for opt in self.options if opt.name == name), None)

    def load(self, model: str, **settings: Any) -> Engine:
        """Import the loader and call it (see the module docstring for its arguments)."""
        module, _, function = self.loader.partition(":")
        return getattr(importlib.import_module(module), function)(model, **settings)


__all__ = ["EngineOption", "EngineSpec", "Notify", "warn"]
