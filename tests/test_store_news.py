"""The database tells the process's pages what changed (db/news.py, db/listen.py): after every commit that moves a
class's state version its "state" number (and its "room"); after a join, a removal or an answer its "room"; a
deleted class a number greater than any it had; nothing after a rollback. SQLite publishes in-process after the
commit; PostgreSQL through NOTIFY and this process's listener thread."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

import sourcecheck.db.listen as listen_module
import sourcecheck.db.news as news
from sourcecheck.db import SqlStore
from sourcecheck.grading.scoring import Score
from sourcecheck.sessions.changes import Changes, Topic
from sourcecheck.sessions.store import AnswerRow, ClassFull

HASH = "0" * 64
WAIT = 10.0


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Changes:
    """A hub of the test's own (class ids restart in each PostgreSQL test), for the store and its listener."""
    fresh = Changes()
    monkeypatch.setattr(news, "HUB", fresh)
    monkeypatch.setattr(listen_module, "HUB", fresh)
    return fresh


@pytest.fixture
def db(store: SqlStore, hub: Changes) -> Iterator[SqlStore]:
    if store.engine.dialect.name == "postgresql":  # this store's listener (others may be for servers now gone)
        assert listen_module.listen(store.engine).connected.wait(WAIT)
    yield store


def until(condition: Callable[[], bool]) -> None:
    """Wait for the condition (the listener's thread publishes a moment after the commit), at most WAIT s."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "the change never reached the hub"
        time.sleep(0.005)


def a_class(store: SqlStore) -> int:
    digest = store.save_lesson_version("lesson", "id: lesson\n")
    return store.create_session("lesson", digest, pacing="teacher").id


def answer(participant: int, question: str = "q1", response: object = 0) -> AnswerRow:
    return AnswerRow(participant_id=participant, lesson_id="lesson", lesson_hash=HASH, attempt=1,
                     question_id=question, response=response, earned=1.0, possible=1,  # type: ignore[arg-type]
                     verdict="correct", confidence=75, time_taken_ms=1200, submitted_at=datetime.now(UTC))


def state_of(store: SqlStore, session_id: int) -> int:
    live = store.live_state(session_id)
    assert live is not None
    return live.version


def test_every_move_publishes_the_version_pages_read(db: SqlStore, hub: Changes) -> None:
    sid = a_class(db)
    state, room = Topic("state", sid), Topic("room", sid)
    moves: list[Callable[[], object]] = [
        lambda: db.set_position(sid, 0, "q1"), lambda: db.reveal(sid), lambda: db.set_timer(sid, 30),
        lambda: db.extend_timer(sid, state_of(db, sid), 15), lambda: db.set_position(sid, 1, "q2"),
        lambda: db.close_session(sid)]
    for move in moves:
        rooms = hub.current(room) or 0
        assert move()
        version = state_of(db, sid)
        until(lambda: hub.current(state) == version)  # noqa: B023 -- read at once, in this iteration
        until(lambda: (hub.current(room) or 0) > rooms)  # noqa: B023 -- read at once, in this iteration


def test_a_join_a_removal_and_an_answer_move_the_room(db: SqlStore, hub: Changes) -> None:
    sid = a_class(db)
    state, room = Topic("state", sid), Topic("room", sid)
    version = state_of(db, sid)
    ana = db.join(sid, "token-ana-aaaaaaaaaaaaaaaa", "Ana")
    until(lambda: hub.current(room) is not None)
    assert state_of(db, sid) == version  # a join moves no state version (a late notice of an earlier test's class
    # with the same id may still reach this hub: ids start again in each test's database)
    before = hub.current(room) or 0
    assert db.record_answer(answer(ana.id))
    until(lambda: (hub.current(room) or 0) > before)
    before = hub.current(room) or 0
    ben = db.join(sid, "token-ben-bbbbbbbbbbbbbbbb", "Ben")
    until(lambda: (hub.current(room) or 0) > before)
    assert db.remove_participant(sid, ben.id)
    version = state_of(db, sid)
    until(lambda: hub.current(state) == version)


def test_solo_practice_and_repeats_tell_nobody(db: SqlStore, hub: Changes) -> None:
    sid = a_class(db)
    ana = db.join(sid, "token-ana-aaaaaaaaaaaaaaaa", "Ana")
    assert db.record_answer(answer(ana.id))
    until(lambda: len(hub.known("room")) == 1)
    solo = db.solo_participant("token-solo-cccccccccccccccc")
    assert db.record_answer(answer(solo))
    marker = a_class(db)  # a later commit that does tell: once it arrived, anything before it did too
    db.set_position(marker, 0, "q1")
    until(lambda: hub.current(Topic("state", marker)) is not None)
    assert sorted(hub.known("room")) == sorted([sid, marker])  # the solo answer told nobody


def test_a_rolled_back_join_publishes_nothing(db: SqlStore, hub: Changes) -> None:
    sid = a_class(db)
    db.set_max_students(sid, 1)
    db.join(sid, "token-ana-aaaaaaaaaaaaaaaa", "Ana")
    until(lambda: hub.current(Topic("room", sid)) is not None)
    before = hub.current(Topic("room", sid))
    with pytest.raises(ClassFull):
        db.join(sid, "token-ben-bbbbbbbbbbbbbbbb", "Ben")
    marker = a_class(db)
    db.set_position(marker, 0, "q1")
    until(lambda: hub.current(Topic("state", marker)) is not None)
    assert hub.current(Topic("room", sid)) == before


def test_a_deleted_class_publishes_more_than_it_ever_had(db: SqlStore, hub: Changes) -> None:
    sid = a_class(db)
    db.set_position(sid, 0, "q1")
    last = state_of(db, sid)
    until(lambda: hub.current(Topic("state", sid)) == last)
    assert db.delete_session(sid)
    until(lambda: (hub.current(Topic("state", sid)) or 0) > last + 1)  # more than a past-closing-time read too


def test_a_first_score_of_a_written_answer_moves_the_state(db: SqlStore, hub: Changes) -> None:
    sid = a_class(db)
    ana = db.join(sid, "token-ana-aaaaaaaaaaaaaaaa", "Ana")
    db.record_answer(answer(ana.id, "q-why", "Because"))
    [row] = db.written_answers([sid], "q-why")
    db.save_written_score(row.answer_id, "first", "MK", [1], "", Score(1.0, 1, "correct"), None, "key-1")
    version = state_of(db, sid)
    assert version > 1
    until(lambda: hub.current(Topic("state", sid)) == version)


def test_the_listener_s_catch_up_reads_every_open_class_in_one_query(postgres_url: str, hub: Changes) -> None:
    """What a listener does after its connection was down (NOTIFYs sent meanwhile are lost): one read of every open
    class's version, and of the classes this process knew (closed or deleted since), into the hub."""
    import psycopg
    from sqlalchemy import update

    from sourcecheck.db import open_store
    from sourcecheck.db.tables import class_sessions

    store = open_store(postgres_url)
    try:
        moved, closed, deleted, past = (a_class(store) for _ in range(4))
        hub.publish(Topic("state", closed), 1)
        hub.publish(Topic("state", deleted), 1)
        store.set_position(moved, 0, "q1")
        store.close_session(closed)
        store.delete_session(deleted)
        with store.engine.begin() as c:  # its closing time has passed: it reads as closed, one on
            c.execute(update(class_sessions).where(class_sessions.c.id == past)
                      .values(closes_at=datetime(2000, 1, 1, tzinfo=UTC)))
        fresh = Changes()  # as if every NOTIFY above had been lost
        fresh.publish(Topic("state", closed), 1)
        fresh.publish(Topic("state", deleted), 1)
        listener = listen_module.Listener(store.engine.url.set(drivername="postgresql")
                                          .render_as_string(hide_password=False))
        with pytest.MonkeyPatch.context() as patch, psycopg.connect(listener.conninfo, autocommit=True) as conn:
            patch.setattr(listen_module, "HUB", fresh)
            listener.catch_up(conn)
        assert fresh.current(Topic("state", moved)) == state_of(store, moved) == 2
        assert fresh.current(Topic("state", closed)) == state_of(store, closed) == 2
        assert fresh.current(Topic("state", past)) == state_of(store, past) == 2
        assert fresh.current(Topic("state", deleted)) == 3  # more than it ever had
        assert all(fresh.current(Topic("room", n)) for n in (moved, closed, past))
    finally:
        store.engine.dispose()


def a_course(store: SqlStore) -> tuple[int, int, str]:
    """A course with one student; returns (course id, student id, the student's token)."""
    now = datetime.now(UTC)
    course = store.create_course("9B", now, now.replace(year=now.year + 1), "course-key").id
    token = "token-student-dddddddddddddddd"
    assert store.add_student(course, "Dee", "dee", "c" * 64, token, now)
    [student] = store.students(course)
    return course, student.id, token


def test_deleting_a_course_tells_its_classes_pages(db: SqlStore, hub: Changes) -> None:
    """A course deleted (or purged at its retention date) deletes its classes: a page following one looks again
    and finds it gone, as after delete_session; a one-off class the student also sat in counts one fewer."""
    course, student, token = a_course(db)
    sid, other = a_class(db), a_class(db)
    assert db.link_class(sid, course)
    db.set_position(sid, 0, "q1")
    last = state_of(db, sid)
    until(lambda: hub.current(Topic("state", sid)) == last)
    seat = db.join(other, token, "Dee")
    until(lambda: hub.current(Topic("room", other)) is not None)
    room = hub.current(Topic("room", other)) or 0
    assert seat and student
    assert db.delete_course(course)
    until(lambda: (hub.current(Topic("state", sid)) or 0) > last + 1)
    until(lambda: (hub.current(Topic("room", other)) or 0) > room)
    assert hub.current(Topic("state", other)) is None  # the one-off class itself did not change


def test_deleting_a_student_moves_the_rooms_they_sat_in(db: SqlStore, hub: Changes) -> None:
    course, student, token = a_course(db)
    sid = a_class(db)
    assert db.link_class(sid, course)
    seat = db.join(sid, token, "Dee")
    assert db.seat_student(seat.id, student)
    until(lambda: hub.current(Topic("room", sid)) is not None)
    room = hub.current(Topic("room", sid)) or 0
    assert db.delete_student(student)
    until(lambda: (hub.current(Topic("room", sid)) or 0) > room)


def test_the_writing_process_tells_its_own_pages_at_commit(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only through the listener: a change committed while this process's listener is away (reconnecting after
    an outage, when a NOTIFY reaches no one) is in the hub the moment the write returns, on either database."""
    own, listeners_only = Changes(), Changes()
    monkeypatch.setattr(news, "HUB", own)
    monkeypatch.setattr(listen_module, "HUB", listeners_only)  # whatever the listener delivers goes elsewhere
    sid = a_class(store)
    assert store.set_position(sid, 0, "q1")
    assert own.current(Topic("state", sid)) == state_of(store, sid)  # no wait: published after the COMMIT
    assert (own.current(Topic("room", sid)) or 0) > 0
