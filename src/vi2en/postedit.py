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
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from vi2en.errors import MismatchError
from vi2en.formats.xliff import XliffFile, parse

MAX_LISTED_IDS = 5


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
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def _matched_pairs(original: XliffFile, edited: XliffFile) -> tuple[list[tuple[str, str, str]],
                                                                    list[str]]:
    """(id, MT, post-edit) for every MT segment, and the ids whose edited target is missing."""
    if original.file_id and edited.file_id and original.file_id != edited.file_id:
        raise MismatchError(
            f"the files are of different documents (file ids {original.file_id!r} and "
            f"{edited.file_id!r}); pass the XLIFF that vi2en exported and its post-edited copy"
        )
    ours, theirs = original.by_id(), edited.by_id()
    missing = [sid for sid in ours if sid not in theirs]
    extra = [sid for sid in theirs if sid not in ours]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing from the edited file: {', '.join(missing[:MAX_LISTED_IDS])}")
        if extra:
            parts.append(f"not in the original: {', '.join(extra[:MAX_LISTED_IDS])}")
        raise MismatchError("segment ids differ (" + "; ".join(parts) + "); was the file "
                            "resegmented? Post-edit without joining or splitting segments")
    for sid, seg in ours.items():
        if seg.source.strip() != theirs[sid].source.strip():
            raise MismatchError(f"segment {sid} has a different source text in the edited file; "
                                "the files are not of the same document")
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
        else:
            pairs.append((sid, seg.target, post))
    return pairs, no_target


def compare_xliff(original: bytes, edited: bytes) -> EffortReport:
    """Post-edit effort from the exported XLIFF and its post-edited copy (2.x or 1.2 each).

    Args:
        original: the bytes of the XLIFF vi2en wrote.
        edited: the bytes of the same file after post-editing in a CAT tool.

    Returns:
        Per-segment and document-level effort.

    Raises:
        FormatError: either file is not safe, well-formed XLIFF.
        MismatchError: the files are of different documents or their segment ids differ.
    """
    from sacrebleu.metrics import TER

    original_file = parse(original)
    pairs, no_target = _matched_pairs(original_file, parse(edited))
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
    corpus = ter.corpus_score([s.mt for s in segments], [[s.post_edit for s in segments]])
    total_distance = sum(s.char_distance for s in segments)
    total_chars = sum(max(len(s.mt), len(s.post_edit)) for s in segments)
    return EffortReport(
        file_id=original_file.file_id,
        segments=segments,
        hter=round(corpus.score, 2),
        char_distance=total_distance,
        char_ratio=round(total_distance / max(total_chars, 1), 4),
        unchanged_share=round(sum(s.unchanged for s in segments) / len(segments), 4),
        missing_targets=no_target,
        signature=str(ter.get_signature()),
    )
