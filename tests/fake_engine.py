"""A deterministic stand-in for a translation engine, for pipeline and CLI unit tests.

Pieces are whitespace words, a translation is the upper-cased words (each repeated `babble` times),
so every source word is visible in the output and lengths are exact. Its n-best (`num_hypotheses`)
ranks the translation first, then the same with word 1, 2, ... in lower case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from vi2en.engines.base import BatchAfterBatch, Hypothesis, Piece, distinct_alternatives
from vi2en.errors import EngineError


class FakeEngine(BatchAfterBatch):
    """Implements the `vi2en.engines.base.Engine` protocol without a model."""

    def __init__(
        self,
        *,
        max_positions: int = 64,
        default_beam_size: int = 2,
        babble: int = 1,
        name: str = "fake",
        model_id: str = "fake-model",
        path: Path | None = None,
        revision: str | None = None,
        device: str = "cpu",
        compute_type: str = "float32",
    ):
        # What "runs": tests give it an identity unlike what was asked for ("auto"), so that
        # provenance read from the request instead of the engine shows up as a failure.
        self.name, self.model_id, self.path, self.revision = name, model_id, path, revision
        self.device, self.compute_type = device, compute_type
        self.max_positions = max_positions
        self.aligned_attention = True
        self.default_beam_size = default_beam_size
        self.babble = babble
        self.calls: list[dict] = []  # one per translate_batch call

    @staticmethod
    def _alternatives(target: list[str], num_hypotheses: int) -> tuple[str, ...]:
        """The fake n-best's other entries: word 1, 2, ... in lower case."""
        ranked = (" ".join(w.lower() if j == r else w for j, w in enumerate(target))
                  for r in range(min(num_hypotheses - 1, len(target))))  # fmt: skip
        return distinct_alternatives(" ".join(target), ranked)

    def source_pieces(self, text: str) -> list[Piece]:
        return [Piece(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]

    def count_pieces(self, texts: Sequence[str]) -> list[int]:
        return [len(text.split()) + 1 for text in texts]

    def translate_batch(
        self,
        texts: Sequence[str],
        *,
        beam_size: int | None = None,
        max_new_tokens: Sequence[int] | None = None,
        return_attention: bool = False,
        num_hypotheses: int = 1,
        no_repeat_ngram_size: int = 0,
        repetition_penalty: float = 1.0,
    ) -> list[Hypothesis]:
        self.calls.append(
            {"texts": list(texts), "beam_size": beam_size, "max_new_tokens": max_new_tokens,
             "num_hypotheses": num_hypotheses}
        )
        # Like a real model, it stops repeating itself when told to.
        babble = 1 if no_repeat_ngram_size or repetition_penalty > 1 else self.babble
        out = []
        for i, text in enumerate(texts):
            words = text.split()
            if len(words) + 1 > self.max_positions:
                raise EngineError(f"input of {len(words) + 1} positions > {self.max_positions}")
            target = [w.upper() for w in words for _ in range(babble)]
            cap = None if max_new_tokens is None else max_new_tokens[i] - 1
            hit = cap is not None and len(target) > cap
            target = target[:cap] if hit else target
            attention = None
            if return_attention:
                attention = tuple(
                    tuple(1.0 if j == t // babble else 0.0 for j in range(len(words)))
                    for t in range(len(target))
                )
            out.append(
                Hypothesis(
                    text=" ".join(target),
                    pieces=tuple(target),
                    score=-0.5 * len(words),
                    hit_limit=hit,
                    attention=attention,
                    alternatives=self._alternatives(target, num_hypotheses),
                )
            )
        return out
