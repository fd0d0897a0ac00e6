"""The page's CSS, added once per page run: the excerpt styles from highlight.py plus a few app rules."""

from __future__ import annotations

import streamlit as st

from sourcecheck.highlight import CSS

__all__ = ["APP_CSS", "apply"]

# Streamlit's defaults are sized for dashboards; a reading app for teenagers on phones and on a
# classroom projector wants larger body text and roomier lines.
APP_CSS = """
"""


def apply() -> None:
    """st.html with only <style> goes to Streamlit's event container, so it takes no room on the page."""
    st.html(f"<style>{CSS}{APP_CSS}</style>")
