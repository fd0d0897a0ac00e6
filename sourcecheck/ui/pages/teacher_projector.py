"""Projector page: the class's screen at 1920x1080. Join code, the question, live answer counts, the reveal."""

from __future__ import annotations

import streamlit as st

from sourcecheck.ui import projector_view, state

st.set_page_config(page_title="SourceCheck projector", layout="wide")
st.html(f"<style>{projector_view.CSS}</style>")
db = state.store()
session = projector_view.chosen_session(db)
if session is None:
    st.stop()
projector_view.show(db, session)
