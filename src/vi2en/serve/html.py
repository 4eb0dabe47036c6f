"""`format=html`: translate the text nodes of an HTML fragment and keep its markup.

Each run of text between tags (an element's text or tail) is translated as an article of its
own, through the same pipeline as plain text; script, style, code and pre content is left alone.
Attributes are never translated. The result is serialized by lxml, so it is well-formed and every
translated text is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

KEEP = frozenset({"script", "style", "code", "pre", "textarea", "noscript"})

# Translates a list of plain texts (whitespace-only texts come back as they are).
TranslateTexts = Callable[[Sequence[str]], list[str]]


def translate_html(fragment: str, translate: TranslateTexts) -> str:
    """The fragment with every text node translated by `translate` (one call for all nodes)."""
    import lxml.html

    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    slots: list[tuple[object, str]] = []
    for el in root.iter():
        kept_around = any(a.tag in KEEP for a in el.iterancestors())
        if el is not root and not kept_around and el.tail and el.tail.strip():
            slots.append((el, "tail"))
        # Comments and processing instructions have a non-string tag: only their tail counts.
        own_text = isinstance(el.tag, str) and el.tag not in KEEP and not kept_around
        if own_text and el.text and el.text.strip():
            slots.append((el, "text"))
    texts = [getattr(el, attr) for el, attr in slots]
    for (el, attr), translated in zip(slots, translate(texts) if texts else [], strict=True):
        setattr(el, attr, translated)
    out = lxml.html.tostring(root, encoding="unicode")
    return out[len("<div>") : -len("</div>")] if out.startswith("<div>") else out
