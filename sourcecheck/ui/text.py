"""Lesson and document strings inside Streamlit's Markdown-rendering elements, shown as written.

Titles, captions, alerts, radio options and widget labels all render Markdown (plus Streamlit's
`:red[...]`, `:emoji:` and `$math$`), and Markdown drops raw HTML tags instead of showing them.
A teacher's `*`, `_`, `$`, `<b>` or `[x](y)` must come out as those characters, so every YAML string
passes through `md()` first. Only characters that can start Markdown are escaped: Streamlit also
puts a widget's label, escapes included, into its aria-label, where every backslash is noise.
"""

from __future__ import annotations

import re
from urllib.parse import quote

__all__ = ["md", "md_link", "points"]

_ACTIVE = re.compile(r"[\\`*_\[\]<$~|]|:(?=[\w+-])|&(?=#?\w+;)")
_LINE_START = re.compile(r"^([ \t]*)(?:([#>+=-])|(\d+)([.)]))", re.MULTILINE)


def md(text: str) -> str:
    escaped = _ACTIVE.sub(lambda m: "\\" + m.group(0), text)
    return _LINE_START.sub(
        lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"), escaped)


def md_link(url: str) -> str:
    """A Markdown link whose text and href are both exactly `url`, for an address of our own (never a lesson's).

    `md(url)` would not do: inside Markdown, Streamlit's autolinking takes an escaped `\\:` into the href (as
    %5C) and shows it in the text. The text here is a code span, taken literally (no escapes, nothing autolinked
    in it), and the href is in <...>; characters that could end either are percent-encoded first, which a browser
    reads as the same address.
    """
    safe = quote(url, safe=":/?&=#%[]@!$'*+,;~-._")
    return f"[`{safe}`](<{safe}>)"


def points(value: float) -> str:
    """1.0 -> '1', 0.6667 -> '0.67': scores as a student reads them."""
    return f"{round(value, 2):g}"
