"""Telling the process's pages that a class changed (sessions/changes.py HUB), from the transaction that changed it.

SqlStore's writes that move a class's state version, seat or remove a student or store an answer call `changed`
inside their transaction, opened with `writing` instead of `engine.begin()`:

- SQLite (one process): `changed` reads the class's version in the transaction and `writing` publishes it to the
  HUB after the COMMIT has returned, never before (a page told too early would read the old row and wait for a
  number that was already sent), and never after a rollback (an exception leaves the block: nothing is published).
- PostgreSQL (any number of processes): `changed` runs `pg_notify('sourcecheck', payload)` in the transaction;
  PostgreSQL delivers it at COMMIT, and only then, to every process's listener (db/listen.py), which publishes it,
  this process's included. Payloads: "s:<class id>:<state version>" and "r:<class id>".

A state change also moves the room (PUSH.md: "room" rises whenever "state" does). A deleted class publishes its
version plus two: more than it ever had, and more than the +1 a class past its closing time reads as.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from sqlalchemy import Connection, Engine, func, select

from sourcecheck.db.tables import class_sessions
from sourcecheck.sessions.changes import HUB, Topic

__all__ = ["CHANNEL", "News", "changed", "changed_in", "publish_payload", "writing"]

CHANNEL = "sourcecheck"
News = Literal["state", "room", "deleted"]
_PENDING = "sourcecheck_news"  # Connection.info key: what this transaction will publish after its commit


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """`engine.begin()`, and after its COMMIT the news `changed` gathered in it (SQLite; PostgreSQL needs none)."""
    pending: list[tuple[str, int, int]] = []
    with engine.begin() as c:
        c.info[_PENDING] = pending
        try:
            yield c
        finally:
            c.info.pop(_PENDING, None)
    for kind, session_id, version in pending:  # reached only when the commit returned
        _publish(kind, session_id, version)


def changed(c: Connection, session: Any, news: News) -> None:
    """In a `writing` transaction: the class `session` (an id, or a scalar subquery giving one; NULL for solo
    practice, which tells nobody) changed. "state" after its state version moved, "room" after a join or an
    answer, "deleted" BEFORE its row is deleted."""
    _changed(c, class_sessions.c.id == session, news)


def changed_in(c: Connection, sessions: Any, news: News) -> None:
    """`changed` for every class whose id the subquery `sessions` gives (deleting a course, or a student's seats)."""
    _changed(c, class_sessions.c.id.in_(sessions), news)


def _changed(c: Connection, where: Any, news: News) -> None:
    step = 2 if news == "deleted" else 0
    if c.dialect.name == "postgresql":
        payload = (func.concat("r:", class_sessions.c.id) if news == "room" else
                   func.concat("s:", class_sessions.c.id, ":", class_sessions.c.state_version + step))
        c.execute(select(func.pg_notify(CHANNEL, payload)).where(where))
        return
    for row in c.execute(select(class_sessions.c.id, class_sessions.c.state_version).where(where)):
        c.info[_PENDING].append(("r" if news == "room" else "s", int(row.id), int(row.state_version) + step))


def publish_payload(payload: str) -> None:
    """A NOTIFY payload (made by `changed`) into this process's HUB; anything else is ignored."""
    kind, _, rest = payload.partition(":")
    try:
        if kind == "s":
            session_id, _, version = rest.partition(":")
            _publish("s", int(session_id), int(version))
        elif kind == "r":
            _publish("r", int(rest), 0)
    except ValueError:
        return


def _publish(kind: str, session_id: int, version: int) -> None:
    if kind == "s":
        HUB.publish(Topic("state", session_id), version)
    HUB.bump_room(session_id)
