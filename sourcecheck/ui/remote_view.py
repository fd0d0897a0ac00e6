"""The class remote: the teacher's own laptop or phone (390 px wide), not the projector.

The projector is what the class sees, so it names nobody unless the teacher chose it. The remote is for the
teacher's eyes: the question on screen in a line, "N of M answered", who has not answered yet by name (who has,
folded away), and the same Previous / Reveal / Next as the projector, through the same sessions-layer calls, so
either screen can drive the class and the other follows at once (or within a poll, SOURCECHECK_LIVE=poll).
"""

from __future__ import annotations

from html import escape

import streamlit as st

from sourcecheck.classroom.class_list import class_list
from sourcecheck.classroom.remote import roll_call
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.sessions.changes import HUB
from sourcecheck.sessions.classes import LOBBY, Phase, move, phase
from sourcecheck.sessions.event_tokens import Topic
from sourcecheck.sessions.live_mode import live_mode
from sourcecheck.sessions.params import session_id_param
from sourcecheck.sessions.store import ClassSessionRow, Store
from sourcecheck.ui import class_state, live_view, reconnect, state, teacher_nav
from sourcecheck.ui.text import md

__all__ = ["CSS", "chosen_session", "show"]

_SESSION = "teacher:remote-session"  # a teacher: key, so signing out forgets it with the rest
_SHORT = 140  # characters of a question's prompt the remote shows: enough to know which one is on

CSS = """
.rm-where{font-size:1rem;font-weight:600;color:#111;margin:0}
.rm-prompt{font-size:1.05rem;line-height:1.4;color:#111;margin:.2rem 0 0 0;overflow-wrap:anywhere}
.rm-count{font-size:2rem;line-height:1.2;font-weight:800;color:#000;margin:.2rem 0}
ul.rm-names{list-style:none;padding:0;margin:.3rem 0 0 0;display:flex;flex-wrap:wrap;gap:.4rem}
ul.rm-names li{margin:0;padding:.15rem .65rem;border:1px solid #555862;border-radius:1rem;font-size:1.05rem;color:#111;
  overflow-wrap:anywhere}
.rm-none{font-size:1.05rem;color:#111;margin:.3rem 0 0 0}
.st-key-rm-controls button{min-height:2.9rem}
"""


def chosen_session(db: Store) -> ClassSessionRow | None:
    """The class in the URL (?session=, as the projector's), or this tab's; with neither, or when that class has
    closed, the open teacher-paced class. With several open, a chooser stays on top to switch between them. The
    remote is found by opening /remote on the phone: it needs no link typed in."""
    wanted = session_id_param(st.query_params.get("session") or st.session_state.get(_SESSION))
    session = db.session(wanted) if wanted is not None else None
    running = {c.session.id: c.session for c in class_list(db)
               if c.session.status == "open" and c.session.pacing == "teacher"}
    if session is None or session.status == "closed":
        if session is not None and not running:
            return session  # closed, and no other to drive: the page says so
        if not running:
            st.info("No teacher-paced class is open. Start one on the Classes page; this page then drives it.",
                    icon=":material/groups:")
            st.page_link(teacher_nav.CLASSES, label="Classes", icon=":material/groups:")
            return None
        if session is not None:
            st.info(f"Class {session.code} is closed.", icon=":material/lock:")
        session = next(iter(running.values()))  # the newest
    if len(running) > 1 and session.id in running:
        st.session_state["rm-choose"] = session.id  # the URL says which; a choice here changes the URL first
        st.selectbox("Class", list(running), key="rm-choose", on_change=_switch,
                     format_func=lambda i: f"{running[i].code} · {running[i].lesson_id}")
    st.session_state[_SESSION] = str(session.id)
    st.query_params["session"] = str(session.id)
    return session


def _switch() -> None:
    st.session_state[_SESSION] = st.query_params["session"] = str(st.session_state["rm-choose"])


def show(db: Store, session: ClassSessionRow) -> None:
    lesson = class_state.lesson(db, session)  # the version the class started on
    live = class_state.live_state(db, session.id, fresh=True)
    st.caption(f"Class {session.code} · {md(lesson.lesson.title)}")
    if live is None:
        st.warning("This class has been deleted.", icon=":material/delete:")
        return
    if session.pacing == "self":
        st.info("This class is self-paced: each student goes at their own pace, so there is nothing to move on. "
                "Its answers are on the Results page.", icon=":material/self_improvement:")
        return
    now = phase(live, lesson)
    _question(lesson, now)
    _controls(db, session, lesson, live.current_index, now)
    _answers(session.id, lesson, live.version)


def _question(lesson: LoadedLesson, now: Phase) -> None:
    if now.kind == "question" and now.question_id is not None:
        prompt = lesson.question(now.question_id).prompt
        short = prompt if len(prompt) <= _SHORT else prompt[:_SHORT].rsplit(" ", 1)[0] + "…"
        shown = " · answers shown" if now.revealed else ""
        st.html(f'<p class="rm-where">Question {now.number} of {now.total}{shown}</p>'
                f'<p class="rm-prompt">{escape(short)}</p>')
    elif now.kind == "lobby":
        st.html(f'<p class="rm-where">Waiting to start · {now.total} questions</p>')
    elif now.kind == "finished":
        st.html('<p class="rm-where">That was the last question.</p>')
        st.markdown("Close the class on the Classes page when you are done: each student then sees how they did.")
    else:
        st.html('<p class="rm-where">This class is closed.</p>')


def _answers(session_id: int, lesson: LoadedLesson, version: int) -> None:
    """The count and the names, redrawn on every rise of the class's room (a join, an answer, a move: pushed),
    or every POLL_SECONDS with SOURCECHECK_LIVE=poll. When the class moved on (here or on the projector) the
    whole page redraws."""
    if live_mode() == "poll":
        _answers_polled(session_id, lesson, version)
    else:
        _answers_pushed(session_id, lesson, version)


@st.fragment(run_every=class_state.POLL_SECONDS)
def _answers_polled(session_id: int, lesson: LoadedLesson, version: int) -> None:
    with reconnect.guard(retry=False):
        _answers_now(session_id, lesson, version)


@st.fragment
def _answers_pushed(session_id: int, lesson: LoadedLesson, version: int) -> None:
    room = Topic("room", session_id)
    drawn = HUB.current(room) or 0  # before the reads: a rise during them reruns this again
    read = False
    with reconnect.guard(retry=False):
        _answers_now(session_id, lesson, version)
        read = True
    live_view.follow_changes(room, drawn, key=f"sc-live-room-{session_id}", poll=not read)


def _answers_now(session_id: int, lesson: LoadedLesson, version: int) -> None:
    """The class's row (shared with its students' reads) and the count, one row each; the names only when the
    count moved."""
    db = state.store()
    live = class_state.live_state(db, session_id)
    if live is None or live.version != version:
        st.rerun(scope="app")
    now = phase(live, lesson)
    if now.kind not in ("lobby", "question"):
        return
    roll = roll_call(db, session_id, version, now.question_id)
    if now.kind == "lobby":
        st.html(f'<p class="rm-count" role="status">{roll.joined} joined</p>')
        _names(roll.waiting, "Nobody has joined yet.")
        return
    st.html(f'<p class="rm-count" role="status">{roll.answered} of {roll.joined} answered</p>')
    st.header("Not answered yet", anchor=False)
    _names(roll.waiting, "Everyone who joined has answered." if roll.joined else "Nobody has joined yet.")
    with st.expander(f"Answered ({roll.answered})", key="rm-answered"):
        _names(roll.done, "Nobody yet.")


def _names(names: tuple[str, ...], empty: str) -> None:
    if not names:
        st.html(f'<p class="rm-none">{escape(empty)}</p>')
        return
    st.html('<ul class="rm-names">' + "".join(f"<li>{escape(name)}</li>" for name in names) + "</ul>")


def _controls(db: Store, session: ClassSessionRow, lesson: LoadedLesson, index: int, now: Phase) -> None:
    """The projector's three buttons, on the same calls: a reveal is one-way, so its button stays off after."""
    last = len(lesson.lesson.questions)
    with st.container(horizontal=True, key="rm-controls"):
        st.button("Previous", key="rm-prev", icon=":material/arrow_back:", disabled=index <= LOBBY or now.kind ==
                  "closed", on_click=_move, args=(db, session.id, lesson, index - 1))
        if now.kind == "question":
            st.button("Reveal", key="rm-reveal", icon=":material/visibility:", disabled=now.revealed,
                      help="Show the answers on the projector and the phones. A question stays revealed.",
                      on_click=_reveal_now, args=(db, session.id), type="secondary" if now.revealed else "primary")
        label = "Start" if index == LOBBY else "Finish" if index == last - 1 else "Next"
        st.button(label, key="rm-next", icon=":material/arrow_forward:", disabled=index >= last or now.kind ==
                  "closed", on_click=_move, args=(db, session.id, lesson, index + 1),
                  type="primary" if now.kind != "question" or now.revealed else "secondary")


@reconnect.saving
def _move(db: Store, session_id: int, lesson: LoadedLesson, index: int) -> None:
    move(db, session_id, lesson, index)


@reconnect.saving
def _reveal_now(db: Store, session_id: int) -> None:
    db.reveal(session_id)
