"""The yardstick page for the page-cost benchmark: what any Streamlit page costs per rerun."""

from __future__ import annotations

import streamlit as st

st.title("Bare page")
if st.button("Click me", key="click"):
    st.write("Clicked.")
else:
    st.write("A line of text.")
