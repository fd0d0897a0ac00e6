"""What a student sees while the database is away: one honest message, and the page carrying on by itself.

The store retries each call for a while (db/store.py): meanwhile `notify` (ui/db_notice.py) puts a toast on the page
whose script is waiting, so a click that seems slow says why. If the database stays away longer, the call raises
StoreUnavailable, which is caught in one of two places:

- `guard`, around every page run in app.py and inside every fragment (a fragment's exceptions stop inside it),
  shows MESSAGE there and reruns the page as soon as the database answers again;
- `saving`, around every button callback that writes (Submit, Next, Previous, Reveal, Close, Delete). Streamlit runs
  callbacks before the script, outside any `with guard()`, so an exception there would be Streamlit's own error
  display (a traceback with the SQL). `saving` keeps the action instead, with the values it was called with; the
  next `guard` shows NOT_SAVED in place of the page, and the retry fragment runs the action again until the write
  returns. Only then does the page rerun and show what was stored: nothing is confirmed before the commit, and a
  write repeated by a retry is stored once (each is idempotent, db/store.py).

The join form is not a callback (its handler runs in the page script): `resume_after_outage` wraps its call, and
`resumed` tells the page to run it again when the database is back.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec

import streamlit as st

from sourcecheck.sessions.store import StoreUnavailable
from sourcecheck.ui import state
from sourcecheck.ui.db_notice import MESSAGE, NOT_SAVED

__all__ = ["MESSAGE", "NOT_SAVED", "RETRY_EVERY", "guard", "pending", "resume_after_outage", "resumed", "saving"]

RETRY_EVERY = 2.0  # seconds between checks while the page waits for the database
_PENDING = "reconnect:pending"  # the callback action the database has not taken yet
_RESUME = "reconnect:resume"  # the page action (by name) to run again when the database answers

_P = ParamSpec("_P")


def saving(action: Callable[_P, None]) -> Callable[_P, None]:
    """For a widget callback that writes: the database away, the action is kept (with its arguments, read at the
    click: widget values may be gone by the time it is retried) and retried by `guard`'s fragment, never lost
    and never shown as done before it is."""

    @functools.wraps(action)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> None:
        try:
            action(*args, **kwargs)
        except StoreUnavailable:
            st.session_state[_PENDING] = functools.partial(action, *args, **kwargs)

    return run


def pending() -> bool:
    """True while a click waits for the database (a test, or a view that must not draw stale state, asks)."""
    return _PENDING in st.session_state or _RESUME in st.session_state


@contextmanager
def resume_after_outage(name: str) -> Iterator[None]:
    """Around a write the page script makes itself (the join form): the database away, remember `name` so that
    `resumed(name)` is True on the rerun that follows the database's return, and let `guard` say so."""
    try:
        yield
    except StoreUnavailable:
        st.session_state[_RESUME] = name
        raise


def resumed(name: str) -> bool:
    """True once, on the first run after the database came back, when `name`'s write was cut off."""
    if st.session_state.get(_RESUME) == name:
        del st.session_state[_RESUME]
        return True
    return False


@contextmanager
def guard(*, retry: bool = True) -> Iterator[None]:
    """`retry=False` in a run_every fragment: its own timer tries again (and a kept click is the page's to show)."""
    if retry and _PENDING in st.session_state:  # a click the database did not take: say so instead of the page
        st.warning(NOT_SAVED, icon=":material/sync_problem:")
        _wait_for_database(time.monotonic())
        st.stop()
    try:
        yield
    except StoreUnavailable:
        st.warning(NOT_SAVED if _RESUME in st.session_state else MESSAGE, icon=":material/sync:")
        if retry:
            _wait_for_database(time.monotonic())


@st.fragment(run_every=RETRY_EVERY)
def _wait_for_database(since: float) -> None:
    """On the timer only (never in the run that drew the message), so a page that keeps failing reruns once
    every RETRY_EVERY seconds at most, not in a loop. A kept action is itself the probe: a read could answer
    while writes still fail (a locked or read-only SQLite file, a full disk), and only the write returning
    may let the page go on."""
    if time.monotonic() - since < RETRY_EVERY / 2:
        return
    retry_now()


def retry_now() -> bool:
    """One try: the kept action, or a primary-key read when there is none; True (and the page reruns) when the
    database took it."""
    action = st.session_state.get(_PENDING)
    try:
        if action is not None:
            action()
        else:
            state.store().live_state(0)  # one primary-key read: any answer means the database is back
    except StoreUnavailable:
        return False
    st.session_state.pop(_PENDING, None)
    st.rerun(scope="app")
    return True  # not reached: st.rerun raises
