"""One self-contained HTML page for a score report: inline CSS and SVG, no scripts, no network.

It shows the corpus table with signatures, the paired tests (a significant result green when
better than the baseline, red when worse), a bar chart of per-document scores, a histogram of
sentence scores and the worst segments side by side. Tables have fixed layouts that wrap long
text and the charts scale down, so the page never scrolls sideways (checked at 700 px). Every
piece of text from the inputs (file names, document ids, segments) goes through `html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from vi2en.evaluate.results import ScoreReport

BAR_W, CHART_H, PAD = 8, 160, 30
HIST_BINS = 10

CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:1400px}
h1,h2,li,p{overflow-wrap:anywhere}
table{border-collapse:collapse;margin:.5em 0;table-layout:fixed;width:100%}
td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left;
overflow-wrap:anywhere}th{background:#f3f3f3}code{font-size:90%;background:#f6f6f6;
padding:1px 3px;overflow-wrap:anywhere}.num{text-align:right;font-variant-numeric:tabular-nums}
.seg th:nth-child(-n+3){width:4.5em}.sig{font-weight:bold}.sig.better{color:#080}
.sig.worse{color:#b00}
svg{background:#fafafa;border:1px solid #ddd;margin:.3em 0;max-width:100%;height:auto}
.note{color:#a60}
"""
# Metrics where a lower score is better (sacreBLEU's TER); every other metric: higher.
LOWER_IS_BETTER = ("TER",)


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: float | None, width: int = 1) -> str:
    return "-" if value is None else f"{value:.{width}f}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], *, cls: str = "") -> str:
    """A table; `rows` cells are already-escaped HTML, `head` is plain text."""
    out = [f'<table class="{cls}"><tr>' + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    return "".join(out) + "</table>"


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str,
              top: float = 100.0, mark: float | None = None) -> str:
    """An inline SVG bar chart (one bar per label, hover title per bar, optional mean line)."""
    top = max([top, *values]) or 1.0
    width = PAD + BAR_W * len(values) + 10
    height = CHART_H + 2 * PAD
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
             f'<text x="{PAD}" y="16" font-size="12">{_e(title)}</text>']
    for tick in (0, top / 2, top):
        y = PAD + CHART_H - CHART_H * tick / top
        parts.append(f'<text x="2" y="{y + 4:.1f}" font-size="9">{tick:.0f}</text>'
                     f'<line x1="{PAD - 3}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#ddd"/>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = CHART_H * max(value, 0.0) / top
        parts.append(f'<rect x="{PAD + i * BAR_W}" y="{PAD + CHART_H - h:.1f}" '
                     f'width="{BAR_W - 1}" height="{h:.1f}" fill="#4a7ab5">'
                     f"<title>{_e(label)}: {value:.1f}</title></rect>")
    if mark is not None:
        y = PAD + CHART_H - CHART_H * mark / top
        parts.append(f'<line x1="{PAD}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c33" '
                     f'stroke-dasharray="4 2"><title>corpus {mark:.1f}</title></line>')
    return "".join(parts) + "</svg>"


def histogram(values: Sequence[float], *, title: str) -> str:
    """Sentence scores in 10 bins of 10 points (the last bin also holds scores >= 100)."""
    counts = [0] * HIST_BINS
    for value in values:
        counts[min(max(int(value // 10), 0), HIST_BINS - 1)] += 1
    labels = [f"{10 * i}-{10 * i + 10}" + ("+" if i == HIST_BINS - 1 else "")
              for i in range(HIST_BINS)]
    bar = 36
    top = max(counts) or 1
    width = PAD + bar * HIST_BINS + 10
    height = CHART_H + 2 * PAD + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
             f'<text x="{PAD}" y="16" font-size="12">{_e(title)}</text>']
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        h = CHART_H * count / top
        x = PAD + i * bar
        parts.append(f'<rect x="{x}" y="{PAD + CHART_H - h:.1f}" width="{bar - 2}" '
                     f'height="{h:.1f}" fill="#6a9f58"><title>{_e(label)}: {count}</title></rect>'
                     f'<text x="{x}" y="{PAD + CHART_H + 12}" font-size="9">{_e(label)}</text>'
                     f'<text x="{x}" y="{PAD + CHART_H - h - 2:.1f}" font-size="9">{count}</text>')
    return "".join(parts) + "</svg>"


def _corpus_section(report: ScoreReport, width: int) -> list[str]:
    metrics = report.metrics
    rows = []
    for name in report.systems:
        cells = [_e(name)]
        for key in metrics:
            entry = report.corpus[name][key]
            cell = _num(entry.score, width)
            if entry.ci is not None:
                cell += f" (μ {_num(entry.mean, width)} ± {_num(entry.ci, width)})"
            cells.append(f'<span class="num">{_e(cell)}</span>')
        cells.append(_e(_num(report.length[name].ratio, 3)))
        rows.append(cells)
    for anchor in report.anchors:
        rows.append([f"anchor: {_e(anchor['system'])}",
                     *(_e(_num(anchor.get(k), width)) for k in metrics), "-"])
    out = ["<h2>Corpus scores</h2>", _table(["system", *metrics, "length ratio"], rows),
           "<h3>Signatures</h3><ul>"]
    out += [f"<li><code>{_e(k)}|{_e(v)}</code></li>" for k, v in report.signatures.items()]
    return [*out, "</ul>"]


def _significance_section(report: ScoreReport, width: int) -> list[str]:
    out = []
    for test in report.significance:
        out.append(f"<h2>Paired test: {_e(test.description)} ({test.n_samples} "
                   f"samples), baseline {_e(test.baseline)}</h2>")
        rows = []
        baseline = next(result for result in test.results if result.baseline)
        for result in test.results:
            cells = [_e(result.system)]
            for key in report.metrics:
                r = result.scores[key]
                text = _num(r.score, width)
                if r.ci is not None:
                    text += f" (μ {_num(r.mean, width)} ± {_num(r.ci, width)})"
                if r.p_value is not None:
                    text += f" p={r.p_value:.4f}"
                cls = ""
                if r.significant:
                    cls = f"sig {_direction(key, r.score, baseline.scores[key].score)}"
                cells.append(f'<span class="{cls}">{_e(text)}</span>')
            rows.append(cells)
        out.append(_table(["system", *report.metrics], rows))
        out.append(
            '<p>Bold: p &lt; 0.05 against the baseline, <span class="sig better">green</span> '
            'when better, <span class="sig worse">red</span> when worse (for TER, lower is '
            "better).</p><ul>"
        )
        out += [f"<li><code>{_e(k)}|{_e(v)}</code></li>" for k, v in test.signatures.items()]
        out.append("</ul>")
    return out


def _direction(metric: str, score: float, baseline: float) -> str:
    """ "better" or "worse" than the baseline's score on `metric` (TER: lower is better)."""
    higher = score > baseline
    return "better" if higher != metric.startswith(LOWER_IS_BETTER) else "worse"


def _charts_section(report: ScoreReport) -> list[str]:
    metrics = report.metrics
    key = report.worst.metric if report.worst else ("chrF2" if "chrF2" in metrics else metrics[0])
    out = []
    docs = report.documents
    if docs:
        out.append(f"<h2>Per-document {_e(key)} ({len(docs.spans)} documents)</h2>")
        labels = [f"{d.id} (lines {d.first_line}-{d.last_line})" for d in docs.spans]
        for name in report.systems:
            corpus = report.corpus[name][key].score
            out.append(bar_chart(labels, docs.scores[name][key], mark=corpus,
                                 title=f"{name}: {key} per document (dashed: corpus)"))
    out.append(f"<h2>Sentence {_e(key)} histogram</h2>")
    out += [histogram(report.sentences[name][key], title=f"{name}: sentence {key}")
            for name in report.systems]
    out.append("<p>Sentence signatures: " + ", ".join(
        f"<code>{_e(k)}|{_e(v)}</code>" for k, v in report.sentence_signatures.items())
        + "</p>")
    return out


def _worst_section(report: ScoreReport, width: int) -> list[str]:
    worst = report.worst
    if not worst:
        return []
    out = []
    for name, rows in worst.segments.items():
        out.append(f"<h2>{len(rows)} worst segments by sentence {_e(worst.metric)}: "
                   f"{_e(name)}</h2>")
        body = [[str(r.line), _e(_num(r.score, width)), _e(_num(r.length_ratio, 2)),
                 _e(r.source), "<br>".join(_e(ref) for ref in r.references),
                 _e(r.hypothesis)] for r in rows]
        out.append(_table(["line", worst.metric, "length ratio", "source", "reference",
                           "hypothesis"], body, cls="seg"))
    return out


def render_html(report: ScoreReport) -> str:
    """The whole report as one offline HTML document."""
    width = report.width
    title = "vi2en score report"
    if report.testset:
        title += f": {report.testset['name']}"
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
           f"<h1>{_e(title)}</h1><ul>",
           f"<li>references: {_e(', '.join(report.references))}</li>",
           f"<li>{report.segments} segments; source: {_e(report.source or 'not given')}"
           f"; documents: {_e(report.docids or 'not given')}</li>",
           f"<li>normalisation: {_e(report.normalization.description)}</li>",
           f"<li>vi2en {_e(report.vi2en_version)}, sacreBLEU "
           f"{_e(report.sacrebleu_version)}</li>"]
    runs = report.translations or ([report.translation] if report.translation else [])
    for system, t in zip(report.systems, runs, strict=False):
        who = f"{_e(system)}: " if len(runs) > 1 else ""
        out.append(f"<li>{who}translated by {_e(t.signature['model'])} ({t.segments} segments "
                   f"in {t.seconds:.1f} s): <code>{_e(t.signature_text)}</code></li>")
    if report.alignment:
        out.append(f"<li>aligned: {_e(report.alignment.summary)}</li>")
    out += [f'<li class="note">note: {_e(note)}</li>' for note in report.notes]
    out.append("</ul>")
    out += _corpus_section(report, width)
    out += _significance_section(report, width)
    out += _charts_section(report)
    out += _worst_section(report, width)
    return "\n".join([*out, "</body></html>"]) + "\n"
