"""The live subscriber (st.components.v2): a page's fragment reruns when its class changes, not on a timer.

Its JavaScript (ui/live/live.js, registered inline: no build step, no network) opens the event route
(`route_path(EVENTS)`, ui/web.py and ui/event_route.py) with the topic's token and, when a version newer than
the one the fragment drew arrives, sets the "changed" trigger, which reruns only that fragment. When the route
cannot be reached (a proxy that does not pass websockets) or drops, it polls every POLL_SECONDS, as every page
did before push, and reconnects with backoff; the student is never told. It draws nothing: no box, nothing
announced.

POLL_SECONDS lives here (class_state re-exports it): it is the interval of the fallback and of SOURCECHECK_LIVE=poll.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from sourcecheck.sessions.event_tokens import Topic, topic_token
from sourcecheck.ui.web import EVENTS, route_path

__all__ = ["COMPONENT", "POLL_SECONDS", "follow_changes"]

_FILES = Path(__file__).parent / "live"
COMPONENT = "sourcecheck_live"
_DEFAULT_POLL = 1.0  # a student's screen follows the teacher within about a second (issue 9)
_RUNS = "live:runs"

_mount = st.components.v2.component(
    COMPONENT,
    html=(_FILES / "live.html").read_text(encoding="utf-8"),
    css=(_FILES / "live.css").read_text(encoding="utf-8"),
    js=(_FILES / "live.js").read_text(encoding="utf-8"),
)


def _poll_seconds() -> float:
    """SOURCECHECK_POLL_SECONDS (0.5 to 10): how often a polling page asks whether the teacher moved on (in
    SOURCECHECK_LIVE=poll, and in push mode while the event route cannot be reached). Each ask is one fragment
    run on the server (~2.5 ms of CPU), so a process with N polling students pays N / interval of them a second;
    docs/performance.md has the figures behind the default."""
    try:
        value = float(os.environ.get("SOURCECHECK_POLL_SECONDS", "") or _DEFAULT_POLL)
    except ValueError:
        return _DEFAULT_POLL
    return min(max(value, 0.5), 10.0)


POLL_SECONDS = _poll_seconds()


def _changed() -> None:
    """Registers the "changed" trigger; the fragment it reruns reads what changed itself."""


def follow_changes(topic: Topic, drawn: int, *, key: str, poll: bool = False) -> int | None:
    """Mount the subscriber for `topic` in the current fragment, which drew version `drawn`. Returns the version
    that triggered this run: a version from the event route, 0 for a fallback poll, None when this run was not
    triggered by the subscriber. `poll`: this run could not read the database, so poll until a run can (no
    change would be pushed to tell the page that the database is back)."""
    runs = st.session_state.get(_RUNS, 0)
    st.session_state[_RUNS] = runs = (runs + 1 if isinstance(runs, int) else 1) % 1_000_000
    data = {"key": key, "url": f"{route_path(EVENTS)}?t={topic_token(topic)}", "drawn": int(drawn),
            "poll_ms": round(POLL_SECONDS * 1000), "run": runs, "poll": poll}
    value = _mount(key=key, data=data, on_changed_change=_changed).get("changed")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
