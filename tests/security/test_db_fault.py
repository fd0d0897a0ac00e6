"""Issue 17, finding 2 (and finding 6's two tabs): a click while the database is away is never shown as done, never
shows a traceback or SQL, and is stored once when the database is back; a tab that loses a race to another tab of
the same student is told which answer was kept. The browser walks (PostgreSQL stopped, SQLite locked) are in
test_db_fault_browser.py."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from ui_helpers import alerts, assert_no_leak, fill, join_as, open_quiz, page_text, progress_of, submit

from sourcecheck.db import SqlStore, open_store
from sourcecheck.grading.describe import describe_response
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import SingleQuestion
from sourcecheck.sessions.store import AnswerRow, StoreUnavailable
from sourcecheck.ui import reconnect
from sourcecheck.ui.db_notice import MESSAGE, NOT_SAVED, WAITING

LESSON = "raqqa-who-says"


@pytest.fixture(scope="module")
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found




def test_a_submit_while_the_database_is_away_is_kept_and_stored_once_when_it_is_back(
        lesson: LoadedLesson, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store gives up (StoreUnavailable) during Submit: the page says 'not saved yet', shows no feedback and
    no error; once the database answers, the retry stores the same answer once and only then shows the feedback."""
    real = SqlStore.record_answer
    calls: list[bool] = []
    down = [True]

    def record_answer(self: SqlStore, answer: AnswerRow) -> bool:
        calls.append(down[0])
        if down[0]:
            raise StoreUnavailable("the database did not answer for 10 s")
        return real(self, answer)

    monkeypatch.setattr(SqlStore, "record_answer", record_answer)
    monkeypatch.setattr(reconnect, "RETRY_EVERY", 0.0)  # AppTest fires no timers: the retry runs in each page run
    at = open_quiz(LESSON, token="db-fault-submit-token-1")
    progress = progress_of(at, LESSON)
    question = lesson.lesson.questions[0]
    fill(at, lesson, progress, question, "right")
    submit(at, progress, question)
    assert not at.exception, "Streamlit's error display (a traceback with the SQL) instead of a message"
    shown = page_text(at)
    assert_no_leak(shown)
    assert NOT_SAVED in alerts(at)
    assert "Correct" not in alerts(at), "feedback shown for an answer that is not stored"
    assert progress.attempt.answers == {}
    at.run()  # still away: still not saved, still no feedback
    assert NOT_SAVED in alerts(at) and "Correct" not in alerts(at) and not at.exception
    tries = len(calls)
    down[0] = False
    at.run()  # the database is back: the kept Submit is stored, then the page shows its feedback
    assert not at.exception
    assert len(calls) == tries + 1, "the kept answer was not sent again exactly once"
    assert alerts(at).startswith("Correct"), alerts(at)
    assert NOT_SAVED not in alerts(at)
    assert list(progress.attempt.answers) == [question.id]
    rows = [a for a in open_store_of_app().answers(progress.participant_id, LESSON) if a.question_id == question.id]
    assert len(rows) == 1
    at.run()
    assert alerts(at).startswith("Correct") and len(calls) == tries + 1  # nothing sent again


def open_store_of_app() -> SqlStore:
    from sourcecheck.ui import state
    return state.store()  # type: ignore[return-value]


@pytest.mark.parametrize("handler", ["next"])
def test_a_next_while_the_database_is_away_is_kept_and_done_when_it_is_back(
        lesson: LoadedLesson, monkeypatch: pytest.MonkeyPatch, handler: str) -> None:
    real = SqlStore.mark_moved_on
    down = [True]

    def mark_moved_on(self: SqlStore, *args: object) -> bool:
        if down[0]:
            raise StoreUnavailable("the database did not answer for 10 s")
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(SqlStore, "mark_moved_on", mark_moved_on)
    monkeypatch.setattr(reconnect, "RETRY_EVERY", 0.0)
    at = open_quiz(LESSON, token="db-fault-next-token-01")
    progress = progress_of(at, LESSON)
    question = lesson.lesson.questions[0]
    fill(at, lesson, progress, question, "wrong")
    submit(at, progress, question)
    at.button(key=f"{LESSON}:1:{question.id}:next").click().run()
    assert not at.exception
    assert_no_leak(page_text(at))
    assert NOT_SAVED in alerts(at)
    down[0] = False
    at.run()
    assert not at.exception
    assert progress.current() == lesson.lesson.questions[1].id
    assert "Question 2 of" in at.get("progress")[0].proto.text


def test_no_message_claims_answers_are_kept() -> None:
    for text in (MESSAGE, NOT_SAVED, WAITING):
        assert "kept" not in text and "saved." not in text.replace("Not saved", "")


def test_error_details_are_never_sent_to_the_browser() -> None:
    config = (Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text()
    assert 'showErrorDetails = "none"' in config


def test_two_tabs_the_losing_tab_is_told_which_answer_was_kept(lesson: LoadedLesson) -> None:
    token = "two-tabs-one-token-0001"
    first, second = open_quiz(LESSON, token=token), open_quiz(LESSON, token=token)
    question = lesson.lesson.questions[0]
    assert isinstance(question, SingleQuestion)
    progress = progress_of(first, LESSON)
    fill(first, lesson, progress, question, "right")
    fill(second, lesson, progress, question, "wrong")
    submit(first, progress, question)
    submit(second, progress, question)
    assert not second.exception
    right = next(i for i, o in enumerate(question.options) if o.correct)
    kept = describe_response(lesson.bound(question.id), right)
    assert f"Another tab answered this question first; this is the answer that was kept: {kept}" in alerts(second)
    assert len(progress.attempt.answers) == 1 and progress.attempt.answers[question.id].response == right
    second.run()  # said once, on the run right after the refusal
    assert "Another tab answered" not in alerts(second)
    assert "moved on" not in alerts(second)


def _read_only_store(tmp_path: Path) -> SqlStore:
    """A database SQLite refuses to write. chmod 0444 does not bind root (these tests may run as root), so each
    connection is made read-only by SQLite itself (query_only), which fails every write with the error a
    read-only file gives: "attempt to write a readonly database"."""
    store = open_store(f"sqlite:///{tmp_path / 'ro.db'}")
    store.engine.dispose()

    def read_only(connection: Any, _record: Any) -> None:
        connection.execute("PRAGMA query_only=1")

    event.listen(store.engine, "connect", read_only)
    store.retry_seconds = 0.5
    return store


def test_a_read_only_database_is_logged_once_with_its_cause(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = _read_only_store(tmp_path)
    caplog.set_level(logging.WARNING, logger="sourcecheck.db")
    with pytest.raises(StoreUnavailable):
        store.solo_participant("read-only-token-00001")
    assert store.live_state(0) is None  # reads still answer: the outage goes on until the writes do
    with pytest.raises(StoreUnavailable):
        store.solo_participant("read-only-token-00001")
    said = [r for r in caplog.records if r.name == "sourcecheck.db"]
    warnings = [r for r in said if r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in said]  # once per outage, not once per retry
    assert "read-only" in warnings[0].getMessage()
    assert any(r.levelno == logging.ERROR and "read-only" in r.getMessage() for r in said)
    assert not any("INSERT" in r.getMessage() for r in said)


@pytest.mark.parametrize(("driver_error", "cause"), [
    (sqlite3.OperationalError("database is locked"), "locked by another process"),
    (sqlite3.OperationalError("database or disk is full"), "disk is full"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
    (ConnectionRefusedError("connection refused"), "refused"),
])
def test_each_fault_is_named_by_its_cause(driver_error: Exception, cause: str) -> None:
    from sourcecheck.db.store import database_fault
    assert cause in database_fault(OperationalError("INSERT INTO answers ...", {}, driver_error))


def test_two_tabs_in_a_class_say_which_answer_was_kept_and_no_stale_late_warning(
        lesson: LoadedLesson, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Finding 6: one token, two tabs, both Submit on the class's question. One row is stored; the losing tab
    says which answer was kept, and never later says the teacher had moved on (it was not late)."""
    from teacher_helpers import use_passcode
    from test_classroom_pages import projector, start_class

    use_passcode(monkeypatch, tmp_path)
    _, code = start_class()
    token = "two-tabs-class-token-0001"
    first, second = join_as(code, "Cy", token), join_as(code, "Cy", token)
    late = join_as(code, "Di", "two-tabs-class-late-00001")
    screen = projector(open_store_of_app(), code)
    screen.button(key="pj-next").click().run()  # question 1
    for tab in (first, second, late):
        tab.run()
    question = lesson.lesson.questions[0]
    progress = progress_of(first, LESSON)
    fill(first, lesson, progress, question, "right")
    fill(second, lesson, progress, question, "wrong")
    submit(first, progress, question)
    submit(second, progress, question)
    assert not second.exception
    right = next(i for i, o in enumerate(question.options) if o.correct)  # type: ignore[union-attr]
    kept = describe_response(lesson.bound(question.id), right)
    assert f"this is the answer that was kept: {kept}" in alerts(second)
    assert "moved on" not in alerts(second)
    assert len(progress.attempt.answers) == 1

    late_progress = progress_of(late, LESSON)
    fill(late, lesson, late_progress, question, "right")
    screen.button(key="pj-next").click().run()  # the teacher moves on before Di presses Submit
    submit(late, late_progress, question)
    assert "Your teacher had already moved on" in alerts(late)  # said at once, for that refusal

    for tab in (first, second, late):
        tab.run()
        assert "moved on" not in alerts(tab), "a stale 'moved on' warning on the next question"


def test_a_join_while_the_database_is_away_is_sent_again_when_it_is_back(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from streamlit.testing.v1 import AppTest
    from teacher_helpers import use_passcode
    from test_classroom_pages import start_class
    from ui_helpers import APP, TIMEOUT

    from sourcecheck.ui import nav

    use_passcode(monkeypatch, tmp_path)
    _, code = start_class()
    real, down = SqlStore.join, [True]

    def join(self: SqlStore, *args: Any, **kwargs: Any) -> Any:
        if down[0]:
            raise StoreUnavailable("the database did not answer for 10 s")
        return real(self, *args, **kwargs)

    real_live = SqlStore.live_state

    def live_state(self: SqlStore, session_id: int) -> Any:  # the whole database away: the probe fails too
        if down[0]:
            raise StoreUnavailable("the database did not answer for 10 s")
        return real_live(self, session_id)

    monkeypatch.setattr(SqlStore, "join", join)
    monkeypatch.setattr(SqlStore, "live_state", live_state)
    monkeypatch.setattr(reconnect, "RETRY_EVERY", 0.0)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["code"] = code
    at.query_params["s"] = "join-while-away-token-01"
    at.switch_page(nav.JOIN)
    at.run()
    at.text_input(key="join-name").input("Eve")
    at.button(key="join-submit").click().run()
    assert not at.exception
    assert_no_leak(page_text(at))
    assert NOT_SAVED in alerts(at) and "You are in" not in alerts(at)
    session = open_store_of_app().session_by_code(code)
    assert session is not None and open_store_of_app().participants(session.id) == []
    down[0] = False
    at.run()  # the database answers: the page sends the join again by itself
    assert not at.exception
    assert [p.display_name for p in open_store_of_app().participants(session.id)] == ["Eve"]


@pytest.mark.parametrize(("button", "method"), [("pj-next", "set_position"), ("pj-reveal", "reveal")])
def test_the_teachers_buttons_while_the_database_is_away(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, button: str, method: str) -> None:
    from teacher_helpers import use_passcode
    from test_classroom_pages import projector, start_class

    use_passcode(monkeypatch, tmp_path)
    _, code = start_class()
    db = open_store_of_app()
    screen = projector(db, code)
    if button == "pj-reveal":
        screen.button(key="pj-next").click().run()
    real, down = getattr(SqlStore, method), [True]

    def away(self: SqlStore, *args: Any) -> Any:
        if down[0]:
            raise StoreUnavailable("the database did not answer for 10 s")
        return real(self, *args)

    monkeypatch.setattr(SqlStore, method, away)
    monkeypatch.setattr(reconnect, "RETRY_EVERY", 0.0)
    session = db.session_by_code(code)
    assert session is not None
    before = db.live_state(session.id)
    screen.button(key=button).click().run()
    assert not screen.exception
    assert_no_leak(page_text(screen))
    assert NOT_SAVED in alerts(screen)
    assert db.live_state(session.id) == before  # nothing done, nothing shown as done
    down[0] = False
    screen.run()
    assert not screen.exception
    after = db.live_state(session.id)
    assert after is not None and before is not None
    assert (after.revealed if button == "pj-reveal" else after.current_index == before.current_index + 1)
    assert after.version == before.version + 1  # done once
