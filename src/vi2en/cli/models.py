"""`vi2en models download|convert|list`: get a model, make it fast, see what is cached or known."""

from __future__ import annotations

import argparse
import sys

from vi2en.defaults import DEFAULT_MODEL


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    download = actions.add_parser(
        "download",
        help="download a model (needs internet): a hub id, a short name from `list --known`, or "
        "the URL of an OPUS-MT/Tatoeba-MT release zip (checksummed, resumed, converted to "
        "CTranslate2 without torch)",
    )
    download.add_argument("model", nargs="?", default=DEFAULT_MODEL,
                          help=f"hub id, short name or release URL (default {DEFAULT_MODEL})")
    convert = actions.add_parser(
        "convert",
        help="convert a model to CTranslate2 (cached; reused while the source is unchanged)",
    )
    convert.add_argument("model", nargs="?", default=DEFAULT_MODEL,
                         help="hub id, short name, Hugging Face folder, or an OPUS-MT release "
                         f"zip or folder (default {DEFAULT_MODEL})")  # fmt: skip
    convert.add_argument(
        "--quantization", default="auto",
        help="int8, float16, float32, ... (default auto: float16 when CUDA is present, else int8)",
    )
    convert.add_argument("--force", action="store_true", help="convert again even if cached")
    listing = actions.add_parser(
        "list", help="list cached models and conversions (--known: the catalogue of vi-en models)"
    )
    listing.add_argument("--known", action="store_true",
                         help="the models vi2en knows by short name: source, family, size, "
                         "licence, published scores, memory")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from vi2en.engines import models
    from vi2en.engines.catalogue import known_model

    def notify(message: str) -> None:
        print(message, file=sys.stderr)

    if args.action == "download":
        folder = models.download_model(args.model, notify=notify)
        if models.folder_format(folder) == "marian":  # make it runnable without torch now
            known = known_model(args.model) is not None
            folder = models.convert_model(args.model if known else str(folder))
        print(folder)
    elif args.action == "convert":
        print(models.convert_model(args.model, quantization=args.quantization, force=args.force))
    elif args.known:
        print(known_table())
    else:
        entries = models.list_models()
        if not entries:
            print(f"no models cached (Hugging Face cache {models.hf_cache_dir()}, "
                  f"vi2en cache {models.cache_dir()})")
        for entry in entries:
            size = f"{entry.size_bytes / 1e6:.1f} MB"
            print(f"{entry.kind}\t{entry.name}\t{size}\t{entry.detail}\t{entry.path}")
    return 0


def known_table() -> str:
    """The catalogue as text: one block per model, published scores with their sources."""
    from vi2en.engines.catalogue import known_models
    from vi2en.engines.models import downloaded

    def num(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}"

    blocks = []
    for entry in known_models():
        lines = [
            f"{entry.name}  [{entry.family}, {entry.params_millions:,}M parameters, "
            f"{entry.memory_estimate()}]",
            f"  source:   {entry.source}",
            f"  on disk:  {downloaded(entry) or 'no (vi2en models download ' + entry.name + ')'}",
            f"  what:     {entry.description}",
            f"  licence:  {entry.licence}",
        ]
        if entry.licence_warning:
            lines.append(f"  WARNING:  {entry.licence_warning}")
        lines.append("  align:    " + ("attention trained for word alignment (--align)"
                                       if entry.guided_alignment else "no trained alignment; "
                                       "--align is switched off"))  # fmt: skip
        for score in entry.scores:
            lines.append(f"  score:    {score.testset}: BLEU {num(score.bleu)} / chrF "
                         f"{num(score.chrf)} ({score.source})")  # fmt: skip
        if not entry.scores:
            lines.append("  score:    none published for vi-en on FLORES-200 or NTREX-128")
        blocks.append("\n".join(lines))
    footer = ("Use a short name anywhere a model goes: --model tatoeba-aav, "
              "vi2en models download nllb-600m. Memory is an estimate from the parameter "
              "count, not a measurement; scores are as published, not measured by vi2en.")
    return "\n\n".join(blocks) + "\n\n" + footer
