"""Quiz page: the lesson named by ?lesson=<id> (or this session's last one), one question at a time."""

from __future__ import annotations

import streamlit as st

from sourcecheck.ui import nav, state
from sourcecheck.ui.quiz_view import show_student_quiz
from sourcecheck.ui.text import md

library = state.library()
student = state.student()
lesson = state.chosen_lesson(library)
if lesson is None:
    wanted = st.query_params.get("lesson")
    st.warning(f"There is no lesson called “{md(wanted)}”." if wanted else "Choose a lesson first.",
               icon=":material/search_off:")
    st.page_link(nav.CATALOG, label="All lessons", icon=":material/arrow_back:")
    st.stop()
state.set_url(lesson=lesson.id, s=student)
show_student_quiz(lesson, student)
