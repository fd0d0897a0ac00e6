"""Join page: a student types the class code from the board (or scans the QR code) and a name.

A browser that already has a seat in the class (its device cookie, ui/browser.py) is welcomed back to it, with a
way out for someone else on the same device; from another device, the seat code shown on the student's own
screen brings them back (sessions/seats.py). A course's class (issue 18) takes the personal code from the
student's card instead of a name (sessions/courses.join_course_class). A browser that entered a code before is
remembered, but a shared school laptop may have the next student at it: before it seats anyone without a code,
the page asks "Are you NAME?" (sessions/courses.to_confirm_for_class); "Not NAME" forgets the browser and asks for
the code. A tab that typed the code, or said "Continue", is not asked again.
"""

from __future__ import annotations

import streamlit as st

from sourcecheck.db.codes import normalise_code
from sourcecheck.sessions.budget import SeatBudget
from sourcecheck.sessions.classes import JoinRefused, reclaim_seat, welcome_back
from sourcecheck.sessions.courses import (
    CourseError,
    NeedsPersonalCode,
    forget,
    join_course_class,
    remember,
    to_confirm_for_class,
)
from sourcecheck.sessions.identity import new_student_token
from sourcecheck.sessions.names import MAX_NAME, same_name
from sourcecheck.ui import browser, class_state, course_state, nav, reconnect, state
from sourcecheck.ui.seat_view import show_are_you, show_welcome_back
from sourcecheck.ui.text import md

_SEATS = "join:seats"  # this tab's SeatBudget: the seats it made in classes
_WELCOME = "join:welcome"  # a typed code whose class this browser has a seat in: welcome back before a new seat
_NOT_ME = "join:not-me"  # class codes for which this tab said "Not NAME?": it joins with its own name
_PERSONAL = "join:personal"  # the class code typed was a course's: ask for the personal code
_ASK = "join:ask"  # a course class's code typed without a personal code, from a remembered browser: "Are you NAME?"
_RETYPE = "join:retype"  # the class code to show again after "Not NAME", with the personal code field
_KNOWN = "course:student"  # the student id this tab typed a code for or said "Continue as" (My course too)


def _join(code: str, name: str, personal: str | None, student: str, device: str | None) -> None:
    """Join the class, from the form or from "Continue as NAME"; a refusal is shown, a seat taken goes to the class.
    A course's class from a remembered browser this tab has not confirmed asks "Are you NAME?" first."""
    try:
        with reconnect.resume_after_outage("join"):
            if not personal and to_confirm_for_class(course_state.store(), code, device,
                                                     st.session_state.get(_KNOWN), course_state.now()) is not None:
                st.session_state[_ASK] = code
                st.rerun()
            session, participant, known = join_course_class(
                course_state.store(), code, student, name, class_state.guesser(),
                st.session_state.setdefault(_SEATS, SeatBudget()), device=device,
                personal_code=personal, now=course_state.now(), checks=course_state.checks())
    except NeedsPersonalCode as e:
        if not st.session_state.get(_PERSONAL):
            st.session_state[_PERSONAL] = True
            st.session_state[_RETYPE] = code
            st.rerun()
        st.error(md(str(e)), icon=":material/badge:")
    except (JoinRefused, CourseError) as e:
        st.error(md(str(e)), icon=":material/error:")
    else:
        st.session_state.pop(_PERSONAL, None)
        st.session_state.pop(_RETYPE, None)
        if known is not None:
            st.session_state[_KNOWN] = known.id
        class_state.take_seat(session, participant)


def _not_me(code: str) -> bool:
    return normalise_code(code) in st.session_state.get(_NOT_ME, set())


student = state.student()
db = state.store()
device = browser.device_id()
st.title("Join a class", anchor=False)
code_in_url = st.query_params.get("code", "")
asked = st.session_state.get(_WELCOME) or code_in_url
found = welcome_back(db, asked, device) if asked and device and not _not_me(asked) else None
if found is not None:
    session, seat = found
    choice = show_welcome_back(session, seat)
    if choice == "continue":
        st.session_state.pop(_WELCOME, None)
        class_state.take_seat(session, seat)
    elif choice == "not me":
        st.session_state.pop(_WELCOME, None)
        st.session_state.setdefault(_NOT_ME, set()).add(session.code)
        st.session_state["student"] = new_student_token()  # not the seat's token: a student of one's own
        st.query_params.pop("s", None)
        st.rerun()
    st.stop()

ask_code = st.session_state.get(_ASK)
if ask_code:  # "Are you NAME?": nothing of theirs, not even a seat, until Continue
    cdb = course_state.store()
    who = to_confirm_for_class(cdb, ask_code, device, st.session_state.get(_KNOWN), course_state.now())
    if who is not None:
        choice = show_are_you(who.display_name, "join")
        if choice == "continue":
            st.session_state.pop(_ASK, None)
            st.session_state[_KNOWN] = who.id
            remember(cdb, who, device, course_state.now())  # used again: kept 30 more days
            st.session_state[_RETYPE] = ask_code  # shown again if the join is refused (a full class)
            _join(ask_code, "", None, student, device)
        elif choice == "not me":
            forget(cdb, device)
            st.session_state.pop(_ASK, None)
            st.session_state[_PERSONAL] = True
            st.session_state[_RETYPE] = ask_code
            st.rerun()
        if st.session_state.get(_ASK):
            st.stop()
    else:
        st.session_state[_RETYPE] = ask_code
    st.session_state.pop(_ASK, None)

if st.session_state.get(_PERSONAL):
    st.info("This class is for a course: type the personal code from your card.", icon=":material/badge:")
else:
    st.markdown("Type the code your teacher shows, and the name the class will know you by.")
with st.form("join-form"):
    code = st.text_input("Class code", value=asked or st.session_state.get(_RETYPE, ""), max_chars=12,
                         key="join-code", placeholder="For example K7M2QX", autocomplete="off")
    personal = None
    if st.session_state.get(_PERSONAL):
        personal = st.text_input("Your personal code (on your card)", max_chars=12, key="join-personal",
                                 placeholder="For example ACDE-FH34", autocomplete="off")
    name = st.text_input("Your name" + (" (not needed with a personal code)" if personal is not None else ""),
                         max_chars=MAX_NAME, key="join-name", placeholder="Your first name", autocomplete="given-name")
    seat_typed = st.text_input("Seat code (optional)", max_chars=12, key="join-seat", autocomplete="off")
    st.caption("Coming back on another device? Type the seat code shown at the top of your class page on the "
               "first one; no name is needed then.")
    joined = st.form_submit_button("Join", type="primary", icon=":material/login:", key="join-submit")
if joined or reconnect.resumed("join"):  # pressed, or pressed while the database was away and now back
    try:
        with reconnect.resume_after_outage("join"):
            if seat_typed.strip():
                class_state.take_seat(*reclaim_seat(db, code, seat_typed, class_state.guesser(), device))
            mine = welcome_back(db, code, device) if device and not _not_me(code) else None
            if mine is not None and not same_name(mine[1].display_name or "", name):
                st.session_state[_WELCOME] = code  # this browser has a seat here: is this its student?
                st.rerun()
    except JoinRefused as e:
        st.error(md(str(e)), icon=":material/error:")
    else:
        _join(code, name, personal, student, device)
st.caption("Nothing else is asked: no e-mail and no account. Your teacher sees your name and your answers.")
st.page_link(nav.COURSE, label="My course", icon=":material/school:")
st.page_link(nav.CATALOG, label="Or practise on your own", icon=":material/menu_book:")
