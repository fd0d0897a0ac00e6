"""Class remote page: the teacher's phone or laptop drives the class and sees who has not answered yet, by name."""

from __future__ import annotations

import streamlit as st

from sourcecheck.ui import remote_view, state, teacher_nav

st.html(f"<style>{remote_view.CSS}</style>")
st.title("Class remote", anchor=False)
db = state.store()
session = remote_view.chosen_session(db)
if session is None:
    st.stop()
remote_view.show(db, session)
with st.container(horizontal=True):
    st.page_link(teacher_nav.PROJECTOR, label="Projector view", icon=":material/present_to_all:",
                 query_params={"session": str(session.id)})
    st.page_link(teacher_nav.CLASSES, label="Classes", icon=":material/groups:")
