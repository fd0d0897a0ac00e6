"""st.Page that works out its URL's hash once, not each time st.navigation asks for it.

st.navigation reads every page's `_script_hash` several times on every full rerun (building its lookup, the
message to the browser, and finding the page to run), and Streamlit 1.67 computes it afresh each time from the
page's URL path (`calc_hash(self._url_path)`): about 50 hashes a run for the app's 15 pages. The URL path is set
when the page is made and never changes, so the hash is kept. This leans on Streamlit's private name
`_script_hash`, pinned with the version: tests/test_hashed_page.py checks it still is what Streamlit would compute,
and every page test goes through st.navigation with these pages.
"""

from __future__ import annotations

from functools import cached_property

import streamlit as st

__all__ = ["Page"]


class Page(st.Page):
    @cached_property
    def _script_hash(self) -> str:
        return super()._script_hash
