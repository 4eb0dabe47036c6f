"""`vi2en` command line: a table of subcommands, each in its own module, imported on demand.

`vi2en --help` imports no subcommand module (so it stays instant); `vi2en CMD ...` imports only
`vi2en.cli.<module>`, which provides `configure(parser)` and `run(args) -> int`.
This is the only place that turns exceptions into exit codes:
0 success, 2 any error the user can fix (`Vi2enError`, usage), 1 a bug; `--debug` adds the
traceback and keeps the code. Signals end a run as the shell expects, with cleanup (temp files
removed, worker processes stopped) and one line on stderr: 130 Ctrl-C (SIGINT), 143 SIGTERM,
129 SIGHUP; 141 when the reader of standard output went away (`vi2en ... | head -1`), silently.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

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


# Signals that stop a run like Ctrl-C does: raised as an exception, so cleanup runs.
STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))
EXIT_BROKEN_PIPE = 128 + getattr(signal, "SIGPIPE", 13)


class Stopped(KeyboardInterrupt):
    """A stop signal other than SIGINT arrived (SIGTERM, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, _frame: object) -> None:
    raise Stopped(signum)


@contextmanager
def _stop_signals_raise() -> Iterator[None]:
    """While a command runs, SIGTERM and SIGHUP raise `Stopped` (only the main thread can
    set handlers: elsewhere, as in an embedding program, the handlers are left alone)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _raise_stopped) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def _terminal_stdin_hint(command: str) -> Iterator[None]:
    """While a command runs, reading standard input from a terminal first says so on stderr:
    otherwise `vi2en translate` with no file just waits, saying nothing."""
    from vi2en.text import files

    end = "Ctrl-Z then Enter" if os.name == "nt" else "Ctrl-D on an empty line"

    def hint() -> None:
        print(
            f"vi2en {command}: reading standard input from the terminal: type or paste the "
            f"text, then press {end} (or give a file: vi2en {command} FILE)",
            file=sys.stderr,
            flush=True,
        )

    previous = files.set_terminal_stdin_hint(hint)
    try:
        yield
    finally:
        files.set_terminal_stdin_hint(previous)


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
    try:
        return _main(argv)
    except KeyboardInterrupt:  # before the command ran (while its modules were imported)
        print("vi2en: interrupted", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None) -> int:
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
    prefix = f"vi2en {args.command}"
    try:
        with _stop_signals_raise(), _terminal_stdin_hint(args.command):
            code = int(module.run(args) or 0)
            sys.stdout.flush()  # here, so a reader that left is seen while we can handle it
        return code
    except Vi2enError as exc:
        _show_traceback(args.debug)
        print(f"{prefix}: error: {exc}", file=sys.stderr)
        return 2
    except Stopped as exc:
        _show_traceback(args.debug)
        print(f"{prefix}: stopped by {signal.Signals(exc.signum).name}", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        _show_traceback(args.debug)
        print(f"{prefix}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `vi2en ... | head`: the reader left. Not an error to report; what is still buffered
        # goes nowhere, so Python's exit does not complain about it either.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # a bug: one line unless --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"{prefix}: internal error: {type(exc).__name__}: {exc} "
            + ("(a bug: please report it)" if args.debug else
               "(rerun with --debug for the traceback)"),
            file=sys.stderr,
        )  # fmt: skip
        return 1


def _show_traceback(debug: bool) -> None:
    if debug:
        traceback.print_exc()


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout is no real file (embedded, tests)
        pass


if __name__ == "__main__":
    sys.exit(main())
