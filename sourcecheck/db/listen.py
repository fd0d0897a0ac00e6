"""One listener per process on PostgreSQL: the NOTIFYs of every process's commits into this process's HUB.

Why: with several server processes, a teacher's click is committed by one process and the students' streams are
held by all of them. Each writing transaction sends `pg_notify('sourcecheck', payload)` (db/news.py), delivered at
COMMIT; this thread holds its own connection (autocommit, LISTEN sourcecheck) and publishes each payload. One
connection per process whatever the number of students (docs/deploy.md counts it in max_connections).

A NOTIFY sent while the listener's connection is down is lost, so after every (re)connection the listener reads the
state version of every open class, and of every class this process has published before (one closed or deleted
meanwhile), in ONE query, publishes them and moves every such class's room (a join or an answer may have been
missed): the catch-up. It does the same read every CATCH_UP_SECONDS as a safety net (a class past its closing time
changes by the clock alone, with no commit). A class the process knew that is no longer there was deleted: its
number goes up by two, as a delete's NOTIFY would have said.

It reconnects with backoff (0.5 s doubling to 10 s), logs once when it loses the database and once when it has it
again, and never raises: pages never see it, and a page whose stream is quiet meanwhile still answers its own reads.
"""

from __future__ import annotations

import logging
import threading
import time

import psycopg
from sqlalchemy import Engine

from sourcecheck.db.news import CHANNEL, publish_payload
from sourcecheck.sessions.changes import HUB, Topic

__all__ = ["CATCH_UP_SECONDS", "Listener", "listen", "listeners"]

CATCH_UP_SECONDS = 30.0
CONNECT_TIMEOUT = 5
LONGEST_BACKOFF = 10.0
_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
_LISTENERS: dict[str, Listener] = {}

# Open classes, and the classes this process has numbers for (closed or deleted since): one statement.
_CATCH_UP = """SELECT id, state_version + CASE WHEN status = 'open' AND closes_at IS NOT NULL AND closes_at <= now()
                                     THEN 1 ELSE 0 END
               FROM class_sessions WHERE status = 'open' OR id = ANY(%s)"""


class Listener(threading.Thread):
    """The thread; `stop()` ends it (tests). `connected` is set while it listens (tests wait on it)."""

    def __init__(self, conninfo: str, *, catch_up_seconds: float = CATCH_UP_SECONDS) -> None:
        super().__init__(name="sourcecheck-listen", daemon=True)
        self.conninfo = conninfo
        self.catch_up_seconds = catch_up_seconds
        self.connected = threading.Event()
        self.catch_ups = 0  # how many shared reads it has made (tests and the load harness read it)
        self._stopping = threading.Event()
        self._lost_at: float | None = None
        self._gone: set[int] = set()  # deleted classes already told so

    def stop(self) -> None:
        self._stopping.set()

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
                self.catch_up(conn)
                due = time.monotonic() + self.catch_up_seconds
        self.connected.clear()

    def catch_up(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        """The one shared read: every open class's number, and those this process knew, into the HUB."""
        known = [n for n in HUB.known("state") if n not in self._gone]
        rows: list[tuple[int, int]] = conn.execute(_CATCH_UP, (known,)).fetchall()  # type: ignore[assignment]
        found = set()
        for session_id, version in rows:
            found.add(session_id)
            HUB.publish(Topic("state", session_id), version)
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


def listen(engine: Engine) -> Listener:
    """This process's listener for the engine's database, started on the first call (SqlStore makes it)."""
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with _LOCK:
        found = _LISTENERS.get(conninfo)
        if found is None or not found.is_alive():
            found = _LISTENERS[conninfo] = Listener(conninfo)
            found.start()
            # Listening before the store is handed out: a commit after this is NOTIFYed to it, one before is in
            # its first catch-up. A database that does not answer now is the store's own calls' problem.
            found.connected.wait(CONNECT_TIMEOUT)
    return found


def listeners() -> list[Listener]:
    with _LOCK:
        return list(_LISTENERS.values())
