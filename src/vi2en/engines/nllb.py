"""The NLLB-200 family (M2M100 architecture): source `vie_Latn`, target prefix `eng_Latn`.

Tokenized with the model's own `tokenizer.json` through the `tokenizers` library (what
transformers' `NllbTokenizer` runs, without transformers), in its current (non-legacy) layout:
`[vie_Latn] pieces </s>` in, `</s> eng_Latn` as the decoder's start, output decoded as
`NllbTokenizer.decode(ids, skip_special_tokens=True)` does. `tokenizers` reports character
offsets into the original text, so every piece keeps its span. `LanguageCodeCodec` serves every
family laid out this way (mBART-50 too: `vi2en.engines.mbart50`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vi2en.engines.base import Piece
from vi2en.engines.families import FamilySpec, read_json
from vi2en.errors import ModelNotFound

EOS = "</s>"
PAD = "<pad>"
UNK = "<unk>"


class LanguageCodeCodec:
    """`tokenizer.json` of a model that marks languages with codes: `[source] pieces </s>` in,
    the target code forced first (after `</s>`, or as the decoder's start token itself when
    `start_at_target_lang`).

    Raises:
        ModelNotFound: no readable `tokenizer.json`, or one without the language codes.
    """

    source_lang = "vie_Latn"
    target_lang = "eng_Latn"
    start_at_target_lang = False
    source_prefix_len = 1  # the source language code

    def __init__(self, folder: Path) -> None:
        self._tokenizer = load_tokenizer(folder)
        path = folder / "tokenizer.json"
        self.vocab: dict[str, int] = self._tokenizer.get_vocab(with_added_tokens=True)
        wanted = (self.source_lang, self.target_lang, EOS, PAD, UNK)
        missing = [t for t in wanted if t not in self.vocab]
        if missing:
            raise ModelNotFound(f"{path} has no {', '.join(missing)}: not a tokenizer with "
                                f"{self.source_lang} and {self.target_lang}")  # fmt: skip
        self.eos_id = self.vocab[EOS]
        self.pad_id = self.vocab[PAD]
        self.unk_id = self.vocab[UNK]
        if self.start_at_target_lang:
            self.decoder_start_id = self.vocab[self.target_lang]
            self.target_prefix: tuple[str, ...] = ()
        else:
            start = read_json(folder / "config.json").get("decoder_start_token_id")
            self.decoder_start_id = start if isinstance(start, int) else self.eos_id
            self.target_prefix = (self.target_lang,)
        self._specials = {self.vocab[t] for t in (EOS, PAD, UNK, "<s>") if t in self.vocab}

    def source_pieces(self, text: str) -> list[Piece]:
        """The text's pieces (no language code, no `</s>`), each with its character span."""
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        return [Piece(t, s, e) for t, (s, e) in zip(encoding.tokens, encoding.offsets,
                                                      strict=True)]  # fmt: skip

    def source_tokens_batch(self, texts: Sequence[str]) -> list[list[str]]:
        """Model input tokens: the source language code, the pieces, `</s>`."""
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [[self.source_lang, *e.tokens, EOS] for e in encodings]

    def count(self, texts: Sequence[str]) -> list[int]:
        return [len(row) for row in self.source_tokens_batch(texts)]

    def token_ids(self, tokens: Sequence[str]) -> list[int]:
        return [self.vocab.get(t, self.unk_id) for t in tokens]

    def ids_to_pieces(self, ids: Sequence[int]) -> list[str]:
        return [self._tokenizer.id_to_token(int(i)) or UNK for i in ids]

    def decode(self, pieces: Sequence[str]) -> str:
        """Text from output pieces, as the tokenizer's `decode(ids, skip_special_tokens=True)`.

        No `clean_up_tokenization_spaces`, although NLLB's tokenizer_config sets it:
        transformers (5.x) ignores it for BPE tokenizers, as it would eat the space before
        punctuation (tested against `NllbTokenizer.decode`).
        """
        ids = [i for i in self.token_ids(pieces) if i not in self._specials]
        return self._tokenizer.decode(ids, skip_special_tokens=True).strip()


def load_tokenizer(folder: Path) -> Any:
    """The folder's `tokenizer.json` as a `tokenizers.Tokenizer` (what transformers' fast
    tokenizers run). A folder with only a SentencePiece model gets it converted by transformers
    when that is installed (vi2en's CTranslate2 conversions always carry `tokenizer.json`).

    Raises:
        ModelNotFound: no readable `tokenizer.json` (and no way to make one).
    """
    from tokenizers import Tokenizer

    path = folder / "tokenizer.json"
    if path.is_file():
        try:
            return Tokenizer.from_file(str(path))
        except Exception as exc:  # tokenizers raises a bare Exception on a bad file
            raise ModelNotFound(f"cannot read {path}: {exc}; copy the model folder again") from exc
    try:
        from transformers import AutoTokenizer
    except ImportError:
        raise ModelNotFound(
            f"{folder} has no tokenizer.json: convert the model with `vi2en models convert` on a "
            "machine with vi2en[hf] (the conversion carries one), or copy it from the hub"
        ) from None
    try:
        return AutoTokenizer.from_pretrained(str(folder)).backend_tokenizer
    except (OSError, ValueError, AttributeError) as exc:
        raise ModelNotFound(f"{folder} has no usable tokenizer: {exc}") from exc


class NllbCodec(LanguageCodeCodec):
    """`tokenizer.json` of an NLLB-200 folder: `vie_Latn` in, `eng_Latn` forced first."""


FAMILY = FamilySpec(
    name="nllb",
    description="NLLB-200 (M2M100 architecture; nllb-600m, nllb-1.3b, nllb-3.3b)",
    codec="vi2en.engines.nllb:NllbCodec",
    model_class="M2M100ForConditionalGeneration",
    files=("tokenizer.json",),
    tokenizer_json=True,
    model_types=("m2m_100",),
    tokenizer_classes=("NllbTokenizer", "NllbTokenizerFast"),
)
