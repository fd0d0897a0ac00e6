"""The quiz screen: which of question, feedback or summary to draw, and the progress line above it."""

from __future__ import annotations

import streamlit as st

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui import nav, reconnect, state
from sourcecheck.ui.content_note_view import show_content_note
from sourcecheck.ui.feedback_view import show_feedback
from sourcecheck.ui.question_view import show_question
from sourcecheck.ui.summary_view import show_summary
from sourcecheck.ui.text import md

__all__ = ["show_quiz", "show_student_quiz"]


def show_student_quiz(lesson: LoadedLesson, student: str) -> None:
    st.page_link(nav.CATALOG, label="All lessons", icon=":material/arrow_back:")
    _student_quiz(lesson, student)


@st.fragment
def _student_quiz(lesson: LoadedLesson, student: str) -> None:
    """A student's lesson as a fragment: Submit, Next and Retry rerun only this part of the page, not the
    page set-up and st.navigation around it (every click of every student is paid by one shared server).
    Progress is read again from the database on every run, so another tab's answers still show."""
    with reconnect.guard():  # a fragment's exceptions stop inside it: the database away is said here
        progress = state.progress(lesson, student)
        if (refused := progress.refusal()) is not None:  # the last Submit was over the session's write budget
            st.warning(refused, icon=":material/timer:")
        show_quiz(lesson, progress)


def show_quiz(lesson: LoadedLesson, progress: Progress) -> None:
    question_id = progress.current()
    if question_id is None:
        show_summary(lesson, progress)
        return
    _progress_line(lesson, progress, question_id)
    if not progress.attempt.answers and progress.attempt.number == 1:
        show_content_note(lesson)  # before starting: until the first answer
    question = lesson.question(question_id)
    if question_id in progress.attempt.answers:
        show_feedback(lesson, progress, question)
    else:
        show_question(lesson, progress, question)


def _progress_line(lesson: LoadedLesson, progress: Progress, question_id: str) -> None:
    attempt = progress.attempt
    position = attempt.question_ids.index(question_id) + 1
    total = len(attempt.question_ids)
    retry = f"Retry {attempt.number - 1} · " if attempt.number > 1 else ""
    st.caption(md(lesson.lesson.title))
    st.progress(len(attempt.answers) / total, text=f"{retry}Question {position} of {total}")
