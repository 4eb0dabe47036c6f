"""The Marian family: OPUS-MT and Tatoeba-MT models (`MarianMTModel`), tokenized by their own
SentencePiece models and joint vocabulary (`vi2en.engines.spm`)."""

from __future__ import annotations

from vi2en.engines.families import FamilySpec

FAMILY = FamilySpec(
    name="marian",
    description="OPUS-MT / Tatoeba-MT MarianMT models (opus-mt, tatoeba-bt, tatoeba-aav)",
    codec="vi2en.engines.spm:MarianSentencePiece",
    model_class="MarianMTModel",
    files=("source.spm", "target.spm", "vocab.json"),
    model_types=("marian",),
    guided_alignment=True,  # OPUS-MT "transformer-align" models train one head to align
)
