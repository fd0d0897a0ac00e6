"""An event stream's first read of a class's version (ui/event_route.py): one try, no retries, no page hooks.

Why not `SqlStore.live_state`: every public store call retries for RETRY_SECONDS and tells the page's `on_retry`
hook (a toast) before each retry. A stream opening while the database is away has no page to tell (a toast outside
a script run is a Streamlit warning in the log), and nothing to wait for: it is closed with 1013 and the page
polls, retrying the stream with backoff by itself. Holding a worker thread in a 10 s retry for each of 200 streams
reconnecting at once would only block the threads the route reads in. So: one short read, and on a database error
StoreUnavailable naming the cause (db/store.py database_fault), never the statement.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from sourcecheck.db.listen import VERSION
from sourcecheck.db.store import SqlStore, database_fault
from sourcecheck.db.tables import class_sessions
from sourcecheck.sessions.store import Store, StoreUnavailable

__all__ = ["first_version"]


def first_version(store: Store, session_id: int) -> int | None:
    """The class's version as its pages read it (one on past its closing time); None when it is not there."""
    if not isinstance(store, SqlStore):  # another Store (tests): its own read
        live = store.live_state(session_id)
        return None if live is None else live.version
    try:
        with store.engine.connect() as c:
            found = c.execute(select(VERSION).where(class_sessions.c.id == session_id),
                              {"now": store.clock()}).scalar()
    except DBAPIError as e:
        raise StoreUnavailable(database_fault(e)) from e
    return None if found is None else int(found)
