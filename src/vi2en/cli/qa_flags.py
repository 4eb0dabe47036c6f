"""The QA options `translate` and `export` share: both run the same QA stage (`vi2en.qa`)."""

from __future__ import annotations

import argparse


def add_qa_arguments(parser: argparse.ArgumentParser) -> None:
    """`--glossary` and `--no-qa`, shared by `translate` and `export`."""
    group = parser.add_argument_group("QA")
    group.add_argument(
        "--glossary", metavar="TSV",
        help="TSV of 'Vietnamese term<TAB>required English term' lines to check (QA flag "
        "`glossary`)",
    )  # fmt: skip
    group.add_argument(
        "--no-qa", action="store_true",
        help="do not run QA (number, date, length... flags; see the README's flag table)",
    )
