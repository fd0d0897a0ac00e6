"""The database store on SQLite and on a real PostgreSQL server: idempotent writes, classes, codes, deletion."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from db_helpers import migration_head
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError

from sourcecheck.db import DatabaseUnavailable, SqlStore, open_store
from sourcecheck.db.codes import ALPHABET, CODE_LENGTH, normalise_code
from sourcecheck.db.engine import MAX_OVERFLOW_ENV, POOL_SIZE_ENV, make_engine
from sourcecheck.db.migrate import upgrade
from sourcecheck.db.tables import metadata
from sourcecheck.sessions.store import AnswerRow

HASH = "0" * 64
_EXAMPLES = itertools.count()


def answer(participant: int, question: str = "q1", response: object = 0, attempt: int = 1) -> AnswerRow:
    return AnswerRow(participant_id=participant, lesson_id="lesson", lesson_hash=HASH, attempt=attempt,
                     question_id=question, response=response, earned=1.0, possible=1,  # type: ignore[arg-type]
                     verdict="correct", confidence=75, time_taken_ms=1200, submitted_at=datetime.now(UTC))


def a_class(store: SqlStore, pacing: str = "teacher") -> int:
    digest = store.save_lesson_version("lesson", "id: lesson\n")
    return store.create_session("lesson", digest, pacing=pacing).id  # type: ignore[arg-type]


def test_an_answer_is_stored_once(store: SqlStore) -> None:
    pid = store.solo_participant("token-aaaaaaaaaaaaaaaa")
    assert store.record_answer(answer(pid)) is True
    assert store.record_answer(answer(pid, response=1)) is False  # double click, second tab, retry
    [row] = store.answers(pid, "lesson")
    assert (row.response, row.confidence, row.time_taken_ms, row.verdict) == (0, 75, 1200, "correct")
    assert row.stored_at is not None and row.stored_at.tzinfo is not None


def test_eight_threads_submitting_at_once_store_one_answer(store: SqlStore) -> None:
    pid = store.solo_participant("token-bbbbbbbbbbbbbbbb")
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def submit(n: int) -> None:
        barrier.wait()
        results.append(store.record_answer(answer(pid, response=n)))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1
    assert len(store.answers(pid, "lesson")) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["q1", "q2", "q3"]), st.integers(1, 2),
                          st.integers(0, 3)), max_size=30))
def test_no_sequence_of_submissions_stores_two_answers_for_one_question(store: SqlStore,
                                                                        steps: list[tuple[int, str, int, int]]) -> None:
    run = next(_EXAMPLES)  # the store outlives one example: every example gets students of its own
    tokens = [f"property-{run:06d}-{n}-token" for n in range(3)]
    pids = [store.solo_participant(t) for t in tokens]
    first: dict[tuple[int, str, int], int] = {}
    for who, question, attempt, response in steps:
        stored = store.record_answer(answer(pids[who], question, response, attempt))
        assert stored == ((pids[who], question, attempt) not in first)
        first.setdefault((pids[who], question, attempt), response)
    for pid in pids:
        rows = store.answers(pid, "lesson")
        keys = [(r.question_id, r.attempt) for r in rows]
        assert len(keys) == len(set(keys))
        assert {(pid, r.question_id, r.attempt): r.response for r in rows} == {
            k: v for k, v in first.items() if k[0] == pid}


def test_attempts_and_moves_are_idempotent(store: SqlStore) -> None:
    pid = store.solo_participant("token-cccccccccccccccc")
    assert store.solo_participant("token-cccccccccccccccc") == pid  # a refresh finds the same student
    assert store.start_attempt(pid, "lesson", 1, ["q1", "q2"]) is True
    assert store.start_attempt(pid, "lesson", 1, ["q2"]) is False
    assert [(a.number, a.question_ids) for a in store.attempts(pid, "lesson")] == [(1, ("q1", "q2"))]
    assert store.mark_moved_on(pid, "lesson", 1, "q1") is True
    assert store.mark_moved_on(pid, "lesson", 1, "q1") is False
    assert store.moved_on(pid, "lesson") == {(1, "q1")}


def test_join_codes_and_closing(store: SqlStore) -> None:
    session = store.session(a_class(store))
    assert session is not None
    assert len(session.code) == CODE_LENGTH and set(session.code) <= set(ALPHABET)
    assert not set(session.code) & set("0O1IL")
    typed = f" {session.code[:3].lower()}-{session.code[3:]} "
    assert normalise_code(typed) == session.code
    found = store.session_by_code(typed)
    assert found is not None and found.id == session.id
    assert store.close_session(session.id) is True
    assert store.session_by_code(session.code) is None  # a closed class's code stops working
    assert store.set_position(session.id, 0, "q1") is False  # and it no longer moves
    assert store.session_by_code("ZZZZZZ") is None


def test_joining_twice_and_duplicate_names(store: SqlStore) -> None:
    sid = a_class(store)
    sam = store.join(sid, "token-sam-0000000001", "Sam")
    assert store.join(sid, "token-sam-0000000001", "Another name").id == sam.id  # a second tab, a refresh
    other = store.join(sid, "token-sam-0000000002", "Sam")
    third = store.join(sid, "token-sam-0000000003", "Sam")
    assert [sam.display_name, other.display_name, third.display_name] == ["Sam", "Sam (2)", "Sam (3)"]
    assert [p.display_name for p in store.participants(sid)] == ["Sam", "Sam (2)", "Sam (3)"]
    assert store.participant(sid, "token-nobody-0000001") is None


def test_live_state_changes_only_when_the_teacher_acts(store: SqlStore) -> None:
    sid = a_class(store)
    start = store.live_state(sid)
    assert start is not None and (start.current_index, start.revealed, start.status) == (-1, False, "open")
    assert store.live_state(sid) == start  # polling changes nothing
    assert store.set_position(sid, 0, "q1") is True
    assert store.reveal(sid) is True
    assert store.reveal(sid) is False  # already revealed: no new version for every screen to redraw
    now = store.live_state(sid)
    assert now is not None and (now.current_index, now.revealed, now.version) == (0, True, start.version + 2)
    assert store.set_position(sid, 1, "q2") is True
    after = store.live_state(sid)
    assert after is not None and (after.current_index, after.revealed) == (1, False)


def test_counts_and_answers_of_a_class(store: SqlStore) -> None:
    sid = a_class(store)
    people = [store.join(sid, f"token-count-{n:08d}", f"Student {n}") for n in range(3)]
    for p in people[:2]:
        store.record_answer(answer(p.id, "q1"))
    store.record_answer(answer(people[0].id, "q1", attempt=2))  # a retry is not counted live
    assert store.question_count(sid, "q1").answered == 2
    rows = store.session_answers(sid)
    assert sorted((r.display_name, r.answer.attempt) for r in rows) == [("Student 0", 1), ("Student 0", 2),
                                                                       ("Student 1", 1)]
    assert {r.session_id for r in rows} == {sid}


def test_deleting_a_class_deletes_its_answers_and_nothing_else(store: SqlStore) -> None:
    keep, drop = a_class(store), a_class(store)
    for sid in (keep, drop):
        p = store.join(sid, f"token-delete-{sid:07d}", "Ana")
        store.record_answer(answer(p.id))
        store.start_attempt(p.id, "lesson", 1, ["q1"])
    solo = store.solo_participant("token-solo-000000001")
    store.record_answer(answer(solo))
    assert store.delete_session(drop) is True
    assert store.session(drop) is None and store.session_answers(drop) == [] and store.participants(drop) == []
    assert len(store.session_answers(keep)) == 1 and len(store.answers(solo, "lesson")) == 1
    with store.engine.connect() as c:
        orphans = c.exec_driver_sql("SELECT COUNT(*) FROM answers a LEFT JOIN participants p "
                                    "ON a.participant_id = p.id WHERE p.id IS NULL").scalar()
    assert orphans == 0


def test_lesson_versions_are_kept_by_hash(store: SqlStore) -> None:
    digest = store.save_lesson_version("lesson", "id: lesson\ntitle: Ünïcode\r\n")
    assert store.save_lesson_version("lesson", "id: lesson\ntitle: Ünïcode\r\n") == digest
    assert store.lesson_version(digest) == ("lesson", "id: lesson\ntitle: Ünïcode\r\n")
    assert store.lesson_version("f" * 64) is None


def test_migrations_build_the_schema_the_code_uses_and_run_twice_harmlessly(store: SqlStore) -> None:
    upgrade(store.engine)
    with store.engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), metadata) == []
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migration_head()


def test_two_processes_on_one_postgresql_see_each_other(postgres_url: str) -> None:
    """Two server processes are two engines on one database: nothing is kept in either process's memory."""
    one, two = open_store(postgres_url), open_store(postgres_url)
    try:
        sid = a_class(one)
        student = two.join(sid, "token-two-procs-0001", "Kai")
        two.record_answer(answer(student.id))
        assert one.question_count(sid, "q1").answered == 1
        assert one.set_position(sid, 3, "q4") is True
        live = two.live_state(sid)
        assert live is not None and live.current_index == 3
    finally:
        one.engine.dispose()
        two.engine.dispose()


def test_an_unreachable_database_names_database_url(postgres: object) -> None:
    with pytest.raises(DatabaseUnavailable, match=r"Cannot open the database at postgresql\+psycopg://nobody:\*\*\*"
                                                  r"@127\.0\.0\.1:1/none \(DATABASE_URL\).*DATABASE_URL is right"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    with pytest.raises(DatabaseUnavailable, match="DATABASE_URL is not a database URL"):
        open_store("not a url")


def test_one_request_starts_one_class(store: SqlStore) -> None:
    digest = store.save_lesson_version("lesson", "id: lesson\n")
    first = store.create_session("lesson", digest, pacing="teacher", request_key="form-submission-1")
    again = store.create_session("lesson", digest, pacing="teacher", request_key="form-submission-1")  # double click
    other = store.create_session("lesson", digest, pacing="teacher", request_key="form-submission-2")
    assert again == first and other.id != first.id and other.code != first.code
    assert store.create_session("lesson", digest, pacing="self").id not in (first.id, other.id)  # no key: a new class
    assert len([c.session for c in store.class_summaries()]) == 3


def test_a_retry_after_a_lost_commit_finds_the_class_it_started(store: SqlStore,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The connection drops after the INSERT committed: the retry must not start a second class."""
    digest = store.save_lesson_version("lesson", "id: lesson\n")
    read = store._session_where
    lost: list[int] = []

    def drop_once(*conditions: object) -> object:
        if not lost:
            lost.append(1)
            raise OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"))
        return read(*conditions)

    monkeypatch.setattr(store, "_session_where", drop_once)
    retries: list[int] = []
    store.on_retry = retries.append
    made = store.create_session("lesson", digest, pacing="teacher")  # no key: the store's own covers its retry
    assert retries == [1] and [s.id for s in [c.session for c in store.class_summaries()]] == [made.id]


def test_joining_a_deleted_class_says_so_at_once(store: SqlStore) -> None:
    sid = a_class(store)
    assert store.delete_session(sid) is True
    with pytest.raises(LookupError):
        store.join(sid, "token-late-000000001", "Sam")
    assert store.participants(sid) == []


def test_class_and_participant_ids_are_never_reused(store: SqlStore) -> None:
    """A projector link names a class by id: after the newest class is deleted, the next must not take its id."""
    ids = [a_class(store) for _ in range(3)]
    student = store.join(ids[-1], "token-reuse-00000001", "Ana")
    assert store.delete_session(ids[-1]) is True
    new = a_class(store)
    assert new > max(ids)
    assert store.join(new, "token-reuse-00000002", "Ben").id > student.id
    assert store.session(ids[-1]) is None


@pytest.mark.parametrize(("name", "value", "why"), [
    (POOL_SIZE_ENV, "ten", "at least 1"), (POOL_SIZE_ENV, "0", "at least 1"), (MAX_OVERFLOW_ENV, "-1", "at least 0"),
    (MAX_OVERFLOW_ENV, "2.5", "at least 0"),
])
def test_a_wrong_pool_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str,
                                                 why: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(DatabaseUnavailable, match=f"{name} must be a whole number of {why} \\(it is '{value}'\\)"):
        make_engine()


def test_the_pool_size_comes_from_the_environment(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(POOL_SIZE_ENV, "3")
    monkeypatch.setenv(MAX_OVERFLOW_ENV, " 0 ")
    engine = make_engine(postgres_url)
    try:
        assert (engine.pool.size(), engine.pool._max_overflow) == (3, 0)  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def test_every_public_call_retries_or_says_why_not() -> None:
    """A public call without @retrying would let a dropped connection reach the page as an error."""
    public = {name for name, value in vars(SqlStore).items() if not name.startswith("_") and callable(value)}
    plain = {name for name in public if not hasattr(getattr(SqlStore, name), "__wrapped__")}
    # create_session makes the request key once, then calls the retried _create_session; purge_solo_if_due reads the
    # clock once, then calls the retried purge_solo
    assert plain == {"create_session", "purge_solo_if_due"}
    assert hasattr(SqlStore._create_session, "__wrapped__")
