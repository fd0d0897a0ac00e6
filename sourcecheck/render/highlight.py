"""HTML for excerpts: plain (before answering), annotated (after), and in context.

Everything that comes from a lesson or a document is escaped here, once; the views and the
worksheet export insert this markup as it is. Colour is never the only cue: every highlight
carries a numbered tag with the label's name, an underline pattern, and a note in a list below.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from itertools import pairwise

from sourcecheck.lessons.catalog import Document
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import PlacedAnnotation, PlacedExcerpt

__all__ = [
    "CSS", "annotated_html", "context_html", "label_mark_style", "label_tag_style", "label_underline", "legend_html",
    "notes_html", "plain_html", "source_html", "source_line",
]

CSS = """
.sc-quote{font-size:1.05rem;line-height:1.75;white-space:pre-line;margin:0 0 .75rem 0;padding:.75rem 1rem;
  border-left:4px solid #555;background:#fafafa;color:#111;overflow-wrap:anywhere}
.sc-src{font-size:.85rem;color:#333;margin:-.4rem 0 .9rem 0}
.sc-credit{font-size:.9rem;color:#3d3f49;margin:0 0 .35rem 0}
.sc-hl{padding:.05em .1em;border-radius:2px;color:#111;border-bottom-width:3px}
.sc-tag{display:inline-block;font-size:.72em;font-weight:700;line-height:1.2;padding:0 .4em;margin:0 .15em;
  border-radius:.6em;color:#111;border:2px solid;vertical-align:.1em;white-space:nowrap}
.sc-notes{margin:.25rem 0 1rem 0;padding-left:0;list-style:none}
.sc-notes li{margin:.35rem 0;line-height:1.5}
.sc-legend{display:flex;flex-wrap:wrap;gap:.4rem .9rem;margin:.5rem 0 1rem 0;padding:0;list-style:none;font-size:.9rem}
.sc-legend li{display:flex;align-items:baseline;gap:.35rem}
.sc-swatch{display:inline-block;flex:0 0 1.8em;line-height:1.1;vertical-align:middle}
.sc-context{font-size:1rem;line-height:1.7;white-space:pre-line;color:#222;overflow-wrap:anywhere}
.sc-context mark{background:#fff1a8;color:#111;border-bottom:3px solid #111;padding:0 .1em}
.sc-glossary{margin:-.25rem 0 1rem 0;padding:.5rem .9rem;border:1px solid #c9ccd6;border-radius:.4rem;
  background:#f4f6fb;color:#111;font-size:.95rem;line-height:1.45}
.sc-glossary-title{margin:0 0 .25rem 0;font-weight:700;font-size:.85rem;letter-spacing:.02em}
.sc-glossary dl{margin:0;padding:0}
.sc-glossary div{margin:.2rem 0;padding:0}
.sc-glossary dt{display:inline;font-weight:700}
.sc-glossary dt::after{content:": "}
.sc-glossary dd{display:inline;margin:0;padding:0}
"""

def source_line(document: Document) -> str:
    """The line above every excerpt, in the app and in every export."""
    return f"From {document.info.credit}"


def source_html(document: Document) -> str:
    """The source line as markup, so it travels in the excerpt's own block instead of an element of its own."""
    return f'<p class="sc-credit">{escape(source_line(document))}</p>'


def plain_html(placed: PlacedExcerpt) -> str:
    """The excerpt with no highlights: what a student sees before answering (no answer key in it)."""
    return f'<blockquote class="sc-quote">{escape(placed.text)}</blockquote>'


def annotated_html(placed: PlacedExcerpt) -> str:
    """The excerpt with each annotation highlighted and followed by its numbered label tag."""
    notes = placed.annotations
    cuts = sorted({0, len(placed.text)} | {a.start for a in notes} | {a.end for a in notes})
    parts: list[str] = []
    for lo, hi in pairwise(cuts):
        covering = [a for a in notes if a.start <= lo and hi <= a.end]
        text = escape(placed.text[lo:hi])
        parts.append(_mark(text, _innermost(covering)) if covering else text)
        parts += [_tag(i + 1, a) for i, a in enumerate(notes) if a.end == hi and a.start < hi]
    return f'<blockquote class="sc-quote">{"".join(parts)}</blockquote>'


def notes_html(placed: PlacedExcerpt) -> str:
    items = []
    for i, a in enumerate(placed.annotations, start=1):
        quoted = escape(placed.text[a.start:a.end])
        items.append(f"<li>{_tag(i, a)} <q>{quoted}</q>: {escape(a.annotation.note)}</li>")
    return f'<ol class="sc-notes" aria-label="Annotations">{"".join(items)}</ol>' if items else ""


def legend_html(labels: Iterable[str]) -> str:
    items = []
    for name in dict.fromkeys(labels):
        info = LABELS[name]
        swatch = f'<span class="sc-swatch" style="{label_mark_style(name)}">&emsp;</span>'
        items.append(f"<li>{swatch}<span><b>{escape(info.title)}</b>: {escape(info.definition)}</span></li>")
    return f'<ul class="sc-legend" aria-label="Legend">{"".join(items)}</ul>' if items else ""


def context_html(document: Document, start: int, end: int, *, paragraphs: int = 1) -> str:
    """The paragraphs around an excerpt, with the excerpt itself marked, for 'read in context'."""
    lo, hi = document.paragraphs_around(start, end, extra=paragraphs)
    text = document.text
    return (f'<div class="sc-context">{escape(text[lo:start].lstrip())}<mark>{escape(text[start:end])}</mark>'
            f"{escape(text[end:hi].rstrip())}</div>")


def _innermost(covering: list[PlacedAnnotation]) -> PlacedAnnotation:
    return min(covering, key=lambda a: a.end - a.start)


def label_mark_style(label: str) -> str:
    """The inline style of a highlight in `label`'s colours: the annotated view, a student's marks and the
    marking component all draw a label this way."""
    return f"background:{LABELS[label].background};{label_underline(label)}"


def label_tag_style(label: str) -> str:
    info = LABELS[label]
    return f"background:{info.background};border-color:{info.colour}"


def _mark(text: str, annotation: PlacedAnnotation) -> str:
    label = annotation.annotation.label
    return f'<mark class="sc-hl" style="{label_mark_style(label)}">{text}</mark>'


def label_underline(label: str) -> str:
    """The label's underline pattern. text-decoration, not border-bottom: a border cannot be wavy, and the
    browser dropped the whole declaration for hedges and speculation, leaving them with no underline."""
    info = LABELS[label]
    return (f"text-decoration:underline {info.pattern} {info.colour};text-decoration-thickness:2px;"
            "text-underline-offset:.3em;text-decoration-skip-ink:none")


def _tag(number: int, annotation: PlacedAnnotation) -> str:
    info = LABELS[annotation.annotation.label]
    return (f'<span class="sc-tag" style="{label_tag_style(info.name)}">'
            f"{number} {escape(info.title.lower())}</span>")
