"""The marking component (st.components.v2): a mark question's passage, marked word by word.

Its HTML, CSS and JavaScript are files in ui/marking/, read once and registered inline: no build step, no
network. It is given render.marks.marking_data (words and categories, never the targets) and keeps one state
value, "marks". Mounted inside the question's form, that value reaches the server only with the form's Submit,
where grading.responses.read_response decides what counts.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from sourcecheck.lessons.loaded import PlacedExcerpt
from sourcecheck.render.marks import marking_data

__all__ = ["COMPONENT", "mark_input"]

_FILES = Path(__file__).parent / "marking"
COMPONENT = "sourcecheck_mark"

_mount = st.components.v2.component(
    COMPONENT,
    html=(_FILES / "mark.html").read_text(encoding="utf-8"),
    css=(_FILES / "mark.css").read_text(encoding="utf-8"),
    js=(_FILES / "mark.js").read_text(encoding="utf-8"),
)


def _changed() -> None:
    """Registers the "marks" state; inside a form nothing runs until Submit, whose callback reads the state."""


def mark_input(placed: PlacedExcerpt, labels: list[str], *, key: str) -> None:
    _mount(key=key, data=marking_data(placed.text, labels, name="The passage: mark phrases in it"),
           default={"marks": []}, on_marks_change=_changed)
