"""Reteach page: one question with its explanation and how the class answered, projector-size, no names."""

from __future__ import annotations

import streamlit as st

from sourcecheck.ui import reteach_view, state

st.set_page_config(page_title="SourceCheck reteach", layout="wide")
st.html(f"<style>{reteach_view.CSS}</style>")
reteach_view.show(state.store())
