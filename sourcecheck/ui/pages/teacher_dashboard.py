"""Results page: how one class, or every class on a lesson, answered; each table downloads as CSV."""

from __future__ import annotations

import streamlit as st

from sourcecheck.ui import dashboard_view, state, teacher_nav

st.set_page_config(layout="wide")  # tables with many columns beside their charts
st.html(f"<style>{dashboard_view.CSS}</style>")
teacher_nav.menu()
st.title("Results", anchor=False)
db = state.store()
scope = dashboard_view.choose_scope(db)
if scope is None:
    st.stop()
dashboard_view.show(scope)
