"""The one message a page shows while the database is away, and the toast the store raises while it retries.

Its own module because both sides need it: ui/state.py hands `notify` to the store it opens, and ui/reconnect.py,
which reads that store, shows MESSAGE when the retries run out. With it here, reconnect imports state and state
never imports reconnect: the import graph has no cycle.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["MESSAGE", "NOT_SAVED", "WAITING", "notify"]

# None of these says an answer is kept: while the database is away nothing new is stored, and only the page drawn
# after the write returned (the feedback, the next question) confirms it.
MESSAGE = "SourceCheck cannot reach its database just now. This page carries on by itself when it is back."
NOT_SAVED = "Not saved yet: SourceCheck cannot save just now. It keeps trying by itself; keep this page open."
WAITING = "Waiting for the database… Nothing is saved until this page shows it."


def notify(attempt: int) -> None:
    """Called by the store before it retries a call, in the script thread of the page that is waiting. A toast
    shows for 4 s; the retries come 0.2, 0.6, 1.4, 2.4 s and then every second after the first failure, so a
    toast on the 1st, 6th, 10th, ... keeps one on screen for as long as the page waits, and no longer."""
    if attempt == 1 or (attempt >= 6 and (attempt - 6) % 4 == 0):
        st.toast(WAITING, icon=":material/sync:")
