"""One question before it is answered: excerpt(s), prompt, and the answer widgets inside a form.

Nothing from the answer key is drawn here: no highlight, no feedback, no explanation. Widget
values are YAML indexes (options are displayed through `format_func`), so what is recorded never
depends on the shuffled display order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from sourcecheck.grading.answers import option_order
from sourcecheck.grading.scoring import Response
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import (
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui.excerpt_view import show_excerpts
from sourcecheck.ui.text import md

__all__ = ["CONFIDENCE", "key", "prefix", "read_response", "show_question"]

CONFIDENCE = list(range(50, 101, 5))

_EMPTY = {
    "single": "Pick one answer, then press Submit.",
    "true-false": "Pick True or False, then press Submit.",
    "multi": "Tick at least one box, then press Submit.",
    "spans": "Tick at least one phrase, then press Submit.",
    "match": "Choose a category for every row, then press Submit.",
    "short": "Write a few words first, then press Submit.",
}


def prefix(progress: Progress, question_id: str) -> str:
    """Stable widget keys; the attempt number in them gives a retry fresh, empty widgets."""
    return f"{progress.lesson_id}:{progress.attempt.number}:{question_id}"


def key(progress: Progress, question_id: str, part: str) -> str:
    return f"{prefix(progress, question_id)}:{part}"


def show_question(lesson: LoadedLesson, progress: Progress, question: Question) -> None:
    show_excerpts(lesson, question, annotated=False)
    st.subheader(md(question.prompt), anchor=False)
    with st.form(key=key(progress, question.id, "form")):
        _widgets(lesson, progress, question)
        if question.confidence:
            st.select_slider("How sure are you?", options=CONFIDENCE, value=75, format_func=lambda v: f"{v} %",
                             key=key(progress, question.id, "sure"))
        if st.session_state.pop(key(progress, question.id, "empty"), False):
            st.warning(_EMPTY[question.type], icon=":material/touch_app:")
        st.form_submit_button("Submit answer", type="primary", key=key(progress, question.id, "submit"),
                              on_click=_submit, args=(lesson, progress, question))


def _widgets(lesson: LoadedLesson, progress: Progress, question: Question) -> None:
    k = lambda part: key(progress, question.id, part)
    label = md(question.prompt)
    if isinstance(question, SingleQuestion):
        options = question.options
        st.radio(label, option_order(lesson, question, progress.student), index=None, key=k("choice"),
                 format_func=lambda i: md(options[i].text), label_visibility="collapsed")
    elif isinstance(question, TrueFalseQuestion):
        st.radio(label, [True, False], index=None, key=k("choice"), horizontal=True,
                 format_func=lambda v: "True" if v else "False", label_visibility="collapsed")
    elif isinstance(question, MultiQuestion):
        for i in option_order(lesson, question, progress.student):
            st.checkbox(md(question.options[i].text), key=k(f"opt:{i}"))
    elif isinstance(question, SpansQuestion):
        for i, candidate in enumerate(lesson.candidates[question.id]):
            st.checkbox(f"“{md(candidate.text)}”", key=k(f"span:{i}"))
    elif isinstance(question, MatchQuestion):
        for j, item in enumerate(question.items):
            st.selectbox(md(item.text), question.categories, index=None, key=k(f"row:{j}"),
                         placeholder="Choose a category")
    elif isinstance(question, ShortQuestion):
        st.text_area("Your answer", key=k("text"), max_chars=2000, height=150,
                     placeholder="Write your answer in a few sentences.")


def read_response(lesson: LoadedLesson, question: Question, values: Mapping[str, Any], keys: str,
                  ) -> Response | None:
    """The widgets' values (under the key prefix `keys`) as a response in YAML order; None: no answer yet."""
    get = lambda part: values.get(f"{keys}:{part}")
    if isinstance(question, SingleQuestion):
        choice = get("choice")
        return choice if isinstance(choice, int) and not isinstance(choice, bool) else None
    if isinstance(question, TrueFalseQuestion):
        choice = get("choice")
        return choice if isinstance(choice, bool) else None
    if isinstance(question, MultiQuestion):
        return [i for i in range(len(question.options)) if get(f"opt:{i}")] or None
    if isinstance(question, SpansQuestion):
        return [i for i in range(len(lesson.candidates[question.id])) if get(f"span:{i}")] or None
    if isinstance(question, MatchQuestion):
        rows = [get(f"row:{j}") for j in range(len(question.items))]
        return rows if all(isinstance(r, str) for r in rows) else None
    if isinstance(question, ShortQuestion):
        text = get("text")
        return text.strip() if isinstance(text, str) and text.strip() else None
    raise TypeError(f"unknown question type {type(question).__name__}")


def _submit(lesson: LoadedLesson, progress: Progress, question: Question) -> None:
    """Runs before the page script, so the same run already draws the feedback."""
    response = read_response(lesson, question, st.session_state, prefix(progress, question.id))
    if response is None:
        st.session_state[key(progress, question.id, "empty")] = True
        return
    confidence = st.session_state.get(key(progress, question.id, "sure")) if question.confidence else None
    progress.submit(question.id, response, confidence)
