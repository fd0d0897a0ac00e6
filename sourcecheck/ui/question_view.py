"""One question before it is answered: excerpt(s), prompt, and the answer widgets inside a form.

Nothing from the answer key is drawn here: no highlight, no feedback, no explanation. Widget
values are YAML indexes (options are displayed through `format_func`), so what is recorded never
depends on the shuffled display order. This view owns its widget keys: at Submit it reads them back into
a typed raw answer (grading/raw.py), and grading.responses.read_response decides what of it counts.
A mark question's passage is the marking component itself (ui/mark_view.py), inside the form, so its
marks reach the server with Submit like any other answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import assert_never

import streamlit as st

from sourcecheck.grading.describe import describe_response
from sourcecheck.grading.raw import MarkState, MatchPicks, PickedOne, PickedTruth, RawAnswer, Ticked, Written
from sourcecheck.grading.responses import CONFIDENCE_SCALE, MAX_SHORT_ANSWER, Response, empty_hint, read_response
from sourcecheck.grading.shuffle import Shown, shown_options
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.render.glossary import glossary_html
from sourcecheck.render.highlight import source_html
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui import reconnect, state
from sourcecheck.ui.excerpt_view import show_excerpts
from sourcecheck.ui.mark_view import mark_input
from sourcecheck.ui.text import md

__all__ = ["CONFIDENCE", "confidence_label", "key", "prefix", "show_question", "show_submit_notes"]

CONFIDENCE = list(CONFIDENCE_SCALE)  # nothing chosen at first: an answer given without a pick has no confidence
LATE = "class:late-answer"  # the last Submit came after the teacher had moved on or revealed: the question's id
KEPT = "answer:kept-elsewhere"  # the last Submit lost to another tab: what the database kept, in words

def confidence_label(value: int) -> str:
    return f"{value} %"


def prefix(progress: Progress, question_id: str) -> str:
    """Stable widget keys; the attempt number in them gives a retry fresh, empty widgets."""
    return f"{progress.lesson_id}:{progress.attempt.number}:{question_id}"


def key(progress: Progress, question_id: str, part: str) -> str:
    return f"{prefix(progress, question_id)}:{part}"


def show_question(lesson: LoadedLesson, progress: Progress, question: Question, *, paced: bool = False,
                  on_screen: Callable[[], str | None] | None = None) -> None:
    """`on_screen`: in a class, reads which question may be answered when Submit is pressed (only that one).
    `paced`: a teacher-paced class, whose options show the projector's order and letters."""
    st.session_state.setdefault(key(progress, question.id, "shown"), time.monotonic())
    if not isinstance(question, MarkQuestion):  # a mark question's passage is in its form, to be marked
        show_excerpts(lesson, question, annotated=False)
    st.subheader(md(question.prompt), anchor=False)
    with st.form(key=key(progress, question.id, "form")):
        _widgets(lesson, progress, question, shown_options(lesson, question, progress.student, paced=paced))
        if question.confidence:
            st.radio("How sure are you?", CONFIDENCE, index=None, horizontal=True, format_func=confidence_label,
                     key=key(progress, question.id, "sure"), help="Optional: pick one, or leave it empty.")
        if st.session_state.pop(key(progress, question.id, "empty"), False):
            st.warning(empty_hint(lesson.bound(question.id)), icon=":material/touch_app:")
        st.form_submit_button("Submit answer", type="primary", key=key(progress, question.id, "submit"),
                              on_click=_submit, args=(lesson, progress, question, on_screen))


def _lettered(shown: tuple[Shown, ...], index: int, text: str) -> str:
    """An option's text, after its projector letter where the class has one ("B. Text")."""
    name = next((s.letter for s in shown if s.index == index), None)
    return text if name is None else f"{name}. {text}"


def _widgets(lesson: LoadedLesson, progress: Progress, question: Question, shown: tuple[Shown, ...]) -> None:
    k = lambda part: key(progress, question.id, part)
    label = md(question.prompt)
    match question:
        case SingleQuestion():
            options = question.options
            st.radio(label, [s.index for s in shown], index=None, key=k("choice"),
                     format_func=lambda i: _lettered(shown, i, md(options[i].text)), label_visibility="collapsed")
        case TrueFalseQuestion():
            st.radio(label, [True, False], index=None, key=k("choice"), horizontal=True,
                     format_func=lambda v: _lettered(shown, 0 if v else 1, "True" if v else "False"),
                     label_visibility="collapsed")
        case MultiQuestion():
            for s in shown:
                st.checkbox(_lettered(shown, s.index, md(question.options[s.index].text)), key=k(f"opt:{s.index}"))
        case SpansQuestion():
            for i, candidate in enumerate(lesson.bound(question.id).candidates):
                st.checkbox(f"“{md(candidate.text)}”", key=k(f"span:{i}"))
        case MarkQuestion():
            placed = lesson.excerpts_for(question)[0]
            st.html(source_html(placed.document))
            mark_input(placed, question.labels, key=k("marks"))
            if words := glossary_html(placed):  # "Words to know" under the passage, as for every other question
                st.html(words)
        case MatchQuestion():
            for j, item in enumerate(question.items):
                st.selectbox(_lettered(shown, j, md(item.text)), question.categories, index=None, key=k(f"row:{j}"),
                             placeholder="Choose a category")
        case ShortQuestion():
            st.text_area("Your answer", key=k("text"), max_chars=MAX_SHORT_ANSWER, height=150,
                         placeholder="Write your answer in a few sentences.")
        case _:
            assert_never(question)


def _raw_answer(lesson: LoadedLesson, progress: Progress, question: Question) -> RawAnswer:
    """What `_widgets` left in session_state, read by the same keys and typed for grading.responses.read_response
    (which checks every value again: widget state can come from a tampered browser)."""
    get = lambda part: st.session_state.get(key(progress, question.id, part))
    match question:
        case SingleQuestion():
            return PickedOne(get("choice"))
        case TrueFalseQuestion():
            return PickedTruth(get("choice"))
        case MultiQuestion():
            return Ticked(frozenset(i for i in range(len(question.options)) if get(f"opt:{i}")))
        case SpansQuestion():
            return Ticked(frozenset(i for i in range(len(lesson.bound(question.id).candidates)) if get(f"span:{i}")))
        case MarkQuestion():
            return MarkState(get("marks"))
        case MatchQuestion():
            return MatchPicks(tuple(get(f"row:{j}") for j in range(len(question.items))))
        case ShortQuestion():
            return Written(get("text"))
        case _:
            assert_never(question)


def _submit(lesson: LoadedLesson, progress: Progress, question: Question,
            on_screen: Callable[[], str | None] | None) -> None:
    """Runs before the page script, so the same run already draws the feedback."""
    response = read_response(lesson.bound(question.id), _raw_answer(lesson, progress, question))
    if response is None:
        st.session_state[key(progress, question.id, "empty")] = True
        return
    sure = st.session_state.get(key(progress, question.id, "sure"))
    confidence = sure if question.confidence and sure in CONFIDENCE else None  # untouched: None, never a default
    shown = st.session_state.get(key(progress, question.id, "shown"))
    taken = round(1000 * (time.monotonic() - shown)) if isinstance(shown, float) else None
    _store_answer(lesson, progress, question, response, confidence, taken, on_screen)


@reconnect.saving  # the database away: kept with the answer read at the click, and stored when it is back
def _store_answer(lesson: LoadedLesson, progress: Progress, question: Question, response: Response,
                  confidence: int | None, taken: int | None, on_screen: Callable[[], str | None] | None) -> None:
    """Store once (a retry after a lost reply finds its own row). Refused, say why on the very next run: another
    tab's answer was kept (and which), or the teacher had moved on."""
    target = None if on_screen is None else on_screen() or ""
    if progress.submit(question.id, response, confidence, time_taken_ms=taken, on_screen=target):
        if on_screen is None:  # solo practice: the next run shows this progress without reading it again
            state.written_through(progress)
        return
    kept = progress.attempt.answers.get(question.id)  # read again by `submit` when the database refused it
    if kept is None:
        if on_screen is not None:
            st.session_state[LATE] = question.id
    elif kept.response != response:
        st.session_state[KEPT] = describe_response(lesson.bound(question.id), kept.response)


def show_submit_notes(revealed: str | None = None) -> None:
    """What the last Submit could not do, on the run right after it and never later (not on the next question).
    `revealed`: the question on screen, when its answers have been shown (a teacher-paced class)."""
    late = st.session_state.pop(LATE, None)
    if late is not None and late == revealed:
        st.warning("The answers to this question have been shown, so it is closed. That answer was not counted.",
                   icon=":material/lock:")
    elif late is not None:
        st.warning("Your teacher had already moved on, so that answer was not counted.", icon=":material/schedule:")
    if (kept := st.session_state.pop(KEPT, None)) is not None:
        st.warning(f"Another tab answered this question first; this is the answer that was kept: {md(kept)}",
                   icon=":material/tab:")
