"""Model families: how a model tokenizes, which transformers class runs it, what its attention is.

Both engines (CTranslate2 and transformers) run any registered family: the family gives the
codec (source pieces with spans, model input tokens, the target prefix, decoding back to text,
exactly as the family's Hugging Face tokenizer does) and the transformers class. Adding a family
is one module with a `FAMILY = FamilySpec(...)` plus one line in `FAMILY_MODULES`.

A folder's family comes from vi2en's own `vi2en.json` (written into every conversion), else from
`config.json`'s `model_type` (and `tokenizer_config.json`'s `tokenizer_class` where one model type
has several tokenizers), else -- a CTranslate2 folder with OPUS-MT's `source.spm` -- Marian.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from vi2en.engines.base import Piece
from vi2en.errors import ModelNotFound

FAMILY_MODULES = (
    "vi2en.engines.marian",  # OPUS-MT / Tatoeba-MT (MarianMT)
    "vi2en.engines.nllb",  # NLLB-200 (M2M100 architecture)
    "vi2en.engines.mbart50",  # mBART-50 (VinAI Translate)
    "vi2en.engines.t5",  # T5 / MADLAD-400
)
META_FILE = "vi2en.json"


class Codec(Protocol):
    """What the engines need from a family's tokenizer."""

    eos_id: int
    pad_id: int
    decoder_start_id: int  # the first decoder input (transformers)
    target_prefix: tuple[str, ...]  # forced first output tokens (NLLB: the target language)
    source_prefix_len: int  # special tokens before the text's pieces in the model input

    def source_pieces(self, text: str) -> list[Piece]: ...
    def source_tokens_batch(self, texts: Sequence[str]) -> list[list[str]]: ...
    def count(self, texts: Sequence[str]) -> list[int]: ...
    def token_ids(self, tokens: Sequence[str]) -> list[int]: ...
    def ids_to_pieces(self, ids: Sequence[int]) -> list[str]: ...
    def decode(self, pieces: Sequence[str]) -> str: ...


@dataclass(frozen=True)
class FamilySpec:
    """One model family.

    `codec` is the "module:Class" of its tokenizer, built from the model folder; `model_class`
    the transformers class; `files` the tokenizer files a model folder must have (a CTranslate2
    conversion copies them); `model_types` the `config.json` model types it runs, narrowed by
    `tokenizer_classes` when given. `guided_alignment` says whether the family's attention can
    be trained to align words at all (only Marian's "transformer-align" models are);
    `ct2_config` what a CTranslate2 conversion's `config.json` must say beyond what its
    converter writes (mBART-50: the decoder's start token).
    """

    name: str
    description: str
    codec: str
    model_class: str
    files: tuple[str, ...]
    model_types: tuple[str, ...]
    tokenizer_classes: tuple[str, ...] = ()
    guided_alignment: bool = False
    ct2_config: tuple[tuple[str, Any], ...] = ()  # set in a CTranslate2 conversion's config
    hf_config_defaults: tuple[tuple[str, Any], ...] = ()  # what the converter reads, if absent
    tokenizer_json: bool = False  # a CTranslate2 conversion must carry tokenizer.json

    def matches(self, config: dict, tokenizer_config: dict) -> bool:
        if config.get("model_type") not in self.model_types:
            return False
        wanted = tokenizer_config.get("tokenizer_class")
        return not self.tokenizer_classes or wanted is None or wanted in self.tokenizer_classes

    def load_codec(self, folder: Path) -> Codec:
        module, _, name = self.codec.partition(":")
        return getattr(importlib.import_module(module), name)(folder)


@cache
def families() -> dict[str, FamilySpec]:
    specs = [importlib.import_module(module).FAMILY for module in FAMILY_MODULES]
    return {spec.name: spec for spec in specs}


def read_json(path: Path) -> dict:
    """A JSON object from `path`; {} when the file is missing.

    Raises:
        ModelNotFound: the file exists but cannot be read.
    """
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ModelNotFound(f"cannot read {path}: {exc}; copy the model folder again") from exc
    return data if isinstance(data, dict) else {}


def family_for_folder(folder: Path) -> FamilySpec:
    """The family of a Hugging Face or CTranslate2 model folder.

    Raises:
        ModelNotFound: a model type vi2en does not run (the message lists those it does).
    """
    known = families()
    named = read_json(folder / META_FILE).get("family")
    if named in known:
        return known[named]
    if (folder / "model.bin").is_file() and (folder / "source.spm").is_file():
        return known["marian"]  # a vi2en conversion from before families were recorded
    config = read_json(folder / "config.json")
    tokenizer_config = read_json(folder / "tokenizer_config.json")
    for spec in known.values():
        if spec.matches(config, tokenizer_config):
            return spec
    if (folder / "source.spm").is_file() and "model_type" not in config:
        return known["marian"]
    kind = config.get("model_type", "unknown")
    runs = "; ".join(f"{s.name} ({s.description})" for s in known.values())
    raise ModelNotFound(f"{folder} holds a model of type {kind!r}, which vi2en does not run; it "
                        f"runs: {runs}")  # fmt: skip


def attention_aligns(folder: Path, family: FamilySpec) -> bool:
    """Whether this model's cross-attention was trained to align words (guided alignment).

    Only OPUS-MT/Tatoeba-MT "transformer-align" models are; vi2en believes it when the model
    says so: its conversion's `vi2en.json`, or the model card (`README.md`), as every OPUS-MT
    card names its model type. Without that evidence the attention is not used as alignment.
    """
    if not family.guided_alignment:
        return False
    recorded = read_json(folder / META_FILE).get("guided_alignment")
    if isinstance(recorded, bool):
        return recorded
    return card_says_aligned(folder)


def card_says_aligned(folder: Path) -> bool:
    """True when the folder's model card names a "transformer-align" model."""
    card = folder / "README.md"
    return card.is_file() and "transformer-align" in card.read_text("utf-8", errors="replace")


__all__ = ["FAMILY_MODULES", "Codec", "FamilySpec", "attention_aligns", "families",
           "family_for_folder", "read_json"]
