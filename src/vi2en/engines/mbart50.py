"""The mBART-50 family (VinAI Translate vi2en: `vinai`): source `vi_VN`, output in `en_XX`.

Tokenized from `tokenizer.json` as `MBart50Tokenizer` does (`[vi_VN] pieces </s>`), like NLLB
(`vi2en.engines.nllb.LanguageCodeCodec`). Decoding starts at the target language code itself,
as VinAI's model card has it (`generate(..., decoder_start_token_id=lang_code_to_id["en_XX"])`),
on both engines: a CTranslate2 conversion gets `en_XX` as its decoder start token.
"""

from __future__ import annotations

from vi2en.engines.families import FamilySpec
from vi2en.engines.nllb import LanguageCodeCodec


class MBart50Codec(LanguageCodeCodec):
    """`tokenizer.json` of an mBART-50 folder: `vi_VN` in, decoding started at `en_XX`."""

    source_lang = "vi_VN"
    target_lang = "en_XX"
    start_at_target_lang = True


FAMILY = FamilySpec(
    name="mbart50",
    description="mBART-50 (vinai: VinAI Translate vi2en v2)",
    codec="vi2en.engines.mbart50:MBart50Codec",
    model_class="MBartForConditionalGeneration",
    files=("tokenizer.json",),
    tokenizer_json=True,
    model_types=("mbart",),
    tokenizer_classes=("MBart50Tokenizer", "MBart50TokenizerFast"),
    ct2_config=(("decoder_start_token", "en_XX"), ("bos_token", "<s>")),
    hf_config_defaults=(("normalize_before", True),),  # mBART is pre-norm
)
