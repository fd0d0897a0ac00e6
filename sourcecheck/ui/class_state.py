"""Which class this browser tab is in, and the live poll that keeps a student's screen with the teacher.

The class code travels in the URL (`?c=`) and in session_state (page switches clear the URL);
everything else (the question on, who joined, the answers) is read from the database each run.
"""

from __future__ import annotations

import time

import streamlit as st

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.sessions.classes import ClassLessonMissing, JoinRefused, class_lesson, find_class
from sourcecheck.sessions.store import ClassSessionRow, LiveState, Store
from sourcecheck.ui import state
from sourcecheck.ui.text import md

__all__ = ["LIVE_TTL", "POLL_SECONDS", "code", "find", "follow", "lesson", "live_state", "remember"]

POLL_SECONDS = 1.0  # a student's screen follows the teacher within about a second
LIVE_TTL = 0.3  # seconds a process reuses a class's live row for all its students
_LIVE: dict[int, tuple[float, LiveState | None]] = {}
_CODE = "class:code"
_JOINED = "class:joined"


def remember(class_code: str) -> None:
    """After a join: this tab's class, whose code is no longer a guess on later reruns."""
    st.session_state[_CODE] = st.session_state[_JOINED] = class_code


def find(db: Store, class_code: str, student: str) -> ClassSessionRow:
    """The open class this tab is in. A code from a link that this tab has not joined goes through the guess
    limit (raising JoinRefused), as a code typed on the join page does: the URL is no way around it."""
    if st.session_state.get(_JOINED) == class_code:
        session = db.session_by_code(class_code)
        if session is None:
            raise JoinRefused("the class has ended")
        return session
    return find_class(db, class_code, student)


def code() -> str | None:
    from_url = st.query_params.get("c")
    if from_url:
        st.session_state[_CODE] = from_url
    value = st.session_state.get(_CODE)
    return value if isinstance(value, str) and value else None


def lesson(db: Store, session: ClassSessionRow) -> LoadedLesson:
    """The lesson version the class started on; if it can no longer load, say so and stop."""
    try:
        return class_lesson(db, session, state.library_cache().catalog)
    except ClassLessonMissing as e:
        st.error(f"This class's lesson cannot be shown: {md(str(e))}. Ask your teacher.", icon=":material/error:")
        st.stop()


def live_state(db: Store, session_id: int) -> LiveState | None:
    """The class's live row, read at most once per LIVE_TTL by this process for all its students: 30 students
    polling every second cost one query, not 30. Every process still reads it from the database."""
    now = time.monotonic()
    held = _LIVE.get(session_id)
    if held is not None and now - held[0] < LIVE_TTL:
        return held[1]
    value = db.live_state(session_id)
    _LIVE[session_id] = (now, value)
    return value


@st.fragment(run_every=POLL_SECONDS)
def follow(session_id: int, version: int) -> None:
    """Runs in the browser's timer once a second: one cached read of the class's row, and a whole-page rerun
    only when the teacher has changed something (next question, reveal, end). It draws nothing."""
    live = live_state(state.store(), session_id)
    if live is None or live.version != version:
        st.rerun(scope="app")
