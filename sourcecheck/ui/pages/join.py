"""Join page: a student types the class code from the board (or scans the QR code) and a name. A course's class
(issue 18) takes the personal code from the student's card instead of a name, or nothing at all from a browser
that entered that code before (sessions/courses.join_course_class)."""

from __future__ import annotations

import streamlit as st

from sourcecheck.sessions.budget import SeatBudget
from sourcecheck.sessions.classes import JoinRefused
from sourcecheck.sessions.courses import CourseError, NeedsPersonalCode, join_course_class
from sourcecheck.sessions.names import MAX_NAME
from sourcecheck.ui import browser, class_state, course_state, nav, reconnect, state, style
from sourcecheck.ui.text import md

_SEATS = "join:seats"  # this tab's SeatBudget: the seats it made in classes
_PERSONAL = "join:personal"  # the class code typed was a course's: ask for the personal code

style.apply()
student = state.student()
st.title("Join a class", anchor=False)
st.markdown("Type the code your teacher shows, and the name the class will know you by.")
code_in_url = st.query_params.get("code", "")
if st.session_state.get(_PERSONAL):
    st.info("This class is for a course: type the personal code from your card.", icon=":material/badge:")
with st.form("join-form"):
    code = st.text_input("Class code", value=code_in_url, max_chars=12, key="join-code",
                         placeholder="For example K7M2QX", autocomplete="off")
    personal = None
    if st.session_state.get(_PERSONAL):
        personal = st.text_input("Your personal code (on your card)", max_chars=12, key="join-personal",
                                 placeholder="For example ACDE-FH34", autocomplete="off")
    name = st.text_input("Your name" + (" (not needed with a personal code)" if personal is not None else ""),
                         max_chars=MAX_NAME, key="join-name", placeholder="Your first name", autocomplete="given-name")
    joined = st.form_submit_button("Join", type="primary", icon=":material/login:", key="join-submit")
if joined or reconnect.resumed("join"):  # pressed, or pressed while the database was away and now back
    try:
        with reconnect.resume_after_outage("join"):
            session, participant, known = join_course_class(
                course_state.store(), code, student, name, class_state.guesser(),
                st.session_state.setdefault(_SEATS, SeatBudget()), device=browser.device_id(),
                personal_code=personal, now=course_state.now())
    except NeedsPersonalCode as e:
        if not st.session_state.get(_PERSONAL):
            st.session_state[_PERSONAL] = True
            st.rerun()
        st.error(md(str(e)), icon=":material/badge:")
    except (JoinRefused, CourseError) as e:
        st.error(md(str(e)), icon=":material/error:")
    else:
        st.session_state.pop(_PERSONAL, None)
        class_state.remember(session.code)
        st.switch_page(nav.CLASS, query_params={"c": session.code, "s": known.token if known else student})
st.caption("Nothing else is asked: no e-mail and no account. Your teacher sees your name and your answers.")
st.page_link(nav.COURSE, label="My course", icon=":material/school:")
st.page_link(nav.CATALOG, label="Or practise on your own", icon=":material/menu_book:")
