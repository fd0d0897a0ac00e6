"""Teacher page: the passcode form when signed out (on every teacher URL); a short start page when signed in."""

from __future__ import annotations

import streamlit as st

from sourcecheck.ui import catalog_view, state, teacher_nav

if not teacher_nav.signed_in():
    teacher_nav.sign_in_form()
    st.stop()

teacher_nav.menu()
st.title("Teacher", anchor=False)
st.markdown("You are signed in in this browser, for 12 hours or until you sign out.")
catalog_view.show_problems(state.library())
st.page_link(teacher_nav.WORKSHOP, label="**Lesson workshop**: check a lesson file, preview it as a student, "
             "save it into the lessons folder, find quotes in the documents", icon=":material/edit_note:")
st.page_link(teacher_nav.CLASSES, label="**Classes**: start a class with a join code, run it on the projector, "
             "close or delete it", icon=":material/groups:")
st.page_link(teacher_nav.DASHBOARD, label="**Results**: how a class, or every class, answered each question",
             icon=":material/monitoring:")
st.page_link(teacher_nav.EXPORTS, label="**Exports**: a lesson for Moodle (GIFT), Canvas (QTI) or paper "
             "(worksheet and answer key)", icon=":material/download:")
