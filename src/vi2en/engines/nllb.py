"""The NLLB-200 family (M2M100 architecture): source `vie_Latn`, target prefix `eng_Latn`.

Tokenized from the model's own `tokenizer.json` (`vi2en.engines.tokenizer_json`) in
`NllbTokenizer`'s current (non-legacy) layout: `[vie_Latn] pieces </s>` in, `</s> eng_Latn` as
the decoder's start, output decoded as `NllbTokenizer.decode(ids, skip_special_tokens=True)`.
`LanguageCodeCodec` serves every family laid out this way (mBART-50 too: `vi2en.engines.mbart50`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vi2en.engines.families import FamilySpec
from vi2en.engines.tokenizer_json import EOS, TokenizerJsonCodec


class LanguageCodeCodec(TokenizerJsonCodec):
    """A model that marks languages with codes: `[source] pieces </s>` in, the target code
    forced first (after the config's start token, or as the start token itself when
    `start_at_target_lang`)."""

    source_lang = "vie_Latn"
    target_lang = "eng_Latn"
    start_at_target_lang = False
    source_prefix_len = 1  # the source language code

    def __init__(self, folder: Path) -> None:
        self.required = (self.source_lang, self.target_lang)
        self.what = f"{self.source_lang}/{self.target_lang}"
        super().__init__(folder)
        if self.start_at_target_lang:
            self.decoder_start_id = self.vocab[self.target_lang]
        else:
            self.target_prefix = (self.target_lang,)

    def source_tokens_batch(self, texts: Sequence[str]) -> list[list[str]]:
        """Model input tokens: the source language code, the pieces, `</s>`."""
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [[self.source_lang, *e.tokens, EOS] for e in encodings]


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
