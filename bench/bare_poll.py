"""The yardstick for the live poll: the bare page plus an empty fragment on the app's timer
(one second, or SOURCECHECK_POLL_SECONDS as the load harness sets it for both).

A student's screen in a teacher-paced class reruns one fragment every second; this is what the
cheapest such fragment costs, so the ratio shows what the app's poll (one primary-key read) adds.
"""

from __future__ import annotations

import os

import streamlit as st

st.title("Bare page")
st.button("Click me", key="click")
st.write("A line of text.")


@st.fragment(run_every=float(os.environ.get("SOURCECHECK_POLL_SECONDS", "") or 1.0))
def poll() -> None:
    pass


poll()
