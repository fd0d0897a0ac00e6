"""The teacher's list of classes, and for the chosen one: its code, join URL, QR code and actions."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from sourcecheck.classroom.class_list import PACING, class_list, classes_frame
from sourcecheck.render.qr import qr_png
from sourcecheck.sessions.classes import MOST_STUDENTS, set_max_students
from sourcecheck.sessions.public_url import join_url, public_url
from sourcecheck.sessions.store import ClassSessionRow, ClassSummaryRow, Store
from sourcecheck.ui import reconnect, teacher_nav
from sourcecheck.ui.text import md_link

__all__ = ["PACING", "select", "show_join_panel", "show_sessions"]

_SELECTED = "cls-selected"
_CHOOSER = "cls-choose"


def select(session_id: int) -> None:
    """Show this class's code next (a new class): the chooser's own state must change, not just its default."""
    st.session_state[_SELECTED] = session_id
    st.session_state[_CHOOSER] = session_id


def show_sessions(db: Store, classes: Sequence[ClassSummaryRow] | None = None) -> None:
    """The classes table and the chosen class's panel; `classes` is the class list if the page read it already."""
    classes = class_list(db) if classes is None else classes
    if not classes:
        st.info("No classes yet. Start one above.", icon=":material/groups:")
        return
    by_id = {c.session.id: c.session for c in classes}
    selected = st.session_state.get(_SELECTED)
    if selected not in by_id:
        selected = classes[0].session.id
    st.header("Your classes", anchor=False)
    st.dataframe(classes_frame(classes), hide_index=True, width="stretch")
    if st.session_state.get(_CHOOSER) not in by_id:
        st.session_state[_CHOOSER] = selected
    chosen = st.selectbox("Class", list(by_id), key=_CHOOSER,
                          format_func=lambda i: f"{by_id[i].code} · {by_id[i].lesson_id} · {by_id[i].status}")
    st.session_state[_SELECTED] = chosen
    show_join_panel(db, by_id[chosen])


def show_join_panel(db: Store, session: ClassSessionRow) -> None:
    url = public_url(int(st.get_option("server.port")))
    link = join_url(url.base, session.code)
    with st.container(border=True, key="cls-join"):
        if session.status == "closed":
            st.warning(f"Class {session.code} is closed: its code no longer works.", icon=":material/lock:")
        else:
            qr, words = st.columns([1, 2], vertical_alignment="center")
            qr.image(qr_png(link), caption="Scan to join", width="stretch",  # never wider than its column
                     alt=f"QR code of the join address, {link}")
            words.markdown(f"### Join code\n# `{session.code}`")
            words.markdown(f"Students open {md_link(link)} and type the code.")
            if not url.reachable:
                words.warning("This machine has no network address that students' devices can reach. Set "
                              "SOURCECHECK_PUBLIC_URL to the address they use (see docs/deploy.md).")
        with st.container(horizontal=True):
            teacher_nav.projector_link(session.id)  # a new tab, signed in by the teacher cookie
            st.page_link(teacher_nav.DASHBOARD, label="Results", icon=":material/monitoring:",
                         query_params={"session": str(session.id)})
        _actions(db, session)


def _actions(db: Store, session: ClassSessionRow) -> None:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        if session.status == "open":
            st.button("Close the class", key=f"cls-close-{session.id}", icon=":material/lock:",
                      on_click=_close, args=(db, session.id))
            st.number_input("Most students", min_value=1, max_value=MOST_STUDENTS, value=session.max_students,
                            step=1, key=f"cls-max-{session.id}", on_change=_set_max, args=(db, session.id),
                            width=150, help="Joins beyond this many are refused; a student already in the "
                                            "class always gets back in.")
        sure = st.checkbox("Delete it and all its answers", key=f"cls-sure-{session.id}")
        st.button("Delete", key=f"cls-delete-{session.id}", icon=":material/delete:", disabled=not sure,
                  on_click=_delete, args=(db, session.id))


@reconnect.saving
def _close(db: Store, session_id: int) -> None:
    db.close_session(session_id)


@reconnect.saving
def _set_max(db: Store, session_id: int) -> None:
    set_max_students(db, session_id, int(st.session_state[f"cls-max-{session_id}"]))


@reconnect.saving
def _delete(db: Store, session_id: int) -> None:
    db.delete_session(session_id)
    st.session_state.pop(_SELECTED, None)

