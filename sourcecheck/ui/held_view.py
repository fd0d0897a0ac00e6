"""A class's answers while their feedback is held: what the student gave, in words, and nothing of the key.

A self-paced class shows no verdict, score, right answer, explanation or annotated excerpt until the
teacher closes it (and a teacher-paced class none in its summary until then): a student who saw the key
could otherwise answer again under another name, and the class answer would score right
(sessions/solo.py has the whole rule). The score is still computed and stored at Submit, so the
teacher's pages are the same.
"""

from __future__ import annotations

import streamlit as st

from sourcecheck.grading.describe import describe_response
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import Question
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui import reconnect
from sourcecheck.ui.question_view import key
from sourcecheck.ui.text import md

__all__ = ["HELD", "show_held_answer", "show_held_summary"]

HELD = ("Saved. You will see how you did on this page when your teacher closes the class, also after a reload or "
        "when you come back to this address.")


def show_held_answer(lesson: LoadedLesson, progress: Progress, question: Question) -> None:
    """After Submit in a self-paced class: the answer as saved, then on to the next question."""
    answer = progress.attempt.answers[question.id]
    st.subheader(md(question.prompt), anchor=False)
    st.success(HELD, icon=":material/done:")
    st.markdown(f"**Your answer:** {md(describe_response(lesson.bound(question.id), answer.response))}")
    last = question.id == progress.attempt.question_ids[-1]
    st.button("Finish" if last else "Next question", key=key(progress, question.id, "next"), type="primary",
              icon=":material/arrow_forward:", on_click=_move_on, args=(progress, question.id))


def show_held_summary(lesson: LoadedLesson, progress: Progress, *, note: str = HELD) -> None:
    """The end of a class before it is closed: every answer given, without verdicts."""
    attempt = progress.attempt
    st.caption(md(lesson.lesson.title))
    st.header("Your answers", anchor=False)
    st.info(note, icon=":material/hourglass_top:")
    for n, question_id in enumerate(attempt.question_ids, start=1):
        bound = lesson.bound(question_id)
        answer = attempt.answers.get(question_id)
        given = describe_response(bound, answer.response) if answer is not None else "not answered"
        with st.container(border=True, key=f"held-{attempt.number}-{question_id}"):
            st.markdown(f"**{n}. {md(bound.question.prompt)}**\n\n**Your answer:** {md(given)}")


@reconnect.saving  # the database away, Next is kept and retried, as on the feedback screen
def _move_on(progress: Progress, question_id: str) -> None:
    progress.move_on(question_id)
