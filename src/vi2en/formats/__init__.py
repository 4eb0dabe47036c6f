"""Output formats, one module each, chosen by name and imported on demand.

Every format module provides `render(doc: Document) -> str` (the whole file's text); the CLI
writes it atomically. Formats that can be read back also provide `parse(...)`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from vi2en.doc import Document
from vi2en.errors import FormatError

# name -> module under vi2en.formats; each module defines render(doc) -> str.
FORMATS: dict[str, str] = {
    "txt": "txt",
    "jsonl": "jsonl",
    "tsv": "tsv",
    "xliff": "xliff",
    "xliff12": "xliff",
    "tmx": "tmx",
    "html": "html",
}

# File suffix written for each format in folder mode.
SUFFIXES: dict[str, str] = {
    "txt": ".en.txt",
    "jsonl": ".jsonl",
    "tsv": ".tsv",
    "xliff": ".xlf",
    "xliff12": ".xliff12.xlf",
    "tmx": ".tmx",
    "html": ".html",
}


def get_renderer(name: str) -> Callable[[Document], str]:
    """The `render` function of format `name` (xliff12 is xliff's `render_12`)."""
    if name not in FORMATS:
        raise FormatError(f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}")
    module = importlib.import_module(f"vi2en.formats.{FORMATS[name]}")
    return module.render_12 if name == "xliff12" else module.render
