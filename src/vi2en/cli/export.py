"""`vi2en export IN.jsonl --format FORMAT`: re-export a translation in any format, no model.

QA runs first (with `--glossary` when given; `--no-qa` keeps the file's flags as they are), so
the flags reach the exported notes/page: the same QA `vi2en translate` runs, so `translate
--format X` writes what `translate --format jsonl` + `export --format X` do.
"""

from __future__ import annotations

import argparse

from vi2en.cli.qa_flags import add_qa_arguments
from vi2en.formats import FORMATS, describe_formats


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="a jsonl file written by `vi2en translate --format jsonl`")
    parser.add_argument("--format", choices=list(FORMATS), required=True,
                        help=describe_formats())
    parser.add_argument(
        "-o", "--output", help="write here (atomically) instead of standard output ('-')"
    )
    add_qa_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from vi2en.errors import InputError
    from vi2en.formats import get_renderer
    from vi2en.formats.jsonl import parse
    from vi2en.qa import check_document, load_glossary
    from vi2en.text.files import read_bytes, write_output

    glossary = load_glossary(args.glossary) if args.glossary else None
    data = read_bytes(args.input)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{args.input} is not UTF-8; give the jsonl vi2en wrote") from None
    doc = parse(text)
    if not args.no_qa:
        check_document(doc, glossary=glossary)
    write_output(args.output, get_renderer(args.format)(doc))
    return 0
