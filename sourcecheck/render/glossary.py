"""The "Words to know" box beside an excerpt: the library glossary's entries that appear in it, escaped.

It shows before and after answering alike: a definition of a name is reading support, not part of the key.
"""

from __future__ import annotations

from html import escape

from sourcecheck.lessons.loaded import PlacedExcerpt

__all__ = ["glossary_html"]


def glossary_html(placed: PlacedExcerpt) -> str:
    entries = placed.document.terms_in(placed.start, placed.end)
    if not entries:
        return ""
    items = "".join(f"<div><dt>{escape(e.term)}</dt><dd>{escape(e.definition)}</dd></div>" for e in entries)
    # named by its terms: two excerpts side by side each have a box, and two landmarks need two names (axe)
    name = escape(f"Words to know: {', '.join(e.term for e in entries)}", quote=True)
    return (f'<aside class="sc-glossary" aria-label="{name}"><p class="sc-glossary-title">Words to know</p>'
            f"<dl>{items}</dl></aside>")
