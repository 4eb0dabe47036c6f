"""`vi2en segment FILE|-`: show how an article is cut into typed sentences, with offsets.

Offsets index the text as vi2en normalised it (NFC, zero-width characters removed, line breaks
unified), not the file's bytes: the jsonl output starts with a header record that carries that
text, so every span can be checked (`text[start:end]`).
"""

from __future__ import annotations

import argparse
import json
import sys

from vi2en.doc import Document

TSV_COLUMNS = ("index", "paragraph", "sentence", "type", "start", "end", "text")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="a UTF-8 (or Windows-1258) text file, or - for stdin")
    parser.add_argument(
        "--format",
        choices=("tsv", "jsonl"),
        default="tsv",
        help="tsv: one line per segment with a header (default); jsonl: a header record with "
        "the normalised text the offsets index, then one JSON object per segment",
    )
    parser.add_argument(
        "-o", "--output", help="write here (atomically) instead of standard output ('-')"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list what ingest changed, on stderr"
    )


def render_tsv(doc: Document) -> str:
    """Segments as TSV; tabs, newlines and backslashes in text are escaped as \\t, \\n, \\\\."""
    lines = ["\t".join(TSV_COLUMNS)]
    for seg in doc:
        text = seg.text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        row = (seg.index, seg.paragraph, seg.sentence, seg.type.value, seg.start, seg.end, text)
        lines.append("\t".join(map(str, row)))
    return "\n".join(lines) + "\n"


JSONL_FORMAT = "vi2en-segments"


def render_jsonl(doc: Document) -> str:
    """A header record (format, source, segmenter, what ingest changed, the normalised text the
    offsets index), then one record per segment."""
    header = {"format": JSONL_FORMAT, "version": 1, "source": doc.source,
              "segmenter": doc.segmenter, "segments": len(doc.segments),
              "changes": list(doc.changes), "text": doc.text}  # fmt: skip
    records = [header, *(seg.to_dict() for seg in doc)]
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def run(args: argparse.Namespace) -> int:
    from vi2en.segment import segment_document
    from vi2en.text.files import load_document, write_output

    doc = segment_document(load_document(args.input))
    for change in doc.changes or ["nothing changed at ingest"]:
        if args.verbose or change.startswith("warning:"):
            print(f"vi2en segment: ingest: {change}", file=sys.stderr)
    out = render_jsonl(doc) if args.format == "jsonl" else render_tsv(doc)
    write_output(args.output, out)
    return 0
