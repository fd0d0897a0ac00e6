"""Teacher page: start a class on a lesson, show its join code and QR code, and close or delete classes."""

from __future__ import annotations

import secrets

import streamlit as st

from sourcecheck.classroom.class_list import PACING, class_list
from sourcecheck.lessons.curriculum import curriculum_order
from sourcecheck.sessions.classes import DEFAULT_MAX_STUDENTS, DEFAULT_OPEN_DAYS, MOST_STUDENTS, OPEN_DAYS, start_class
from sourcecheck.ui import class_admin, course_state, state, teacher_nav

_REQUEST = "cls-request-key"  # this form's submission: see below

teacher_nav.menu()
st.title("Classes", anchor=False)
db = course_state.store()
courses = {c.id: c.name for c in db.courses()}  # a class may belong to a course (issue 18)
library = state.library()
classes = class_list(db)  # one query for the table and the chooser below
with st.expander("Start a class", expanded=not classes, icon=":material/add_circle:"):
    with st.form("cls-start-form"):
        lessons = {lesson.id: lesson for lesson in curriculum_order(library.lessons)}  # as the catalog lists them
        chosen = st.selectbox("Lesson", list(lessons), key="cls-lesson",
                              format_func=lambda i: f"{lessons[i].lesson.title} ({lessons[i].lesson.level})")
        pacing = st.radio("Pacing", ["teacher", "self"], key="cls-pacing", format_func=PACING.get,
                          captions=["Everyone sees the same question; you move the class on and reveal the answers.",
                                    "Each student works alone, for homework; the same code works until the class "
                                    "closes."])
        open_days = st.selectbox("A self-paced class stays open for", OPEN_DAYS, key="cls-open-days",
                                 index=OPEN_DAYS.index(DEFAULT_OPEN_DAYS),
                                 format_func=lambda d: "1 day" if d == 1 else f"{d // 7} weeks" if d > 7 else "1 week",
                                 help="Then it closes by itself, so its code stops working. A teacher-paced class "
                                      "closes at midnight. You can close either sooner by hand.")
        course = st.selectbox("Course", [None, *courses], key="cls-course", format_func=lambda i: "None: a one-off "
                              "class, students type a name" if i is None else f"{courses[i]}: students use their code"
                              ) if courses else None
        show_names = st.checkbox("Show students' names on the projector", value=False, key="cls-names")
        most = st.number_input("Most students", min_value=1, max_value=MOST_STUDENTS, value=DEFAULT_MAX_STUDENTS,
                               step=1, key="cls-max", help="You can raise it later, on this page.")
        started = st.form_submit_button("Start the class", type="primary", icon=":material/play_arrow:",
                                        key="cls-start")
    if not started:
        # A new submission starts here. Runs that repeat one (a double click: every click is a run with the
        # button pressed, and no run without it comes between) keep this key and get the same class back.
        st.session_state[_REQUEST] = secrets.token_urlsafe(16)
    elif chosen:
        session = start_class(db, lessons[chosen], pacing="self" if pacing == "self" else "teacher",
                              show_names=show_names, open_days=open_days, max_students=int(most),
                              submission=st.session_state.setdefault(_REQUEST, secrets.token_urlsafe(16)))
        if course is not None:
            db.link_class(session.id, course)
        class_admin.select(session.id)
        classes = class_list(db)  # with the new class
class_admin.show_sessions(db, classes)
