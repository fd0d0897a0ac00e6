"""The database connection: a SQLite file by default, PostgreSQL when DATABASE_URL says so.

SQLite runs in WAL mode with a busy timeout, so readers never wait for a writer and writers
queue briefly instead of failing; foreign keys are switched on so deleting a class deletes its
answers, and secure_delete overwrites deleted rows with zeros instead of leaving them in free pages.
JSON columns (answers, attempts) are written as UTF-8, not ASCII with \\u escapes: an emoji is 4 bytes
stored, not 12 (a 2,000-character answer of emoji: about 8 KB rather than 24 KB). An unreachable
database becomes one exception whose message names DATABASE_URL.

Against PostgreSQL each process keeps a pool of connections, sized by SOURCECHECK_DB_POOL_SIZE and
SOURCECHECK_DB_MAX_OVERFLOW: every process can hold pool size + overflow connections at once, and the
server's max_connections must cover all processes together (docs/deploy.md works an example).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from sourcecheck.lessons.paths import PROJECT_ROOT

__all__ = ["DATABASE_ENV", "DatabaseUnavailable", "MAX_OVERFLOW_ENV", "POOL_SIZE_ENV", "default_url", "describe_url",
           "make_engine", "pool_settings"]

DATABASE_ENV = "DATABASE_URL"
POOL_SIZE_ENV = "SOURCECHECK_DB_POOL_SIZE"
MAX_OVERFLOW_ENV = "SOURCECHECK_DB_MAX_OVERFLOW"
POOL_SIZE = 10  # connections a process keeps open
MAX_OVERFLOW = 20  # more it may open at a busy moment, closed again when returned
BUSY_TIMEOUT_MS = 5000


class DatabaseUnavailable(RuntimeError):
    """The database cannot be opened; the message says which setting to check."""


def default_url() -> str:
    folder = Path(os.environ.get("SOURCECHECK_DATA", PROJECT_ROOT / "data"))
    return f"sqlite:///{folder / 'sourcecheck.db'}"


def describe_url(url: URL) -> str:
    """The URL with its password hidden: safe to print on a page or in a log."""
    return url.render_as_string(hide_password=True)


def pool_settings() -> tuple[int, int]:
    """(pool size, max overflow) from the environment. A wrong value raises DatabaseUnavailable naming the
    variable, which the page shows, rather than quietly running with a pool nobody chose."""
    return whole_number(POOL_SIZE_ENV, POOL_SIZE, least=1), whole_number(MAX_OVERFLOW_ENV, MAX_OVERFLOW, least=0)


def whole_number(name: str, default: int, *, least: int, unit: str = "") -> int:
    """A database setting from the environment: `default` when unset; anything but a whole number of at least
    `least` raises DatabaseUnavailable naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = least - 1
    if value < least:
        what = f"of {unit}, at least {least}" if unit else f"of at least {least}"
        raise DatabaseUnavailable(f"{name} must be a whole number {what} (it is {raw!r}); unset it for the "
                                  f"default, {default}.")
    return value


def make_engine(url: str | None = None) -> Engine:
    pool_size, max_overflow = pool_settings()  # checked on SQLite too: a typo shows before the move to PostgreSQL
    raw = url or os.environ.get(DATABASE_ENV) or default_url()
    try:
        parsed = make_url(raw)
    except ArgumentError as e:
        raise DatabaseUnavailable(f"{DATABASE_ENV} is not a database URL ({e}); use "
                                  "postgresql://user:password@host/dbname, or unset it for the SQLite file") from e
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite(parsed)
    try:
        engine = create_engine(parsed, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow,
                               json_serializer=_json)
    except (NoSuchModuleError, ArgumentError) as e:
        raise DatabaseUnavailable(f"{DATABASE_ENV} names a database SourceCheck cannot use: "
                                  f"{describe_url(parsed)}; use PostgreSQL or SQLite") from e
    check(engine)
    return engine


def _json(value: Any) -> str:
    """JSON as UTF-8 text: ensure_ascii would store each non-ASCII character as a 6- or 12-byte escape."""
    return json.dumps(value, ensure_ascii=False)


def check(engine: Engine) -> None:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as e:
        where = (f"the database at {describe_url(engine.url)} ({DATABASE_ENV})" if engine.dialect.name != "sqlite"
                 else f"the SQLite file {engine.url.database}")
        reason = str(e.orig).strip().splitlines()[0] if e.orig is not None else type(e).__name__
        raise DatabaseUnavailable(f"Cannot open {where}: {reason}. Check that the server is running and "
                                  f"that {DATABASE_ENV} is right (unset it to use the built-in SQLite file).") from e


def _sqlite(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        try:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DatabaseUnavailable(f"Cannot create the folder for the SQLite file {url.database}: {e.strerror}. "
                                      f"Set {DATABASE_ENV} to a database you can write to.") from e
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
                           json_serializer=_json)
    event.listen(engine, "connect", _sqlite_pragmas)
    check(engine)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are zeroed, not left readable in free pages
    cursor.close()
