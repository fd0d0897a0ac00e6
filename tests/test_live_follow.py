"""Issue 21, the page side of push: what each live page mounts in each SOURCECHECK_LIVE mode (AppTest).

Push (the default): the student's class page, the projector and the remote each mount the live subscriber (the
class's "state" topic for the student; "room" for the counts on the projector and the remote) with the event
route's URL and the version the page drew, and no fragment runs on a timer (no auto_rerun message is sent). Poll
(SOURCECHECK_LIVE=poll): no subscriber, and the same fragments as before push, every POLL_SECONDS. The 0.3 s cache
of a class's live row never hides a change the event hub has heard of. The component's own markup shows nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from component_html import parsed
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import join_as

from sourcecheck.db import SqlStore, open_store
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.changes import HUB
from sourcecheck.sessions.classes import move, start_class
from sourcecheck.sessions.event_tokens import Topic, read_token
from sourcecheck.ui import class_state, live_view, teacher_nav

LESSON = "raqqa-who-says"
LIVE = Path(live_view.__file__).parent / "live"


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture
def db() -> SqlStore:
    return open_store(os.environ["DATABASE_URL"])


@pytest.fixture
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


@pytest.fixture
def timers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The run_every interval of every fragment the app scripts draw (Streamlit's auto_rerun messages)."""
    seen: list[float] = []
    enqueue = ScriptRunContext.enqueue

    def record(self: ScriptRunContext, msg: ForwardMsg) -> None:
        if msg.HasField("auto_rerun"):
            seen.append(msg.auto_rerun.interval)
        enqueue(self, msg)

    monkeypatch.setattr(ScriptRunContext, "enqueue", record)
    yield seen


def subscribers(at: AppTest) -> dict[str, dict[str, Any]]:
    """Each live subscriber on the page: its key and the data it was given."""
    found = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name == live_view.COMPONENT:
            found[element.key or ""] = json.loads(element.proto.json)
    return found


def a_class(db: SqlStore, lesson: LoadedLesson) -> tuple[int, str]:
    session = start_class(db, lesson, pacing="teacher")
    return session.id, session.code


def teacher_page(page: str, session_id: int) -> AppTest:
    at = signed_in(page)
    at.query_params["session"] = str(session_id)
    at.run()
    assert not at.exception, at.exception
    return at


def topic_of(data: dict[str, Any]) -> Topic | None:
    path, token = str(data["url"]).split("?t=", 1)
    assert path == "/_sc/events"
    return read_token(token)


def test_push_mode_mounts_the_subscriber_and_no_timer(db: SqlStore, lesson: LoadedLesson, timers: list[float],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCECHECK_LIVE", raising=False)
    session_id, code = a_class(db, lesson)
    student = join_as(code, "Ana", "token-ana-000000000001")
    live = db.live_state(session_id)
    assert live is not None
    state = subscribers(student)
    assert list(state) == [f"sc-live-state-{session_id}"]
    data = state[f"sc-live-state-{session_id}"]
    assert topic_of(data) == Topic("state", session_id)
    assert data["drawn"] == live.version
    assert data["poll_ms"] == round(class_state.POLL_SECONDS * 1000)
    assert data["poll"] is False

    projector = teacher_page(teacher_nav.PROJECTOR, session_id)  # the lobby: "N joined"
    keys = subscribers(projector)
    assert set(keys) == {f"sc-live-state-{session_id}", f"sc-live-room-{session_id}"}
    assert topic_of(keys[f"sc-live-room-{session_id}"]) == Topic("room", session_id)
    assert keys[f"sc-live-room-{session_id}"]["drawn"] == (HUB.current(Topic("room", session_id)) or 0)

    move(db, session_id, lesson, 0)  # the first question: "N of M answered"
    projector.run()
    assert set(subscribers(projector)) == {f"sc-live-state-{session_id}", f"sc-live-room-{session_id}"}
    remote = teacher_page(teacher_nav.REMOTE, session_id)
    assert set(subscribers(remote)) == {f"sc-live-room-{session_id}"}
    assert "1 of 1 answered" not in str(remote)  # (nothing answered yet) the page drew
    assert timers == [], "a page ran a fragment on a timer in push mode"


def test_poll_mode_is_today_s_polling(db: SqlStore, lesson: LoadedLesson, timers: list[float],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCECHECK_LIVE", "poll")
    session_id, code = a_class(db, lesson)
    student = join_as(code, "Ben", "token-ben-000000000002")
    assert subscribers(student) == {}
    assert timers and set(timers) == {class_state.POLL_SECONDS}
    projector = teacher_page(teacher_nav.PROJECTOR, session_id)
    assert subscribers(projector) == {}
    move(db, session_id, lesson, 0)
    projector.run()
    remote = teacher_page(teacher_nav.REMOTE, session_id)
    assert subscribers(remote) == {}
    assert set(timers) == {class_state.POLL_SECONDS}
    assert len(timers) >= 6  # student (follow), projector lobby (joined, follow), question (answered, follow), remote


def test_a_cached_row_older_than_a_heard_change_is_read_again(db: SqlStore, lesson: LoadedLesson,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The 0.3 s cache, filled just before the teacher's commit, must not hide it from the pages it wakes."""
    monkeypatch.setattr(class_state, "LIVE_TTL", 3600.0)  # as if every read below came within the cache's life
    session_id, _ = a_class(db, lesson)
    before = class_state.live_state(db, session_id, fresh=True)
    assert before is not None
    move(db, session_id, lesson, 0)
    after = db.live_state(session_id)
    assert after is not None and after.version > before.version
    HUB.publish(Topic("state", session_id), after.version)  # what the db layer does after the commit
    got = class_state.live_state(db, session_id)
    assert got is not None and got.version == after.version
    # and a row as new as the hub's version is still shared, not read again per student
    calls: list[int] = []
    real = db.live_state
    monkeypatch.setattr(db, "live_state", lambda i: calls.append(i) or real(i))
    class_state.live_state(db, session_id)
    assert calls == []


def test_the_subscriber_shows_nothing() -> None:
    """Its markup is one hidden, empty element: nothing to see, nothing announced, nothing to focus."""
    page = parsed(LIVE / "live.html")
    assert [(tag, attrs) for tag, attrs in page.elements] == [("span", {"class": "sc-live", "hidden": ""})]
    assert "display: none" in (LIVE / "live.css").read_text(encoding="utf-8")
    js = (LIVE / "live.js").read_text(encoding="utf-8")
    for call in ("fetch(", "XMLHttpRequest", "innerHTML", "alert(", "textContent"):
        assert call not in js, f"live.js uses {call}"
