"""`vi2en postedit-report ORIGINAL.xlf EDITED.xlf [-o REPORT.json]`: post-edit effort.

Prints a table (per segment HTER, character edits, changed or not; then document totals) and,
with `-o`, writes the full report as JSON.
"""

from __future__ import annotations

import argparse
import json


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("original", help="the XLIFF (2.x or 1.2) that vi2en exported")
    parser.add_argument("edited", help="the same file after post-editing in a CAT tool")
    parser.add_argument(
        "-o", "--output",
        help="also write the report as JSON here (atomically); '-': the JSON on standard "
        "output instead of the table",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from vi2en.postedit import LIMIT_HINT, MAX_XLIFF_BYTES, compare_xliff
    from vi2en.text.files import STDIN, read_bytes, write_output, write_stdout

    report = compare_xliff(
        read_bytes(args.original, limit=MAX_XLIFF_BYTES, hint=LIMIT_HINT),
        read_bytes(args.edited, limit=MAX_XLIFF_BYTES, hint=LIMIT_HINT),
        names=(args.original, args.edited),
    )
    if args.output:
        write_output(args.output, json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    if args.output != STDIN:  # `-o -`: the JSON takes standard output's place
        write_stdout(report.format_table() + "\n")
    return 0
