"""SourceCheck's student app: `streamlit run app.py`. Page setup and navigation only; pages do the rest."""

import streamlit as st

from sourcecheck.ui import nav, teacher_nav

st.set_page_config(page_title="SourceCheck", page_icon=":material/fact_check:", layout="centered")
st.navigation([
    st.Page(nav.CATALOG, title="Lessons", icon=":material/menu_book:", default=True),
    st.Page(nav.QUIZ, title="Lesson", icon=":material/quiz:"),
    st.Page(nav.JOIN, title="Join a class", icon=":material/login:", url_path="join"),
    st.Page(nav.CLASS, title="Class", icon=":material/groups:", url_path="class"),
    *teacher_nav.pages(),  # /teacher and the other teacher pages: the sign-in form until the passcode is given
], position="hidden").run()
