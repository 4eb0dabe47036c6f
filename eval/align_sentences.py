"""Measure vi2en's document sentence aligner on NTREX-128 with a known, perturbed segmentation.

For each of the 123 NTREX-128 documents (`../shared/data/ntrex128`, relative to the repository
root found from this script's location), the English side is re-segmented with a fixed seed:

* about 20% of adjacent sentence pairs are merged into one sentence (gold bead 2-1),
* about 10% of sentences are split at a comma or semicolon (gold bead 1-2),
* about 3% of English sentences are dropped (gold bead 1-0: the Vietnamese has no partner).

Each document is aligned (Vietnamese sentences vs perturbed English sentences) and the
recovered beads are scored against the gold beads, summed over all documents, exactly as
Vecalign's `score.py` does (Thompson & Koehn 2019, after Sennrich & Volk 2010):

* **strict**: a test bead is a true positive only if the identical bead is in the gold set.
* **lax**: a test bead is a true positive if it is exact, or if some source sentence of it
  is paired in the gold set with some target sentence of it (any overlap on both sides).
* **precision** is computed over all test beads (1-0 and 0-1 beads included); **recall**
  swaps the roles of test and gold and ignores 1-0/0-1 beads on both sides; F1 is their
  harmonic mean.

Configurations printed: Gale–Church length only; + lexical anchors (the default of
`align_sentences`); + MT bridge when `--model` is given (the Vietnamese is translated with
`vi2en.translator.Translator`). Finally a synthetic 5,000-sentence document (NTREX lines
concatenated, perturbed the same way) is aligned with the default configuration and timed.

`--bridge FILE` takes the bridge from a file instead (one English line per `ntrex.vi` line,
such as the real opus-mt output in `../shared/data/opus-mt-outputs/`); the perturbed files are
then also written to a temporary folder and aligned by the `vi2en align` command itself
(`--src-docids/--tgt-docids`, `--format jsonl`), without and with `--bridge FILE`, and those
beads are scored the same way.

Run: `python eval/align_sentences.py [--seed 13] [--model M --engine E] [--bridge FILE]`.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from bisect import bisect_right
from collections import defaultdict
from pathlib import Path

from vi2en.align.sentences import Bead, align_sentences

REPO = Path(__file__).resolve().parents[1]
NTREX = REPO.parent / "shared" / "data" / "ntrex128"
MERGE_RATE, SPLIT_RATE, DROP_RATE = 0.20, 0.10, 0.03
# A split point: a comma or semicolon followed by a space, with 20+ characters on each side.
SPLIT_POINT = re.compile(r"(?<=.{20})[,;] (?=.{20})")

GoldBead = tuple[tuple[int, ...], tuple[int, ...]]


def load_documents(folder: Path) -> list[tuple[list[str], list[str]]]:
    """NTREX-128 as (vi sentences, en sentences) per document, in file order."""
    vi = (folder / "ntrex.vi").read_text(encoding="utf-8").splitlines()
    en = (folder / "ntrex.en").read_text(encoding="utf-8").splitlines()
    ids = (folder / "document_ids.tsv").read_text(encoding="utf-8").splitlines()
    docs: dict[str, tuple[list[str], list[str]]] = {}
    for doc_id, vi_line, en_line in zip(ids, vi, en, strict=True):
        pair = docs.setdefault(doc_id, ([], []))
        pair[0].append(vi_line)
        pair[1].append(en_line)
    return list(docs.values())


def perturb(en: list[str], rng: random.Random) -> tuple[list[str], list[GoldBead]]:
    """Merge, split and drop English sentences; return the new sentences and the gold beads."""
    out: list[str] = []
    gold: list[GoldBead] = []
    i = 0
    while i < len(en):
        roll = rng.random()
        splits = list(SPLIT_POINT.finditer(en[i]))
        if roll < DROP_RATE:
            gold.append(((i,), ()))
            i += 1
        elif roll < DROP_RATE + MERGE_RATE and i + 1 < len(en):
            gold.append(((i, i + 1), (len(out),)))
            out.append(f"{en[i]} {en[i + 1]}")
            i += 2
        elif roll < DROP_RATE + MERGE_RATE + SPLIT_RATE and splits:
            cut = rng.choice(splits)
            head, tail = en[i][: cut.start()] + ".", en[i][cut.end() :]
            gold.append(((i,), (len(out), len(out) + 1)))
            out += [head, tail[:1].upper() + tail[1:]]
            i += 1
        else:
            gold.append(((i,), (len(out),)))
            out.append(en[i])
            i += 1
    return out, gold


def _true_positives(gold: set[GoldBead], test: set[GoldBead]) -> tuple[int, int]:
    """Vecalign's `_precision`: (strict, lax) true positives of `test` against `gold`."""
    gold_links: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold:
        for s in src:
            gold_links[s].update(tgt)
    strict = lax = 0
    for src, tgt in test:
        if (src, tgt) in gold:
            strict += 1
            lax += 1
        elif set(tgt) & {t for s in src for t in gold_links[s]}:
            lax += 1
    return strict, lax


def score(gold_docs: list[list[GoldBead]], test_docs: list[list[GoldBead]]) -> dict[str, float]:
    """Strict and lax precision, recall and F1 summed over documents (see module docstring)."""
    counts = defaultdict(int)
    for gold_list, test_list in zip(gold_docs, test_docs, strict=True):
        gold, test = set(gold_list), set(test_list)
        strict, lax = _true_positives(gold, test)
        counts["p_strict"] += strict
        counts["p_lax"] += lax
        counts["p_total"] += len(test)
        gold_full = {b for b in gold if b[0] and b[1]}
        test_full = {b for b in test if b[0] and b[1]}
        strict, lax = _true_positives(test_full, gold_full)
        counts["r_strict"] += strict
        counts["r_lax"] += lax
        counts["r_total"] += len(gold_full)
    out = {}
    for kind in ("strict", "lax"):
        precision = counts[f"p_{kind}"] / max(counts["p_total"], 1)
        recall = counts[f"r_{kind}"] / max(counts["r_total"], 1)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.update({f"{kind}_p": precision, f"{kind}_r": recall, f"{kind}_f1": f1})
    return out


def as_gold(beads: list[Bead]) -> list[GoldBead]:
    return [(bead.src, bead.tgt) for bead in beads]


def translate(docs: list[list[str]], *, model: str, engine: str) -> list[list[str]]:
    """The MT bridge: vi2en's translator on each Vietnamese sentence, one batch for all."""
    from vi2en.translator import Translator

    flat = [sentence for doc in docs for sentence in doc]
    texts = [tr.text for tr in Translator(model=model, engine=engine).translate_segments(flat)]
    out, pos = [], 0
    for doc in docs:
        out.append(texts[pos : pos + len(doc)])
        pos += len(doc)
    return out


def cli_beads(
    docs: list[tuple[list[str], list[str]]],
    perturbed: list[list[str]],
    bridge: Path | None,
    folder: Path,
) -> list[list[GoldBead]]:
    """Align the perturbed NTREX with `vi2en align` (in-process `main`), beads per document."""
    from vi2en.cli.main import main as vi2en_main

    files = {name: folder / name for name in ("vi", "en", "vi.ids", "en.ids", "beads.jsonl")}
    files["vi"].write_text("".join(f"{s}\n" for vi, _ in docs for s in vi), encoding="utf-8")
    files["en"].write_text("".join(f"{s}\n" for en in perturbed for s in en), encoding="utf-8")
    for side, sizes in (("vi", [len(vi) for vi, _ in docs]), ("en", map(len, perturbed))):
        ids = "".join(f"d{k}\n" * size for k, size in enumerate(sizes))
        files[f"{side}.ids"].write_text(ids, encoding="utf-8")
    argv = ["align", str(files["vi"]), str(files["en"]), "--format", "jsonl"]
    argv += ["--src-docids", str(files["vi.ids"]), "--tgt-docids", str(files["en.ids"])]
    argv += ["-o", str(files["beads.jsonl"])] + (["--bridge", str(bridge)] if bridge else [])
    if vi2en_main(argv) != 0:
        raise RuntimeError(f"vi2en {' '.join(argv)} failed")
    src_starts, tgt_starts, s0, t0 = [], [], 0, 0
    for (vi, _), en in zip(docs, perturbed, strict=True):
        src_starts.append(s0)
        tgt_starts.append(t0)
        s0, t0 = s0 + len(vi), t0 + len(en)
    out: list[list[GoldBead]] = [[] for _ in docs]
    for line in files["beads.jsonl"].read_text(encoding="utf-8").splitlines():
        bead = json.loads(line)
        if bead["src"]:
            k = bisect_right(src_starts, bead["src"][0]) - 1
        else:
            k = bisect_right(tgt_starts, bead["tgt"][0]) - 1
        src = tuple(i - src_starts[k] for i in bead["src"])
        out[k].append((src, tuple(j - tgt_starts[k] for j in bead["tgt"])))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=13, help="perturbation seed (default 13)")
    parser.add_argument("--model", help="translation model for the MT-bridge configuration")
    parser.add_argument(
        "--engine", default="auto", help="engine for --model: auto, ctranslate2, transformers"
    )
    parser.add_argument(
        "--bridge",
        type=Path,
        help="MT of ntrex.vi, one line per sentence, as the bridge (e.g. "
        "../shared/data/opus-mt-outputs/ntrex128.opus-2020-09-10.en)",
    )
    parser.add_argument("--data", type=Path, default=NTREX, help="NTREX-128 folder")
    parser.add_argument("--long", type=int, default=5000, help="sentences in the timed document")
    args = parser.parse_args(argv)
    if not (args.data / "ntrex.vi").is_file():
        print(f"align_sentences: NTREX-128 not found in {args.data}", file=sys.stderr)
        return 2
    docs = load_documents(args.data)
    rng = random.Random(args.seed)
    perturbed = [perturb(en, rng) for _, en in docs]
    gold = [g for _, g in perturbed]
    n_vi = sum(len(vi) for vi, _ in docs)
    n_en = sum(len(en) for en, _ in perturbed)
    kinds = defaultdict(int)
    for g in gold:
        for src, tgt in g:
            kinds[f"{len(src)}-{len(tgt)}"] += 1
    print(
        f"NTREX-128: {len(docs)} documents, {n_vi} vi sentences, {n_en} perturbed en "
        f"sentences, seed {args.seed}; gold beads {dict(sorted(kinds.items()))}"
    )
    # (name, use anchors, MT bridge per document or None)
    configs: list[tuple[str, bool, list[list[str]] | None]] = [
        ("length only (Gale-Church)", False, None),
        ("length + anchors (default)", True, None),
    ]
    if args.model:
        bridges = translate([vi for vi, _ in docs], model=args.model, engine=args.engine)
        configs.append(("length + anchors + MT bridge", True, bridges))
    if args.bridge:
        lines = args.bridge.read_text(encoding="utf-8").splitlines()
        if len(lines) != n_vi:
            print(
                f"align_sentences: {args.bridge} has {len(lines)} lines, ntrex.vi has {n_vi}",
                file=sys.stderr,
            )
            return 2
        bridges, pos = [], 0
        for vi, _ in docs:
            bridges.append(lines[pos : pos + len(vi)])
            pos += len(vi)
        configs.append((f"+ bridge {args.bridge.name}"[:32], True, bridges))
    print(f"{'configuration':<32} {'strict P/R/F1':>22} {'lax P/R/F1':>22} {'seconds':>8}")
    for name, use_anchors, doc_bridges in configs:
        started = time.perf_counter()
        test = [
            as_gold(
                align_sentences(
                    vi,
                    en,
                    use_anchors=use_anchors,
                    bridge=None if doc_bridges is None else doc_bridges[k],
                )
            )
            for k, ((vi, _), (en, _)) in enumerate(zip(docs, perturbed, strict=True))
        ]
        elapsed = time.perf_counter() - started
        s = score(gold, test)
        print(
            f"{name:<32} {s['strict_p']:.3f}/{s['strict_r']:.3f}/{s['strict_f1']:.3f}  "
            f"{s['lax_p']:>12.3f}/{s['lax_r']:.3f}/{s['lax_f1']:.3f} {elapsed:8.2f}"
        )
    if args.bridge:
        with tempfile.TemporaryDirectory() as folder:
            runs = (("vi2en align (CLI, default)", None), ("vi2en align --bridge", args.bridge))
            for name, bridge in runs:
                started = time.perf_counter()
                test = cli_beads(docs, [en for en, _ in perturbed], bridge, Path(folder))
                elapsed = time.perf_counter() - started
                s = score(gold, test)
                print(
                    f"{name:<32} {s['strict_p']:.3f}/{s['strict_r']:.3f}/{s['strict_f1']:.3f}  "
                    f"{s['lax_p']:>12.3f}/{s['lax_r']:.3f}/{s['lax_f1']:.3f} {elapsed:8.2f}"
                )
    vi_all = [line for vi, _ in docs for line in vi]
    en_all = [line for _, en in docs for line in en]
    reps = -(-args.long // len(vi_all))
    vi_long, en_long = (vi_all * reps)[: args.long], (en_all * reps)[: args.long]
    en_perturbed, gold_long = perturb(en_long, random.Random(args.seed))
    started, cpu_started = time.perf_counter(), time.process_time()
    beads = align_sentences(vi_long, en_perturbed)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    s = score([gold_long], [as_gold(beads)])
    print(
        f"one document of {len(vi_long)} vi x {len(en_perturbed)} en sentences: aligned in "
        f"{elapsed:.2f} s ({cpu:.2f} s CPU), "
        f"strict F1 {s['strict_f1']:.3f}, lax F1 {s['lax_f1']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
