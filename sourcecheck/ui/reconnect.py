"""What a student sees while the database is away: one "reconnecting" message, and the page carrying on by itself.

The store retries each call for a while (db/store.py): meanwhile `notify` (ui/db_notice.py) puts a toast on the page
whose script is waiting, so a click that seems slow says why. If the database stays away longer, the
call raises StoreUnavailable; `guard`, around every page run in app.py and inside every fragment (a
fragment's exceptions stop inside it), shows the same message there and reruns the page as soon as
the database answers again. Answers are not lost either way: a Submit
that waits is stored when the database is back, and a write repeated by a retry is stored once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from sourcecheck.sessions.store import StoreUnavailable
from sourcecheck.ui import state
from sourcecheck.ui.db_notice import MESSAGE

__all__ = ["MESSAGE", "RETRY_EVERY", "guard"]

RETRY_EVERY = 2.0  # seconds between checks while the page waits for the database


@contextmanager
def guard(*, retry: bool = True) -> Iterator[None]:
    """`retry=False` in a run_every fragment: its own timer tries again."""
    try:
        yield
    except StoreUnavailable:
        st.warning(MESSAGE, icon=":material/sync:")
        if retry:
            _wait_for_database(time.monotonic())


@st.fragment(run_every=RETRY_EVERY)
def _wait_for_database(since: float) -> None:
    """On the timer only (never in the run that drew the message), so a page that keeps failing reruns once
    every RETRY_EVERY seconds at most, not in a loop."""
    if time.monotonic() - since < RETRY_EVERY / 2:
        return
    try:
        state.store().live_state(0)  # one primary-key read: any answer means the database is back
    except StoreUnavailable:
        return
    st.rerun(scope="app")
