"""The fast engine: CTranslate2 `Translator` over the model's own SentencePiece pieces.

Notes on CTranslate2 behaviour this relies on:
- `max_input_length=0` turns off its silent truncation at 1,024 pieces; lengths are checked here
  against the model's positions instead (512 for opus-mt), and a longer text raises EngineError.
- `return_scores` gives the hypothesis' log-probability divided by its length (CTranslate2's
  default `length_penalty=1`), the length counting `</s>` when it was produced; that is what
  `Hypothesis.score` holds on both engines.
- `return_attention` gives ONE attention matrix per hypothesis: the first head of the last decoder
  layer's cross-attention for Marian models (CTranslate2's converter keeps only that head; it is
  the head Marian's guided alignment trains). So `align_layer`/`align_head` cannot be changed here.
  With beam search over a batch of several texts, CTranslate2 4.8's first attention row belongs
  to another text of the batch; it is taken from one greedy step instead (`_submit`). Attention is
  otherwise what the text alone gets, up to the last float32 bits (softmax over padding).
- One decoding cap per call (`max_decoding_length`): texts are grouped by cap (`cap_groups`).
- n-best is `num_hypotheses` (with `beam_size` >= it), not `return_alternatives`, which is for
  prefix completion: it expands the first position after a `target_prefix` into that many
  different next tokens and completes each greedily. `num_hypotheses` never changes the
  1-best: with the default `length_penalty=1` there is no early exit, so the beam search runs
  until `beam_size` hypotheses finished whatever `num_hypotheses` is, and `num_hypotheses` only
  says how many of the sorted finished hypotheses to return (CTranslate2 `src/decoding.cc`,
  `BeamSearch::search`: `allow_early_exit` needs `length_penalty == 0`; `finalize_result`).
  More than the beam (`num_hypotheses` <= `beam_size * patience`) is a second decoding with a
  wider beam, so the 1-best still comes from the beam asked for (tested:
  `tests/engines/test_nbest.py`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vi2en.engines.base import (
    Hypothesis,
    cap_groups,
    check_threads,
    distinct_alternatives,
    usable_cpus,
)
from vi2en.engines.folder import ModelFolderEngine
from vi2en.engines.registry import EngineOption, EngineSpec, Notify
from vi2en.engines.spm import check_source_lengths, limit_reached
from vi2en.errors import EngineError, EngineUnsuitable

BATCH_TYPES = ("examples", "tokens")
MAX_SUB_BATCH = 262_144  # examples or tokens; as --batch-tokens, more only risks memory


def pick_device(device: str) -> str:
    """"auto" -> "cuda" when CTranslate2 sees a CUDA device, else "cpu"."""
    import ctranslate2

    if device == "auto":
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if device not in ("cpu", "cuda"):
        raise EngineError(f"unknown device {device!r}; use auto, cpu or cuda")
    return device


def pick_compute_type(compute_type: str, device: str) -> str:
    """"auto" -> int8 on CPU, float16 on CUDA; anything else is passed to CTranslate2 as is."""
    if compute_type == "auto":
        return "float16" if device == "cuda" else "int8"
    return compute_type


class CT2Engine(ModelFolderEngine):
    """A CTranslate2 model folder made by `vi2en models convert` (or with its SentencePiece files).

    Args:
        path: The CTranslate2 folder (with `source.spm`, `target.spm`, `vocab.json`).
        model_id: What the user asked for (shown in signatures and errors).
        device: "auto", "cpu" or "cuda".
        compute_type: "auto" (int8 on CPU, float16 on CUDA) or a CTranslate2 compute type.
        threads: Threads per translation (`intra_threads`); 0: the CPU's cores divided
            among the `inter_threads` workers (CTranslate2's own choice on CUDA).
        inter_threads: Batches translated in parallel (each with `threads` threads); 0:
            two on a CPU with two or more cores when `threads` is 0, else one. Each call's
            batch is then split into one interleaved sub-batch per worker, run at the same
            time (on 2 cores, 2 workers x 1 thread beat 1 x 2 threads: `scripts/bench.py`).
        max_batch_size: Split a call into sub-batches of this size (0: no split).
        batch_type: Unit of `max_batch_size`: "examples" or "tokens".

    Raises:
        EngineError: CTranslate2 is missing or cannot load the model.
        ModelNotFound: The folder lacks the SentencePiece files or vocab.
    """

    name = "ctranslate2"

    def __init__(
        self,
        path: Path,
        *,
        model_id: str | None = None,
        device: str = "auto",
        compute_type: str = "auto",
        threads: int = 0,
        inter_threads: int = 0,
        max_batch_size: int = 0,
        batch_type: str = "examples",
    ) -> None:
        try:
            import ctranslate2
        except ImportError as exc:
            raise EngineError(
                "CTranslate2 is not installed: pip install ctranslate2 (or use --engine "
                "transformers)"
            ) from exc
        if batch_type not in BATCH_TYPES:
            raise EngineError(f"unknown batch type {batch_type!r}; use one of {BATCH_TYPES}")
        super().__init__(path, model_id)
        self.device = pick_device(device)
        self.compute_type = pick_compute_type(compute_type, self.device)
        self.max_batch_size = max_batch_size
        self.batch_type = batch_type
        self.inter_threads, self.intra_threads = thread_layout(self.device, threads, inter_threads)
        try:
            self.translator = ctranslate2.Translator(
                str(path),
                device=self.device,
                compute_type=self.compute_type,
                inter_threads=self.inter_threads,
                intra_threads=self.intra_threads,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"CTranslate2 cannot load {path}: {exc}") from exc

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

        `no_repeat_ngram_size` and `repetition_penalty` (CTranslate2's own) are for re-decoding
        an output that looped (`vi2en.guards`). `num_hypotheses` > 1 fills `alternatives`
        (see the module notes: the 1-best does not change).

        CTranslate2 has one decoding cap per call, so texts are decoded in one call per distinct
        `max_new_tokens` (`cap_groups`): each output is what decoding that text alone with its
        own cap gives, whatever else is in the batch. An output that reaches its cap is marked
        `hit_limit`. The default cap is the model's `max_length` (512 for opus-mt).

        Raises:
            EngineError: A text is longer than `max_positions`, or CTranslate2 failed.
        """
        decoding = {"no_repeat_ngram_size": no_repeat_ngram_size,
                    "repetition_penalty": repetition_penalty}
        beam = beam_size or self.default_beam_size
        return self._collect(self._submit(texts, max_new_tokens, beam, return_attention,
                                          num_hypotheses, decoding))  # fmt: skip

    def translate_batches(
        self,
        batches: Sequence[Sequence[str]],
        *,
        beam_size: int | None = None,
        max_new_tokens: Sequence[Sequence[int]] | None = None,
        return_attention: bool = False,
        num_hypotheses: int = 1,
    ) -> Iterator[list[Hypothesis]]:
        """`translate_batch` over several batches, yielded in order; the next batch is queued
        before a batch's results are awaited, so no worker idles at a batch boundary (7% faster
        than batch after batch on 2 cores, fixed-length outputs).
        """
        all_caps = [None] * len(batches) if max_new_tokens is None else max_new_tokens
        if len(all_caps) != len(batches):
            raise EngineError("max_new_tokens needs one list of caps per batch")
        beam = beam_size or self.default_beam_size
        pending: deque[_Submitted] = deque()
        for texts, caps in zip(batches, all_caps, strict=True):
            pending.append(self._submit(texts, caps, beam, return_attention, num_hypotheses))
            if len(pending) > 1:
                yield self._collect(pending.popleft())
        while pending:
            yield self._collect(pending.popleft())

    def _submit(
        self,
        texts: Sequence[str],
        caps: Sequence[int] | None,
        beam: int,
        return_attention: bool,
        num_hypotheses: int = 1,
        decoding: dict[str, Any] | None = None,
    ) -> _Submitted:
        """Start translating one batch asynchronously.

        One call per distinct cap; without `max_batch_size`, each is dealt round-robin into one
        sub-batch per worker (each gets short and long texts alike), all submitted at once so
        they run at the same time. An n-best wider than the beam is one more call per group,
        with a beam of `num_hypotheses`.
        """
        if num_hypotheses < 1:
            raise EngineError(f"num_hypotheses must be >= 1, got {num_hypotheses}")
        wider = num_hypotheses > beam  # the n-best needs its own, wider beam
        tokens = self.codec.source_tokens_batch(texts)
        check_source_lengths(tokens, self.max_positions)
        caps = self.decoding_caps(caps, len(texts))
        if len(caps) != len(texts) or (caps and min(caps) < 1):
            raise EngineError("max_new_tokens needs one positive cap per text")
        workers = self.inter_threads if self.max_batch_size == 0 else 1
        calls: list[list[int]] = []
        for same_cap in cap_groups(caps):
            parts = max(1, min(workers, len(same_cap)))
            calls += [same_cap[i::parts] for i in range(parts)]
        futures: list[Any] = [None] * len(tokens)
        first_rows: list[Any] = [None] * len(tokens)
        nbest: list[Any] = [None] * len(tokens)
        prefix = list(self.codec.target_prefix)
        try:
            for group in calls:
                common = {
                    "target_prefix": [prefix] * len(group) if prefix else None,
                    "max_batch_size": self.max_batch_size,
                    "batch_type": self.batch_type,
                    # The forced target prefix counts towards CTranslate2's decoding length.
                    "max_decoding_length": caps[group[0]] + len(prefix),
                    "max_input_length": 0,
                    "asynchronous": True,
                    **(decoding or {}),
                }
                out = self.translator.translate_batch(
                    [tokens[j] for j in group], beam_size=beam,
                    num_hypotheses=1 if wider else num_hypotheses, return_scores=True,
                    return_attention=return_attention, **common,
                )  # fmt: skip
                for j, future in zip(group, out, strict=True):
                    futures[j] = future
                if wider:
                    out = self.translator.translate_batch(
                        [tokens[j] for j in group], beam_size=num_hypotheses,
                        num_hypotheses=num_hypotheses, **common,
                    )  # fmt: skip
                    for j, future in zip(group, out, strict=True):
                        nbest[j] = future
                if return_attention and beam > 1 and len(group) > 1 and not prefix:
                    # CTranslate2 4.8 beam search over a batch returns another text's attention
                    # as the first target piece's row. Every beam starts from the same token, so
                    # that row is the first step of greedy search: one decoder step, correct.
                    # (A forced target prefix fills that first step, and it is not kept.)
                    out = self.translator.translate_batch(
                        [tokens[j] for j in group], beam_size=1, max_decoding_length=1,
                        max_input_length=0, return_attention=True, asynchronous=True,
                    )  # fmt: skip
                    for j, future in zip(group, out, strict=True):
                        first_rows[j] = future
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"CTranslate2 failed to translate: {exc}") from exc
        return _Submitted(tokens, caps, futures, first_rows, return_attention, nbest)

    def _collect(self, job: _Submitted) -> list[Hypothesis]:
        """Wait for one submitted batch and turn its results into hypotheses."""
        try:
            results = [future.result() for future in job.futures]
            redone = [None if f is None else f.result() for f in job.first_rows]
            wider = [None if f is None else f.result() for f in job.nbest]
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"CTranslate2 failed to translate: {exc}") from exc
        hyps = []
        skip = len(self.codec.target_prefix)  # CTranslate2 returns the forced prefix too
        first = self.codec.source_prefix_len
        for result, fix, row, cap, more in zip(results, redone, job.tokens, job.caps, wider,
                                               strict=True):  # fmt: skip
            pieces = tuple(p for p in result.hypotheses[0][skip:] if p != "</s>")
            attention = None
            if job.return_attention:
                # One row per output piece; keep the columns of the text's own pieces (drop
                # the source's specials). CTranslate2 already hands back Python floats: copy
                # slices, convert nothing.
                width = len(row) - 1
                steps = list(result.attention[0][skip : skip + len(pieces)])
                if fix is not None and steps:
                    steps[0] = fix.attention[0][0]
                attention = tuple(tuple(step[first:width]) for step in steps)
            hit_limit = limit_reached(pieces, cap)
            score = float(result.scores[0]) if result.scores else None
            if score is not None and skip:
                # CTranslate2 divides by the length with the forced prefix; count only what
                # the model chose (as transformers' rescoring does).
                length = len(pieces) + (0 if hit_limit else 1)
                score = score * (length + skip) / max(1, length)
            text = self.codec.decode(pieces)
            # The rest of the n-best: this beam's, or all of the wider beam's.
            others = result.hypotheses[1:] if more is None else more.hypotheses
            alternatives = distinct_alternatives(text, (
                self.codec.decode(tuple(p for p in other[skip:] if p != "</s>"))
                for other in others
            ))  # fmt: skip
            hyps.append(
                Hypothesis(
                    text=text,
                    pieces=pieces,
                    score=score,
                    hit_limit=hit_limit,
                    attention=attention,
                    alternatives=alternatives,
                )
            )
        return hyps


@dataclass
class _Submitted:
    """A batch handed to CTranslate2: its pieces, caps and futures per text, in order."""

    tokens: list[list[str]]
    caps: list[int]
    futures: list[Any]
    first_rows: list[Any]  # futures of the first attention row where it must be redone
    return_attention: bool
    nbest: list[Any]  # futures of the wider beam's n-best, where one was asked


def thread_layout(device: str, threads: int, inter_threads: int) -> tuple[int, int]:
    """(inter_threads, intra_threads) for CTranslate2; 0 means "choose" for either.

    On CPU the default is two workers of cores/2 threads each (the fastest layout measured on
    2 cores); an explicit `threads` keeps one worker unless `inter_threads` says otherwise.
    On CUDA, one worker and CTranslate2's own thread choice.

    Raises:
        EngineError: a count below 0 or above the usable CPUs.
    """
    check_threads(threads)
    check_threads(inter_threads, option="inter_threads")
    if device != "cpu":
        return max(1, inter_threads), threads
    cores = usable_cpus()
    if inter_threads <= 0:
        inter_threads = 2 if threads <= 0 and cores >= 2 else 1
    if threads <= 0:
        threads = max(1, cores // inter_threads)
    return inter_threads, threads


def load(
    model: str, *, device: str, compute_type: str, threads: int, notify: Notify, **options: Any
) -> CT2Engine:
    """The registry's loader: a CTranslate2 folder as it is; a Hugging Face model or an OPUS-MT
    release (zip or folder) converted once.

    Raises:
        EngineUnsuitable: a Hugging Face model that cannot be converted (engine auto then tries
            transformers).
        ModelNotFound, EngineError: see `CT2Engine`.
    """
    from vi2en.engines import models

    resolved = models.resolve_model(model)
    path = resolved.path
    if resolved.format != "ct2":  # a Hugging Face folder or an original Marian release
        quantization = models.conversion_quantization(compute_type, pick_device(device))
        try:
            path = models.convert_model(model, quantization=quantization, notify=notify)
        except EngineError as exc:
            raise EngineUnsuitable(str(exc)) from exc
    engine = CT2Engine(path, model_id=model, device=device, compute_type=compute_type,
                       threads=threads, **options)  # fmt: skip
    engine.revision = resolved.revision
    return engine


SPEC = EngineSpec(
    name="ctranslate2",
    description="CTranslate2: fast; runs a CTranslate2 folder, converts a Hugging Face model "
    "once (cached)",
    loader="vi2en.engines.ct2:load",
    compute_types=("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                   "float16", "bfloat16", "float32", "default"),
    options=(
        EngineOption("inter_threads", int, 0, "batches translated in parallel (0: two on a "
                     "multi-core CPU; at most the usable CPUs)", minimum=0,
                     maximum=usable_cpus()),
        EngineOption("max_batch_size", int, 0, "split each call into sub-batches of this "
                     "size (0: no split)", minimum=0, maximum=MAX_SUB_BATCH),
        EngineOption("batch_type", str, "examples", "unit of max_batch_size",
                     choices=BATCH_TYPES),
    ),
    requires=("ctranslate2",),
)
