"""The database: the only package that imports SQLAlchemy. `open_store` is the way in."""

from __future__ import annotations

from sourcecheck.db.engine import DATABASE_ENV, DatabaseUnavailable, make_engine
from sourcecheck.db.migrate import upgrade
from sourcecheck.db.store import SqlStore

__all__ = ["DATABASE_ENV", "DatabaseUnavailable", "SqlStore", "open_store"]


def open_store(url: str | None = None) -> SqlStore:
    """Connect (DATABASE_URL, else the SQLite file under data/), bring the schema up to date, delete the solo
    practice that has expired (SOURCECHECK_SOLO_RETENTION_DAYS) and the courses past their retention date (then
    once a day, `purge_solo_if_due`), and
    hand out the store. Raises DatabaseUnavailable, with a message naming the setting, when that cannot be done."""
    engine = make_engine(url)
    upgrade(engine)
    store = SqlStore(engine)
    store.purge_solo_if_due()
    return store
