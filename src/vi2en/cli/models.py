"""`vi2en models download|convert|list`: get opus-mt, make it fast, see what is cached."""

from __future__ import annotations

import argparse

from vi2en.defaults import DEFAULT_MODEL


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    download = actions.add_parser(
        "download", help="download a hub model into the Hugging Face cache (needs internet)"
    )
    download.add_argument("model", nargs="?", default=DEFAULT_MODEL,
                          help=f"hub id (default {DEFAULT_MODEL})")
    convert = actions.add_parser(
        "convert",
        help="convert a model to CTranslate2 (cached; reused while the source is unchanged)",
    )
    convert.add_argument("model", nargs="?", default=DEFAULT_MODEL,
                         help=f"hub id or Hugging Face folder (default {DEFAULT_MODEL})")
    convert.add_argument(
        "--quantization", default="auto",
        help="int8, float16, float32, ... (default auto: float16 when CUDA is present, else int8)",
    )
    convert.add_argument("--force", action="store_true", help="convert again even if cached")
    actions.add_parser("list", help="list cached Hugging Face models and CTranslate2 conversions")


def run(args: argparse.Namespace) -> int:
    from vi2en.engines import models

    if args.action == "download":
        print(models.download_model(args.model))
    elif args.action == "convert":
        print(models.convert_model(args.model, quantization=args.quantization, force=args.force))
    else:
        entries = models.list_models()
        if not entries:
            print(f"no models cached (Hugging Face cache {models.hf_cache_dir()}, "
                  f"vi2en cache {models.cache_dir()})")
        for entry in entries:
            size = f"{entry.size_bytes / 1e6:.1f} MB"
            print(f"{entry.kind}\t{entry.name}\t{size}\t{entry.detail}\t{entry.path}")
    return 0
