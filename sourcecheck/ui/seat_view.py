"""A student's own seat on their own screen: "Welcome back", the personal seat code, and the word that the
teacher removed them. Never on the projector: a seat code is the student's way back from another device
(sessions/seats.py), and anyone who read it off the board could take the seat."""

from __future__ import annotations

import threading
from datetime import datetime

import streamlit as st

from sourcecheck.sessions.courses import shows_seat_code
from sourcecheck.sessions.seats import seat_code
from sourcecheck.sessions.store import ClassSessionRow, ParticipantRow
from sourcecheck.ui import course_state, nav
from sourcecheck.ui.text import md

__all__ = ["REMOVED", "show_are_you", "show_removed", "show_seat_code", "show_welcome_back"]

REMOVED = "Your teacher removed you from this class."
# (store, class id, code, created) -> whether its students' pages offer the seat code, for every session of the
# process. Not the id alone: a test database emptied between tests numbers its classes from 1 again.
_OFFERS: dict[tuple[int, int, str, datetime], bool] = {}
_OFFERS_LOCK = threading.Lock()
_OFFERS_MOST = 4096


def show_welcome_back(session: ClassSessionRow, seat: ParticipantRow) -> str | None:
    """This browser already has a seat in the class. "continue": go back to it; "not me": someone else on the
    same device, who joins with their own name; None: neither pressed yet."""
    name = md(seat.display_name or "")
    with st.container(border=True, key="join-welcome"):
        st.header(f"Welcome back, {name}", anchor=False)
        st.markdown(f"This browser already has a seat in class **{session.code}** as **{name}**. "
                    "Your answers are kept: you go on from the question the class is on.")
        if st.button(f"Continue as {name}", type="primary", icon=":material/login:", key="join-continue",
                     width="stretch"):
            return "continue"
        if st.button(f"Not {name}? Join with your own name", key="join-not-me", icon=":material/person_add:",
                     width="stretch"):
            return "not me"
    return None


def show_are_you(name: str, key: str) -> str | None:
    """A browser remembered from a personal code (a course, issue 18), in a tab that has not said who it is: a
    shared school laptop may have the next student at it. "continue": it is them; "not me": forget this browser
    and type one's own code; None: neither pressed yet (nothing of theirs is shown meanwhile)."""
    shown = md(name)
    with st.container(border=True, key=f"{key}-are-you"):
        st.header(f"Are you {shown}?", anchor=False)
        st.markdown(f"This browser remembers **{shown}** from their personal code. If you are someone else, it "
                    "forgets them and you type the code from your own card.")
        if st.button(f"Continue as {shown}", type="primary", icon=":material/login:", key=f"{key}-continue",
                     width="stretch"):
            return "continue"
        if st.button(f"Not {shown}? Type your own code", key=f"{key}-not-me", icon=":material/badge:",
                     width="stretch"):
            return "not me"
    return None


def show_seat_code(session: ClassSessionRow, seat: ParticipantRow) -> None:
    """Small, on the student's own page: the code that brings them back to this seat from another device. Not in a
    course's class (sessions/courses.shows_seat_code): there the personal code on the student's card does that."""
    if not _offers_seat_code(session):
        return
    st.caption(f"Your seat code: **{seat_code(session.id, seat.token)}**. On another device, type it with the "
               "class code to come back to your seat and your answers.")


def show_removed() -> None:
    st.warning(REMOVED, icon=":material/person_remove:")
    st.page_link(nav.JOIN, label="Join a class", icon=":material/login:")


def _offers_seat_code(session: ClassSessionRow) -> bool:
    """Read once per class and process, not on every run of every student's page (after a teacher's click, all of
    them rerun at once). A class's course link never changes once a student can see it: every path that makes a
    course's class links it before it hands the class to anyone (sessions/courses.py start_check and
    start_booster, the Classes page right after Start). Only deleting the course drops the link, and that class's
    seats still have no seat code to show."""
    store = course_state.store()
    key = (id(store), session.id, session.code, session.created_at)
    offered = _OFFERS.get(key)
    if offered is None:
        offered = shows_seat_code(store, session)
        with _OFFERS_LOCK:
            if len(_OFFERS) >= _OFFERS_MOST:
                _OFFERS.clear()
            _OFFERS[key] = offered
    return offered
