"""The NLLB-200 family (M2M100 architecture): source `vie_Latn`, target prefix `eng_Latn`.

Tokenized with the model's own `tokenizer.json` through the `tokenizers` library (what
transformers' `NllbTokenizer` runs, without transformers), in its current (non-legacy) layout:
`[vie_Latn] pieces </s>` in, `</s> eng_Latn` as the decoder's start, output decoded as
`NllbTokenizer.decode(ids, skip_special_tokens=True)` does. `tokenizers` reports character
offsets into the original text, so every piece keeps its span.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vi2en.engines.base import Piece
from vi2en.engines.families import FamilySpec, read_json
from vi2en.errors import ModelNotFound

SOURCE_LANG = "vie_Latn"
TARGET_LANG = "eng_Latn"
EOS = "</s>"
PAD = "<pad>"
UNK = "<unk>"


class NllbCodec:
    """`tokenizer.json` of an NLLB model folder (Hugging Face or vi2en's CTranslate2 conversion).

    Raises:
        ModelNotFound: no readable `tokenizer.json`, or one without the language codes.
    """

    source_prefix_len = 1  # the source language code
    target_prefix = (TARGET_LANG,)

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        path = folder / "tokenizer.json"
        try:
            self._tokenizer = Tokenizer.from_file(str(path))
        except Exception as exc:  # tokenizers raises a bare Exception on a bad file
            raise ModelNotFound(f"cannot read {path}: {exc}; copy the model folder again") from exc
        self.vocab: dict[str, int] = self._tokenizer.get_vocab(with_added_tokens=True)
        missing = [t for t in (SOURCE_LANG, TARGET_LANG, EOS, PAD, UNK) if t not in self.vocab]
        if missing:
            raise ModelNotFound(f"{path} has no {', '.join(missing)}: not an NLLB-200 tokenizer")
        self.eos_id = self.vocab[EOS]
        self.pad_id = self.vocab[PAD]
        self.unk_id = self.vocab[UNK]
        config = read_json(folder / "config.json")
        start = config.get("decoder_start_token_id")
        self.decoder_start_id = start if isinstance(start, int) else self.eos_id
        self._specials = {self.vocab[t] for t in (EOS, PAD, UNK, "<s>") if t in self.vocab}

    def source_pieces(self, text: str) -> list[Piece]:
        """The text's pieces (no language code, no `</s>`), each with its character span."""
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        return [Piece(t, s, e) for t, (s, e) in zip(encoding.tokens, encoding.offsets,
                                                      strict=True)]  # fmt: skip

    def source_tokens_batch(self, texts: Sequence[str]) -> list[list[str]]:
        """Model input tokens: `vie_Latn`, the pieces, `</s>`."""
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [[SOURCE_LANG, *e.tokens, EOS] for e in encodings]

    def count(self, texts: Sequence[str]) -> list[int]:
        return [len(row) for row in self.source_tokens_batch(texts)]

    def token_ids(self, tokens: Sequence[str]) -> list[int]:
        return [self.vocab.get(t, self.unk_id) for t in tokens]

    def ids_to_pieces(self, ids: Sequence[int]) -> list[str]:
        return [self._tokenizer.id_to_token(int(i)) or UNK for i in ids]

    def decode(self, pieces: Sequence[str]) -> str:
        """Text from output pieces, as `NllbTokenizer.decode(ids, skip_special_tokens=True)`.

        No `clean_up_tokenization_spaces`, although NLLB's tokenizer_config sets it:
        transformers (5.x) ignores it for BPE tokenizers, as it would eat the space before
        punctuation (tested against `NllbTokenizer.decode`).
        """
        ids = [i for i in self.token_ids(pieces) if i not in self._specials]
        return self._tokenizer.decode(ids, skip_special_tokens=True).strip()


FAMILY = FamilySpec(
    name="nllb",
    description="NLLB-200 (M2M100 architecture; nllb-600m, nllb-1.3b, nllb-3.3b)",
    codec="vi2en.engines.nllb:NllbCodec",
    model_class="M2M100ForConditionalGeneration",
    files=("tokenizer.json",),
    model_types=("m2m_100",),
    tokenizer_classes=("NllbTokenizer", "NllbTokenizerFast"),
)
