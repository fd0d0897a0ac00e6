"""The quiz screen: which of question, feedback or summary to draw, and the progress line above it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.sessions.progress import Progress
from sourcecheck.sessions.solo import PAUSED, solo_paused
from sourcecheck.ui import nav, reconnect, state
from sourcecheck.ui.content_note_view import show_content_note
from sourcecheck.ui.feedback_view import show_feedback
from sourcecheck.ui.held_view import show_held_answer, show_held_summary
from sourcecheck.ui.question_view import show_question, show_submit_notes
from sourcecheck.ui.summary_view import show_summary
from sourcecheck.ui.text import md

__all__ = ["show_paused", "show_quiz", "show_student_quiz"]


def show_student_quiz(lesson: LoadedLesson, student: str) -> None:
    st.page_link(nav.CATALOG, label="All lessons", icon=":material/arrow_back:")
    _student_quiz(lesson, student)


@st.fragment
def _student_quiz(lesson: LoadedLesson, student: str) -> None:
    """A student's lesson as a fragment: Submit, Next and Retry rerun only this part of the page, not the
    page set-up and st.navigation around it (every click of every student is paid by one shared server).
    Progress is read again from the database on every run, so another tab's answers still show. Every run also
    asks whether a class on this lesson is open (sessions/solo.py): a tab opened before the class started must
    not show the key either, so the check is here and not only when the page loads."""
    with reconnect.guard():  # a fragment's exceptions stop inside it: the database away is said here
        if solo_paused(state.store(), lesson.id):
            show_paused(lesson)
            return
        progress = state.progress(lesson, student)
        if (refused := progress.refusal()) is not None:  # the last Submit was over the session's write budget
            st.warning(refused, icon=":material/timer:")
        show_quiz(lesson, progress)


def show_paused(lesson: LoadedLesson) -> None:
    """Solo practice of a lesson a class is working on: no question, no answers, no key."""
    st.caption(md(lesson.lesson.title))
    st.info(f"{PAUSED}.", icon=":material/lock_clock:")


def show_quiz(lesson: LoadedLesson, progress: Progress, *, held: bool = False,
              on_screen: Callable[[], str | None] | None = None) -> None:
    """`held` (a self-paced class that is still open): after Submit the student sees their answer in words and
    moves on; verdicts, right answers and explanations wait until the teacher closes the class. `on_screen`
    (a class): read at Submit, the one question that may be answered then (None: none, the class has closed)."""
    question_id = progress.current()
    if question_id is None:
        if held:
            show_held_summary(lesson, progress)
        else:
            show_summary(lesson, progress)
        return
    _progress_line(lesson, progress, question_id)
    if not progress.attempt.answers and progress.attempt.number == 1:
        show_content_note(lesson)  # before starting: until the first answer
    question = lesson.question(question_id)
    show_submit_notes()
    if question_id in progress.attempt.answers and held:
        show_held_answer(lesson, progress, question)
    elif question_id in progress.attempt.answers:
        show_feedback(lesson, progress, question)
    else:
        show_question(lesson, progress, question, on_screen=on_screen)


def _progress_line(lesson: LoadedLesson, progress: Progress, question_id: str) -> None:
    attempt = progress.attempt
    position = attempt.question_ids.index(question_id) + 1
    total = len(attempt.question_ids)
    retry = f"Retry {attempt.number - 1} · " if attempt.number > 1 else ""
    st.caption(md(lesson.lesson.title))
    st.progress(len(attempt.answers) / total, text=f"{retry}Question {position} of {total}")
