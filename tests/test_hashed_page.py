"""ui/hashed_page.py: the app's st.Page keeps its URL hash, and it is the hash Streamlit itself would compute (the
name it overrides, `_script_hash`, is private to Streamlit 1.67: a change there must fail here, not in a class)."""

from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.ui import nav
from sourcecheck.ui.hashed_page import Page


def test_every_page_of_the_app_keeps_streamlits_own_hash_and_navigation_still_finds_them() -> None:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    at.switch_page(nav.JOIN).run()
    assert not at.exception and at.text_input(key="join-code") is not None  # found by its URL's hash
    held = at.session_state["site:pages"][1]
    assert len(held) == 15 and all(isinstance(page, Page) for page in held)
    for page in held:
        assert "_script_hash" in vars(page)  # worked out once, kept on the page
        assert page._script_hash == st.Page._script_hash.fget(page)  # type: ignore[attr-defined]
    assert len({page._script_hash for page in held}) == len(held)
