"""The marking component (st.components.v2): a mark question's passage, marked word by word; and the class's
marks as a heat map per category, for the projector and the dashboard.

Its HTML, CSS and JavaScript are files in ui/marking/, read once and registered inline: no build step, no
network. It is given render.marks.marking_data (words and categories, never the targets) and keeps one state
value, "marks". Mounted inside the question's form, that value reaches the server only with the form's Submit,
where grading.responses.read_response decides what counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import streamlit as st

from sourcecheck.grading.marking import mark_key
from sourcecheck.grading.responses import Response
from sourcecheck.grading.tally import mark_counts
from sourcecheck.lessons.loaded import BoundQuestion, PlacedExcerpt
from sourcecheck.render.marks import mark_heat_html, marking_data

__all__ = ["COMPONENT", "mark_input", "marking", "show_mark_heat"]

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


def mark_input(placed: PlacedExcerpt, labels: Sequence[str], *, key: str) -> None:
    marking(marking_data(placed.text, labels, name="The passage: mark phrases in it"), key=key)


def marking(data: Mapping[str, object], *, key: str) -> None:
    """The component with `data` as render.marks.marking_data makes it; its state is under `key`."""
    _mount(key=key, data=dict(data), default={"marks": []}, on_marks_change=_changed)


def show_mark_heat(bound: BoundQuestion, responses: Iterable[Response]) -> None:
    """Per category asked, the passage with each word shaded by how many students marked it, the phrases to
    find outlined: where the class agreed, and where it split."""
    answers = list(responses)
    if not answers:
        st.info("Nobody has answered this question yet.", icon=":material/hourglass_empty:")
        return
    key = mark_key(bound)
    counts = mark_counts(bound, answers)
    text = bound.excerpts[0].text
    st.html("".join(mark_heat_html(text, key.words, c.label, counts[c.label], c.required, len(answers))
                    for c in key.categories))
