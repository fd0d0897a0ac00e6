"""A student's own seat on their own screen: "Welcome back", the personal seat code, and the word that the
teacher removed them. Never on the projector: a seat code is the student's way back from another device
(sessions/seats.py), and anyone who read it off the board could take the seat."""

from __future__ import annotations

import streamlit as st

from sourcecheck.sessions.seats import seat_code
from sourcecheck.sessions.store import ClassSessionRow, ParticipantRow
from sourcecheck.ui import nav
from sourcecheck.ui.text import md

__all__ = ["REMOVED", "show_removed", "show_seat_code", "show_welcome_back"]

REMOVED = "Your teacher removed you from this class."


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


def show_seat_code(session: ClassSessionRow, seat: ParticipantRow) -> None:
    """Small, on the student's own page: the code that brings them back to this seat from another device."""
    st.caption(f"Your seat code: **{seat_code(session.id, seat.token)}**. On another device, type it with the "
               "class code to come back to your seat and your answers.")


def show_removed() -> None:
    st.warning(REMOVED, icon=":material/person_remove:")
    st.page_link(nav.JOIN, label="Join a class", icon=":material/login:")
