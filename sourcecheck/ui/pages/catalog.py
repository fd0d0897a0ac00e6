"""Lessons page: every lesson that loaded, in curriculum order, and a notice naming any that did not."""

from __future__ import annotations

import streamlit as st

from sourcecheck.sessions.solo import paused_lessons
from sourcecheck.ui import catalog_view, nav, state, teacher_nav

cache = state.library_cache()
library = cache.get()
student = state.student()

preview = state.preview_lesson(library)
if preview is not None and not st.session_state.get("preview_opened"):
    st.session_state["preview_opened"] = True
    st.session_state["lesson_id"] = preview.id
    st.switch_page(nav.QUIZ, query_params={"lesson": preview.id, "s": student})

state.set_url(s=student)
st.title("SourceCheck", anchor=False)
catalog_view.show_join_box(student)
st.markdown("Short lessons in reading sources: who says so, what is cited, what is only hinted at.")
if teacher_nav.signed_in():  # a broken file is the teacher's to fix; students just see the lessons that work
    catalog_view.show_problems(library)
db = state.store_if_open()  # without a database no lesson opens anyway, and its page says why
catalog_view.show_catalog(library, cache.catalog, student,
                          lambda lesson_ids: frozenset() if db is None else paused_lessons(db, lesson_ids))
