"""Shared fixtures: the real catalog, temporary lesson folders, the bundled library."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from pg_server import PostgresServer, start_postgres

from sourcecheck.db import SqlStore, open_store
from sourcecheck.lessons.catalog import Catalog, load_catalog
from sourcecheck.lessons.loader import Library, load_library
from sourcecheck.lessons.paths import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"

# Every test run gets its own SQLite file: never a developer's data/ folder or their DATABASE_URL.
TEST_DATA = Path(tempfile.mkdtemp(prefix="sourcecheck-tests-"))
os.environ["DATABASE_URL"] = f"sqlite:///{TEST_DATA / 'app.db'}"


@pytest.fixture(autouse=True)
def no_class_left_open() -> None:
    """Every test starts with no open class in the shared AppTest database: while a class on a lesson is open,
    solo practice of it is paused (sessions/solo.py), so a class an earlier test left open would pause a
    later test's lesson. Plain sqlite3, before the test: cheap, and nothing of the app is imported for it."""
    from sourcecheck.sessions.solo import LIVE_LESSONS

    path = TEST_DATA / "app.db"
    if path.exists():
        with closing(sqlite3.connect(path, timeout=30)) as db, db:
            try:
                db.execute("UPDATE class_sessions SET status = 'closed', closed_at = CURRENT_TIMESTAMP "
                           "WHERE status = 'open'")
            except sqlite3.OperationalError:  # no tables yet
                pass
    LIVE_LESSONS.forget()


@pytest.fixture(autouse=True)
def no_class_numbers_left() -> None:
    """Every test starts with an empty change hub (sessions/changes.py). A test's database numbers its classes
    from 1 again, so a number the hub kept for class 1 of an earlier test would be newer than what this test's
    class 1 has, and a page would read its class's row again to catch up with a change that never happened
    here (an extra query in the tests that count them). In a real process class ids are never reused."""
    from sourcecheck.sessions.changes import HUB

    with HUB._lock:  # noqa: SLF001 -- the hub has no reset: a running app never needs one
        HUB._values.clear()  # noqa: SLF001
        HUB._touched.clear()  # noqa: SLF001


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(PROJECT_ROOT / "seeds")


@pytest.fixture(scope="session")
def library(catalog: Catalog) -> Library:
    return load_library([PROJECT_ROOT / "lessons"], catalog)


@pytest.fixture
def lesson_dir(tmp_path: Path) -> Path:
    """An empty lessons folder; copy fixtures into it with `shutil.copy`."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    return folder


@pytest.fixture
def minimal_text() -> str:
    return (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")


def copy_fixture(name: str, folder: Path) -> Path:
    return Path(shutil.copy(FIXTURES / name, folder))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres: PostgresServer) -> str:
    return postgres.create_database("sourcecheck_test")


_TABLES = ("moves, answers, attempts, student_seats, course_classes, participants, reveals, class_sessions, "
           "lesson_versions, join_guesses, form_rotations, check_schedule, student_devices, students, courses, "
           "written_scores")


def _open_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> SqlStore:
    if kind == "sqlite":
        return open_store(f"sqlite:///{tmp_path / 'store.db'}")
    db = open_store(request.getfixturevalue("postgres_url"))
    with db.engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {_TABLES} RESTART IDENTITY CASCADE")
    return db


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """A fresh, migrated store on SQLite and on a real PostgreSQL server: the same tests run on both."""
    db = _open_store(request.param, tmp_path, request)
    yield db
    db.engine.dispose()


@pytest.fixture(params=["scratch", "sqlite", "postgresql"])
def progress_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """Progress rules hold on the workshop's scratch store and on the database (both backends)."""
    if request.param == "scratch":
        from sourcecheck.sessions.scratch import ScratchStore

        yield ScratchStore()
        return
    db = _open_store(request.param, tmp_path, request)
    yield db
    db.engine.dispose()

