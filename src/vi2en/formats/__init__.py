"""Output formats: a registry of self-describing formats, each module imported only when used.

A format module provides a writer `render(doc: Document) -> str` (the whole file's text; the
caller writes it atomically) and, when the format can be read back, a reader. Adding a format is
one module plus one `FormatSpec` line in `_REGISTERED`; `vi2en translate --format` and
`vi2en export --format` take their choices and help from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vi2en.doc import Document
from vi2en.errors import FormatError


@dataclass(frozen=True)
class FormatSpec:
    """One output format: its name, what it is, the suffix of files written in folder mode,
    and where its writer (and reader, if it has one) live: functions of `vi2en.formats.MODULE`.
    """

    name: str
    description: str
    suffix: str
    module: str
    writer: str = "render"
    reader: str | None = None

    @property
    def reads(self) -> bool:
        """Whether vi2en can read this format back."""
        return self.reader is not None

    def _function(self, name: str) -> Callable[..., Any]:
        return getattr(importlib.import_module(f"vi2en.formats.{self.module}"), name)

    def render(self, doc: Document) -> str:
        """The file's text for `doc`."""
        return self._function(self.writer)(doc)

    def read(self, data: Any) -> Any:
        """What the reader returns (jsonl: a `Document`; xliff: an `XliffFile`).

        Raises:
            FormatError: the format cannot be read back, or the data is malformed.
        """
        if self.reader is None:
            raise FormatError(f"vi2en cannot read {self.name} files back")
        return self._function(self.reader)(data)


_REGISTERED = (
    FormatSpec("txt", "the English article, line structure kept", ".en.txt", "txt"),
    FormatSpec("jsonl", "header with the signature + one record per segment; `vi2en export` "
               "reads it", ".jsonl", "jsonl", reader="parse"),
    FormatSpec("tsv", "source<TAB>target, one row per segment", ".tsv", "tsv"),
    FormatSpec("xliff", "XLIFF 2.1 for CAT tools", ".xlf", "xliff", reader="parse"),
    FormatSpec("xliff12", "XLIFF 1.2 for older CAT tools", ".xliff12.xlf", "xliff",
               writer="render_12", reader="parse"),
    FormatSpec("tmx", "TMX 1.4b translation memory of the MT pairs", ".tmx", "tmx"),
    FormatSpec("html", "bilingual review page (offline, QA flags, word links)", ".html", "html"),
)
FORMATS: dict[str, FormatSpec] = {spec.name: spec for spec in _REGISTERED}


def get_format(name: str) -> FormatSpec:
    """The spec of format `name`.

    Raises:
        FormatError: no such format (the message lists them).
    """
    if name not in FORMATS:
        raise FormatError(f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}")
    return FORMATS[name]


def get_renderer(name: str) -> Callable[[Document], str]:
    """The writer of format `name`: `Document` -> the file's text."""
    return get_format(name).render


def describe_formats() -> str:
    """`name: description` of every format, for `--format` help."""
    return "; ".join(f"{spec.name}: {spec.description}" for spec in FORMATS.values())


__all__ = ["FORMATS", "FormatSpec", "describe_formats", "get_format", "get_renderer"]
