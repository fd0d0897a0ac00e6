"""Class page: a student's view of the class they joined (teacher-paced live, or self-paced homework).

In a class there are no retries, and feedback is held: in a self-paced class until the teacher closes it, in
a teacher-paced one until each reveal (sessions/solo.py says why). A closed class shows its summary to the
student who joined it (their token is in the link: after a reload too); a deleted one says so.
"""

from __future__ import annotations

import streamlit as st

from sourcecheck.sessions.classes import JoinRefused, TooManyGuesses
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui import class_state, nav, state
from sourcecheck.ui.class_view import show_gone, show_if_closed, show_live
from sourcecheck.ui.quiz_view import show_quiz
from sourcecheck.ui.seat_view import show_removed, show_seat_code

student = state.student()
code = class_state.code()
if code is None:
    st.info("Join a class with the code your teacher shows.", icon=":material/login:")
    st.page_link(nav.JOIN, label="Join a class", icon=":material/login:")
    st.stop()
db = state.store()
if not class_state.joined_here(code) and show_if_closed(db, code, student):  # a reload, the link again: no guess
    st.stop()
try:
    session = class_state.find(db, code, student)
except TooManyGuesses as e:
    st.error(str(e), icon=":material/timer:")
    st.stop()
except JoinRefused:
    if not show_if_closed(db, code, student):  # closed while this tab was open: the student sees how they did
        show_gone(joined=class_state.joined_here(code))
    st.stop()
participant = class_state.participant(db, session.id, student)
if participant is None:
    st.switch_page(nav.JOIN, query_params={"code": session.code})
if participant.removed:  # the teacher removed this student: seen at the next update, and no answer is taken
    show_removed()
    st.stop()
class_state.remember(session.code)
state.set_url(c=session.code, s=student)
show_seat_code(session, participant)
lesson = class_state.lesson(db, session)
progress = Progress.load(db, lesson, participant.id, student, retries=False)
if session.pacing == "self":
    show_quiz(lesson, progress, held=True, on_screen=lambda: class_state.open_question(db, session.id, progress))
    live = class_state.live_state(db, session.id)
    if live is not None and progress.current() is None:  # waiting at the end: moves on when the class closes
        class_state.follow(session.id, live.version)
else:
    show_live(db, session, lesson, progress, participant)
