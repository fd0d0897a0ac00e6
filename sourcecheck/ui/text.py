"""Lesson and document strings inside Streamlit's Markdown-rendering elements, shown as written.

Titles, captions, alerts, radio options and checkbox labels all render Markdown (and Streamlit's
own `:red[...]`, `$math$` directives). A teacher's `*`, `_`, `$` or `[x](y)` must come out as
those characters, so every YAML string passes through `md()` first; CommonMark lets any ASCII
punctuation be backslash-escaped. Raw HTML is never rendered by those elements in the first place.
"""

from __future__ import annotations

import re

__all__ = ["md", "points"]

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md(text: str) -> str:
    return _PUNCTUATION.sub(r"\\\1", text)


def points(value: float) -> str:
    """1.0 -> '1', 0.6667 -> '0.67': scores as a student reads them."""
    return f"{round(value, 2):g}"
