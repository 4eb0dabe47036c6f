"""Aligning two files: reading the sides, checking they make sense, formatting the beads.

`align_files` is what `vi2en align` runs: it reads a Vietnamese and an English file (one
sentence per line, or whole articles run through vi2en's segmenter), refuses pairs that
cannot give a meaningful alignment (same language twice, wildly different sizes), optionally
builds an MT bridge, aligns document by document, and returns the beads with the texts.
`format_beads` renders them as TSV, JSONL or source/target pairs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vi2en.align.sentences import Bead, align_sentences
from vi2en.errors import InputError, MismatchError
from vi2en.text.facts import vietnamese_share

# Share of letters that are Vietnamese-only (ă, ơ, ư, đ, tone marks). Measured on NTREX-128
# documents: Vietnamese 0.21-0.31, English 0.000-0.002. Text without diacritics
# ("khong dau") looks English to this test; `--force` is the way out.
VIETNAMESE_MIN_SHARE = 0.08
ENGLISH_MAX_SHARE = 0.03
# English characters per Vietnamese character: 0.914 on NTREX-128. A ratio more than this
# factor away from it gets a warning; EXTREME_FACTOR away is refused unless forced.
CHAR_RATIO = 0.914
WARN_FACTOR, EXTREME_FACTOR = 1.8, 4.0
# Sentence-count ratios (larger side / smaller side).
WARN_COUNT_RATIO, EXTREME_COUNT_RATIO = 2.0, 4.0
# After aligning: warn when more than this share of sentences stayed unpaired.
WARN_UNPAIRED_SHARE = 0.25
FORMATS = ("tsv", "jsonl", "pairs")


@dataclass
class Side:
    """One side of the pair: sentences, where paragraphs/documents start, and document ids."""

    name: str
    sentences: list[str]
    breaks: set[int] = field(default_factory=set)
    docids: list[str] | None = None


@dataclass
class Alignment:
    """The result of `align_files`: both sides, the beads, and warnings for the user."""

    src: Side
    tgt: Side
    beads: list[Bead]
    warnings: list[str] = field(default_factory=list)


def read_side(path: str | os.PathLike[str], *, segment: bool) -> Side:
    """Read one side: one sentence per line (a blank line starts a new paragraph), or an
    article split by vi2en's segmenter (`segment=True`; each line is then a paragraph).

    Raises:
        InputError: missing, binary, undecodable or empty input.
    """
    from vi2en.text.files import load_text

    text, _ = load_text(path)
    name = str(path)
    sentences: list[str] = []
    breaks: set[int] = set()
    if segment:
        from vi2en.segment import segment_text

        paragraph = None
        for seg in segment_text(text):
            if seg.paragraph != paragraph and sentences:
                breaks.add(len(sentences))
            paragraph = seg.paragraph
            sentences.append(seg.text)
    else:
        for line in text.split("\n"):
            if line.strip():
                sentences.append(line.strip())
            elif sentences:
                breaks.add(len(sentences))
    breaks.discard(len(sentences))
    if not sentences:
        raise InputError(f"{name} has no sentences")
    return Side(name=name, sentences=sentences, breaks=breaks)


def read_docids(path: str | os.PathLike[str], side: Side) -> list[str]:
    """One document id per sentence of `side` (a document is a run of equal ids).

    Raises:
        MismatchError: the file does not have one id per sentence.
    """
    from vi2en.text.files import load_text

    ids = [line.strip() for line in load_text(path)[0].split("\n") if line.strip()]
    if len(ids) != len(side.sentences):
        raise MismatchError(
            f"{path} has {len(ids)} document ids but {side.name} has "
            f"{len(side.sentences)} sentences; give one id per sentence"
        )
    return ids


def check_pair(src: Side, tgt: Side, *, force: bool = False) -> list[str]:
    """Refuse or warn about pairs that cannot give a meaningful alignment.

    Returns:
        Warnings for the user (also when `force` lets an error through).

    Raises:
        MismatchError: both sides look like the same language, or the sizes differ beyond
            any plausible translation; not raised with `force=True`.
    """
    problems: list[str] = []
    warnings: list[str] = []
    src_share = vietnamese_share(" ".join(src.sentences))
    tgt_share = vietnamese_share(" ".join(tgt.sentences))
    if src_share < ENGLISH_MAX_SHARE and tgt_share < ENGLISH_MAX_SHARE:
        problems.append(
            f"both sides look English ({src_share:.0%} and {tgt_share:.0%} Vietnamese letters); "
            "the first file must be Vietnamese"
        )
    elif src_share >= VIETNAMESE_MIN_SHARE and tgt_share >= VIETNAMESE_MIN_SHARE:
        problems.append(
            f"both sides look Vietnamese ({src_share:.0%} and {tgt_share:.0%} Vietnamese "
            "letters); the second file must be English"
        )
    elif src_share < ENGLISH_MAX_SHARE and tgt_share >= VIETNAMESE_MIN_SHARE:
        problems.append("the sides look swapped: give the Vietnamese file first")
    src_chars = sum(len(s) for s in src.sentences)
    tgt_chars = sum(len(s) for s in tgt.sentences)
    off = (tgt_chars / src_chars) / CHAR_RATIO
    off = max(off, 1 / off)
    sizes = f"{src_chars} vs {tgt_chars} characters"
    if off > EXTREME_FACTOR:
        problems.append(f"the texts differ in length far beyond a translation ({sizes})")
    elif off > WARN_FACTOR:
        warnings.append(f"the texts differ a lot in length ({sizes}); check they match")
    n, m = len(src.sentences), len(tgt.sentences)
    ratio = max(n, m) / min(n, m)
    counts = f"{n} vs {m} sentences"
    if ratio > EXTREME_COUNT_RATIO:
        problems.append(f"the sentence counts differ far beyond a translation ({counts})")
    elif ratio > WARN_COUNT_RATIO:
        warnings.append(f"the sentence counts differ a lot ({counts}); check the files match")
    if problems and not force:
        raise MismatchError("; ".join(problems) + " (use --force to align anyway)")
    return [f"{p} (aligning anyway: --force)" for p in problems] + warnings


def _documents(side: Side) -> list[tuple[int, int]]:
    """[start, end) sentence ranges of the side's documents (one range without ids)."""
    if not side.docids:
        return [(0, len(side.sentences))]
    starts = [0] + [k for k in range(1, len(side.docids)) if side.docids[k] != side.docids[k - 1]]
    return list(zip(starts, [*starts[1:], len(side.docids)], strict=True))


def align_sides(
    src: Side, tgt: Side, *, bridge: Sequence[str] | None = None, force: bool = False
) -> Alignment:
    """Check and align two read sides, document by document when both carry ids.

    With document ids on both sides the documents are paired in order and must carry the
    same ids; with ids on one side only, document starts are hard breaks on that side.

    Raises:
        MismatchError: see `check_pair`; document ids that do not correspond; a bridge
            with a different number of sentences from the source.
    """
    warnings = check_pair(src, tgt, force=force)
    if bridge is not None and len(bridge) != len(src.sentences):
        raise MismatchError(
            f"the bridge has {len(bridge)} lines but {src.name} has {len(src.sentences)} "
            "sentences; give one translation per source sentence"
        )
    src_docs, tgt_docs = _documents(src), _documents(tgt)
    if src.docids and tgt.docids:
        src_ids = [src.docids[s] for s, _ in src_docs]
        tgt_ids = [tgt.docids[s] for s, _ in tgt_docs]
        if src_ids != tgt_ids:
            diff = next(
                (k for k, (a, b) in enumerate(zip(src_ids, tgt_ids, strict=False)) if a != b),
                min(len(src_ids), len(tgt_ids)),
            )
            raise MismatchError(
                f"the document ids differ ({len(src_ids)} vs {len(tgt_ids)} documents, "
                f"first difference at document {diff + 1}); both sides need the same documents"
            )
        pairs = list(zip(src_docs, tgt_docs, strict=True))
    else:
        pairs = [((0, len(src.sentences)), (0, len(tgt.sentences)))]
        src_breaks = src.breaks | {s for s, _ in src_docs}
        tgt_breaks = tgt.breaks | {s for s, _ in tgt_docs}
        src, tgt = (
            Side(src.name, src.sentences, src_breaks, src.docids),
            Side(tgt.name, tgt.sentences, tgt_breaks, tgt.docids),
        )
    beads: list[Bead] = []
    for (s0, s1), (t0, t1) in pairs:
        part = align_sentences(
            src.sentences[s0:s1],
            tgt.sentences[t0:t1],
            bridge=None if bridge is None else list(bridge[s0:s1]),
            src_breaks={b - s0 for b in src.breaks if s0 < b < s1},
            tgt_breaks={b - t0 for b in tgt.breaks if t0 < b < t1},
        )
        beads += [
            Bead(tuple(s + s0 for s in b.src), tuple(t + t0 for t in b.tgt), b.score) for b in part
        ]
    unpaired = sum(len(b.src) + len(b.tgt) for b in beads if not b.src or not b.tgt)
    total = len(src.sentences) + len(tgt.sentences)
    if unpaired > WARN_UNPAIRED_SHARE * total:
        warnings.append(
            f"{unpaired} of {total} sentences found no partner; the files may not be "
            "translations of each other"
        )
    return Alignment(src=src, tgt=tgt, beads=beads, warnings=warnings)


def align_files(
    src_path: str | os.PathLike[str],
    tgt_path: str | os.PathLike[str],
    *,
    segment: bool = False,
    src_docids: str | os.PathLike[str] | None = None,
    tgt_docids: str | os.PathLike[str] | None = None,
    bridge_path: str | os.PathLike[str] | None = None,
    translate: Callable[[list[str]], list[str]] | None = None,
    force: bool = False,
) -> Alignment:
    """Read, check and align a Vietnamese file with an English one (what `vi2en align` runs).

    Args:
        src_path: the Vietnamese file.
        tgt_path: the English file.
        segment: split articles with vi2en's segmenter instead of reading a sentence per line.
        src_docids: one document id per source sentence; documents are hard boundaries.
        tgt_docids: the same for the target.
        bridge_path: an English translation of each source sentence, one per line.
        translate: turns the source sentences into English, one per sentence, to build the
            bridge (`vi2en align --model` passes a `vi2en.translator.Translator`'s).
        force: align even when the checks find the pair implausible.

    Returns:
        The alignment with both sides and warnings.

    Raises:
        InputError: unreadable, binary, undecodable or empty input.
        MismatchError: see `align_sides`; both `bridge_path` and `translate` given.
    """
    if bridge_path is not None and translate is not None:
        raise MismatchError("give either a bridge file or a model, not both")
    src, tgt = read_side(src_path, segment=segment), read_side(tgt_path, segment=segment)
    if src_docids is not None:
        src.docids = read_docids(src_docids, src)
    if tgt_docids is not None:
        tgt.docids = read_docids(tgt_docids, tgt)
    bridge: list[str] | None = None
    if bridge_path is not None:
        from vi2en.text.files import load_text

        # read like a source file: one line per source sentence, blank lines ignored
        bridge = [line.strip() for line in load_text(bridge_path)[0].split("\n") if line.strip()]
    elif translate is not None:
        check_pair(src, tgt, force=force)  # refuse before spending time on the model
        bridge = translate(src.sentences)
    return align_sides(src, tgt, bridge=bridge, force=force)


def _flat(text: str) -> str:
    """One TSV field: tabs and line breaks inside a sentence become spaces."""
    return " ".join(text.split())


def format_beads(alignment: Alignment, fmt: str) -> str:
    """Render the beads: `tsv` (indices, score, texts), `jsonl`, or `pairs` (source TAB
    target, paired beads only, ready for a TMX builder).

    Raises:
        InputError: an unknown format.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    src, tgt = alignment.src.sentences, alignment.tgt.sentences
    lines = ["src\ttgt\tscore\tsrc_text\ttgt_text"] if fmt == "tsv" else []
    for bead in alignment.beads:
        src_text = " ".join(src[k] for k in bead.src)
        tgt_text = " ".join(tgt[k] for k in bead.tgt)
        if fmt == "tsv":
            ids = (",".join(map(str, bead.src)), ",".join(map(str, bead.tgt)))
            lines.append(
                f"{ids[0]}\t{ids[1]}\t{bead.score:.4f}\t{_flat(src_text)}\t{_flat(tgt_text)}"
            )
        elif fmt == "jsonl":
            record = {
                "src": list(bead.src),
                "tgt": list(bead.tgt),
                "score": round(bead.score, 4),
                "src_text": src_text,
                "tgt_text": tgt_text,
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        elif bead.src and bead.tgt:
            lines.append(f"{_flat(src_text)}\t{_flat(tgt_text)}")
    return "".join(line + "\n" for line in lines)
