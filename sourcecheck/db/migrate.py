"""Bring a database's schema up to date when a process first opens it; safe when several start at once.

Each upgrade runs in one transaction that first takes a lock, so a second process starting at the same
moment waits for the first to finish and then finds nothing left to do:
- PostgreSQL: a transaction-scoped advisory lock of our own (released by the COMMIT), and the DDL is
  transactional, so a failed upgrade leaves the schema as it was.
- SQLite: BEGIN IMMEDIATE, the database's write lock; a second process waits up to the busy timeout
  (db/engine.py). Foreign keys are switched off for the upgrade, as SQLite requires for rebuilding a
  table (dropping the old copy would otherwise cascade-delete the rows that point at it), and checked
  before the COMMIT: a dangling reference rolls the whole upgrade back.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

__all__ = ["upgrade"]

_LOCK = 731_942_001  # a PostgreSQL advisory lock id of our own: one process migrates, the others wait


def upgrade(engine: Engine, revision: str = "head") -> None:
    """`revision` is for tests that build a database as an older release left it."""
    if engine.dialect.name == "sqlite":
        _upgrade_sqlite(engine, revision)
        return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK})
        _run(connection, revision)


def _run(connection: Connection, revision: str) -> None:
    """Alembic on a connection already in a transaction: it then adds no transaction of its own."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _upgrade_sqlite(engine: Engine, revision: str) -> None:
    with engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None
        # Python's sqlite3 opens transactions only before INSERT/UPDATE/DELETE, so DDL would run outside
        # one; with isolation_level None it opens none, and the BEGIN IMMEDIATE below is the only one.
        saved = dbapi.isolation_level
        dbapi.isolation_level = None
        try:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction: before BEGIN
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                _run(connection, revision)
                dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if dangling:
                    raise RuntimeError(f"the upgrade would leave rows pointing at nothing: {dangling[:5]}")
            except BaseException:
                connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("COMMIT")
        finally:
            connection.rollback()  # SQLAlchemy's own bookkeeping: the database has no transaction open now
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.rollback()
            dbapi.isolation_level = saved
