"""Teacher page: courses (issue 18). Create one, keep its roster and print the students' personal-code cards,
schedule its checks, choose how long it is kept, export or remove one student."""

from __future__ import annotations

import secrets

import streamlit as st

from sourcecheck.sessions.courses import CourseError, create_course
from sourcecheck.ui import course_admin, course_state, teacher_nav
from sourcecheck.ui.text import md

_REQUEST = "crs-request-key"  # this form's submission: a double click makes one course
_CHOSEN = "crs-course"

teacher_nav.menu()
st.title("Courses", anchor=False)
db = course_state.store()
courses = db.courses()
st.markdown("A course is a class group that meets over weeks. Its students get a personal code each, so their "
            "answers in the course's classes and checks are theirs from week to week. No e-mail, no accounts.")
with st.expander("New course", expanded=not courses, icon=":material/add_circle:"):
    with st.form("crs-new-form", clear_on_submit=True):
        name = st.text_input("Name", max_chars=80, key="crs-name", placeholder="Year 10 · Period 3")
        made = st.form_submit_button("Create the course", type="primary", icon=":material/add:", key="crs-create")
    if not made:
        st.session_state[_REQUEST] = secrets.token_urlsafe(16)
    else:
        try:
            course = create_course(db, name, course_state.now(),
                                   st.session_state.setdefault(_REQUEST, secrets.token_urlsafe(16)))
        except CourseError as e:
            st.error(md(str(e)), icon=":material/error:")
        else:
            st.session_state[_CHOSEN] = course.id
            courses = db.courses()
if not courses:
    st.stop()
by_id = {c.id: c for c in courses}
if st.session_state.get(_CHOSEN) not in by_id:
    st.session_state[_CHOSEN] = courses[0].id
chosen = st.selectbox("Course", list(by_id), key=_CHOSEN, format_func=lambda i: by_id[i].name)
course_admin.show_course(db, by_id[chosen])
