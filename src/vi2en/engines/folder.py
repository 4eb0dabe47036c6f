"""What both engines share: a model folder's family, tokenizer codec, limits and settings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vi2en.engines.base import BatchAfterBatch, Piece
from vi2en.engines.families import FamilySpec, attention_aligns, family_for_folder
from vi2en.engines.models import model_settings


class ModelFolderEngine(BatchAfterBatch):
    """Base of `CT2Engine` and `HFEngine`: family, tokenizing and limits come from the folder.

    Args:
        path: the model folder (Hugging Face or vi2en's CTranslate2 conversion).
        model_id: what the user asked for; defaults to the folder.
    """

    def __init__(self, path: Path, model_id: str | None) -> None:
        self.model_id = model_id or str(path)
        self.path = path
        self.revision: str | None = None  # the hub commit, when the loader knows it
        self.family: FamilySpec = family_for_folder(path)
        self.codec = self.family.load_codec(path)
        self.aligned_attention = attention_aligns(path, self.family)
        settings = model_settings(path)
        self.max_positions: int = settings["max_positions"]
        self.default_beam_size: int = settings["num_beams"]
        self.max_length: int = settings["max_length"]

    def source_pieces(self, text: str) -> list[Piece]:
        """The model's source pieces for `text` (no specials), each with its character span."""
        return self.codec.source_pieces(text)

    def count_pieces(self, texts: Sequence[str]) -> list[int]:
        """Source length of each text in positions, special tokens included."""
        return self.codec.count(texts)

    def decoding_caps(self, caps: Sequence[int] | None, count: int) -> list[int]:
        """Per-text output caps (default `max_length`), within the decoder's positions: the
        start token and the forced target prefix take positions too (NLLB: 1 + 1)."""
        limit = self.max_positions - len(self.codec.target_prefix)
        caps = [self.max_length] * count if caps is None else list(caps)
        return [min(cap, limit) for cap in caps]

