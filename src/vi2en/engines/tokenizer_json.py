"""Codecs that read a model's `tokenizer.json` with the `tokenizers` library: what transformers'
fast tokenizers run, without transformers, with character offsets into the original text.

`TokenizerJsonCodec` holds what every such family shares (pieces with spans, ids, decoding as
the tokenizer's `decode(ids, skip_special_tokens=True)`); a family's codec adds how the model
input is laid out and how decoding starts (`vi2en.engines.nllb`, `mbart50`, `t5`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vi2en.engines.base import Piece
from vi2en.engines.families import read_json
from vi2en.errors import ModelNotFound

EOS = "</s>"
PAD = "<pad>"
UNK = "<unk>"


def load_tokenizer(folder: Path) -> Any:
    """The folder's `tokenizer.json` as a `tokenizers.Tokenizer`. A folder with only a
    SentencePiece model gets it converted by transformers when that is installed (vi2en's
    CTranslate2 conversions always carry `tokenizer.json`).

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


class TokenizerJsonCodec:
    """Base of the `tokenizer.json` codecs; subclasses lay out the model input.

    Raises:
        ModelNotFound: no tokenizer, or one without the family's `required` tokens.
    """

    required: tuple[str, ...] = ()  # tokens the family needs beyond </s>, <pad>, <unk>
    what = "model"  # the family, for error messages
    target_prefix: tuple[str, ...] = ()
    source_prefix_len = 0

    def __init__(self, folder: Path) -> None:
        self._tokenizer = load_tokenizer(folder)
        self.vocab: dict[str, int] = self._tokenizer.get_vocab(with_added_tokens=True)
        missing = [t for t in (*self.required, EOS, PAD, UNK) if t not in self.vocab]
        if missing:
            raise ModelNotFound(f"the tokenizer of {folder} has no {', '.join(missing)}: not "
                                f"a {self.what} tokenizer")  # fmt: skip
        self.eos_id, self.pad_id, self.unk_id = (self.vocab[t] for t in (EOS, PAD, UNK))
        start = read_json(folder / "config.json").get("decoder_start_token_id")
        self.decoder_start_id: int = start if isinstance(start, int) else self.pad_id
        self._specials = {self.vocab[t] for t in (EOS, PAD, UNK, "<s>") if t in self.vocab}

    def source_pieces(self, text: str) -> list[Piece]:
        """The text's own pieces (no special tokens), each with its character span."""
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        return [Piece(t, s, e) for t, (s, e) in zip(encoding.tokens, encoding.offsets,
                                                      strict=True)]  # fmt: skip

    def source_tokens_batch(self, texts: Sequence[str]) -> list[list[str]]:
        raise NotImplementedError

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
