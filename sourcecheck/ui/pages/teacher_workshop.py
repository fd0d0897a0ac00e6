"""Teacher page: write or check a lesson, preview it as a student, save or download it; find quotes on the side."""

from __future__ import annotations

import streamlit as st

from sourcecheck.errors import LessonProblems
from sourcecheck.placed import LoadedLesson
from sourcecheck.ui import state, style, teacher_nav
from sourcecheck.ui.text import md
from sourcecheck.ui.workshop_preview import show_preview
from sourcecheck.ui.workshop_quotes import show_quote_finder
from sourcecheck.ui.workshop_view import check, show_editor, show_problems, show_save

style.apply()
teacher_nav.menu()
st.title("Lesson workshop", anchor=False)
try:
    cache = state.library_cache()
except LessonProblems as e:
    st.error("The document catalog could not be read:\n\n" + "\n".join(f"- {md(p.headline())}" for p in e.errors))
    st.stop()

with st.sidebar:
    show_quote_finder(cache.catalog)

text, name = show_editor()
if not text.strip():
    st.info("Paste a lesson above or upload a file. `python -m sourcecheck new` writes a starting point, and "
            "**Find a quote** (in the side panel) gives you exact quotes from the documents.", icon=":material/info:")
    st.stop()

result = check(text, name, cache.catalog)
if not isinstance(result, LoadedLesson):
    show_problems(result)
    st.stop()

count = len(result.lesson.questions)
st.success(f"No problems: “{md(result.lesson.title)}”, {count} question{'s' if count != 1 else ''}.",
           icon=":material/check_circle:")
preview_tab, save_tab = st.tabs(["Preview as a student", "Save or download"])
with preview_tab:
    show_preview(result, text)
with save_tab:
    show_save(result, text, cache.get())
