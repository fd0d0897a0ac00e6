"""What the app relies on inside Streamlit 1.67, beyond its public API: in one place, pinned with the version.

`fragment_rerun()`: whether this run is a fragment's own rerun rather than a run of the whole page. A page that
follows its class reads the class's row once per whole-page run; the follow fragment, run as part of that page,
need not read it again (one query less per student per teacher's click), and reads it only when it runs alone.

`install()`: one change to the server that push needs.

A page that follows its class by push (ui/live_view.py) has no run_every fragment. When the server restarts, the
browser reconnects to a new session that has not run the page yet, and Streamlit's frontend asks for a run on
reconnecting only when the page has a run_every timer (or a run was under way): so a pushed page is left as it
was drawn, and the fragment rerun its subscriber then asks for names a fragment the new session does not have.
Streamlit drops such a request ("The fragment with id ... does not exist anymore"), so the page would stay on the
old question until the student reloaded it. Here a fragment rerun for a fragment the session does not have runs
the whole page instead: the frontend sends every widget's state with a fragment rerun too, so nothing the student
had chosen is lost, and the page is drawn anew by the new session. The same request after a full run removed the
fragment (the case Streamlit's check is for, streamlit/streamlit#9921) is left to Streamlit: only a session
that has run nothing yet gets the whole page.
tests/e2e/test_classroom_browser.py restarts the server mid-class and checks that every phone follows the Reveal.
"""

from __future__ import annotations

from typing import Any

import streamlit
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

__all__ = ["PINNED", "fragment_rerun", "install", "pinned", "whole_page_for_lost_fragments"]

PINNED = "1.67.0"  # the version this was read against (requirements.txt); a test fails when they differ
_MARK = "_sourcecheck_lost_fragments"
_RAN = "_sourcecheck_has_run"  # set on an AppSession by its first rerun request


def whole_page_for_lost_fragments(session: Any, client_state: ClientState | None) -> ClientState | None:
    """The request to run: `client_state` as sent, or, when a session that has run nothing yet (a new session
    after a server restart) is asked for a fragment it does not have, the same request for the whole page. A
    session that has run before keeps Streamlit's own rule: such a request is dropped, because the whole-page
    run that removed the fragment has drawn the page anew (turning it into another whole-page run would
    interrupt a run under way, and a page busy with reruns could keep interrupting itself)."""
    first = not getattr(session, _RAN, False)
    setattr(session, _RAN, True)
    if client_state is None or not client_state.fragment_id or session.has_fragment(client_state.fragment_id):
        return client_state
    if not first:
        return client_state
    whole = ClientState()
    whole.CopyFrom(client_state)
    whole.ClearField("fragment_id")
    whole.is_auto_rerun = False
    return whole


def install() -> None:
    """Make AppSession.request_rerun run the whole page for a lost fragment (once per process)."""
    original = AppSession.request_rerun
    if getattr(original, _MARK, False):
        return

    def request_rerun(self: AppSession, client_state: ClientState | None) -> None:
        original(self, whole_page_for_lost_fragments(self, client_state))

    setattr(request_rerun, _MARK, True)
    AppSession.request_rerun = request_rerun  # type: ignore[method-assign]


def pinned() -> bool:
    return streamlit.__version__ == PINNED


def fragment_rerun() -> bool:
    """This run reruns fragments only (a trigger or a timer), not the whole page. Outside a script run: False."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)
