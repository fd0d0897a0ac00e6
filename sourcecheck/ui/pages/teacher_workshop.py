"""Teacher page: write or check a lesson, preview it as a student, save or download it; find quotes on the side."""

from __future__ import annotations

import streamlit as st

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.ui import state, teacher_nav
from sourcecheck.ui.text import md
from sourcecheck.ui.workshop_preview import show_preview
from sourcecheck.ui.workshop_quotes import show_quote_finder
from sourcecheck.ui.workshop_view import (
    WIDE_CSS,
    check,
    show_editor,
    show_numbered,
    show_problems,
    show_save,
    show_warnings,
)

st.html(f"<style>{WIDE_CSS}</style>")
teacher_nav.menu()
st.title("Lesson workshop", anchor=False)
cache = state.library_cache()

editor, results = st.columns(2, gap="large")
with editor:
    with st.expander("Find a quote in a document", icon=":material/search:"):
        show_quote_finder(cache.catalog)
    text, name = show_editor()
with results:
    if not text.strip():
        st.info("Paste a lesson or upload a file. `python -m sourcecheck new` writes a starting point, and "
                "**Find a quote in a document** (above the editor) gives you exact quotes.",
                icon=":material/info:")
        st.stop()
    result = check(text, name, cache.catalog)
    if not isinstance(result, LoadedLesson):
        show_problems(result)
        show_numbered(text, expanded=True)
        st.stop()
    count = len(result.lesson.questions)
    st.success(f"No problems: “{md(result.lesson.title)}”, {count} question{'s' if count != 1 else ''}.",
               icon=":material/check_circle:")
    show_warnings(result.warnings)
    if result.warnings:  # they name lines too
        show_numbered(text, expanded=True)
    preview_tab, save_tab = st.tabs(["Preview as a student", "Save or download"])
    with preview_tab:
        show_preview(result, text)
    with save_tab:
        show_save(result, text, cache.get())
