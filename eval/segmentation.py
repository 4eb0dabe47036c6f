"""Measure vi2en's sentence segmentation on NTREX-128 rebuilt as news articles.

For every NTREX-128 document (a run of equal ids in `document_ids.tsv`), the first sentence is
written as a headline line and the rest are joined into paragraphs of 3–6 sentences (seeded RNG)
separated by single spaces. A paragraph ends early after a sentence with no final punctuation,
since no reader could see that boundary either. The article is segmented with
`vi2en.segment.segment_text` and compared with the true sentences.

Two scores are printed:
* **sentence level** (the headline figure): a predicted segment is correct when its span equals a
  true sentence exactly; precision = correct / predicted, recall = correct / true.
* **boundary level, inside paragraphs**: only the boundaries between two sentences of the same
  line count (line breaks are free, so they are left out); precision/recall over those positions.

The error counts say which way the spans differ. Most "true sentences split in parts" are NTREX
lines where the Vietnamese translator wrote two sentences for one English sentence
(`… tình dục. Đây là một sự thay đổi lớn …`): a correct segmenter splits them, so the exact-span
score cannot reach 1.0 on this data.

Usage: python eval/segmentation.py [DATA_DIR] [--seed N] [--json] [--show-errors [--max-errors N]]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from vi2en.segment import segment_text

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "ntrex128"
DEFAULT_SEED = 20250327
FINAL = ".?!…"
CLOSERS = "”\"’'»)]"


@dataclass
class Article:
    """One rebuilt article: its text, true sentence spans and the headline span."""

    doc_id: str
    text: str
    sentences: list[tuple[int, int]]
    headline: tuple[int, int]


def load_documents(data_dir: Path) -> list[tuple[str, list[str]]]:
    """NTREX documents as (id, sentences), a document being a run of equal ids."""
    ids = (data_dir / "document_ids.tsv").read_text(encoding="utf-8").splitlines()
    lines = (data_dir / "ntrex.vi").read_text(encoding="utf-8").splitlines()
    if len(ids) != len(lines):
        raise ValueError(f"{data_dir}: {len(ids)} ids but {len(lines)} sentences")
    docs: list[tuple[str, list[str]]] = []
    for doc_id, line in zip(ids, lines, strict=True):
        if not docs or docs[-1][0] != doc_id.strip():
            docs.append((doc_id.strip(), []))
        docs[-1][1].append(" ".join(line.split()))
    return docs


def build_article(doc_id: str, sentences: list[str], rng: random.Random) -> Article:
    """Headline line, then paragraphs of 3–6 sentences (ended early after unpunctuated ones)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0

    def put(piece: str, sep: str) -> None:
        nonlocal pos
        parts.append(piece + sep)
        spans.append((pos, pos + len(piece)))
        pos += len(piece) + len(sep)

    put(sentences[0], "\n")
    rest = [s for s in sentences[1:] if s]
    while rest:
        size = rng.randint(3, 6)
        paragraph = []
        while rest and len(paragraph) < size:
            sentence = rest.pop(0)
            paragraph.append(sentence)
            if sentence.rstrip(CLOSERS)[-1:] not in FINAL:
                break
        for i, sentence in enumerate(paragraph):
            put(sentence, " " if i < len(paragraph) - 1 else "\n")
    return Article(doc_id, "".join(parts), spans, spans[0])


def score(tp: int, predicted: int, true: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluate(data_dir: Path, *, seed: int = DEFAULT_SEED) -> tuple[dict, list[str]]:
    """Segment every rebuilt article; return the figures and a list of error reports."""
    rng = random.Random(seed)
    totals = {
        "sent_tp": 0,
        "sent_pred": 0,
        "sent_true": 0,
        "bnd_tp": 0,
        "bnd_pred": 0,
        "bnd_true": 0,
        "over_split": 0,
        "merged": 0,
        "headlines": 0,
        "headlines_apart": 0,
        "headlines_typed": 0,
    }
    errors: list[str] = []
    for doc_id, sentences in load_documents(data_dir):
        article = build_article(doc_id, sentences, rng)
        doc = segment_text(article.text)
        predicted = [(seg.start, seg.end) for seg in doc]
        true, pred = set(article.sentences), set(predicted)
        totals["sent_tp"] += len(true & pred)
        totals["sent_pred"] += len(pred)
        totals["sent_true"] += len(true)
        true_inner = _inner_boundaries(article.text, article.sentences)
        pred_inner = _inner_boundaries(article.text, predicted)
        totals["bnd_tp"] += len(true_inner & pred_inner)
        totals["bnd_pred"] += len(pred_inner)
        totals["bnd_true"] += len(true_inner)
        pred_ends = {end for _, end in predicted}
        true_ends = {end for _, end in article.sentences}
        totals["over_split"] += sum(
            any(s < e2 < e for e2 in pred_ends) for s, e in article.sentences
        )
        totals["merged"] += sum(any(s < e2 < e for e2 in true_ends) for s, e in predicted)
        totals["headlines"] += 1
        head = [seg for seg in doc if (seg.start, seg.end) == article.headline]
        totals["headlines_apart"] += bool(head)
        totals["headlines_typed"] += bool(head) and head[0].type.value == "heading"
        for span in sorted(true ^ pred):
            kind = "missed" if span in true else "extra "
            errors.append(f"{doc_id}\t{kind}\t{article.text[span[0] : span[1]]}")
    result = {
        "data": str(data_dir),
        "seed": seed,
        "documents": totals["headlines"],
        "sentences": totals["sent_true"],
        "sentence_level": score(totals["sent_tp"], totals["sent_pred"], totals["sent_true"]),
        "boundary_level_in_paragraph": score(
            totals["bnd_tp"], totals["bnd_pred"], totals["bnd_true"]
        ),
        "true_sentences_split": totals["over_split"],
        "segments_merging_true_sentences": totals["merged"],
        "headlines_kept_apart": totals["headlines_apart"],
        "headlines_typed_heading": totals["headlines_typed"],
    }
    return result, errors


def _inner_boundaries(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Ends of spans that are followed, on the same line, by more text."""
    out = set()
    for _, end in spans:
        nl = text.find("\n", end)
        rest = text[end : nl if nl >= 0 else len(text)]
        if rest.strip():
            out.add(end)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_DATA,
        help=f"NTREX-128 folder (default: {DEFAULT_DATA})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="paragraph-size RNG seed")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show-errors", action="store_true", help="list missed/extra segments")
    parser.add_argument("--max-errors", type=int, default=200, help="cap on listed errors")
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir
    if not (data_dir / "document_ids.tsv").is_file() or not (data_dir / "ntrex.vi").is_file():
        print(
            f"error: NTREX-128 data not found in {data_dir} (need document_ids.tsv and ntrex.vi)",
            file=sys.stderr,
        )
        return 2
    result, errors = evaluate(data_dir, seed=args.seed)
    if args.show_errors:
        for line in errors[: args.max_errors]:
            print(line)
        print(f"({len(errors)} error spans)")
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    sent, bnd = result["sentence_level"], result["boundary_level_in_paragraph"]
    print(
        f"NTREX-128 rebuilt articles: {result['documents']} documents, "
        f"{result['sentences']} sentences, seed {result['seed']}"
    )
    print(
        f"sentence level (exact spans): P {sent['precision']:.4f}  R {sent['recall']:.4f}  "
        f"F1 {sent['f1']:.4f}"
    )
    print(
        f"boundary level (inside paragraphs): P {bnd['precision']:.4f}  "
        f"R {bnd['recall']:.4f}  F1 {bnd['f1']:.4f}"
    )
    print(
        f"errors: {result['true_sentences_split']} true sentences split in parts, "
        f"{result['segments_merging_true_sentences']} segments merging true sentences"
    )
    print(
        f"headlines kept apart: {result['headlines_kept_apart']}/{result['documents']} "
        f"(typed heading: {result['headlines_typed_heading']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
