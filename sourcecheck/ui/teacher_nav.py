"""Teacher pages and who may open them: chosen per session from the sign-in state.

Signed out, every teacher URL (/teacher, /workshop, /exports, /classes, /courses, /projector, /remote,
/dashboard, /reteach) runs the sign-in page, so a bookmark or a guessed link shows the passcode form and never the
page. After a correct passcode the real pages take those URLs; the next rerun of the same URL opens them.
"""

from __future__ import annotations

import time

import streamlit as st

from sourcecheck.sessions.passcode import Sleep, sign_in
from sourcecheck.ui import nav

__all__ = [
    "CLASSES", "COURSES", "DASHBOARD", "EXPORTS", "PROJECTOR", "REMOTE", "RETEACH", "SIGN_IN", "WORKSHOP", "menu",
    "pages", "sign_in_form",
    "signed_in",
]

SIGN_IN = "sourcecheck/ui/pages/teacher_signin.py"
CLASSES = "sourcecheck/ui/pages/teacher_classes.py"
PROJECTOR = "sourcecheck/ui/pages/teacher_projector.py"
REMOTE = "sourcecheck/ui/pages/teacher_remote.py"
DASHBOARD = "sourcecheck/ui/pages/teacher_dashboard.py"
WORKSHOP = "sourcecheck/ui/pages/teacher_workshop.py"
EXPORTS = "sourcecheck/ui/pages/teacher_exports.py"
RETEACH = "sourcecheck/ui/pages/teacher_reteach.py"
COURSES = "sourcecheck/ui/pages/teacher_courses.py"

_SIGNED_IN = "teacher:signed-in"
_TEACHER_PATHS = ("teacher", "workshop", "exports", "classes", "courses", "projector", "remote", "dashboard",
                  "reteach")
# every session key the teacher pages use starts with one of these
_OWN_KEYS = ("teacher:", "ws-", "ex-", "cls-", "crs-", "pj-", "db-")
# How the sign-in form waits after a wrong passcode: the real clock. Read at each attempt, so page tests replace it
# with a recorder (tests/teacher_helpers.py) and assert the wait instead of spending it.
wrong_passcode_sleep: Sleep = time.sleep


def signed_in() -> bool:
    return st.session_state.get(_SIGNED_IN) is True


def pages() -> list[st.Page]:
    """The teacher's pages for st.navigation: the real ones only after the passcode."""
    if signed_in():
        return [
            st.Page(SIGN_IN, title="Teacher", icon=":material/school:", url_path="teacher"),
            st.Page(WORKSHOP, title="Lesson workshop", icon=":material/edit_note:", url_path="workshop"),
            st.Page(EXPORTS, title="Exports", icon=":material/download:", url_path="exports"),
            st.Page(CLASSES, title="Classes", icon=":material/groups:", url_path="classes"),
            st.Page(COURSES, title="Courses", icon=":material/school:", url_path="courses"),
            st.Page(PROJECTOR, title="Projector", icon=":material/present_to_all:", url_path="projector"),
            st.Page(REMOTE, title="Class remote", icon=":material/settings_remote:", url_path="remote"),
            st.Page(DASHBOARD, title="Results", icon=":material/monitoring:", url_path="dashboard"),
            st.Page(RETEACH, title="Reteach", icon=":material/replay:", url_path="reteach", visibility="hidden"),
        ]
    return [st.Page(SIGN_IN, title="Teacher sign-in", icon=":material/lock:", url_path=path, visibility="hidden")
            for path in _TEACHER_PATHS]


def sign_in_form() -> None:
    st.title("Teacher sign-in", anchor=False)
    st.markdown("Lesson writing and exports are for teachers. Enter the teacher passcode to open them.")
    st.caption("Whoever runs the app can show the passcode with `python -m sourcecheck passcode`.")
    with st.form("teacher:sign-in-form", clear_on_submit=True):
        attempt = st.text_input("Teacher passcode", type="password", key="teacher:passcode",
                                autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary", icon=":material/login:", key="teacher:sign-in")
    if submitted:
        if sign_in(attempt, sleep=wrong_passcode_sleep):
            st.session_state[_SIGNED_IN] = True
            st.rerun()
        st.error("That passcode is not right. Check it and try again.", icon=":material/lock:")
    st.page_link(nav.CATALOG, label="Back to the lessons", icon=":material/arrow_back:")


def menu() -> None:
    """Links between the teacher pages and a way out, at the top of each of them."""
    with st.container(horizontal=True, key="teacher:menu", vertical_alignment="center"):
        st.page_link(WORKSHOP, label="Workshop", icon=":material/edit_note:")
        st.page_link(EXPORTS, label="Exports", icon=":material/download:")
        st.page_link(CLASSES, label="Classes", icon=":material/groups:")
        st.page_link(COURSES, label="Courses", icon=":material/school:")
        st.page_link(DASHBOARD, label="Results", icon=":material/monitoring:")
        st.page_link(nav.CATALOG, label="Student view", icon=":material/menu_book:")
        st.button("Sign out", key="teacher:sign-out", icon=":material/logout:", on_click=_sign_out)


def _sign_out() -> None:
    """Forget the sign-in and everything the teacher pages kept (drafts included) for this session."""
    for name in [k for k in st.session_state if isinstance(k, str) and k.startswith(_OWN_KEYS)]:
        del st.session_state[name]
