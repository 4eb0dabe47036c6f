"""Rendering a `ScoreReport` (from `evaluation.score_lines`) as text, JSON or Markdown.

Every renderer prints the signatures and the normalisation next to the numbers, because a
number without them cannot be compared with anyone else's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from vi2en.errors import Vi2enError
from vi2en.evaluate.results import CorpusScore, PairedScore, ScoreReport, to_dict

FORMATS = ("table", "json", "markdown", "html")


def render(report: ScoreReport, fmt: str, *, sentence: bool = False) -> str:
    """Render `report` as "table", "json", "markdown" or "html".

    Args:
        report: from `score_lines` / `score_files` (or `run_eval`, with its translation,
            test set and anchors).
        fmt: one of `FORMATS`.
        sentence: include the per-line score table (table and markdown; JSON always has it).

    Raises:
        Vi2enError: an unknown format.
    """
    if fmt == "json":
        return json.dumps(to_dict(report), ensure_ascii=False, indent=1) + "\n"
    if fmt == "table":
        return render_table(report, sentence=sentence)
    if fmt == "markdown":
        return render_markdown(report, sentence=sentence)
    if fmt == "html":
        from vi2en.evaluate.report_html import render_html

        return render_html(report)
    raise Vi2enError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")


def _fmt(value: float | None, width: int) -> str:
    return "-" if value is None else f"{value:.{width}f}"


def _score_cell(entry: CorpusScore | PairedScore, width: int) -> str:
    """`score (μ mean ± ci)`: the CI when there is one."""
    cell = _fmt(entry.score, width)
    if entry.ci is not None:
        cell += f" (μ {_fmt(entry.mean, width)} ± {_fmt(entry.ci, width)})"
    return cell


def _sig_cell(entry: PairedScore, width: int) -> str:
    cell = _score_cell(entry, width)
    if entry.p_value is not None:
        cell += f" p={entry.p_value:.4f}" + ("*" if entry.significant else "")
    return cell


def _columns(report: ScoreReport) -> list[tuple[str, str, str]]:
    """(label, system, metric) per score column: metrics, or system:metric if several."""
    systems, metrics = report.systems, report.metrics
    if len(systems) == 1:
        return [(key, systems[0], key) for key in metrics]
    return [(f"S{i + 1}:{key}", name, key) for i, name in enumerate(systems) for key in metrics]


def _corpus_rows(report: ScoreReport, width: int) -> tuple[list[str], list[list[str]]]:
    head = ["system", *report.metrics, "len.ratio"]
    rows = [
        [name, *(_score_cell(report.corpus[name][key], width) for key in report.metrics),
         _fmt(report.length[name].ratio, 3)]
        for name in report.systems
    ]  # fmt: skip
    for anchor in report.anchors:  # published numbers for this test set, shown beside ours
        rows.append([f"anchor: {anchor['system']}",
                     *(_fmt(anchor.get(key), width) for key in report.metrics), "-"])
    return head, rows


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(head), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _header(report: ScoreReport) -> list[str]:
    out = [
        f"{len(report.systems)} system(s), {report.segments} segments, "
        f"{len(report.references)} reference(s): {', '.join(report.references)}",
        f"normalisation: {report.normalization.description}",
    ]
    if report.testset:
        out.insert(0, f"test set: {report.testset['name']} ({report.testset['title']})")
    runs = report.translations or ([report.translation] if report.translation else [])
    for system, t in zip(report.systems, runs, strict=False):
        who = f"{system}: " if len(runs) > 1 else ""
        out.append(f"{who}translated by {t.summary}: {t.segments} segments in {t.seconds:.1f} s")
        out.append(f"{who}translation signature: {t.signature_text}")
    if report.alignment:
        out.append(f"aligned: {report.alignment.summary}")
    out += [f"note: {note}" for note in report.notes]
    return out


def _sections(report: ScoreReport, sentence: bool, width: int,
              table: Callable[[Sequence[str], Sequence[Sequence[str]]], list[str]],
              title: Callable[[str], str]) -> list[str]:
    """The body shared by text and Markdown; `table` and `title` do the formatting."""
    out = [title("Corpus scores"), *table(*_corpus_rows(report, width)), ""]
    out += [title("Signatures")] + [f"{k}|{v}" for k, v in report.signatures.items()] + [""]
    for test in report.significance:
        out.append(title(f"Paired test: {test.description} ({test.n_samples} samples), "
                         f"baseline {test.baseline}"))
        rows = [[r.system, *(_sig_cell(r.scores[k], width) for k in report.metrics)]
                for r in test.results]
        out += table(["system", *report.metrics], rows)
        out += [f"{k}|{v}" for k, v in test.signatures.items()]
        out += ["* = p < 0.05 against the baseline", ""]
    cols = _columns(report)
    if len(report.systems) > 1:
        out += [f"S{i + 1} = {name}" for i, name in enumerate(report.systems)] + [""]
    if report.documents:
        docs = report.documents
        rows = [[d.id, f"{d.first_line}-{d.last_line}",
                 *(_fmt(docs.scores[s][k][i], width) for _, s, k in cols)]
                for i, d in enumerate(docs.spans)]
        out += [title(f"Documents ({len(rows)})"),
                *table(["document", "lines", *(c[0] for c in cols)], rows), ""]
    if sentence:
        rows = [[str(line + 1), *(_fmt(report.sentences[s][k][line], width) for _, s, k in cols)]
                for line in range(report.segments)]
        out += [title("Sentence scores"), *table(["line", *(c[0] for c in cols)], rows)]
        out += [f"{k}|{v}" for k, v in report.sentence_signatures.items()] + [""]
    return out


def render_table(report: ScoreReport, *, sentence: bool = False) -> str:
    """Plain-text report for a terminal."""
    width = report.width
    out = [*_header(report), ""]
    out += _sections(report, sentence, width, _table, lambda t: f"== {t} ==")
    worst = report.worst
    if worst:
        for name, rows in worst.segments.items():
            out.append(f"== {len(rows)} worst segments by sentence {worst.metric}: {name} ==")
            for row in rows:
                out.append(f"line {row.line}  {worst.metric} {_fmt(row.score, width)}"
                           f"  length ratio {_fmt(row.length_ratio, 2)}")
                if row.source is not None:
                    out.append(f"  SRC: {row.source}")
                out += [f"  REF: {ref}" for ref in row.references]
                out.append(f"  HYP: {row.hypothesis}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md_cell(text: Any) -> str:
    """Markdown table cell: pipes escaped, line breaks and HTML-ish characters neutralised."""
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\n", " "))


def _md_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in head) + " |",
             "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]


def render_markdown(report: ScoreReport, *, sentence: bool = False) -> str:
    """Markdown report (GitHub tables); signatures in code spans."""
    width = report.width
    out = ["# vi2en score report", ""] + [f"- {_md_cell(line)}" for line in _header(report)]
    out.append("")
    body = _sections(report, sentence, width, _md_table, lambda t: f"## {t}\n")
    out += [f"`{line}`  " if "|version:" in line and not line.startswith("|") else line
            for line in body]
    worst = report.worst
    if worst:
        for name, rows in worst.segments.items():
            out += [f"## {len(rows)} worst segments by sentence {worst.metric}: "
                    f"{_md_cell(name)}", ""]
            head = ["line", worst.metric, "len.ratio", "source", "reference", "hypothesis"]
            out += _md_table(head, [
                [str(r.line), _fmt(r.score, width), _fmt(r.length_ratio, 2),
                 r.source or "", " / ".join(r.references), r.hypothesis]
                for r in rows])
            out.append("")
    return "\n".join(out).rstrip() + "\n"
