"""The one exception family of vi2en. The library raises these; only the CLI exits.

Every message is meant for a user: it says what is wrong and, where it can, how to fix it.
`cli.main` maps every `Vi2enError` to exit code 2 and prints its message on one line.
"""

from __future__ import annotations


class Vi2enError(Exception):
    """Base class: an error the user can fix (bad input, missing model, unwritable output)."""


class InputError(Vi2enError):
    """The input cannot be read as Vietnamese text: missing, empty, binary, undecodable."""


class ModelNotFound(Vi2enError):
    """The requested model is not on disk and cannot be fetched; the message says how to get it."""


class EngineError(Vi2enError):
    """An inference engine is missing or failed to load."""


class FormatError(Vi2enError):
    """A file in an exchange format (XLIFF, TMX, JSONL, TSV) is malformed or unsupported."""


class MismatchError(Vi2enError):
    """Inputs that must correspond do not (line counts, ids, languages)."""


class EngineUnsuitable(EngineError):
    """This engine cannot run this model (engine `auto` then tries the next registered one)."""


class Vi2enWarning(UserWarning):
    """Something the user should know that is not an error (a fallback, a skipped check).

    The library never prints: it calls the `notify` callback it was given, or warns with this.
    """
