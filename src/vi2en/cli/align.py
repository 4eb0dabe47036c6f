"""`vi2en align SRC.vi TGT.en`: pair a Vietnamese document with an English one by sentence.

Thin: it parses flags and calls `vi2en.align.documents.align_files` and `format_beads`.
"""

from __future__ import annotations

import argparse
import sys

from vi2en.defaults import DEFAULT_ENGINE
from vi2en.engines import engine_names

FORMATS = ("tsv", "jsonl", "pairs")  # mirrors vi2en.align.documents.FORMATS (help stays fast)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SRC", help="the Vietnamese file")
    parser.add_argument("target", metavar="TGT", help="the English file")
    parser.add_argument(
        "--segment", action="store_true",
        help="the files are articles: split them with vi2en's segmenter (each line is a "
        "paragraph, a hard boundary); default: one sentence per line, a blank line starts "
        "a new paragraph",
    )  # fmt: skip
    parser.add_argument(
        "--src-docids", metavar="FILE",
        help="one document id per source sentence; documents are hard boundaries",
    )  # fmt: skip
    parser.add_argument(
        "--tgt-docids", metavar="FILE",
        help="one document id per target sentence; with --src-docids the ids must match",
    )  # fmt: skip
    bridge = parser.add_argument_group("MT bridge (compare a translation of SRC with TGT)")
    bridge.add_argument(
        "--bridge", metavar="FILE", help="an English translation of each source sentence"
    )
    bridge.add_argument("--model", help="translate SRC with this model to build the bridge")
    bridge.add_argument(
        "--engine", default=DEFAULT_ENGINE, choices=engine_names(),
        help="inference engine for --model (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--format", default="tsv", choices=FORMATS,
        help="tsv: source ids, target ids, score, texts; jsonl: the same as JSON; pairs: "
        "source TAB target for each paired bead, ready for TMX (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write here (default, or '-': standard output)"
    )
    parser.add_argument(
        "--force", action="store_true",
        help="align even when both sides look like the same language or their sizes are "
        "implausible",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from vi2en.align.documents import align_files, format_beads

    translate = None
    if args.model is not None:  # the MT bridge: the source translated by this model

        def translate(sentences: list[str]) -> list[str]:
            from vi2en.translator import Translator

            translator = Translator(model=args.model, engine=args.engine)
            return [tr.text for tr in translator.translate_segments(sentences)]

    alignment = align_files(
        args.source,
        args.target,
        segment=args.segment,
        src_docids=args.src_docids,
        tgt_docids=args.tgt_docids,
        bridge_path=args.bridge,
        translate=translate,
        force=args.force,
    )
    for warning in alignment.warnings:
        print(f"vi2en align: warning: {warning}", file=sys.stderr)
    from vi2en.text.files import write_output

    write_output(args.output, format_beads(alignment, args.format))
    return 0
