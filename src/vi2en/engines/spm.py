"""The model's own SentencePiece models and joint vocabulary, shared by both engines.

This reproduces what `transformers.MarianTokenizer` does (source pieces from `source.spm`, ids from
`vocab.json`, unknown pieces -> `<unk>`, `</s>` appended; output pieces decoded as
`MarianTokenizer.decode(ids, skip_special_tokens=True)` decodes them) without loading
transformers, and adds what MarianTokenizer cannot give: the character span of every source
piece. SentencePiece reports byte offsets into the original (un-normalised) input; they are
turned into character offsets here and nowhere else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from vi2en.engines.base import Piece
from vi2en.errors import EngineError, ModelNotFound

EOS = "</s>"
SPACE_MARK = "\u2581"  # `▁`: SentencePiece's word-start mark
UNK = "<unk>"
PAD = "<pad>"
# Files every opus-mt folder (Hugging Face or our CTranslate2 conversion) must have.
SPM_FILES = ("source.spm", "target.spm", "vocab.json")


class MarianSentencePiece:
    """`source.spm`, `target.spm` and `vocab.json` of one Marian model folder.

    Args:
        folder: A Hugging Face Marian folder or a vi2en CTranslate2 conversion of one.

    Raises:
        ModelNotFound: A file is missing or unreadable.
    """

    def __init__(self, folder: Path) -> None:
        import sentencepiece as spm

        missing = [name for name in SPM_FILES if not (folder / name).is_file()]
        if missing:
            raise ModelNotFound(
                f"model folder {folder} lacks {', '.join(missing)}: it is not a complete "
                "opus-mt model; copy the whole folder again (or run "
                "`vi2en models download ID` on a machine with internet)"
            )
        try:
            self._source = spm.SentencePieceProcessor(model_file=str(folder / "source.spm"))
            self._target = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"))
            self.vocab: dict[str, int] = json.loads((folder / "vocab.json").read_text("utf-8"))
        except (OSError, RuntimeError, ValueError) as exc:
            raise ModelNotFound(
                f"cannot read the SentencePiece models or vocab.json in {folder}: {exc}; "
                "copy the model folder again"
            ) from exc
        if EOS not in self.vocab or UNK not in self.vocab:
            raise ModelNotFound(
                f"{folder / 'vocab.json'} has no {EOS} or {UNK}: not a Marian vocabulary"
            )
        self.eos_id = self.vocab[EOS]
        self.unk_id = self.vocab[UNK]
        self.pad_id = self.vocab.get(PAD, len(self.vocab))
        self._id_to_piece = {i: p for p, i in self.vocab.items()}
        # Marian starts decoding from <pad> (a zero embedding) and forces no first token.
        self.decoder_start_id = self.pad_id
        self.target_prefix: tuple[str, ...] = ()
        self.source_prefix_len = 0

    def source_pieces(self, text: str) -> list[Piece]:
        """Source pieces of `text` (no `</s>`), each with its character span in `text`.

        A piece made only by normalisation (the `▁` before a word, or the extra `.` pieces of
        `…`) gets an empty span at the place it stands for.
        """
        proto = self._source.encode(text, return_type="proto")
        char_at = _byte_to_char(text)
        return [Piece(p.piece, char_at[p.begin], char_at[p.end]) for p in proto.pieces]

    def source_tokens(self, text: str) -> list[str]:
        """Source pieces as the model sees them: unknown pieces as `<unk>`, `</s>` appended."""
        return self.source_tokens_batch([text])[0]

    def source_tokens_batch(self, texts: Sequence[str]) -> list[list[str]]:
        """`source_tokens` of many texts in one SentencePiece call."""
        vocab = self.vocab
        return [
            [p if p in vocab else UNK for p in pieces] + [EOS]
            for pieces in self._source.encode(list(texts), out_type=str)
        ]

    def token_ids(self, tokens: Sequence[str]) -> list[int]:
        """Ids of model tokens (as `source_tokens` gives them: every token is in the vocab)."""
        return [self.vocab.get(t, self.unk_id) for t in tokens]

    def source_ids(self, text: str) -> list[int]:
        """MarianTokenizer's `input_ids` for `text` (with `</s>`)."""
        return [self.vocab[p] for p in self.source_tokens(text)]

    def count(self, texts: Sequence[str]) -> list[int]:
        """Source length of each text in positions, `</s>` included."""
        return [len(pieces) + 1 for pieces in self._source.encode(list(texts), out_type=str)]

    def target_ids(self, text: str) -> list[int]:
        """Target ids of `text` with `</s>` (labels for training)."""
        pieces = self._target.encode(text, out_type=str)
        return [self.vocab.get(p, self.unk_id) for p in pieces] + [self.eos_id]

    def ids_to_pieces(self, ids: Sequence[int]) -> list[str]:
        """Pieces for target ids (ids outside the vocab become `<unk>`)."""
        return [self._id_to_piece.get(int(i), UNK) for i in ids]

    def decode(self, pieces: Sequence[str]) -> str:
        """Output text from output pieces, as `MarianTokenizer.decode(ids,
        skip_special_tokens=True)` gives it.

        The joint vocabulary holds pieces only `source.spm` knows, and the decoder may emit them;
        `target.spm` copies an unknown piece verbatim, `▁` and all (`policy▁phẩm`), so every `▁`
        left after decoding becomes a space and the ends are stripped, as MarianTokenizer does.
        """
        text = self._target.decode_pieces([p for p in pieces if p not in (EOS, PAD, UNK)])
        return text.replace(SPACE_MARK, " ").strip()


def _byte_to_char(text: str) -> list[int]:
    """Character index for every UTF-8 byte offset of `text` (0 .. len(bytes) inclusive).

    An offset inside a character (SentencePiece never gives one, but be safe) maps to the
    character that contains it.
    """
    char_at: list[int] = []
    for index, char in enumerate(text):
        char_at.extend([index] * len(char.encode("utf-8")))
    char_at.append(len(text))
    return char_at


def check_source_lengths(tokens: Sequence[Sequence[str]], max_positions: int) -> None:
    """Refuse any source longer than the model's positions (engines never truncate).

    Raises:
        EngineError: Names the first text that is too long and by how much.
    """
    for index, row in enumerate(tokens):
        if len(row) > max_positions:
            raise EngineError(
                f"text {index} of the batch has {len(row)} source pieces (with </s>) but the "
                f"model has {max_positions} positions; split it before translating (vi2en's "
                "pipeline does this for you)"
            )


def limit_reached(pieces: Sequence[str], cap: int) -> bool:
    """True when an output has as many pieces as its cap (so decoding may have been cut short)."""
    return len(pieces) >= cap
