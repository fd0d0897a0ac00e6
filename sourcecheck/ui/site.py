"""The app's pages for st.navigation, built once per browser session and reused on every rerun.

Making an st.Page resolves its script file; ten of them on every click of every student add up.
They are kept per session, never shared between sessions: st.navigation marks on the page object
which one may run, so two sessions sharing one object could race.
"""

from __future__ import annotations

import streamlit as st

from sourcecheck.ui import nav, teacher_nav
from sourcecheck.ui.hashed_page import Page

__all__ = ["pages"]

_KEY = "site:pages"


def pages() -> list[st.Page]:
    signed_in = teacher_nav.signed_in()
    held = st.session_state.get(_KEY)
    if held is None or held[0] != signed_in:
        held = st.session_state[_KEY] = (signed_in, [
            Page(nav.CATALOG, title="Lessons", icon=":material/menu_book:", default=True),
            Page(nav.QUIZ, title="Lesson", icon=":material/quiz:"),
            Page(nav.JOIN, title="Join a class", icon=":material/login:", url_path="join"),
            Page(nav.CLASS, title="Class", icon=":material/groups:", url_path="class"),
            Page(nav.COURSE, title="My course", icon=":material/school:", url_path="course"),
            *teacher_nav.pages(),  # the teacher URLs: the sign-in form until the passcode is given
        ])
    return list(held[1])
