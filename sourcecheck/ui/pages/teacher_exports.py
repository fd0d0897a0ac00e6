"""Teacher page: download a lesson as GIFT, a QTI zip, a printable worksheet or its answer key."""

from __future__ import annotations

import streamlit as st

from sourcecheck.ui import catalog_view, state, teacher_nav
from sourcecheck.ui.exports_view import show_exports

teacher_nav.menu()
st.title("Exports", anchor=False)
st.markdown("A lesson as a file for another tool. What a tool cannot show as SourceCheck does is converted, "
            "and a note under the file says how.")
library = state.library()
catalog_view.show_problems(library)
show_exports(library)
