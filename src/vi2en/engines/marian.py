"""What both engines share: a Marian model folder's own SentencePiece codec and settings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vi2en.engines.base import BatchAfterBatch, Piece
from vi2en.engines.models import model_settings
from vi2en.engines.spm import MarianSentencePiece


class MarianFolderEngine(BatchAfterBatch):
    """Base of `CT2Engine` and `HFEngine`: tokenizing and limits come from the model folder.

    Args:
        path: the model folder (Hugging Face or vi2en's CTranslate2 conversion).
        model_id: what the user asked for; defaults to the folder.
    """

    def __init__(self, path: Path, model_id: str | None) -> None:
        self.model_id = model_id or str(path)
        self.path = path
        self.revision: str | None = None  # the hub commit, when the loader knows it
        self.codec = MarianSentencePiece(path)
        settings = model_settings(path)
        self.max_positions: int = settings["max_positions"]
        self.default_beam_size: int = settings["num_beams"]
        self.max_length: int = settings["max_length"]

    def source_pieces(self, text: str) -> list[Piece]:
        """The model's source pieces for `text` (no `</s>`), each with its character span."""
        return self.codec.source_pieces(text)

    def count_pieces(self, texts: Sequence[str]) -> list[int]:
        """Source length of each text in positions, `</s>` included."""
        return self.codec.count(texts)
