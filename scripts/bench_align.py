"""What word alignment costs on top of translation, and (on the test model) how good it is.

Times `engine.translate_batch(texts)` against `translate_batch(texts, return_attention=True)`
followed by link extraction (`source_pieces`, `target_pieces`, `links_from_attention`), rounds
interleaved, and prints the median of each and their ratio. When the model folder holds the
synthetic gold of `tests/align/alignkit.py` (`alignkit.json`), it also prints the AER of the
extracted links on the held-out sentences the model translated exactly.

    python scripts/bench_align.py --model FOLDER --engine ctranslate2 --input FILE.txt
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from vi2en.align.words import links_from_attention
from vi2en.align.wordspans import target_pieces
from vi2en.engines import Engine, Hypothesis, load_engine

META_FILE = "alignkit.json"


def extract(engine: Engine, texts: list[str], hyps: list[Hypothesis], **kwargs) -> list:
    """Links of every hypothesis (what `--align` adds after decoding)."""
    return [
        links_from_attention(hyp.attention, engine.source_pieces(text),
                             target_pieces(hyp.pieces, hyp.text), text, hyp.text, **kwargs)
        for text, hyp in zip(texts, hyps, strict=True)
    ]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def held_out(model: Path) -> list[tuple[str, str, set[tuple[int, int]]]]:
    meta = json.loads((model / META_FILE).read_text(encoding="utf-8"))
    return [(src, tgt, {tuple(pair) for pair in gold}) for src, tgt, gold in meta["held_out"]]


def aer(engine: Engine, examples: list, beam: int, **kwargs) -> tuple[float, int]:
    """AER (sure = possible = gold) over the held-out sentences translated exactly."""
    texts = [src for src, _, _ in examples]
    hyps = engine.translate_batch(texts, beam_size=beam, return_attention=True)
    predicted, gold, exact = set(), set(), 0
    for n, ((_, tgt, pairs), hyp, links) in enumerate(
        zip(examples, hyps, extract(engine, texts, hyps, **kwargs), strict=True)
    ):
        if hyp.text != tgt:
            continue
        exact += 1
        predicted |= {(n, k.src_index, k.tgt_index) for k in links}
        gold |= {(n, i, j) for i, j in pairs}
    return 1 - 2 * len(predicted & gold) / (len(predicted) + len(gold)), exact


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="HF or CTranslate2 folder")
    parser.add_argument("--engine", default="ctranslate2",
                        choices=["ctranslate2", "transformers"])
    parser.add_argument("--compute-type", default="float32")
    parser.add_argument("--input", type=Path, help="one text per line (default: the held-out "
                        "sources in alignkit.json)")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--max-new-tokens", type=int, default=0,
                        help="decoding cap per text (0: the model's own max_length)")
    args = parser.parse_args()

    engine = load_engine(args.engine, str(args.model), compute_type=args.compute_type,
                         threads=args.threads)
    has_gold = (args.model / META_FILE).is_file()
    if args.input is not None:
        texts = [line.strip() for line in args.input.read_text("utf-8").splitlines()]
        texts = [t for t in texts if t]
    elif has_gold:
        texts = [src for src, _, _ in held_out(args.model)]
    else:
        print("give --input: the model folder has no alignkit.json", file=sys.stderr)
        return 2
    caps = [args.max_new_tokens] * len(texts) if args.max_new_tokens else None

    def plain() -> None:
        engine.translate_batch(texts, beam_size=args.beam, max_new_tokens=caps)

    aligned_hyps = []

    def aligned() -> None:
        hyps = engine.translate_batch(texts, beam_size=args.beam, max_new_tokens=caps,
                                      return_attention=True)
        aligned_hyps[:] = hyps
        extract(engine, texts, hyps)

    plain()
    aligned()  # warm-up
    plain_s, aligned_s, extract_s = [], [], []
    for _ in range(args.rounds):
        plain_s.append(timed(plain))
        aligned_s.append(timed(aligned))
        extract_s.append(timed(lambda: extract(engine, texts, aligned_hyps)))
    pieces = sum(len(h.pieces) for h in aligned_hyps)
    p, a, e = (statistics.median(x) for x in (plain_s, aligned_s, extract_s))
    compute_type = getattr(engine, "compute_type", "?")
    print(f"engine {engine.name}, {engine.device}, {compute_type}, beam {args.beam}, "
          f"threads {args.threads}: {len(texts)} texts, {pieces} target pieces, "
          f"median of {args.rounds} rounds")
    print(f"translate            {p:8.3f} s")
    print(f"translate + --align  {a:8.3f} s  ({a / p:.3f}x; extraction alone {e:.3f} s)")
    if has_gold:
        examples = held_out(args.model)
        for method in ("argmax", "threshold"):
            error, exact = aer(engine, examples, args.beam, method=method)
            print(f"AER {method:9s} {error:.4f} on {exact}/{len(examples)} exactly translated "
                  "held-out sentences")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
