"""A question's excerpts: plain before the answer (no highlight gives it away), annotated after."""

from __future__ import annotations

import streamlit as st

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import Question
from sourcecheck.render.glossary import glossary_html
from sourcecheck.render.highlight import (
    annotated_html,
    context_html,
    legend_html,
    notes_html,
    plain_html,
    source_html,
)

__all__ = ["SIDE_BY_SIDE_CHARS", "show_context", "show_excerpts"]

SIDE_BY_SIDE_CHARS = 280


def show_excerpts(lesson: LoadedLesson, question: Question, *, annotated: bool) -> None:
    """Two short excerpts (a compare question) sit side by side, and Streamlit stacks columns on a phone;
    long ones are stacked everywhere, since a half-width column of a long quote is a tall thin strip.

    The markup comes from highlight.py and glossary.py, which escape every string; st.html renders it as it
    is (st.markdown would read Markdown inside a quote that spans paragraphs). The glossary's "Words to know"
    sit right under each excerpt, before and after answering, in the same element.
    """
    placed = lesson.excerpts_for(question)
    side_by_side = len(placed) > 1 and max(len(p.text) for p in placed) <= SIDE_BY_SIDE_CHARS
    slots = st.columns(len(placed), gap="medium") if side_by_side else [st.container() for _ in placed]
    for slot, excerpt in zip(slots, placed, strict=True):
        with slot:
            words = glossary_html(excerpt)
            body = annotated_html(excerpt) + words + notes_html(excerpt) if annotated else plain_html(excerpt) + words
            st.html(source_html(excerpt.document) + body)
    if annotated:
        legend = legend_html(a.annotation.label for excerpt in placed for a in excerpt.annotations)
        if legend:
            st.html(legend)


def show_context(lesson: LoadedLesson, question: Question) -> None:
    placed = lesson.excerpts_for(question)
    for n, excerpt in enumerate(placed, start=1):
        label = "Read in context" if len(placed) == 1 else f"Read passage {n} in context"
        with st.expander(label, icon=":material/article:"):
            st.html(source_html(excerpt.document) + context_html(excerpt.document, excerpt.start, excerpt.end))
