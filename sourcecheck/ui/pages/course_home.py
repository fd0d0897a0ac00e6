"""A student's home in their course (issue 18): what is due, what was done, their own progress by skill.

The student types the code from their card, or is known by this browser (a hash of its device cookie, remembered
when they typed their personal code): then the page first asks "Are you NAME?" and shows nothing of theirs until
"Continue" (a shared school laptop: the next student must not read the last one's page). Nothing about any other
student is read or shown.
"""

from __future__ import annotations

import streamlit as st

from sourcecheck.classroom.course_boosters import booster_offers
from sourcecheck.sessions.courses import CourseError, course_home, find_student, forget, remember, to_confirm
from sourcecheck.ui import browser, class_state, course_home_view, course_state, state
from sourcecheck.ui.seat_view import show_are_you
from sourcecheck.ui.text import md

_STUDENT = "course:student"  # the student id this tab typed a code for, or said "Continue as" (join page too)

st.title("My course", anchor=False)
db = course_state.store()
now = course_state.now()
device = browser.device_id()
student = None
held = st.session_state.get(_STUDENT)
if isinstance(held, int):
    student = db.student(held)
if student is None:
    asked = to_confirm(db, device, None, now)
    if asked is not None:
        choice = show_are_you(asked.display_name, "course")
        if choice == "continue":
            remember(db, asked, device, now)  # used again: kept 30 more days
            st.session_state[_STUDENT] = asked.id
            st.rerun()
        elif choice == "not me":
            forget(db, device)
            st.rerun()
        st.stop()
if student is None:
    st.markdown("Type the personal code from the card your teacher gave you. This browser then remembers you for "
                "30 days after you last use it, and asks whether it is you before it shows your page.")
    with st.form("course-code-form"):
        code = st.text_input("Personal code", max_chars=12, key="course-code", placeholder="For example ACDE-FH34",
                             autocomplete="off")
        entered = st.form_submit_button("Open my course", type="primary", icon=":material/login:",
                                        key="course-open")
    if entered:
        try:
            student = find_student(db, code, class_state.guesser())
        except CourseError as e:
            st.error(md(str(e)), icon=":material/error:")
        else:
            remember(db, student, device, now)
            st.session_state[_STUDENT] = student.id
            st.rerun()
    st.caption("No e-mail and no account: the code is all. Lost your card? Your teacher can print a new one.")
    st.stop()
try:
    home = course_home(db, student, course_state.checks(), course_state.catalog(), now)
except CourseError as e:
    st.session_state.pop(_STUDENT, None)
    st.warning(md(str(e)), icon=":material/event_busy:")
    st.stop()
boosters = booster_offers(db, home.course, student, course_state.checks(), state.library().lessons)
course_home_view.show(db, home, device, boosters, now)
