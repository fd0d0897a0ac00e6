"""A lesson's content note, shown to a student before the first question (alone or in a class lobby)."""

from __future__ import annotations

import streamlit as st

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.ui.text import md

__all__ = ["show_content_note"]


def show_content_note(lesson: LoadedLesson) -> None:
    if lesson.lesson.content_note:
        st.info(f"**Content note:** {md(lesson.lesson.content_note)}", icon=":material/info:")
