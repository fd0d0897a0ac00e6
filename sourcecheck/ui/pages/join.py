"""Join page: a student types the class code from the board (or scans the QR code) and a name."""

from __future__ import annotations

import streamlit as st

from sourcecheck.sessions.budget import SeatBudget
from sourcecheck.sessions.classes import JoinRefused, join_class
from sourcecheck.sessions.names import MAX_NAME
from sourcecheck.ui import class_state, nav, reconnect, state, style

_SEATS = "join:seats"  # this tab's SeatBudget: the seats it made in classes

style.apply()
student = state.student()
st.title("Join a class", anchor=False)
st.markdown("Type the code your teacher shows, and the name the class will know you by.")
code_in_url = st.query_params.get("code", "")
with st.form("join-form"):
    code = st.text_input("Class code", value=code_in_url, max_chars=12, key="join-code",
                         placeholder="For example K7M2QX", autocomplete="off")
    name = st.text_input("Your name", max_chars=MAX_NAME, key="join-name", placeholder="Your first name",
                         autocomplete="given-name")
    joined = st.form_submit_button("Join", type="primary", icon=":material/login:", key="join-submit")
if joined or reconnect.resumed("join"):  # pressed, or pressed while the database was away and now back
    try:
        with reconnect.resume_after_outage("join"):
            session, participant = join_class(state.store(), code, student, name, class_state.guesser(),
                                              st.session_state.setdefault(_SEATS, SeatBudget()))
    except JoinRefused as e:
        st.error(str(e), icon=":material/error:")
    else:
        class_state.remember(session.code)
        st.switch_page(nav.CLASS, query_params={"c": session.code, "s": student})
st.caption("Nothing else is asked: no e-mail and no account. Your teacher sees your name and your answers.")
st.page_link(nav.CATALOG, label="Or practise on your own", icon=":material/menu_book:")
