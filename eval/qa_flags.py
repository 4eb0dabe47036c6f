"""QA flags on real MT: precision from saved judgements, false alarms on the human reference, and
recall on numbers and dates changed on purpose.

    python eval/qa_flags.py            # the README table
    python eval/qa_flags.py --list     # every flag raised on the MT, with its judgement

Inputs (../shared, read-only): NTREX-128 `ntrex.vi` (source), `ntrex.en` (human reference) and
what opus-mt-vi-en really wrote for it (`opus-mt-outputs/ntrex128.opus-2020-09-10.en`).

- Precision: every flag `vi2en.qa.check_pair` raises on the MT was judged by reading the source
  and the MT; the verdicts are in `eval/qa_judgements.tsv` (line, code, right/wrong, note). A
  flag is right when the sentence really has the problem its code names (a number, date or
  percentage changed or lost, a loop, a broken quote, content dropped). A flag raised but not in
  the file is counted as unjudged, and `--check` fails on it.
- Reference: the same checks on the human reference, scored as if it were MT. What they raise
  there is (nearly) all false alarm; 71 flags before this work.
- Recall: in each reference sentence the checks pass, one number (digits) or month name is
  changed (`2018` -> `2019`, `March` -> `April`; seed 13) and the checks must flag it.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections import Counter
from pathlib import Path

from vi2en.qa import check_pair
from vi2en.text.facts import EN_MONTHS, NUMBER, english_dates

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SOURCE = SHARED / "ntrex128" / "ntrex.vi"
REFERENCE = SHARED / "ntrex128" / "ntrex.en"
MT = SHARED / "opus-mt-outputs" / "ntrex128.opus-2020-09-10.en"
JUDGEMENTS = ROOT / "eval" / "qa_judgements.tsv"
FACT_CODES = {"number-mismatch", "date-mismatch", "percent-mismatch"}
REFERENCE_FLAGS_BEFORE = 71  # vi2en 0.x QA before the false-alarm classes were fixed
NEW_CODES = {"entity-mismatch"}  # checks added since: not in the 71, reported beside them
MONTH_NAMES = [name.capitalize() for name in EN_MONTHS if EN_MONTHS[name] and (
    len(name) > 4 or name in ("may", "june", "july"))]
MONTH = re.compile(r"\b(" + "|".join(MONTH_NAMES) + r")\b")


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def raised(sources: list[str], targets: list[str]) -> list[tuple[int, str, str]]:
    """(line number from 1, code, message) of every flag on every pair."""
    return [(number, flag.code, flag.message)
            for number, (src, tgt) in enumerate(zip(sources, targets, strict=True), start=1)
            for flag in check_pair(src, tgt)]


def load_judgements(path: Path = JUDGEMENTS) -> dict[tuple[int, str], tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")),
                              delimiter="\t")
        return {(int(r["line"]), r["code"]): (r["verdict"], r["note"]) for r in rows}


def precision_table(flags: list[tuple[int, str, str]],
                    judgements: dict[tuple[int, str], tuple[str, str]]) -> list[dict[str, object]]:
    """Per code: raised, judged, judged right, precision (right / judged)."""
    table = []
    for code in sorted({code for _, code, _ in flags}):
        keys = [(line, c) for line, c, _ in flags if c == code]
        verdicts = [judgements[k][0] for k in keys if k in judgements]
        right = verdicts.count("right")
        table.append({"code": code, "raised": len(keys), "judged": len(verdicts),
                      "right": right, "precision": right / len(verdicts) if verdicts else None})
    return table


def _change_number(token: str) -> str:
    digits = [i for i, ch in enumerate(token) if ch.isdigit()]
    last = digits[-1]
    new = "8" if token[last] == "9" else str(int(token[last]) + 1)
    return token[:last] + new + token[last + 1 :]


def perturbed_recall(sources: list[str], references: list[str], *, seed: int = 13
                     ) -> tuple[int, int, list[tuple[int, str, str]]]:
    """Change one number or month in each reference sentence the checks pass; how many the
    checks then flag. Returns (perturbed, flagged, the missed (line, before, after))."""
    rng = random.Random(seed)
    perturbed = flagged = 0
    missed = []
    for number, (src, ref) in enumerate(zip(sources, references, strict=True), start=1):
        if any(f.code in FACT_CODES for f in check_pair(src, ref)):
            continue
        dates = english_dates(ref)[0]  # months the checks read as dates (not `Theresa May`)
        spots = [("n", m) for m in NUMBER.finditer(ref)] + [
            ("m", m) for m in MONTH.finditer(ref)
            if any(d.start <= m.start() < d.end for d in dates)
        ]
        if not spots:
            continue
        kind, match = rng.choice(spots)
        if kind == "n":
            new = _change_number(match.group(0))
        else:
            new = MONTH_NAMES[(MONTH_NAMES.index(match.group(0)) + 1) % len(MONTH_NAMES)]
        changed = ref[: match.start()] + new + ref[match.end() :]
        perturbed += 1
        if any(f.code in FACT_CODES for f in check_pair(src, changed)):
            flagged += 1
        else:
            missed.append((number, match.group(0), new))
    return perturbed, flagged, missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--list", action="store_true", help="print every MT flag and verdict")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a flag is unjudged or a target is missed")
    args = parser.parse_args(argv)
    for path in (SOURCE, REFERENCE, MT, JUDGEMENTS):
        if not path.is_file():
            print(f"missing {path}", file=sys.stderr)
            return 2
    sources, references, mt = read_lines(SOURCE), read_lines(REFERENCE), read_lines(MT)
    judgements = load_judgements()
    flags = raised(sources, mt)
    if args.list:
        for line, code, message in flags:
            verdict, note = judgements.get((line, code), ("UNJUDGED", ""))
            print(f"{line}\t{code}\t{verdict}\t{message}\t{note}")
        return 0
    table = precision_table(flags, judgements)
    print(f"QA flags on {MT.name} ({len(mt)} sentences), judged by reading source and MT:")
    print("| flag code | raised | judged right | precision |")
    print("|---|---|---|---|")
    for row in table:
        precision = "-" if row["precision"] is None else f"{row['precision']:.3f}"
        judged = "" if row["judged"] == row["raised"] else f" (of {row['judged']} judged)"
        print(f"| `{row['code']}` | {row['raised']} | {row['right']}{judged} | {precision} |")
    total_right = sum(int(r["right"]) for r in table)  # type: ignore[call-overload]
    print(f"| all | {len(flags)} | {total_right} | {total_right / max(len(flags), 1):.3f} |")
    on_reference = Counter(code for _, code, _ in raised(sources, references))
    ref_total = sum(n for c, n in on_reference.items() if c not in NEW_CODES)
    print(f"\nflags on the human reference {REFERENCE.name}: {ref_total} by the checks that "
          f"raised {REFERENCE_FLAGS_BEFORE} before (cut by "
          f"{1 - ref_total / REFERENCE_FLAGS_BEFORE:.0%}): "
          + ", ".join(f"{c} {n}" for c, n in sorted(on_reference.items()) if c not in NEW_CODES)
          + "; new checks: "
          + ", ".join(f"{c} {on_reference.get(c, 0)}" for c in sorted(NEW_CODES)))
    perturbed, caught, missed = perturbed_recall(sources, references)
    print(f"recall on numbers/months changed in the reference: {caught}/{perturbed} = "
          f"{caught / max(perturbed, 1):.3f}")
    for line, before, after in missed:
        print(f"  missed line {line}: {before!r} -> {after!r}")
    unjudged = sum(int(r["raised"]) - int(r["judged"]) for r in table)  # type: ignore[call-overload]
    if args.check and (
        unjudged
        or any(r["precision"] is not None  # type: ignore[operator]
               and r["precision"] < (0.8 if r["code"] in NEW_CODES else 0.9) for r in table)
        or ref_total > REFERENCE_FLAGS_BEFORE / 3
        or caught < 0.95 * perturbed
    ):
        print(f"check failed ({unjudged} unjudged)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
