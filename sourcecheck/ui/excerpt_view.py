"""A question's excerpts: plain before the answer (no highlight gives it away), annotated after."""

from __future__ import annotations

import streamlit as st

from sourcecheck.lessons.loaded import LoadedLesson, PlacedExcerpt
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
    if side_by_side:
        for column, excerpt in zip(st.columns(len(placed), gap="medium"), placed, strict=True):
            with column:
                st.html(_excerpt_html(excerpt, annotated=annotated))
    else:  # stacked: straight on the page, one element each (a container around each was one more per rerun)
        for excerpt in placed:
            st.html(_excerpt_html(excerpt, annotated=annotated))
    if annotated:
        legend = legend_html(a.annotation.label for excerpt in placed for a in excerpt.annotations)
        if legend:
            st.html(legend)


def _excerpt_html(excerpt: PlacedExcerpt, *, annotated: bool) -> str:
    words = glossary_html(excerpt)
    body = annotated_html(excerpt) + words + notes_html(excerpt) if annotated else plain_html(excerpt) + words
    return source_html(excerpt.document) + body


def show_context(lesson: LoadedLesson, question: Question) -> None:
    placed = lesson.excerpts_for(question)
    for n, excerpt in enumerate(placed, start=1):
        label = "Read in context" if len(placed) == 1 else f"Read passage {n} in context"
        with st.expander(label, icon=":material/article:"):
            st.html(source_html(excerpt.document) + context_html(excerpt.document, excerpt.start, excerpt.end))
