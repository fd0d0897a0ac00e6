"""Upgrading a database that holds classes, on SQLite and PostgreSQL: rows, ids and cascades survive, and
two processes starting at once migrate once."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from db_helpers import migration_head
from pg_server import PostgresServer
from sqlalchemy import Engine

from sourcecheck.db import SqlStore
from sourcecheck.db.engine import make_engine
from sourcecheck.db.migrate import upgrade
from sourcecheck.db.tables import metadata

_DATABASES = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with nothing in it yet: a new SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'upgrade.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database(f"upgrade_{next(_DATABASES)}")


@pytest.fixture
def engine(empty_url: str) -> Iterator[Engine]:
    made = make_engine(empty_url)
    yield made
    made.dispose()


def _fill_at_0001(engine: Engine) -> None:
    """What a school's database looked like under 0001: three classes (the newest deleted), students with
    answers, attempts and moves, and one solo student."""
    upgrade(engine, "0001")
    with engine.begin() as c:
        sql = c.exec_driver_sql
        sql("INSERT INTO lesson_versions (hash, lesson_id, text) VALUES ('h1', 'lesson', 'id: lesson')")
        for n in (1, 2, 3):
            sql(f"INSERT INTO class_sessions (code, lesson_id, lesson_hash, pacing) VALUES ('CODE{n}', 'lesson', 'h1', "
                "'teacher')")
            sql(f"INSERT INTO participants (session_id, token, display_name) VALUES ({n}, 'token-{n}', 'Student {n}')")
            sql(f"INSERT INTO answers (participant_id, lesson_id, lesson_hash, attempt, question_id, earned, possible, "
                f"verdict) VALUES ({n}, 'lesson', 'h1', 1, 'q1', 1.0, 1, 'correct')")
            sql(f"INSERT INTO attempts (participant_id, lesson_id, number, question_ids) VALUES ({n}, 'lesson', 1, "
                "'[\"q1\"]')")
            sql(f"INSERT INTO moves (participant_id, lesson_id, attempt, question_id) VALUES ({n}, 'lesson', 1, 'q1')")
        sql("INSERT INTO participants (session_id, token) VALUES (NULL, 'solo-token')")
        sql("INSERT INTO answers (participant_id, lesson_id, lesson_hash, attempt, question_id, earned, possible, "
            "verdict) VALUES (4, 'lesson', 'h1', 1, 'q1', 0.0, 1, 'wrong')")
        sql("DELETE FROM class_sessions WHERE id = 3")


def _rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "class_sessions": "SELECT id, code FROM class_sessions ORDER BY id",
        "participants": "SELECT id, session_id, token FROM participants ORDER BY id",
        "answers": "SELECT id, participant_id, verdict FROM answers ORDER BY id",
        "attempts": "SELECT participant_id, number FROM attempts ORDER BY participant_id",
        "moves": "SELECT participant_id, question_id FROM moves ORDER BY participant_id",
    }
    with engine.connect() as c:
        return {table: [tuple(r) for r in c.exec_driver_sql(q).all()] for table, q in queries.items()}


def test_an_upgrade_keeps_every_row_id_and_cascade(engine: Engine) -> None:
    _fill_at_0001(engine)
    before = _rows(engine)
    assert before["class_sessions"] == [(1, "CODE1"), (2, "CODE2")]  # the delete cascaded under 0001 too
    upgrade(engine)
    assert _rows(engine) == before
    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), metadata) == []
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migration_head()
        if engine.dialect.name == "sqlite":
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # switched back on for the pool
    store = SqlStore(engine)
    assert store.delete_session(1) is True  # cascades as before: class 1's student, answer, attempt and move
    after = _rows(engine)
    assert after["class_sessions"] == [(2, "CODE2")]
    assert [r[0] for r in after["participants"]] == [2, 4]
    assert [r[1] for r in after["answers"]] == [2, 4]
    assert [r[0] for r in after["attempts"]] == [2] and [r[0] for r in after["moves"]] == [2]
    assert store.solo_participant("solo-token") == 4  # the solo student's unique index survived the rebuild
    digest = store.save_lesson_version("lesson", "id: lesson")
    made = store.create_session("lesson", digest, pacing="teacher", request_key="after-upgrade")
    assert store.create_session("lesson", digest, pacing="teacher", request_key="after-upgrade") == made
    assert store.delete_session(made.id) is True
    assert store.create_session("lesson", digest, pacing="teacher").id > made.id  # never again reused


def test_two_processes_starting_at_once_migrate_once(empty_url: str) -> None:
    """Both processes' upgrades start together; one takes the lock and migrates, the other waits and finds
    nothing left to do. Neither fails."""
    engines = [make_engine(empty_url), make_engine(empty_url)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def start(engine: Engine) -> None:
        barrier.wait()
        try:
            upgrade(engine)
        except BaseException as e:  # reported below, in the test's own thread
            errors.append(e)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        with engines[0].connect() as c:
            assert c.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [(migration_head(),)]
            assert compare_metadata(MigrationContext.configure(c), metadata) == []
    finally:
        for e in engines:
            e.dispose()
