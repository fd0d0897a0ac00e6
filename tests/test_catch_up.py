"""The per-process shared read (db/listen.py) on SQLite: a class that passes its closing time (it then reads as
closed, its version one on, with no commit) is pushed within one read; the read starts with the store, moves no
teacher's screen when nothing changed, ends with its engine, and a process with readers exits cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import sourcecheck.db.listen as listen_module
import sourcecheck.db.news as news
from sourcecheck.db import SqlStore, open_store
from sourcecheck.sessions.changes import Changes, Topic

WAIT = 10.0  # seconds before a push that never came fails the test (a wait for an event, not a sleep)
QUICK = 0.02  # the test's interval between shared reads, instead of 30 s


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Changes:
    fresh = Changes()
    monkeypatch.setattr(news, "HUB", fresh)
    monkeypatch.setattr(listen_module, "HUB", fresh)
    return fresh


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqlStore]:
    store = open_store(f"sqlite:///{tmp_path / 'catch-up.db'}")
    yield store
    store.engine.dispose()


def a_class(store: SqlStore, closes_at: datetime | None = None) -> int:
    digest = store.save_lesson_version("lesson", "id: lesson\n")
    return store.create_session("lesson", digest, pacing="teacher", closes_at=closes_at).id


async def _until(hub: Changes, topic: Topic, wanted: int) -> None:
    async with contextlib.aclosing(hub.watch(topic)) as versions:
        async for version in versions:
            if version >= wanted:
                return


def test_a_class_passing_its_closing_time_is_pushed_within_one_read(sqlite: SqlStore, hub: Changes) -> None:
    clock = Clock()
    sid = a_class(sqlite, closes_at=clock.now + timedelta(minutes=45))
    reader = listen_module.ClockReader(sqlite.engine, catch_up_seconds=QUICK, clock=clock)
    reader.start()
    try:
        assert reader.connected.wait(WAIT)
        live = sqlite.live_state(sid)
        assert live is not None and live.status == "open"
        asyncio.run(asyncio.wait_for(_until(hub, Topic("state", sid), live.version), WAIT))
        room = hub.current(Topic("room", sid))
        clock.now += timedelta(minutes=46)  # the lesson's time is up: nobody commits anything
        sqlite.clock = clock
        closed = sqlite.live_state(sid)
        assert closed is not None and closed.status == "closed" and closed.version == live.version + 1
        asyncio.run(asyncio.wait_for(_until(hub, Topic("state", sid), closed.version), WAIT))
        assert hub.current(Topic("state", sid)) == closed.version  # the number a student's page reads
        assert (hub.current(Topic("room", sid)) or 0) > (room or 0)  # and the teacher's screens look again
    finally:
        reader.stop()
        reader.join(WAIT)


def test_the_store_starts_the_reader_on_sqlite(sqlite: SqlStore) -> None:
    found = [r for r in listen_module.listeners() if isinstance(r, listen_module.ClockReader)
             and r.engine() is sqlite.engine]
    assert len(found) == 1 and found[0].is_alive()
    assert found[0].catch_up_seconds == listen_module.SQLITE_CATCH_UP_SECONDS
    assert listen_module.listen(sqlite.engine) is found[0]  # one per process and database, not one per store


def test_a_read_that_finds_nothing_new_moves_no_room(sqlite: SqlStore, hub: Changes) -> None:
    """Every open class is read every 30 s: a teacher's projector following the room must not rerun each time."""
    sid = a_class(sqlite)
    reader = listen_module.ClockReader(sqlite.engine, catch_up_seconds=3600)
    reader.catch_up(sqlite.engine)
    room = hub.current(Topic("room", sid))
    assert room is not None  # the first read saw the class for the first time
    reader.catch_up(sqlite.engine)
    reader.catch_up(sqlite.engine)
    assert hub.current(Topic("room", sid)) == room
    sqlite.set_position(sid, 0, "q1")
    moved = hub.current(Topic("room", sid))
    assert moved is not None and moved > room


def test_a_deleted_class_is_told_by_the_read_once(sqlite: SqlStore, hub: Changes) -> None:
    sid = a_class(sqlite)
    reader = listen_module.ClockReader(sqlite.engine, catch_up_seconds=3600)
    reader.catch_up(sqlite.engine)
    with sqlite.engine.begin() as c:  # gone without a word (another tool, a restore): the read notices
        c.exec_driver_sql(f"DELETE FROM class_sessions WHERE id = {sid}")
    reader.catch_up(sqlite.engine)
    assert hub.current(Topic("state", sid)) == 3
    reader.catch_up(sqlite.engine)
    assert hub.current(Topic("state", sid)) == 3


def test_a_reader_ends_with_its_engine(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'gone.db'}")
    reader = listen_module.ClockReader(store.engine, catch_up_seconds=QUICK)
    reader.start()
    assert reader.connected.wait(WAIT)
    store.engine.dispose()
    del store
    gc.collect()
    reader.join(WAIT)
    assert not reader.is_alive()


def test_a_process_with_readers_exits_cleanly(tmp_path: Path, postgres_url: str) -> None:
    """The readers are daemon threads reading every few seconds (one of them here cannot reach its database and
    is backing off): the interpreter exits at once, with no traceback and no logging error."""
    script = textwrap.dedent(f"""
        import logging, time
        logging.basicConfig(level=logging.INFO)
        from sourcecheck.db import open_store
        from sourcecheck.db.listen import Listener, listeners, _LISTENERS
        sqlite = open_store({f"sqlite:///{tmp_path / 'exit.db'}"!r})
        pg = open_store({postgres_url!r})
        away = _LISTENERS["away"] = Listener("postgresql://nobody@127.0.0.1:9/none", catch_up_seconds=0.01)
        away.start()
        deadline = time.monotonic() + 10
        while away._lost_at is None and time.monotonic() < deadline:  # let it fail, log and back off
            away.connected.wait(0.01)
        assert all(r.is_alive() for r in listeners())
        print("exiting", flush=True)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    assert "exiting" in done.stdout
    for bad in ("Traceback", "Logging error", "Exception in thread", "Exception ignored"):
        assert bad not in done.stderr, done.stderr
