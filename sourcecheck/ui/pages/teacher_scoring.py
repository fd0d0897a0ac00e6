"""Scoring page: a teacher scores one rubric question of one class, by groups, by keyboard, first or second."""

from __future__ import annotations

import streamlit as st

from sourcecheck.ui import scoring_view, state, teacher_nav

# no set_page_config(layout="wide"): app.py sets "centered" first on every run, so the page would
# flip between the two on each key's rerun; scoring_view.CSS widens the page instead, once, and it stays
st.html(f"<style>{scoring_view.CSS}</style>")
teacher_nav.menu()
st.title("Score written answers", anchor=False)
db = state.store()
chosen = scoring_view.choose(db)
if chosen is None:
    st.stop()
scoring_view.show(db, chosen)
