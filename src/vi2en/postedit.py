"""Post-edit effort: how much translators changed the machine translation.

Compare the XLIFF vi2en exported with the one a translator post-edited, segment by segment
(matched by id), and measure:

- HTER: sacreBLEU's TER (case-sensitive) of the MT against the post-edit as the reference
  (Snover et al. 2006), per segment and over the document (corpus TER: total edits / total
  post-edit words);
- character edit distance (Levenshtein over code points), raw and divided by the longer text;
- the share of segments left unchanged.

Only segments that carried a machine translation in the original are measured (template-made
credits and kept bylines are not MT); segments whose edited target is missing are counted apart.

The work is bounded: each file is read up to `MAX_XLIFF_BYTES` and no further, each MT or
post-edited segment may have at most `MAX_SEGMENT_WORDS` words and `MAX_SEGMENT_CHARS`
characters (sacreBLEU's TER, with its shift search, takes ~10 s on one 340-word segment), and a
document at most `MAX_SEGMENTS` measured segments; beyond a limit, one error says which file,
which segment and what to do. The character distance is rapidfuzz's Levenshtein (C++, bit
parallel: 11 ms for two 20,000-character strings, where the pure-Python one took 80-104 s), and
the corpus HTER is summed from the segments' own TER statistics, as sacreBLEU sums them, instead
of a second TER pass.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from vi2en.errors import FormatError, InputError, MismatchError
from vi2en.formats.xliff import XliffFile, parse

MAX_LISTED_IDS = 5
MAX_XLIFF_BYTES = 32 * 1024 * 1024  # per file; a long article's XLIFF is well under 1 MB
MAX_SEGMENT_WORDS = 250  # per MT or post-edited segment; a long news sentence has ~60
MAX_SEGMENT_CHARS = 4000
MAX_SEGMENTS = 100_000  # measured segments per document (~4 minutes of TER at ~2.5 ms each)
LIMIT_HINT = "postedit-report reads at most that much per file: report on the document in parts"


@dataclass(frozen=True)
class SegmentEffort:
    """Effort for one segment. `hter` is in percent (sacreBLEU's TER scale)."""

    id: str
    mt: str
    post_edit: str
    hter: float
    edits: float
    ref_words: float
    char_distance: int
    char_ratio: float
    unchanged: bool


@dataclass
class EffortReport:
    """Effort over a document; `signature` is sacreBLEU's TER signature."""

    file_id: str | None
    segments: list[SegmentEffort]
    hter: float
    char_distance: int
    char_ratio: float
    unchanged_share: float
    missing_targets: list[str] = field(default_factory=list)
    signature: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Everything in the report, ready for `json.dumps`."""
        out = asdict(self)
        out["measured_segments"] = len(self.segments)
        return out

    def format_table(self) -> str:
        """A plain-text table: one row per segment, then the document totals."""
        rows = [f"{'id':<8} {'HTER':>7} {'chars':>6} {'char%':>6}  changed"]
        for seg in self.segments:
            rows.append(
                f"{seg.id:<8} {seg.hter:7.2f} {seg.char_distance:6d} "
                f"{100 * seg.char_ratio:6.1f}  {'no' if seg.unchanged else 'yes'}"
            )
        rows.append(
            f"{'document':<8} {self.hter:7.2f} {self.char_distance:6d} "
            f"{100 * self.char_ratio:6.1f}  {100 * self.unchanged_share:.1f}% unchanged "
            f"of {len(self.segments)} MT segments"
        )
        if self.missing_targets:
            rows.append(f"no edited target (not measured): {', '.join(self.missing_targets)}")
        rows.append(f"TER signature: {self.signature}")
        return "\n".join(rows)


def levenshtein(a: str, b: str) -> int:
    """Character edit distance (insertions, deletions, substitutions) between `a` and `b`."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b)


def _parse(data: bytes, name: str) -> XliffFile:
    """`xliff.parse` with the file's name in its error, so the user knows which file is bad."""
    if len(data) > MAX_XLIFF_BYTES:
        raise InputError(f"{name} is larger than {MAX_XLIFF_BYTES // 2**20} MB; {LIMIT_HINT}")
    try:
        return parse(data)
    except FormatError as exc:
        raise FormatError(f"{name}: {exc}") from None


def _check_size(sid: str, text: str, what: str) -> None:
    words = len(text.split())
    if words > MAX_SEGMENT_WORDS or len(text) > MAX_SEGMENT_CHARS:
        raise InputError(
            f"segment {sid}: {what} has {words} words and {len(text)} characters; "
            f"postedit-report measures segments of at most {MAX_SEGMENT_WORDS} words and "
            f"{MAX_SEGMENT_CHARS} characters (TER's cost grows faster than the length): split it"
        )


def _matched_pairs(
    original: XliffFile, edited: XliffFile, names: tuple[str, str]
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(id, MT, post-edit) for every MT segment, and the ids whose edited target is missing."""
    ours_name, theirs_name = names
    if original.file_id and edited.file_id and original.file_id != edited.file_id:
        raise MismatchError(
            f"the files are of different documents (file ids {original.file_id!r} in "
            f"{ours_name} and {edited.file_id!r} in {theirs_name}); pass the XLIFF that vi2en "
            "exported and its post-edited copy"
        )
    ours, theirs = original.by_id(), edited.by_id()
    missing = [sid for sid in ours if sid not in theirs]
    extra = [sid for sid in theirs if sid not in ours]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing from {theirs_name}: {', '.join(missing[:MAX_LISTED_IDS])}")
        if extra:
            parts.append(f"not in {ours_name}: {', '.join(extra[:MAX_LISTED_IDS])}")
        raise MismatchError("segment ids differ (" + "; ".join(parts) + "); was the file "
                            "resegmented? Post-edit without joining or splitting segments")
    for sid, seg in ours.items():
        if seg.source.strip() != theirs[sid].source.strip():
            raise MismatchError(f"segment {sid} has a different source text in {theirs_name} "
                                f"than in {ours_name}; the files are not of the same document")
    pairs, no_target = [], []
    # A file that marks its MT (ours do) is measured on MT segments only; one that marks
    # nothing is measured on every segment with a target.
    marks_mt = any(seg.origin == "mt" for seg in ours.values())
    for sid, seg in ours.items():
        if seg.target is None or (marks_mt and seg.origin != "mt"):
            continue
        post = theirs[sid].target
        if post is None:
            no_target.append(sid)
            continue
        _check_size(sid, seg.target, f"the MT in {ours_name}")
        _check_size(sid, post, f"the post-edit in {theirs_name}")
        pairs.append((sid, seg.target, post))
    if len(pairs) > MAX_SEGMENTS:
        raise InputError(
            f"{ours_name} has {len(pairs)} MT segments; postedit-report measures at most "
            f"{MAX_SEGMENTS:,} per document: report on it in parts"
        )
    return pairs, no_target


def compare_xliff(
    original: bytes, edited: bytes, *, names: tuple[str, str] = ("the original", "the edited file")
) -> EffortReport:
    """Post-edit effort from the exported XLIFF and its post-edited copy (2.x or 1.2 each).

    Args:
        original: the bytes of the XLIFF vi2en wrote.
        edited: the bytes of the same file after post-editing in a CAT tool.
        names: what to call the two files in errors (their paths, in the CLI).

    Returns:
        Per-segment and document-level effort.

    Raises:
        FormatError: either file is not safe, well-formed XLIFF (the message names it).
        MismatchError: the files are of different documents or their segment ids differ.
        InputError: a file, a segment or the document is over its limit (see the module).
    """
    from sacrebleu.metrics import TER

    original_file = _parse(original, names[0])
    pairs, no_target = _matched_pairs(original_file, _parse(edited, names[1]), names)
    if not pairs:
        raise MismatchError("the original XLIFF has no machine-translated segment to measure")
    ter = TER(case_sensitive=True)  # a capitalization fix is a real edit
    segments = []
    for sid, mt, post in pairs:
        score = ter.sentence_score(mt, [post])
        distance = levenshtein(mt, post)
        segments.append(
            SegmentEffort(
                id=sid, mt=mt, post_edit=post, hter=round(score.score, 2), edits=score.num_edits,
                ref_words=score.ref_length, char_distance=distance,
                char_ratio=round(distance / max(len(mt), len(post), 1), 4),
                unchanged=mt.strip() == post.strip(),
            )
        )
    # sacreBLEU's corpus TER: the segments' edits over their reference words, summed.
    edits, ref_words = sum(s.edits for s in segments), sum(s.ref_words for s in segments)
    corpus_ter = 100 * (edits / ref_words if ref_words else float(edits > 0))
    total_distance = sum(s.char_distance for s in segments)
    total_chars = sum(max(len(s.mt), len(s.post_edit)) for s in segments)
    return EffortReport(
        file_id=original_file.file_id,
        segments=segments,
        hter=round(corpus_ter, 2),
        char_distance=total_distance,
        char_ratio=round(total_distance / max(total_chars, 1), 4),
        unchanged_share=round(sum(s.unchanged for s in segments) / len(segments), 4),
        missing_targets=no_target,
        signature=str(ter.get_signature()),
    )
