"""The workshop's preview: the student app's own quiz views on a lesson that is not saved yet.

The views take a LoadedLesson and a Progress, so the preview hands them the checked draft
and a Progress on a ScratchStore kept in this session (not the database: no student's data is touched).
Any change to the text starts the preview again: answers to an old version may not fit the new one.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.sessions.progress import Progress
from sourcecheck.sessions.scratch import ScratchStore
from sourcecheck.ui.quiz_view import show_quiz
from sourcecheck.ui.text import md

__all__ = ["PREVIEW_STUDENT", "PROGRESS", "VIEW", "show_preview"]

PROGRESS = "ws-progress"  # (digest of the text, the scratch store)
VIEW = "ws-progress-view"  # this run's progress, as the views drew it
PREVIEW_STUDENT = "workshop-preview"  # seeds the option shuffle, as a student's token does


def show_preview(loaded: LoadedLesson, text: str) -> None:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    held = st.session_state.get(PROGRESS)
    if held is None or held[0] != digest:
        held = st.session_state[PROGRESS] = (digest, ScratchStore())
    st.header(md(loaded.lesson.title), anchor=False)  # the h2 between the page's h1 and the question's h3
    st.caption("What a student sees: answer a question to see its feedback and the annotated excerpt.")
    st.button("Start the preview again", key="ws-restart", icon=":material/replay:", on_click=_restart,
              args=(loaded, digest))
    with st.container(border=True, key="ws-preview"):
        progress = st.session_state[VIEW] = Progress.load(held[1], loaded, 0, PREVIEW_STUDENT)
        show_quiz(loaded, progress)


def _restart(loaded: LoadedLesson, digest: str) -> None:
    st.session_state[PROGRESS] = (digest, ScratchStore())
