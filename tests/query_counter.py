"""Counting the statements a page run sends to the database (SQLAlchemy's before_cursor_execute), for the tests
that keep the reads every student or teacher pays on every run in check."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from sourcecheck.db.listen import CATCH_UP_THREAD


class Counter:
    """The statements pages send, each with its whitespace folded and lowercased. Not the change readers'
    (db/listen.py): each SQLite store's reader reads every second on a thread of its own, whatever page runs,
    and one landing inside a counted run is not the page's."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if threading.current_thread().name != CATCH_UP_THREAD:
            self.statements.append(" ".join(statement.split()).lower())

    def reads_of(self, table: str) -> list[str]:
        return [s for s in self.statements if s.startswith("select") and f"from {table}" in s]

    def mentioning(self, table: str) -> list[str]:
        return [s for s in self.statements if table in s]


@contextmanager
def counting() -> Iterator[Counter]:
    """A Counter listening on every engine for the block."""
    found = Counter()
    event.listen(Engine, "before_cursor_execute", found)
    try:
        yield found
    finally:
        event.remove(Engine, "before_cursor_execute", found)
