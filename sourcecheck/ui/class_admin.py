"""The teacher's list of classes, and for the chosen one: its code, join URL, QR code, actions and students."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from sourcecheck.classroom.class_list import PACING, class_list, classes_frame
from sourcecheck.render.qr import qr_png
from sourcecheck.sessions.classes import MOST_STUDENTS, set_max_students
from sourcecheck.sessions.public_url import join_url, public_url
from sourcecheck.sessions.store import ClassSessionRow, ClassSummaryRow, ParticipantRow, Store
from sourcecheck.ui import reconnect, teacher_nav
from sourcecheck.ui.text import md, md_link

__all__ = ["PACING", "select", "show_join_panel", "show_sessions", "show_students"]

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
    students = {c.session.id: c.students for c in classes}
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
    show_students(db, by_id[chosen], students[chosen])


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
            st.page_link(teacher_nav.REMOTE, label="Class remote", icon=":material/settings_remote:",
                         query_params={"session": str(session.id)})
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



_REMOVING = "cls-removing"  # the participant id whose removal the teacher is asked to confirm
_STUDENTS = "cls-students"  # the Students panel: open or closed


def show_students(db: Store, session: ClassSessionRow, count: int) -> None:
    """Who is in the chosen class (`count`: how many, from the class list), each with Remove: for a student who
    left, a duplicate, or someone who should not be there. Removing asks first, and offers to keep the student's
    answers in the results or delete them. The list is read only while it is open: the page stays one query."""
    panel = st.expander(f"Students ({count})", icon=":material/groups:", key=_STUDENTS, on_change="rerun")
    if not panel.open:
        return
    people = db.participants(session.id)
    seated = [p for p in people if not p.removed]
    with panel:
        if not seated:
            st.markdown("No one has joined yet." if not people else "No student is in the class now.")
        for person in seated:
            with st.container(horizontal=True, vertical_alignment="center", key=f"cls-student-{person.id}"):
                st.markdown(md(person.display_name or ""))
                st.button("Remove", key=f"cls-rm-{person.id}", icon=":material/person_remove:",
                          on_click=_ask_removal, args=(person.id,))
            if st.session_state.get(_REMOVING) == person.id:
                _confirm_removal(db, session, person)
        gone = [md(p.display_name or "") for p in people if p.removed]
        if gone:
            st.markdown(f"Removed: {', '.join(gone)}. Their answers are still in the results.")


def _confirm_removal(db: Store, session: ClassSessionRow, person: ParticipantRow) -> None:
    name = md(person.display_name or "")
    with st.container(border=True, key=f"cls-rm-confirm-{person.id}"):
        st.warning(f"Remove **{name}** from class {session.code}? Their screen says so at its next update and "
                   "takes no more answers; their seat code and their browser no longer find the seat. Their "
                   "answers stay in the results unless you delete them too.", icon=":material/person_remove:")
        with st.container(horizontal=True):
            st.button("Remove", key=f"cls-rm-yes-{person.id}", type="primary", on_click=_remove,
                      args=(db, session.id, person.id, False))
            st.button("Remove and delete their answers", key=f"cls-rm-erase-{person.id}", icon=":material/delete:",
                      on_click=_remove, args=(db, session.id, person.id, True))
            st.button("Cancel", key=f"cls-rm-no-{person.id}", on_click=_ask_removal, args=(None,))


def _ask_removal(participant_id: int | None) -> None:
    st.session_state[_REMOVING] = participant_id


@reconnect.saving
def _remove(db: Store, session_id: int, participant_id: int, delete_answers: bool) -> None:
    db.remove_participant(session_id, participant_id, delete_answers=delete_answers)
    st.session_state.pop(_REMOVING, None)
