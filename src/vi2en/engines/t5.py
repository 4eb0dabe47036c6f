"""The T5 family (MADLAD-400: `madlad-3b`): the target language is a `<2en>` token before the
source text, decoding starts at `<pad>` with no forced prefix.

Tokenized from `tokenizer.json` as transformers' `T5Tokenizer` tokenizes `"<2en> " + text`:
`<2en>`, the text's pieces, `</s>` (checked against it in the tests). The text's own pieces are
encoded without the prefix, so their spans point into the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vi2en.engines.base import Piece
from vi2en.engines.families import FamilySpec, read_json
from vi2en.engines.nllb import EOS, PAD, UNK, load_tokenizer
from vi2en.errors import ModelNotFound

TARGET_TOKEN = "<2en>"


class T5PrefixCodec:
    """`tokenizer.json` of a MADLAD-400 (T5) folder: `<2en>` + text in, no target prefix."""

    target_prefix: tuple[str, ...] = ()

    def __init__(self, folder: Path) -> None:
        self._tokenizer = load_tokenizer(folder)
        self.vocab: dict[str, int] = self._tokenizer.get_vocab(with_added_tokens=True)
        missing = [t for t in (TARGET_TOKEN, EOS, PAD, UNK) if t not in self.vocab]
        if missing:
            raise ModelNotFound(f"the tokenizer of {folder} has no {', '.join(missing)}: not a "
                                "MADLAD-400 (T5 with <2xx> language tokens) model")  # fmt: skip
        self.eos_id, self.pad_id, self.unk_id = (self.vocab[t] for t in (EOS, PAD, UNK))
        start = read_json(folder / "config.json").get("decoder_start_token_id")
        self.decoder_start_id = start if isinstance(start, int) else self.pad_id
        self._prefix = self._tokenizer.encode(f"{TARGET_TOKEN} ", add_special_tokens=False).tokens
        self.source_prefix_len = len(self._prefix)
        self._specials = {self.vocab[t] for t in (EOS, PAD, UNK)}

    def source_pieces(self, text: str) -> list[Piece]:
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        return [Piece(t, s, e) for t, (s, e) in zip(encoding.tokens, encoding.offsets,
                                                      strict=True)]  # fmt: skip

    def source_tokens_batch(self, texts: Sequence[str]) -> list[list[str]]:
        """`<2en>`, the pieces, `</s>`: what `T5Tokenizer("<2en> " + text)` gives."""
        encodings = self._tokenizer.encode_batch([f"{TARGET_TOKEN} {t}" for t in texts],
                                                 add_special_tokens=False)  # fmt: skip
        return [[*e.tokens, EOS] for e in encodings]

    def count(self, texts: Sequence[str]) -> list[int]:
        return [len(row) for row in self.source_tokens_batch(texts)]

    def token_ids(self, tokens: Sequence[str]) -> list[int]:
        return [self.vocab.get(t, self.unk_id) for t in tokens]

    def ids_to_pieces(self, ids: Sequence[int]) -> list[str]:
        return [self._tokenizer.id_to_token(int(i)) or UNK for i in ids]

    def decode(self, pieces: Sequence[str]) -> str:
        ids = [i for i in self.token_ids(pieces) if i not in self._specials]
        return self._tokenizer.decode(ids, skip_special_tokens=True).strip()


FAMILY = FamilySpec(
    name="t5",
    description="T5 / MADLAD-400 (madlad-3b; <2en> before the source)",
    codec="vi2en.engines.t5:T5PrefixCodec",
    model_class="T5ForConditionalGeneration",
    files=(),  # tokenizer.json, or a SentencePiece model transformers converts
    tokenizer_json=True,
    model_types=("t5",),
)
