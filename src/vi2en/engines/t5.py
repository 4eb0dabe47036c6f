"""The T5 family (MADLAD-400: `madlad-3b`): the target language is a `<2en>` token before the
source text, decoding starts at `<pad>` with no forced prefix.

Tokenized from `tokenizer.json` as transformers' `T5Tokenizer` tokenizes `"<2en> " + text`:
`<2en>`, the text's pieces, `</s>` (checked against it in the tests). The text's own pieces are
encoded without the prefix, so their spans point into the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vi2en.engines.families import FamilySpec
from vi2en.engines.tokenizer_json import EOS, TokenizerJsonCodec

TARGET_TOKEN = "<2en>"


class T5PrefixCodec(TokenizerJsonCodec):
    """`tokenizer.json` of a MADLAD-400 (T5) folder: `<2en>` + text in, no target prefix;
    decoding starts at the config's start token (`<pad>`)."""

    required = (TARGET_TOKEN,)
    what = "MADLAD-400 (T5 with <2xx> language tokens)"

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        prefix = self._tokenizer.encode(f"{TARGET_TOKEN} ", add_special_tokens=False).tokens
        self.source_prefix_len = len(prefix)

    def source_tokens_batch(self, texts: Sequence[str]) -> list[list[str]]:
        """`<2en>`, the pieces, `</s>`: what `T5Tokenizer("<2en> " + text)` gives."""
        encodings = self._tokenizer.encode_batch([f"{TARGET_TOKEN} {t}" for t in texts],
                                                 add_special_tokens=False)  # fmt: skip
        return [[*e.tokens, EOS] for e in encodings]


FAMILY = FamilySpec(
    name="t5",
    description="T5 / MADLAD-400 (madlad-3b; <2en> before the source)",
    codec="vi2en.engines.t5:T5PrefixCodec",
    model_class="T5ForConditionalGeneration",
    files=(),  # tokenizer.json, or a SentencePiece model transformers converts
    tokenizer_json=True,
    model_types=("t5",),
)
