"""Which class this browser tab is in, and the live follower that keeps a student's screen with the teacher.

The class code travels in the URL (`?c=`) and in session_state (page switches clear the URL);
everything else (the question on, who joined, the answers) is read from the database each run.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import replace

import streamlit as st

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.sessions.changes import HUB
from sourcecheck.sessions.classes import ClassLessonMissing, JoinRefused, class_lesson, find_class, seated
from sourcecheck.sessions.event_tokens import Topic
from sourcecheck.sessions.guesses import Guesser
from sourcecheck.sessions.live_mode import live_mode
from sourcecheck.sessions.progress import Progress
from sourcecheck.sessions.store import ClassSessionRow, LiveState, ParticipantRow, Store
from sourcecheck.ui import live_view, nav, reconnect, state, streamlit_internals
from sourcecheck.ui.text import md

__all__ = ["LIVE_TTL", "POLL_SECONDS", "code", "ended", "find", "follow", "guesser", "joined_here", "lesson",
           "live_state", "open_question", "participant", "remember", "take_seat"]

POLL_SECONDS = live_view.POLL_SECONDS  # a polling screen follows the teacher within about this long
LIVE_TTL = 0.3  # seconds a process reuses a class's live row for all its students
_LIVE: dict[int, tuple[float, LiveState | None]] = {}
_CODE = "class:code"
_JOINED = "class:joined"
_TAB = "class:tab"  # this tab's guesser id
_ENDED = "class:ended"


def remember(class_code: str) -> None:
    """After a join: this tab's class, whose code is no longer a guess on later reruns."""
    st.session_state[_CODE] = st.session_state[_JOINED] = class_code


def find(db: Store, class_code: str, student: str) -> ClassSessionRow:
    """The open class this tab is in. A tab that joined it, or a student whose token already belongs to it (a
    reload, a reconnect after a restart, a second tab), is never limited; any other code from a link goes
    through the guess limits (raising JoinRefused), as a code typed on the join page does."""
    if st.session_state.get(_JOINED) == class_code:
        session = _joined_session(db, class_code)
        if session is None:
            raise JoinRefused("the class has ended")
        return session
    return find_class(db, class_code, guesser(), student)


def joined_here(class_code: str) -> bool:
    """This tab has been in the class with this code (not only typed it): when the class is gone, it was deleted."""
    return st.session_state.get(_JOINED) == class_code


def guesser() -> Guesser:
    """Who is guessing, as the server knows it: a random id made here for the tab's Streamlit session, kept
    in its session_state (server-side: no widget has that key, so no client can set it; a new websocket is a
    new session and a new id), and the client address (behind a proxy on this machine, the address it
    forwarded: Streamlit's server, uvicorn, reads X-Forwarded-For only from the addresses in
    FORWARDED_ALLOW_IPS, by default loopback; docs/deploy.md). Not st.runtime's own session id: AppTest gives
    every test session the same one."""
    tab = st.session_state.get(_TAB)
    if not isinstance(tab, str):
        tab = st.session_state[_TAB] = secrets.token_hex(16)
    return Guesser(tab, st.context.ip_address or "loopback")


def _joined_session(db: Store, class_code: str) -> ClassSessionRow | None:
    """The joined class's row, read once per tab: what changes in it (open or closed, the question on) is in
    the live state, which the poll reads anyway, so a closed or deleted class is still seen on the next run.
    A herd of reruns after the teacher clicks Next saves a query per student."""
    key = f"class:session:{class_code}"
    held = st.session_state.get(key)
    if isinstance(held, ClassSessionRow):
        live = live_state(db, held.id)
        if live is not None and live.status == "open":
            return held
        del st.session_state[key]
        if live is not None:  # closed, not deleted: this tab may still show the student how they did
            st.session_state[_ENDED] = held
        return None
    row = db.session_by_code(class_code)
    if row is not None:
        st.session_state[key] = row
    return row


def ended(class_code: str) -> ClassSessionRow | None:
    """The class this tab joined under `class_code`, once it has been closed (not deleted): its student sees
    how they did. Only a tab that joined it gets it: a code alone finds no closed class."""
    held = st.session_state.get(_ENDED)
    return held if isinstance(held, ClassSessionRow) and held.code == class_code else None


def open_question(db: Store, session_id: int, progress: Progress) -> str | None:
    """In a self-paced class, read at Submit: the question on the student's screen while the class is open,
    None once it is closed (a tab left open on a question stores nothing after the summaries show the key)."""
    live = db.live_state(session_id)
    if live is None or live.status != "open" or not seated(db, session_id, progress.student):
        return None  # closed, or the teacher removed this student
    return progress.current()


def participant(db: Store, session_id: int, token: str) -> ParticipantRow | None:
    """This tab's participant row, read again only when the class's state version moved (the teacher acted:
    a move, a reveal, or removing a student), not on every rerun of every student. A row that was there and is
    gone now (the teacher removed the student with their answers) comes back marked removed, so the tab says
    so instead of offering a new join."""
    key = f"class:participant:{session_id}:{token}"
    live = live_state(db, session_id)
    version = None if live is None else live.version
    held = st.session_state.get(key)
    if isinstance(held, tuple) and isinstance(held[0], ParticipantRow) and held[1] == version:
        return held[0]
    row = db.participant(session_id, token)
    if row is None and isinstance(held, tuple) and isinstance(held[0], ParticipantRow):
        row = replace(held[0], removed=True)
    if row is not None:
        st.session_state[key] = (row, version)
    return row


def take_seat(session: ClassSessionRow, seat: ParticipantRow) -> None:
    """Go on in the class as this seat (one's own, found again by this browser or by a seat code): the tab takes
    the seat's token, whose answers and option order are the student's, and opens the class page."""
    st.session_state["student"] = seat.token
    remember(session.code)
    st.switch_page(nav.CLASS, query_params={"c": session.code, "s": seat.token})


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


def live_state(db: Store, session_id: int, *, fresh: bool = False) -> LiveState | None:
    """The class's live row, read at most once per LIVE_TTL by this process for all its students: 30 students
    following a class cost one query, not 30. Every process still reads it from the database. `fresh`: read
    it now (the page a student is shown), and let the other students' runs reuse that read. A row held from
    before a change this process has heard of (the event hub's version for the class is newer) is read again:
    a cache filled a moment before the teacher's commit never hides it from the pages the change woke up."""
    now = time.monotonic()
    held = _LIVE.get(session_id)
    if not fresh and held is not None and now - held[0] < LIVE_TTL and not _older(held[1], session_id):
        return held[1]
    value = db.live_state(session_id)
    _LIVE[session_id] = (now, value)
    return value


def _older(live: LiveState | None, session_id: int) -> bool:
    heard = HUB.current(Topic("state", session_id))
    return live is not None and heard is not None and live.version < heard


def follow(session_id: int, version: int) -> None:
    """Keeps a page with its class: a whole-page rerun when the teacher has changed something (next question,
    reveal, timer, end, a removed student), drawn with the class's state `version`. It draws nothing. Pushed
    (the live subscriber reruns it when the class's version rises) unless SOURCECHECK_LIVE=poll, where it runs
    on the browser's timer every POLL_SECONDS, as before push."""
    if live_mode() == "poll":
        _poll(session_id, version)
    else:
        _pushed(session_id, version)


@st.fragment(run_every=POLL_SECONDS)
def _poll(session_id: int, version: int) -> None:
    """Once a POLL_SECONDS: one cached read of the class's row, and a whole-page rerun when it moved on."""
    if not streamlit_internals.fragment_rerun():
        return  # run with its page, which has just read the row and drawn `version`
    with reconnect.guard(retry=False):  # the database away: say so, and the next tick tries again
        _look(session_id, version)


@st.fragment
def _pushed(session_id: int, version: int) -> None:
    """Runs with the page, and again only when the subscriber says the class's version rose (or, while the event
    route cannot be reached, on its fallback timer). A run that could not read the database mounts the
    subscriber polling until one can: no push would come to say that the database is back. Run with its page,
    which has just read the row and drawn `version`, it reads nothing (one query less per page per change)."""
    read = not streamlit_internals.fragment_rerun()
    if not read:
        with reconnect.guard(retry=False):
            _look(session_id, version)
            read = True
    live_view.follow_changes(Topic("state", session_id), version, key=f"sc-live-state-{session_id}",
                             poll=not read)


def _look(session_id: int, version: int) -> None:
    live = live_state(state.store(), session_id)
    if live is None or live.version != version:
        st.rerun(scope="app")
