"""`vi2en` command line: a table of subcommands, each in its own module, imported on demand.

`vi2en --help` imports no subcommand module (so it stays instant); `vi2en CMD ...` imports only
`vi2en.cli.<module>`, which provides `configure(parser)` and `run(args) -> int`.
This is the only place that turns exceptions into exit codes:
0 success, 2 any error the user can fix (`Vi2enError`, usage), 1 a bug (traceback with --debug),
130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from vi2en import __version__

# name -> (module under vi2en.cli, one-line help). Order is the order shown in --help.
COMMANDS: dict[str, tuple[str, str]] = {
    "segment": ("segment", "split a Vietnamese article into typed sentences with offsets"),
    "translate": ("translate", "translate Vietnamese articles into English"),
    "models": ("models", "download, convert and list translation models"),
    "align": ("align", "align a Vietnamese document with an English one, sentence by sentence"),
    "score": ("score", "score translations against references (sacreBLEU-exact)"),
    "eval": ("eval_cmd", "translate a test set and score it in one go"),
    "export": ("export", "turn a jsonl translation into any output format (XLIFF, TMX, HTML...)"),
    "postedit-report": ("postedit", "post-edit effort from an original and an edited XLIFF"),
    "serve": ("serve", "HTTP translation service (LibreTranslate, OPUS-CAT and /v1 APIs)"),
}


def _command_name(argv: Sequence[str]) -> str | None:
    """The subcommand named in argv: the first argument that is not a global option."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg
    return None


def build_parser(command: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vi2en",
        description="Vietnamese news to English: segment, translate, align, score, export.",
    )
    parser.add_argument("--version", action="version", version=f"vi2en {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        cmd_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            importlib.import_module(f"vi2en.cli.{module}").configure(cmd_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        # Never trust the locale: Vietnamese must print on any terminal.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    name = _command_name(argv)
    parser = build_parser(name if name in COMMANDS else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage; 0 for --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    from vi2en.errors import Vi2enError

    module = importlib.import_module(f"vi2en.cli.{COMMANDS[args.command][0]}")
    try:
        return int(module.run(args) or 0)
    except Vi2enError as exc:
        if args.debug:
            raise
        print(f"vi2en {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"vi2en {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `vi2en ... | head`: the reader left; not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug: one line unless --debug
        if args.debug:
            raise
        print(
            f"vi2en {args.command}: internal error: {type(exc).__name__}: {exc} "
            "(rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
