"""One change reader per process and database: what this process's pages must be told that no commit of its own
told them, into its HUB (sessions/changes.py).

Why: a page follows its class over the event route and reruns only when told. A commit made in this process is
told at once (db/news.py). Two things are not:

- PostgreSQL, several processes: a teacher's click is committed by one process and the students' streams are held
  by all of them. Each writing transaction sends `pg_notify('sourcecheck', payload)` (db/news.py), delivered at
  COMMIT; the `Listener` thread holds its own connection (autocommit, LISTEN sourcecheck) and publishes each
  payload. One connection per process whatever the number of students (docs/deploy.md counts it in
  max_connections).
- Any database: a class past its closing time (sessions/classes.py) reads as closed, its version one on, with no
  commit at all. So every reader makes ONE shared read every CATCH_UP_SECONDS (not one per student): the state
  version of every open class, and of every class this process has a number for (one closed or deleted
  meanwhile), published; a class whose number rose has its room moved too. On SQLite (one process: every commit
  is told in-process) that read is all the `ClockReader` thread does, every SQLITE_CATCH_UP_SECONDS (1 s): one
  indexed query a second per process, which also tells the pages of a write made by another process on the same
  file (the CLI's purge, a test's store) within a second, as polling did.

A NOTIFY sent while the listener's connection is down is lost, so after every (re)connection the listener makes
the same read and moves the room of every class it read (a join or an answer may have been missed): the catch-up.
A class the process knew that is no longer there was deleted: its number goes up by two, as a delete's NOTIFY
would have said.

Both reconnect with backoff (0.5 s doubling to 2 s), log once when they lose the database and once when they have
it again, and never raise: pages never see them, and a page whose stream is quiet meanwhile still answers its own
reads. `listen(engine)` starts the one for the engine's database on the first call (SqlStore does, whatever the
dialect). At interpreter exit they are stopped and joined before logging shuts down: no traceback at exit.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

import psycopg
from sqlalchemy import Engine, and_, bindparam, case, or_, select
from sqlalchemy.engine import URL

from sourcecheck.db.news import CHANNEL, publish_payload
from sourcecheck.db.tables import class_sessions
from sourcecheck.sessions.changes import HUB, Topic

__all__ = ["CATCH_UP_SECONDS", "CATCH_UP_THREAD", "SQLITE_CATCH_UP_SECONDS", "ClockReader", "Listener", "Reader",
           "listen", "listeners", "stop_all"]

CATCH_UP_SECONDS = 30.0
SQLITE_CATCH_UP_SECONDS = 1.0
CATCH_UP_THREAD = "sourcecheck-catch-up"  # the SQLite reader's thread (tests that count a page's queries skip it)
CONNECT_TIMEOUT = 5
LONGEST_BACKOFF = 2.0  # after an outage the listener is back within 2 s of the database
JOIN_AT_EXIT = 2.0  # seconds the exit waits for each reader to notice it should stop (it looks every second)
_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
_LISTENERS: dict[str, Reader] = {}

# Open classes, and the classes this process has numbers for (closed or deleted since): one statement. A class
# past its closing time reads one on, as SqlStore.live_state reads it.
_CATCH_UP = """SELECT id, state_version + CASE WHEN status = 'open' AND closes_at IS NOT NULL AND closes_at <= now()
                                     THEN 1 ELSE 0 END
               FROM class_sessions WHERE status = 'open' OR id = ANY(%s)"""
_PAST_CLOSING = and_(class_sessions.c.status == "open", class_sessions.c.closes_at.is_not(None),
                     class_sessions.c.closes_at <= bindparam("now"))
VERSION = class_sessions.c.state_version + case((_PAST_CLOSING, 1), else_=0)  # what a page reads as the version
_CATCH_UP_CORE = (select(class_sessions.c.id, VERSION)
                  .where(or_(class_sessions.c.status == "open",
                             class_sessions.c.id.in_(bindparam("known", expanding=True)))))


def _now() -> datetime:
    return datetime.now(UTC)


class Reader(threading.Thread):
    """What both readers share: the catch-up's publishing, stop(), and the once-per-outage log lines. `connected`
    is set while it reads (tests wait on it); `catch_ups` counts its shared reads (tests, the load harness)."""

    def __init__(self, name: str, *, catch_up_seconds: float = CATCH_UP_SECONDS) -> None:
        super().__init__(name=name, daemon=True)
        self.catch_up_seconds = catch_up_seconds
        self.connected = threading.Event()
        self.catch_ups = 0
        self._stopping = threading.Event()
        self._lost_at: float | None = None
        self._gone: set[int] = set()  # deleted classes already told so

    def stop(self) -> None:
        self._stopping.set()

    def _known(self) -> list[int]:
        known = HUB.known("state")
        self._gone &= set(known)  # a class the hub has forgotten needs no memory here either
        return [n for n in known if n not in self._gone]

    def _publish(self, rows: Iterable[Sequence[int]], known: list[int], *, rooms: bool) -> None:
        """The read's rows into the HUB. `rooms`: move every class's room (after a reconnection, when joins and
        answers may have been missed); otherwise only the rooms of classes whose number rose."""
        found = set()
        for session_id, version in rows:
            found.add(session_id)
            if HUB.publish(Topic("state", session_id), version) or rooms:
                HUB.bump_room(session_id)
        for session_id in set(known) - found:  # deleted: more than it ever had, once
            HUB.publish(Topic("state", session_id), (HUB.current(Topic("state", session_id)) or 0) + 2)
            HUB.bump_room(session_id)
            self._gone.add(session_id)
        self.catch_ups += 1

    def _lost(self, error: Exception) -> None:
        if self._lost_at is None:
            self._lost_at = time.monotonic()
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            _LOG.warning("The class database's change notices stopped: %s. Pages fall back on their own reads; "
                         "reconnecting.", reason)

    def _regained(self) -> None:
        if self._lost_at is not None:
            _LOG.warning("The class database's change notices are back, after %.1f s; catching up.",
                         time.monotonic() - self._lost_at)
            self._lost_at = None


class Listener(Reader):
    """PostgreSQL: LISTEN on its own connection, and the shared read after each (re)connection and every
    `catch_up_seconds`."""

    def __init__(self, conninfo: str, *, catch_up_seconds: float = CATCH_UP_SECONDS) -> None:
        super().__init__("sourcecheck-listen", catch_up_seconds=catch_up_seconds)
        self.conninfo = conninfo

    def run(self) -> None:
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._regained()
                    backoff = 0.5
                    self._listen(conn)
            except Exception as e:  # noqa: BLE001 -- anything at all: log it, wait, connect again; never raise
                self.connected.clear()
                if self._stopping.is_set():
                    return
                self._lost(e)
                self._stopping.wait(backoff)
                backoff = min(LONGEST_BACKOFF, backoff * 2)

    def _listen(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        self.catch_up(conn)
        self.connected.set()
        due = time.monotonic() + self.catch_up_seconds
        while not self._stopping.is_set():
            for notice in conn.notifies(timeout=max(0.0, min(1.0, due - time.monotonic()))):
                publish_payload(notice.payload)
            if time.monotonic() >= due:
                self.catch_up(conn, rooms=False)
                due = time.monotonic() + self.catch_up_seconds
        self.connected.clear()

    def catch_up(self, conn: psycopg.Connection[tuple[object, ...]], *, rooms: bool = True) -> None:
        """The one shared read: every open class's number, and those this process knew, into the HUB."""
        known = self._known()
        rows: list[tuple[int, int]] = conn.execute(_CATCH_UP, (known,)).fetchall()  # type: ignore[assignment]
        self._publish(rows, known, rooms=rooms)


class ClockReader(Reader):
    """SQLite (one process, every commit told in-process): the shared read every `catch_up_seconds`, through the
    store's engine, so a class that passes its closing time is told. It holds the engine weakly and ends with it
    (a test's store that is thrown away takes its reader with it)."""

    def __init__(self, engine: Engine, *, catch_up_seconds: float = SQLITE_CATCH_UP_SECONDS,
                 clock: Callable[[], datetime] = _now) -> None:
        super().__init__(CATCH_UP_THREAD, catch_up_seconds=catch_up_seconds)
        self.engine = weakref.ref(engine)
        self.clock = clock

    def run(self) -> None:
        while not self._stopping.is_set():
            engine = self.engine()
            if engine is None:
                return
            try:
                self.catch_up(engine)
            except Exception as e:  # noqa: BLE001 -- a locked or missing file: log once, read again next time
                self.connected.clear()
                if self._stopping.is_set():
                    return
                self._lost(e)
            else:
                self._regained()
                self.connected.set()
            del engine
            self._stopping.wait(self.catch_up_seconds)

    def catch_up(self, engine: Engine) -> None:
        known = self._known()
        with engine.connect() as c:
            rows = c.execute(_CATCH_UP_CORE, {"now": self.clock(), "known": known}).all()
        self._publish([(int(r[0]), int(r[1])) for r in rows], known, rooms=False)


def _key(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def listen(engine: Engine) -> Reader:
    """This process's reader for the engine's database, started on the first call (SqlStore makes it)."""
    postgres = engine.dialect.name == "postgresql"
    url = engine.url.set(drivername="postgresql") if postgres else engine.url
    key = _key(url)
    with _LOCK:
        found = _LISTENERS.get(key)
        alive = found is not None and found.is_alive()
        if found is not None and alive and isinstance(found, ClockReader) and found.engine() is not engine:
            found.stop()  # a newer engine on the same file (tests): read through it
            alive = False
        if found is None or not alive:
            found = _LISTENERS[key] = Listener(key) if postgres else ClockReader(engine)
            found.start()
            if postgres:
                # Listening before the store is handed out: a commit after this is NOTIFYed to it, one before is
                # in its first catch-up. A database that does not answer now is the store's own calls' problem.
                found.connected.wait(CONNECT_TIMEOUT)
    return found


def listeners() -> list[Reader]:
    with _LOCK:
        return list(_LISTENERS.values())


@atexit.register  # registered after logging's own handler, so it runs before logging shuts down
def stop_all() -> None:
    """Stop every reader and wait (briefly) for each: a daemon thread still running while the interpreter tears
    itself down could log into closed streams or raise from a half-freed module."""
    readers = listeners()
    for reader in readers:
        reader.stop()
    for reader in readers:
        if reader.is_alive() and reader is not threading.current_thread():
            reader.join(JOIN_AT_EXIT)
