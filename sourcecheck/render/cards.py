"""Personal-code cards for a course (issue 18): one HTML page, one card a student, made to be printed.

A teacher hands each student their card; the code is shown once, here, and stored only as a hash. Big type for
the code (read aloud, copied by hand), grouped ABCD-EFGH, in a monospaced face so that no two characters blur.
Print CSS puts six cards on an A4 or Letter page and never splits one. Every string is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["cards_html"]

_CSS = """
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; padding: 12mm; color: #000;
       background: #fff; }
h1 { font-size: 14pt; margin: 0 0 6mm; }
.hint { font-size: 11pt; margin: 0 0 8mm; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(85mm, 1fr)); gap: 6mm; }
.card { border: 1.5pt dashed #000; border-radius: 3mm; padding: 6mm; break-inside: avoid; page-break-inside: avoid;
        min-height: 75mm; display: flex; flex-direction: column; justify-content: space-between; }
.course { font-size: 12pt; margin: 0; }
.name { font-size: 22pt; font-weight: 700; margin: 2mm 0; overflow-wrap: anywhere; }
.code { font-family: "DejaVu Sans Mono", "Consolas", "Menlo", monospace; font-size: 30pt; font-weight: 700;
        letter-spacing: 0.08em; margin: 3mm 0; white-space: nowrap; }
.how { font-size: 10.5pt; margin: 0; }
@media print {
  body { padding: 0; }
  .hint { display: none; }
  @page { margin: 10mm; }
}
"""


def cards_html(course: str, cards: Sequence[tuple[str, str]], *, home_url: str) -> str:
    """`cards`: (display name, code as printed) pairs, in roster order."""
    items = "\n".join(
        f'<section class="card"><p class="course">{escape(course)}</p><p class="name">{escape(name)}</p>'
        f'<p class="code" aria-label="Personal code {escape(" ".join(code))}">{escape(code)}</p>'
        f'<p class="how">Your personal code. Open {escape(home_url)} and type it in, or type it when you join a '
        f'class. Keep it to yourself.</p></section>'
        for name, code in cards)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cards: {escape(course)}</title>'
            f'<style>{_CSS}</style></head><body><h1>{escape(course)}: personal codes</h1>'
            f'<p class="hint">Print this page (Ctrl+P or Cmd+P) and cut along the dashed lines.</p>'
            f'<div class="cards">{items}</div></body></html>')
