"""A bilingual review page: one self-contained HTML file that works offline.

Paragraphs in document order; each sentence is a row with its id, type and method, the
Vietnamese source beside the English target, and its QA flags highlighted underneath. The
columns have fixed shares of the width (`minmax(0, 1fr)`, long words wrap), so the English
column starts at the same place on every row and nothing overflows sideways; below 48rem the
id and type move above the two text columns. Words that
the aligner linked (`Translation.links`) are wrapped in spans: hovering one highlights its aligned
words on the other side. CSS and JavaScript are inline, a Content-Security-Policy forbids any
external load, and every piece of text goes through `html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from vi2en.doc import Document, Segment

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:80rem;padding:1rem;color:#222}
h1{font-size:1.3rem;margin:.2rem 0;overflow-wrap:anywhere}
.summary{color:#555;margin:.2rem 0 1rem}
.signature{color:#555;font-size:.8rem;overflow-wrap:anywhere}
.para{border-top:2px solid #ccd;padding:.4rem 0}
.seg{display:grid;grid-template-columns:9rem minmax(0,1fr) minmax(0,1fr);gap:.2rem 1rem;
padding:.3rem .4rem;border-left:4px solid transparent}.src,.tgt{min-width:0;
overflow-wrap:anywhere}
.seg.flagged{background:#fff4e0;border-left:4px solid #e08a00}
.meta{font-size:.8rem;color:#555}.sid{font-weight:bold;margin-right:.3rem}
.badge{display:inline-block;background:#e3e7f3;border-radius:.6rem;padding:0 .45rem}
.type-byline .badge,.type-source .badge,.type-credit .badge,.type-skipped .badge{background:#eee}
.type-heading .src,.type-heading .tgt{font-weight:bold;font-size:1.08rem}
.type-byline,.type-source,.type-skipped{color:#666}
.empty{color:#999;font-style:italic}
.flags{grid-column:2/4;margin:0;padding-left:1.2rem;color:#8a3b00;font-size:.88rem}
.flag code{background:#ffe0b0;padding:0 .25rem;border-radius:.2rem}
.w{border-radius:.2rem;cursor:default}.w:hover{outline:1px solid #88a}
.w.hl,.w.hl-self{background:#ffe14d;outline:1px solid #c9a800}
label{font-size:.9rem}body.only-flagged .seg:not(.flagged){display:none}
@media (max-width:48rem){.seg{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
.meta,.flags{grid-column:1/3}}
"""

# Hover on a word: highlight it and its aligned words (ids in data-peers). Delegated, so one
# listener serves the whole page.
SCRIPT = """
(function(){
  var lit=[];
  function clear(){lit.forEach(function(el){el.classList.remove('hl','hl-self');});lit=[];}
  document.addEventListener('mouseover',function(ev){
    var w=ev.target.closest?ev.target.closest('.w'):null;
    clear();
    if(!w)return;
    w.classList.add('hl-self');lit.push(w);
    (w.getAttribute('data-peers')||'').split(' ').forEach(function(id){
      var peer=id&&document.getElementById(id);
      if(peer){peer.classList.add('hl');lit.push(peer);}
    });
  });
  var box=document.getElementById('only-flagged');
  if(box)box.addEventListener('change',function(){
    document.body.classList.toggle('only-flagged',box.checked);});
})();
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _wrap(text: str, offset: int, spans: dict[tuple[int, int], tuple[str, list[str]]]) -> str:
    """Escape `text`, wrapping each span (absolute offsets, minus `offset`) as a word element.

    Spans outside the text or overlapping an earlier span are left unwrapped (bad links must
    not hide text).
    """
    out, pos = [], 0
    for (start, end), (word_id, peers) in sorted(spans.items()):
        start, end = start - offset, end - offset
        if start < pos or end > len(text) or start >= end:
            continue
        out.append(_esc(text[pos:start]))
        out.append(
            f'<span class="w" id="{_esc(word_id)}" data-peers="{_esc(" ".join(sorted(peers)))}">'
            f"{_esc(text[start:end])}</span>"
        )
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def _segment_html(seg: Segment) -> str:
    sid = f"s{seg.index + 1}"
    tr = seg.translation
    flags = tr.flags if tr else []
    src_spans: dict[tuple[int, int], tuple[str, list[str]]] = {}
    tgt_spans: dict[tuple[int, int], tuple[str, list[str]]] = {}
    if tr is not None and tr.links:
        src_ids = {}
        tgt_ids = {}
        for link in tr.links:
            src_ids.setdefault((link.src_start, link.src_end), f"{sid}-v{link.src_index}")
            tgt_ids.setdefault((link.tgt_start, link.tgt_end), f"{sid}-e{link.tgt_index}")
        for link in tr.links:
            src_key, tgt_key = (link.src_start, link.src_end), (link.tgt_start, link.tgt_end)
            src_spans.setdefault(src_key, (src_ids[src_key], []))[1].append(tgt_ids[tgt_key])
            tgt_spans.setdefault(tgt_key, (tgt_ids[tgt_key], []))[1].append(src_ids[src_key])
    classes = ["seg", f"type-{seg.type.value}"] + (["flagged"] if flags else [])
    method = tr.method if tr else "untranslated"
    parts = [
        f'<div class="{" ".join(classes)}" id="{sid}" data-type="{seg.type.value}">',
        f'<div class="meta"><span class="sid">{sid}</span><span class="badge">'
        f"{_esc(seg.type.value)}</span> {_esc(method)}</div>",
        f'<div class="src" lang="vi">{_wrap(seg.text, seg.start, src_spans)}</div>',
    ]
    if tr is None:
        parts.append('<div class="tgt empty" lang="en">(not translated)</div>')
    else:
        parts.append(f'<div class="tgt" lang="en">{_wrap(tr.text, 0, tgt_spans)}</div>')
    if flags:
        items = "".join(
            f'<li class="flag" data-code="{_esc(f.code)}"><code>{_esc(f.code)}</code> '
            f"{_esc(f.message)}</li>"
            for f in flags
        )
        parts.append(f'<ul class="flags">{items}</ul>')
    parts.append("</div>")
    return "".join(parts)


def _paragraphs(doc: Document) -> Iterable[str]:
    for para in doc.paragraphs():
        body = "\n".join(_segment_html(seg) for seg in para)
        yield f'<section class="para" id="p{para[0].paragraph + 1}">\n{body}\n</section>'


def _signature_html(doc: Document) -> str:
    if doc.signature is None:
        return '<p class="signature">not machine-translated</p>'
    return f'<p class="signature">translated by <code>{_esc(doc.signature.format())}</code></p>'


def render(doc: Document) -> str:
    """Render `doc` as a self-contained bilingual review page.

    Args:
        doc: a segmented document, usually translated, aligned and QA-checked.

    Returns:
        The HTML text (UTF-8 declared), with no external resources.
    """
    flagged = sum(
        1 for seg in doc.segments if seg.translation and seg.translation.flags
    )
    translated = sum(1 for seg in doc.segments if seg.translation is not None)
    title = doc.source or "document"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>vi2en review: {_esc(title)}</title>",
            f"<style>{CSS}</style></head><body>",
            f"<header><h1>vi2en review: {_esc(title)}</h1>",
            f'<p class="summary">{len(doc.segments)} segments, {translated} with a translation, '
            f"{flagged} flagged. Hover a word to see its aligned words. "
            '<label><input type="checkbox" id="only-flagged"> flagged only</label></p>',
            _signature_html(doc),
            "</header>",
            "<main>",
            *_paragraphs(doc),
            "</main>",
            f"<script>{SCRIPT}</script>",
            "</body></html>",
            "",
        ]
    )
