"""What a student sees while the database is away: one "reconnecting" message, and the page carrying on by itself.

The store retries each call for a while (db/store.py): meanwhile `notify` puts a toast on the page
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

__all__ = ["MESSAGE", "RETRY_EVERY", "guard", "notify"]

MESSAGE = "Reconnecting to the class database… Your answers are kept, and this page carries on by itself."
RETRY_EVERY = 2.0  # seconds between checks while the page waits for the database


def notify(attempt: int) -> None:
    """Called by the store before it retries a call, in the script thread of the page that is waiting. A toast
    shows for 4 s; the retries come 0.2, 0.6, 1.4, 2.4 s and then every second after the first failure, so a
    toast on the 1st, 6th, 10th, ... keeps one on screen for as long as the page waits, and no longer."""
    if attempt == 1 or (attempt >= 6 and (attempt - 6) % 4 == 0):
        st.toast(MESSAGE, icon=":material/sync:")


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
    from sourcecheck.ui import state  # the store is opened there; imported late to keep this module small

    if time.monotonic() - since < RETRY_EVERY / 2:
        return
    try:
        state.store().live_state(0)  # one primary-key read: any answer means the database is back
    except StoreUnavailable:
        return
    st.rerun(scope="app")
