"""The reference engine: transformers on torch (the family's model class: `MarianMTModel`,
`M2M100ForConditionalGeneration`...), tokenised by the family's codec (`vi2en.engines.families`).

`generate` picks the tokens; one teacher-forced forward pass over the chosen hypotheses then gives
the score (mean log-probability per output piece, `</s>` included when produced, `<pad>` excluded
from the softmax as CTranslate2 excludes it from its vocabulary, so both engines report the same
quantity) and, when asked, the cross-attention of one head (`align_layer`, `align_head`; default
the first head of the last decoder layer, the head Marian's guided alignment trains and the one
CTranslate2 returns).

n-best is `num_return_sequences` (with `num_beams` >= it): it picks the best of the finished
beams after the search, so the 1-best is the same as with one sequence; an n-best wider than the
beam is a second `generate` with `num_beams` = `num_return_sequences`, so the 1-best still comes
from the beam asked for (tested: `tests/engines/test_nbest.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vi2en.engines.base import Hypothesis, cap_groups, check_threads, distinct_alternatives
from vi2en.engines.folder import ModelFolderEngine
from vi2en.engines.models import quiet_transformers
from vi2en.engines.registry import EngineOption, EngineSpec, Notify
from vi2en.engines.spm import EOS, check_source_lengths, limit_reached
from vi2en.errors import EngineError, EngineUnsuitable

DTYPES = ("float32", "float16", "bfloat16")


class HFEngine(ModelFolderEngine):
    """A Hugging Face model folder of a registered family, run with transformers and torch.

    Args:
        path: The model folder (`config.json`, weights, `source.spm`, `target.spm`, `vocab.json`).
        model_id: What the user asked for (shown in signatures and errors).
        device: "auto" (CUDA when torch sees it), "cpu" or "cuda".
        compute_type: "auto" (float32 on CPU, float16 on CUDA), "float32", "float16", "bfloat16".
        threads: torch CPU threads (`torch.set_num_threads`); 0 leaves torch's default.
        align_layer: Decoder layer whose cross-attention is returned (-1: the last).
        align_head: Head of that layer (0: the guided-alignment head of OPUS-MT).

    Raises:
        EngineError: torch/transformers missing, or the model cannot be loaded.
    """

    name = "transformers"

    def __init__(
        self,
        path: Path,
        *,
        model_id: str | None = None,
        device: str = "auto",
        compute_type: str = "auto",
        threads: int = 0,
        align_layer: int = -1,
        align_head: int = 0,
    ) -> None:
        try:
            import torch
            import transformers
        except ImportError as exc:
            raise EngineError(
                "transformers/torch are not installed: pip install 'vi2en[hf]' "
                "(or use --engine ctranslate2)"
            ) from exc
        super().__init__(path, model_id)
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device not in ("cpu", "cuda"):
            raise EngineError(f"unknown device {device!r}; use auto, cpu or cuda")
        self.device = device
        if compute_type == "auto":
            compute_type = "float16" if device == "cuda" else "float32"
        if compute_type not in DTYPES:
            raise EngineError(
                f"compute type {compute_type!r} is not available with transformers; use one of "
                f"{DTYPES} (int8 needs --engine ctranslate2)"
            )
        self.compute_type = compute_type
        check_threads(threads)
        if threads > 0:
            torch.set_num_threads(threads)
        quiet_transformers()
        try:
            model_class = getattr(transformers, self.family.model_class)
            model = model_class.from_pretrained(
                path, dtype=getattr(torch, compute_type), attn_implementation="eager"
            )
        except (OSError, ValueError, RuntimeError) as exc:
            raise EngineError(f"transformers cannot load {path}: {exc}") from exc
        self.model = model.to(device).eval()
        config = self.model.config  # T5 names them num_decoder_layers and num_heads
        layers = getattr(config, "decoder_layers", None) or config.num_decoder_layers
        heads = getattr(config, "decoder_attention_heads", None) or config.num_heads
        if not (-layers <= align_layer < layers and 0 <= align_head < heads):
            raise EngineError(
                f"align_layer {align_layer} / align_head {align_head} out of range: the model "
                f"has {layers} decoder layers of {heads} heads"
            )
        self.align_layer = align_layer
        self.align_head = align_head

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
        """Translate texts as one batch, results in input order; no truncation, ever.

        `no_repeat_ngram_size` and `repetition_penalty` (as `generate` takes them) are for
        re-decoding an output that looped (`vi2en.guards`). `num_hypotheses` > 1 fills
        `alternatives` (see the module notes: the 1-best does not change).

        As with CTranslate2, texts are decoded in one `generate` call per distinct
        `max_new_tokens` (`cap_groups`), so each output is what that text alone with its own cap
        gives; an output that reaches its cap is marked `hit_limit`.

        Raises:
            EngineError: A text is longer than `max_positions`.
        """
        if not texts:
            return []
        tokens = self.codec.source_tokens_batch(texts)
        check_source_lengths(tokens, self.max_positions)
        rows = [self.codec.token_ids(row) for row in tokens]
        caps = self.decoding_caps(max_new_tokens, len(texts))
        if len(caps) != len(texts) or min(caps) < 1:
            raise EngineError("max_new_tokens needs one positive cap per text")
        beam = beam_size or self.default_beam_size
        if num_hypotheses < 1:
            raise EngineError(f"num_hypotheses must be >= 1, got {num_hypotheses}")
        hyps: dict[int, Hypothesis] = {}
        repeats = {"no_repeat_ngram_size": no_repeat_ngram_size,
                   "repetition_penalty": repetition_penalty}  # fmt: skip
        for group in cap_groups(caps):
            out = self._generate([rows[i] for i in group], caps[group[0]], beam,
                                 return_attention, repeats, num_hypotheses)  # fmt: skip
            hyps.update(zip(group, out, strict=True))
        return [hyps[i] for i in range(len(texts))]

    def _generate(
        self,
        rows: list[list[int]],
        cap: int,
        beam: int,
        return_attention: bool,
        repeats: dict[str, Any],
        num_hypotheses: int = 1,
    ) -> list[Hypothesis]:
        """One `generate` call over source id rows that share the decoding cap `cap`
        (`repeats`: the `no_repeat_ngram_size` and `repetition_penalty` to pass on), and one
        more for an n-best wider than the beam."""
        import torch

        wider = num_hypotheses > beam
        with torch.inference_mode():
            nbest = self._search(rows, cap, beam, 1 if wider else num_hypotheses, repeats)
            outputs = [ranked[0] for ranked in nbest]
            if wider:
                nbest = self._search(rows, cap, num_hypotheses, num_hypotheses, repeats)
            else:
                nbest = [ranked[1:] for ranked in nbest]
            scores, attention = self._rescore(rows, outputs, return_attention)
        hyps = []
        for i, ids in enumerate(outputs):
            pieces = self._pieces(ids)
            text = self.codec.decode(pieces)
            hyps.append(
                Hypothesis(
                    text=text,
                    pieces=pieces,
                    score=scores[i],
                    hit_limit=limit_reached(pieces, cap),
                    attention=_rows(attention[i], len(pieces), self.codec.source_prefix_len,
                                    len(rows[i]) - 1),
                    alternatives=distinct_alternatives(
                        text, (self.codec.decode(self._pieces(other)) for other in nbest[i])
                    ),
                )
            )
        return hyps

    def _search(self, rows: list[list[int]], cap: int, beam: int, returned: int,
                repeats: dict[str, Any]) -> list[list[list[int]]]:  # fmt: skip
        """Beam search: per row, the `returned` best output id lists, best first."""
        import torch

        input_ids, attention_mask = self._pad(rows)
        start = self._decoder_start()
        generated = self.model.generate(
            input_ids=input_ids,
            attention_mask=attention_mask,
            decoder_input_ids=torch.tensor([start] * len(rows), device=self.device),
            decoder_start_token_id=start[0],  # else generate prepends the config's own
            num_beams=beam,
            num_return_sequences=returned,
            do_sample=False,
            max_new_tokens=cap,
            max_length=None,
            forced_bos_token_id=None,  # the target prefix is in decoder_input_ids
            forced_eos_token_id=None,  # a forced </s> at the cap would hide hit_limit
            **repeats,
        )
        outputs = self._chosen(generated[:, len(start) :].tolist())
        # generate returns each row's sequences next to each other, best first.
        return [outputs[i * returned : (i + 1) * returned] for i in range(len(rows))]

    def _pieces(self, ids: list[int]) -> tuple[str, ...]:
        return tuple(p for p in self.codec.ids_to_pieces(ids) if p != EOS)

    def _decoder_start(self) -> list[int]:
        """The decoder's first inputs: the start token, then the family's target prefix."""
        return [self.codec.decoder_start_id, *self.codec.token_ids(self.codec.target_prefix)]

    def _pad(self, rows: list[list[int]]) -> tuple[Any, Any]:
        import torch

        width = max(len(r) for r in rows)
        pad = self.codec.pad_id
        ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows], device=self.device)
        mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows],
                            device=self.device)
        return ids, mask

    def _chosen(self, sequences: list[list[int]]) -> list[list[int]]:
        """Each output up to and including its first `</s>`, padding removed."""
        outputs = []
        for seq in sequences:
            if self.codec.eos_id in seq:
                seq = seq[: seq.index(self.codec.eos_id) + 1]
            outputs.append([t for t in seq if t != self.codec.pad_id])
        return outputs

    def _rescore(
        self, rows: list[list[int]], outputs: list[list[int]], want_attention: bool
    ) -> tuple[list[float | None], list[Any]]:
        """Teacher-forced pass over each output on its own: mean log-prob per piece and one
        head's attention (target pieces x all source positions).

        One text at a time, unpadded: padding changes float sums in the last bits, and a
        text's score must not depend on what it was batched with.
        """
        import torch

        pad = self.codec.pad_id
        start_ids = self._decoder_start()
        first = len(start_ids) - 1  # the position whose output is the first label
        scores: list[float | None] = []
        attention: list[Any] = []
        for row, out in zip(rows, outputs, strict=True):
            if not out:
                scores.append(None)
                attention.append(None)
                continue
            labels = torch.tensor([out], device=self.device)
            start = torch.tensor([start_ids], device=self.device)
            result = self.model(
                input_ids=torch.tensor([row], device=self.device),
                decoder_input_ids=torch.cat([start, labels[:, :-1]], dim=1),
                output_attentions=want_attention,
            )
            logits = result.logits[:, first:].float()
            logits[..., pad] = float("-inf")  # as CTranslate2, which has no <pad> in its vocab
            logprobs = torch.log_softmax(logits, dim=-1).gather(-1, labels.unsqueeze(-1))
            scores.append(float(logprobs.mean()))
            if want_attention:
                layer = result.cross_attentions[self.align_layer]
                attention.append(layer[0, self.align_head, first:].float().cpu())
            else:
                attention.append(None)
        return scores, attention


def _rows(attention: Any, target_len: int, source_start: int, source_end: int) -> Any:
    """One text's attention as tuples: target pieces x its own source pieces (no specials)."""
    if attention is None:
        return None
    matrix = attention[:target_len, source_start:source_end].tolist()
    return tuple(map(tuple, matrix))  # `tolist()` already gives Python floats


def load(
    model: str, *, device: str, compute_type: str, threads: int, notify: Notify, **options: Any
) -> HFEngine:
    """The registry's loader: a Hugging Face folder (or hub id), never a CTranslate2 one.

    Raises:
        EngineUnsuitable: the model is a CTranslate2 folder.
        ModelNotFound, EngineError: see `HFEngine`.
    """
    from vi2en.engines.models import resolve_model

    resolved = resolve_model(model)
    if resolved.format == "ct2":
        raise EngineUnsuitable(
            f"{model} is a CTranslate2 model; transformers needs the Hugging Face folder "
            "(or use --engine ctranslate2)"
        )
    if resolved.format == "marian":
        raise EngineUnsuitable(
            f"{model} is an original Marian release; it runs on CTranslate2 (converted without "
            "torch): use --engine ctranslate2"
        )
    engine = HFEngine(resolved.path, model_id=model, device=device, compute_type=compute_type,
                      threads=threads, **options)  # fmt: skip
    engine.revision = resolved.revision
    return engine


SPEC = EngineSpec(
    name="transformers",
    description="transformers + torch: the reference; runs a Hugging Face folder",
    loader="vi2en.engines.hf:load",
    compute_types=("auto", *DTYPES),
    options=(
        EngineOption("align_layer", int, -1, "decoder layer whose cross-attention gives word "
                     "links (-1: the last)"),
        EngineOption("align_head", int, 0, "head of that layer (0: OPUS-MT's guided-alignment "
                     "head)", minimum=0),
    ),
    requires=("torch", "transformers"),
    extra="hf",
)
