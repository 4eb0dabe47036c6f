"""Measure where a line without final punctuation stops being a heading and reads as a caption.

A line inside an article (not its first line) that holds one sentence with no final `.?!…`
is either a heading (an intertitle, a second headline) or a descriptive sentence (a photo
caption without credit, a bullet, a sentence that lost its full stop). The only such lines on
disk are NTREX-128's 34 sentences with no final punctuation that do not open a document, and
the two intertitles of the shared example article (`../shared/examples/`, a real VOV story).
Each NTREX line was judged by reading the Vietnamese with its English reference in context; the
labels are below (`H` heading, `D` descriptive), with the English gist.

For each word limit N, a line of at most N words is typed `heading` and a longer one
`caption`; the script prints accuracy and heading precision/recall per N and the limit that
`vi2en.segment.rules.INTERTITLE_MAX_WORDS` uses.

Usage: python eval/heading_rule.py [NTREX_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from vi2en.segment import rules

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "ntrex128"
EXAMPLE = REPO.parent / "shared" / "examples" / "vov-russia-north-korea.vi.txt"
# (line number in the example article, label, gist): its two intertitles.
JUDGED_EXAMPLE = [
    (8, "H", "intertitle: Quan hệ hợp tác ngày càng sâu rộng giữa Nga và Triều Tiên"),
    (16, "H", "intertitle: Mỹ và Hàn Quốc lo sốt vó"),
]

# (line number in ntrex.vi, label, English gist)
JUDGED = [
    (77, "H", "Daily Mail headline: Dragons Den star Peter Jones left 'furious' …"),
    (136, "D", "quote + 'Sturridge told LiverpoolFC.com' (stop lost)"),
    (234, "D", "And Nielsen usually has some trouble measuring … (sentence)"),
    (304, "D", "standfirst: Dolly Menga's first goal for Livingston secured victory"),
    (310, "H", "intertitle: Livingston miss chances against blunt visitors"),
    (316, "D", "body sentence ending in a comma"),
    (320, "H", "box title: 'Phenomenal' from Livingston - analysis"),
    (321, "H", "box subtitle: BBC Scotland's Alasdair Lamont at the Tony Macaroni Arena"),
    (380, "D", "He was taken to hospital … (sentence)"),
    (559, "H", "crosshead: It is intolerant of those who speak their minds"),
    (584, "D", "author bio: Chris Leslie is MP for Nottingham East"),
    (682, "D", "author bio: John Edward is Director of …"),
    (687, "D", "quote + 'said Walton on the Lakers' website' (stop lost)"),
    (823, "H", "headline: New cancer vaccine can teach the immune system …"),
    (824, "D", "bullet: Vaccine teaches immune system to recognise rogue cells …"),
    (825, "D", "bullet: Method involves extracting immune cells …"),
    (826, "D", "bullet: They can then 'see' a protein …"),
    (834, "H", "intertitle: It Didn't Go Well"),
    (1023, "D", "He was arrested and charged … (sentence)"),
    (1337, "H", "Daily Mail headline: Foreign buyers will be charged higher stamp duty …"),
    (1338, "D", "bullet: The move will neutralise …"),
    (1339, "D", "bullet: The stamp duty rise will be levied …"),
    (1340, "D", "bullet: The Treasury expects it raise up to £120 million …"),
    (1380, "D", "You can listen to the full interview … (sentence)"),
    (1397, "H", "Daily Mail headline: One in five children … survey reveals"),
    (1398, "D", "bullet: Survey of 20,000 secondary school pupils …"),
    (1399, "D", "bullet: The news has heightened fears …"),
    (1400, "D", "bullet: Twenty per cent of pupils said …"),
    (1428, "D", "photo caption: The Elvie breast pump fits discreetly … (Elvie/Mother)"),
    (1558, "D", "About half of the individuals … (sentence)"),
    (1670, "D", "In a pointed message to Mrs May … (sentence)"),
    (1732, "D", "standfirst: Patrick Dwyer hit two goals for the Giants against Dundee"),
    (1806, "H", "headline: NY nanny sues couple over firing after 'racist' text"),
    (1954, "D", "The government continues to rehabilitate … (sentence)"),
]


def sweep(words: list[tuple[int, str]]) -> list[tuple[int, float, float, float]]:
    """(N, accuracy, heading precision, heading recall) for word limits 5..35."""
    out = []
    for limit in range(5, 36):
        predicted_h = [(n <= limit, label == "H") for n, label in words]
        right = sum(p == t for p, t in predicted_h)
        tp = sum(p and t for p, t in predicted_h)
        pred = sum(p for p, _ in predicted_h)
        true = sum(t for _, t in predicted_h)
        out.append((limit, right / len(words), tp / pred if pred else 1.0, tp / true))
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    data = Path(args[0]) if args else DEFAULT_DATA
    source = data / "ntrex.vi"
    for path in (source, EXAMPLE):
        if not path.is_file():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
    words = []
    for path, judged in ((source, JUDGED), (EXAMPLE, JUDGED_EXAMPLE)):
        lines = path.read_text(encoding="utf-8").splitlines()
        words += [(len(lines[number - 1].split()), label) for number, label, _ in judged]
    heads = sum(label == "H" for _, label in words)
    print(f"{len(words)} judged lines ({heads} headings, {len(words) - heads} descriptive)")
    print("limit  accuracy  heading-P  heading-R")
    for limit, accuracy, precision, recall in sweep(words):
        mark = "  <- INTERTITLE_MAX_WORDS" if limit == rules.INTERTITLE_MAX_WORDS else ""
        print(f"{limit:5d}  {accuracy:8.3f}  {precision:9.3f}  {recall:9.3f}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
