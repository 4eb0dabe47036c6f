"""`vi2en score -r REF [-r REF2 ...] HYP [HYP2 ...]`: sacreBLEU-exact scores and reports.

Thin: parses flags, calls `vi2en.evaluate.evaluation.score_files`, renders the report.
The metric flags keep sacreBLEU's names and defaults, so the same options give the same
scores and signatures as the `sacrebleu` command line.
"""

from __future__ import annotations

import argparse
from typing import Any

from vi2en.cli.options import (
    MAX_DECIMALS,
    MAX_RESAMPLES,
    cpu_threads,
    float_range,
    int_range,
    non_negative_int,
)

METRICS = ("bleu", "chrf", "chrf++", "ter")
FORMATS = ("table", "json", "markdown", "html")


def add_metric_options(parser: argparse.ArgumentParser) -> None:
    """sacreBLEU's metric flags (shared by `score` and `eval`)."""
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    parser.add_argument("-m", "--metrics", nargs="+", choices=METRICS, default=list(METRICS),
                        help="metrics to compute (default: all four; chrf++ = chrF word order 2)")
    bleu = parser.add_argument_group("BLEU (sacreBLEU's flags)")
    bleu.add_argument("-tok", "--tokenize", choices=list(BLEU.TOKENIZERS), default=None,
                      help="BLEU tokenizer (default: 13a)")
    bleu.add_argument("-lc", "--lowercase", action="store_true", help="case-insensitive BLEU")
    bleu.add_argument("-s", "--smooth-method", choices=list(BLEU.SMOOTH_DEFAULTS), default="exp")
    bleu.add_argument("-sv", "--smooth-value", type=float_range(0), default=None,
                      help="smoothing value for floor / add-k (>= 0)")
    bleu.add_argument("--force", action="store_true",
                      help="do not warn about tokenized-looking input")
    chrf = parser.add_argument_group("chrF / chrF++ (sacreBLEU's flags)")
    chrf.add_argument("-cc", "--chrf-char-order", type=int_range(1, 32), default=CHRF.CHAR_ORDER)
    chrf.add_argument("--chrf-beta", type=non_negative_int, default=CHRF.BETA)
    chrf.add_argument("--chrf-whitespace", action="store_true")
    chrf.add_argument("--chrf-lowercase", action="store_true")
    chrf.add_argument("--chrf-eps-smoothing", action="store_true")
    ter = parser.add_argument_group("TER (sacreBLEU's flags)")
    ter.add_argument("--ter-case-sensitive", action="store_true")
    ter.add_argument("--ter-asian-support", action="store_true")
    ter.add_argument("--ter-no-punct", action="store_true")
    ter.add_argument("--ter-normalized", action="store_true")
    stat = parser.add_argument_group("confidence and significance")
    stat.add_argument("-ci", "--confidence", action="store_true",
                      help="95%% confidence interval per system by bootstrap resampling")
    stat.add_argument("-cin", "--confidence-n", type=int_range(1, MAX_RESAMPLES), default=1000,
                      help="bootstrap resamples for --confidence (default: %(default)s)")
    norm = parser.add_argument_group("normalisation (applied to hypotheses and references alike)")
    norm.add_argument("--normalize", default="",
                      help="comma-separated steps among moses,nfc,punct (default: none, "
                           "as sacreBLEU)")
    norm.add_argument("--nfc", action="store_true", help="same as --normalize nfc")
    norm.add_argument("--punct", action="store_true", help="same as --normalize punct")
    norm.add_argument("--moses", action="store_true", help="same as --normalize moses")
    out = parser.add_argument_group("report")
    out.add_argument("--sentence", action="store_true",
                     help="list sentence-level scores (table/markdown; JSON always has them)")
    out.add_argument("--worst", type=non_negative_int, default=10, metavar="N",
                     help="show the N worst segments side by side (default: %(default)s)")
    out.add_argument("--worst-by", default=None, metavar="METRIC",
                     help="sentence metric ranking the worst segments (default: chrF2)")
    out.add_argument("-w", "--width", type=int_range(0, MAX_DECIMALS), default=1,
                     help="decimals (default: 1)")
    out.add_argument("--short", action="store_true", help="short signatures")
    out.add_argument("-j", "--jobs", type=cpu_threads(), default=0,
                     help="worker processes for metric statistics (default: 0 = all cores)")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-r", "--reference", action="append", required=True, metavar="REF",
                        help="reference file; repeat for several references")
    parser.add_argument("hypotheses", nargs="+", metavar="HYP",
                        help="system output(s), one segment per line; the first is the baseline")
    parser.add_argument("--src", default=None, help="source file, shown beside worst segments")
    parser.add_argument("--docids", default=None,
                        help="one document id per line; a document is a run of equal ids")
    parser.add_argument("--align", action="store_true",
                        help="sentence-align a differently segmented hypothesis first")
    add_metric_options(parser)
    parser.add_argument("-f", "--format", choices=FORMATS, default="table")
    parser.add_argument("-o", "--output", default=None,
                        help="write the report here (atomically) instead of printing it "
                             "('-': standard output)")
    paired = parser.add_argument_group("paired tests (two or more systems)")
    paired.add_argument("-pbs", "--paired-bs", action="store_true",
                        help="paired bootstrap resampling against the baseline")
    paired.add_argument("-par", "--paired-ar", action="store_true",
                        help="approximate randomization against the baseline")
    paired.add_argument("-pbsn", "--paired-bs-n", type=int_range(1, MAX_RESAMPLES), default=1000)
    paired.add_argument("-parn", "--paired-ar-n", type=int_range(1, MAX_RESAMPLES),
                        default=10000)
    paired.add_argument("--baseline", default=None,
                        help="the baseline system file (default: the first HYP)")


def score_options(args: argparse.Namespace, *, paired: tuple[str, ...] = ()) -> Any:
    """Map parsed flags onto `ScoreOptions` (the library's names)."""
    import os

    from vi2en.evaluate.evaluation import ScoreOptions
    from vi2en.evaluate.normalize import parse_steps

    steps = [s for s in args.normalize.split(",") if s.strip()]
    steps += [flag for flag in ("nfc", "punct", "moses") if getattr(args, flag)]
    return ScoreOptions(
        metrics=tuple(args.metrics),
        bleu={"tokenize": args.tokenize, "lowercase": args.lowercase,
              "smooth_method": args.smooth_method, "smooth_value": args.smooth_value,
              "force": args.force},
        chrf={"char_order": args.chrf_char_order, "beta": args.chrf_beta,
              "whitespace": args.chrf_whitespace, "lowercase": args.chrf_lowercase,
              "eps_smoothing": args.chrf_eps_smoothing},
        ter={"case_sensitive": args.ter_case_sensitive, "asian_support": args.ter_asian_support,
             "no_punct": args.ter_no_punct, "normalized": args.ter_normalized},
        normalize=parse_steps(steps),
        confidence_n=args.confidence_n if args.confidence else 0,
        paired=paired,
        paired_bs_n=getattr(args, "paired_bs_n", 1000),
        paired_ar_n=getattr(args, "paired_ar_n", 10000),
        baseline=getattr(args, "baseline", None),
        worst=args.worst,
        worst_by=args.worst_by,
        jobs=args.jobs if args.jobs > 0 else (os.cpu_count() or 1),
        short=args.short,
        width=args.width,
    )


def emit(text: str, output: str | None) -> None:
    """Print the report (no `output`, or "-"), or write it atomically to `output`."""
    from vi2en.text.files import write_output

    write_output(output, text)


def run(args: argparse.Namespace) -> int:
    from vi2en.errors import Vi2enError
    from vi2en.evaluate.evaluation import score_files
    from vi2en.evaluate.report import render

    paired = tuple(t for t, on in (("bs", args.paired_bs), ("ar", args.paired_ar)) if on)
    if paired and len(args.hypotheses) < 2:
        raise Vi2enError("--paired-bs/--paired-ar need two or more hypothesis files")
    report = score_files(
        args.reference, args.hypotheses, source=args.src, docids=args.docids, align=args.align,
        options=score_options(args, paired=paired),
    )
    emit(render(report, args.format, sentence=args.sentence), args.output)
    return 0
