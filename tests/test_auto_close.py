"""Forgotten classes close by themselves, so few join codes are live for a guesser at any time: a teacher-paced
class at the end of its day, a self-paced one after the days its teacher picked. Past that moment the code finds
no class, the class's screens read it as closed (and redraw), and the teacher's buttons change nothing; on SQLite
and PostgreSQL, with the store's clock moved, never slept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from teacher_helpers import signed_in, use_passcode

from sourcecheck.db import SqlStore
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.classes import (
    DEFAULT_OPEN_DAYS,
    LIVE_LESSON_HOURS,
    JoinRefused,
    closing_time,
    find_class,
    start_class,
)
from sourcecheck.sessions.guesses import Guesser
from sourcecheck.ui import teacher_nav

LESSON = "raqqa-who-says"
STARTED = datetime(2030, 3, 4, 9, 30, tzinfo=UTC)


def test_a_teacher_paced_class_closes_at_the_end_of_its_day() -> None:
    for started in (STARTED, STARTED.replace(hour=21), STARTED.replace(hour=23, minute=50)):
        closes = closing_time("teacher", started)
        local = closes.astimezone()
        assert (local.hour, local.minute, local.second) == (0, 0, 0)  # a midnight of the server's time zone
        assert timedelta(hours=LIVE_LESSON_HOURS) <= closes - started <= timedelta(hours=24 + LIVE_LESSON_HOURS)


def test_a_self_paced_class_closes_after_the_days_the_teacher_picked() -> None:
    assert closing_time("self", STARTED) == STARTED + timedelta(days=DEFAULT_OPEN_DAYS)
    assert closing_time("self", STARTED, 1) == STARTED + timedelta(days=1)


def test_past_its_closing_time_a_class_is_closed_everywhere(store: SqlStore, library: Library) -> None:
    lesson = library.get(LESSON)
    assert lesson is not None
    session = start_class(store, lesson, pacing="self", open_days=7, now=STARTED)
    store.clock = lambda: STARTED + timedelta(days=6, hours=23)
    assert store.session_by_code(session.code) is not None
    before = store.live_state(session.id)
    assert before is not None and before.status == "open"

    store.clock = lambda: STARTED + timedelta(days=7, seconds=1)
    assert store.session_by_code(session.code) is None  # the code finds nothing: one less to guess
    with pytest.raises(JoinRefused):
        find_class(store, session.code, Guesser(session="tab-1", address="198.51.100.4"))
    after = store.live_state(session.id)
    assert after is not None and after.status == "closed"
    assert after.version != before.version  # every screen of the class redraws and shows it has ended
    assert not store.set_position(session.id, 0, "q1") and not store.reveal(session.id)
    row = store.session(session.id)
    assert row is not None and row.status == "closed" and row.closed_at == STARTED + timedelta(days=7)
    listed = next(c for c in store.class_summaries() if c.session.id == session.id)
    assert listed.session.status == "closed"


def test_the_classes_page_says_when_each_open_class_closes(monkeypatch: pytest.MonkeyPatch, tmp_path: object,
                                                           library: Library) -> None:
    use_passcode(monkeypatch, tmp_path)  # type: ignore[arg-type]
    at = signed_in(teacher_nav.CLASSES)
    at.selectbox(key="cls-lesson").set_value(LESSON)
    at.radio(key="cls-pacing").set_value("self")
    at.selectbox(key="cls-open-days").set_value(7)
    at.button(key="cls-start").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "Closes" in table.columns
    newest = table.iloc[0]
    started = datetime.strptime(newest["Started"], "%Y-%m-%d %H:%M")
    closes = datetime.strptime(newest["Closes"], "%Y-%m-%d %H:%M")
    assert timedelta(days=7) - timedelta(minutes=1) <= closes - started <= timedelta(days=7, minutes=1)
