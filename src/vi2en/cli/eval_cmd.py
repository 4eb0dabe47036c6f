"""`vi2en eval`: translate a test set with the pipeline and score it, keeping every file.

    vi2en eval --testset ntrex128 -o runs/ntrex
    vi2en eval --src X.vi --ref X.en [--docids F] --model DIR --engine ctranslate2 -o DIR
    vi2en eval --testset ntrex128 --model opus-mt --model tatoeba-aav -o runs/compare
    vi2en eval --list-testsets

Thin: resolves the test set, calls `vi2en.evaluate.eval_run.run_eval`, prints the table.
"""

from __future__ import annotations

import argparse

from vi2en.cli.options import MAX_BEAM_SIZE, int_range


def configure(parser: argparse.ArgumentParser) -> None:
    from vi2en.cli.score import add_metric_options

    what = parser.add_argument_group("what to evaluate")
    what.add_argument("--testset", default=None, metavar="NAME",
                      help="a registered test set (see --list-testsets)")
    what.add_argument("--testset-dir", default=None, metavar="DIR",
                      help="read the set from DIR/NAME/ (default: $VI2EN_TESTSET_DIR, else "
                           "the registry's local folder)")
    what.add_argument("--list-testsets", action="store_true",
                      help="list the registered sets, whether each is on disk, and quit")
    what.add_argument("--src", default=None, help="Vietnamese source, one segment per line")
    what.add_argument("--ref", action="append", default=[], metavar="REF",
                      help="English reference (repeat for several)")
    what.add_argument("--docids", default=None, help="one document id per line")
    what.add_argument("-o", "--output-dir", default=None, metavar="DIR",
                      help="folder for the hypothesis file and the reports (required)")
    from vi2en.cli.engine_flags import add_engine_arguments

    add_engine_arguments(parser, several_models=True)
    parser.add_argument("--beam-size", type=int_range(1, MAX_BEAM_SIZE), default=None,
                        help=f"beam width, 1 to {MAX_BEAM_SIZE} (default: the model's)")
    add_metric_options(parser)


def _list_testsets(args: argparse.Namespace) -> int:
    from vi2en.errors import Vi2enError
    from vi2en.evaluate.testsets import load_registry, resolve_testset

    for name, entry in load_registry().items():
        try:
            found = resolve_testset(name, testset_dir=args.testset_dir)
            where = f"on disk: {found.source.parent}"
        except Vi2enError:
            where = "not on disk (vi2en eval --testset NAME says how to get it)"
        anchors = ", ".join(f"BLEU {a['BLEU']} / chrF2 {a['chrF2']} ({a['system']})"
                            for a in entry.get("anchors", []))
        print(f"{name}: {entry.get('title', '')}\n  {where}\n  license: {entry.get('license')}"
              f"\n  anchors: {anchors or 'none registered'}")
    return 0


def run(args: argparse.Namespace) -> int:
    from vi2en.cli.score import score_options
    from vi2en.errors import Vi2enError
    from vi2en.evaluate.eval_run import run_eval
    from vi2en.evaluate.report import render
    from vi2en.evaluate.testsets import resolve_testset
    from vi2en.text.files import write_stdout

    if args.list_testsets:
        return _list_testsets(args)
    if args.output_dir is None or args.output_dir == "-":
        raise Vi2enError(
            "give -o DIR: the folder that keeps the hypothesis file and the reports "
            "(the score table is printed on standard output anyway)"
        )
    if args.testset and (args.src or args.ref or args.docids):
        raise Vi2enError("give either --testset NAME or --src/--ref/--docids, not both")
    testset = resolve_testset(args.testset, testset_dir=args.testset_dir) if args.testset else None
    from vi2en.cli.engine_flags import engine_arguments, stderr_notify
    from vi2en.defaults import DEFAULT_MODEL

    models = args.model or [DEFAULT_MODEL]
    translator_options = {**engine_arguments(args), "beam_size": args.beam_size,
                          "notify": stderr_notify("eval")}  # fmt: skip
    report = run_eval(
        args.output_dir, source=args.src, references=args.ref, docids=args.docids,
        testset=testset, translator_options=translator_options, options=score_options(args),
        models=models,
    )
    write_stdout(render(report, "table", sentence=args.sentence))
    print(f"kept: {', '.join(report.files.values())}")
    return 0
