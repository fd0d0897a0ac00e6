"""Class page: a student's view of the class they joined (teacher-paced live, or self-paced homework)."""

from __future__ import annotations

import streamlit as st

from sourcecheck.sessions.classes import JoinRefused, TooManyGuesses
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui import class_state, nav, state, style
from sourcecheck.ui.class_view import show_live
from sourcecheck.ui.quiz_view import show_quiz

style.apply()
student = state.student()
code = class_state.code()
if code is None:
    st.info("Join a class with the code your teacher shows.", icon=":material/login:")
    st.page_link(nav.JOIN, label="Join a class", icon=":material/login:")
    st.stop()
db = state.store()
try:
    session = class_state.find(db, code, student)
except TooManyGuesses as e:
    st.error(str(e), icon=":material/timer:")
    st.stop()
except JoinRefused:
    st.warning("This class has ended, or the code is not right. Answers you gave are saved; your teacher has them.",
               icon=":material/event_busy:")
    st.page_link(nav.JOIN, label="Join another class", icon=":material/login:")
    st.stop()
participant = class_state.participant(db, session.id, student)
if participant is None:
    st.switch_page(nav.JOIN, query_params={"code": session.code})
class_state.remember(session.code)
state.set_url(c=session.code, s=student)
lesson = class_state.lesson(db, session)
progress = Progress.load(db, lesson, participant.id, student)
if session.pacing == "self":
    show_quiz(lesson, progress)
else:
    show_live(db, session, lesson, progress, participant)
