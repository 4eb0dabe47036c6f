"""vi2en: Vietnamese news to English, with offsets you can trust.

Importing the package is cheap: torch, transformers and ctranslate2 are imported only by the
engine that needs them.
"""

from vi2en.doc import Document, Flag, Segment, SegmentType, Translation, WordLink
from vi2en.errors import Vi2enError

__version__ = "0.1.0"

__all__ = [
    "Document",
    "Flag",
    "Segment",
    "SegmentType",
    "Translation",
    "Translator",
    "Vi2enError",
    "WordLink",
    "__version__",
]


def __getattr__(name: str) -> object:
    # `Translator` pulls in the pipeline; import it on first use so `import vi2en` stays light.
    if name == "Translator":
        from vi2en.translator import Translator

        return Translator
    raise AttributeError(f"module 'vi2en' has no attribute {name!r}")
