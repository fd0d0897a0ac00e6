"""The Streamlit internals the app relies on (ui/streamlit_internals.py): pinned, and doing what they say."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSession

from sourcecheck.ui import streamlit_internals

ROOT = Path(__file__).resolve().parent.parent


class Session:
    def __init__(self, *fragments: str) -> None:
        self.fragments = set(fragments)

    def has_fragment(self, fragment_id: str) -> bool:
        return fragment_id in self.fragments


def a_fragment_rerun(fragment_id: str) -> ClientState:
    state = ClientState(fragment_id=fragment_id, is_auto_rerun=True, page_script_hash="page", query_string="c=ABC")
    widget = state.widget_states.widgets.add()
    widget.id, widget.string_value = "$$ID-answer", "what the student typed"
    return state


def test_the_version_read_is_the_version_pinned() -> None:
    pinned = re.search(r"^streamlit==(\S+)", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M)
    assert pinned is not None and pinned.group(1) == streamlit_internals.PINNED
    assert streamlit_internals.pinned()


def test_a_new_session_asked_for_a_fragment_it_lacks_runs_the_whole_page_with_every_widget_kept() -> None:
    """A server restart: the browser's first request to its new session is its subscriber's fragment rerun."""
    sent = a_fragment_rerun("lost")
    run = streamlit_internals.whole_page_for_lost_fragments(Session("other"), sent)
    assert run is not None and run is not sent
    assert run.fragment_id == "" and not run.is_auto_rerun
    assert run.page_script_hash == "page" and run.query_string == "c=ABC"
    assert [(w.id, w.string_value) for w in run.widget_states.widgets] == [("$$ID-answer", "what the student typed")]
    assert sent.fragment_id == "lost"  # the request as sent is not changed


def test_a_rerun_of_a_fragment_the_session_has_and_a_whole_page_run_pass_unchanged() -> None:
    sent = a_fragment_rerun("here")
    assert streamlit_internals.whole_page_for_lost_fragments(Session("here"), sent) is sent
    whole = ClientState(page_script_hash="page")
    assert streamlit_internals.whole_page_for_lost_fragments(Session(), whole) is whole
    assert streamlit_internals.whole_page_for_lost_fragments(Session(), None) is None


def test_installing_twice_wraps_the_server_s_rerun_once() -> None:
    streamlit_internals.install()
    first = AppSession.request_rerun
    streamlit_internals.install()
    assert AppSession.request_rerun is first
    assert getattr(first, "_sourcecheck_lost_fragments", False)


def test_outside_a_script_run_nothing_is_a_fragment_rerun() -> None:
    assert not streamlit_internals.fragment_rerun()


def test_a_session_that_has_run_keeps_streamlit_s_rule_for_a_lost_fragment() -> None:
    """After a whole-page run removed the fragment, the request is dropped as Streamlit does (passed on unchanged):
    another whole-page run would interrupt the one under way."""
    session = Session()
    streamlit_internals.whole_page_for_lost_fragments(session, ClientState(page_script_hash="page"))
    sent = a_fragment_rerun("lost")
    assert streamlit_internals.whole_page_for_lost_fragments(session, sent) is sent
