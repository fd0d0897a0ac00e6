"""The yardstick page for the page-cost benchmark: what any Streamlit page costs per rerun.

As specified it is a title, a button and a line of text. `?lines=N` adds N more lines, so that a
bare page with as many elements as an app page shows how much of that page's cost is simply
Streamlit's per-element work rather than the app's own code.
"""

from __future__ import annotations

import streamlit as st

st.title("Bare page")
if st.button("Click me", key="click"):
    st.write("Clicked.")
else:
    st.write("A line of text.")
extra = st.query_params.get("lines", "0")
for i in range(int(extra) if extra.isdigit() else 0):
    st.write(f"Line {i + 1}.")
