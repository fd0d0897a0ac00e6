"""The lesson catalog: one card per lesson in curriculum order, and a notice for files that failed to load."""

from __future__ import annotations


import streamlit as st

from sourcecheck.catalog import Catalog
from sourcecheck.curriculum import curriculum_order
from sourcecheck.loader import Library
from sourcecheck.placed import LoadedLesson
from sourcecheck.skills import SKILLS
from sourcecheck.ui import nav
from sourcecheck.ui.text import md

__all__ = ["show_catalog", "show_problems"]

LEVELS = {"intro": "Intro", "core": "Core", "advanced": "Advanced"}


def show_problems(library: Library) -> None:
    """Broken lessons are named with FILE:LINE:COL, so whoever runs the app can fix them; the rest still work."""
    if not library.problems:
        return
    files = library.broken_files
    lines = "\n".join(f"- {md(problem.headline())}" for problem in library.problems)
    st.warning(f"{len(files)} lesson file{'s' if len(files) != 1 else ''} could not be loaded and "
               f"{'are' if len(files) != 1 else 'is'} not listed. The other lessons work.\n\n{lines}",
               icon=":material/warning:")


def show_catalog(library: Library, catalog: Catalog, student: str) -> None:
    if not library.lessons:
        st.info("There are no lessons yet. Lesson files go in the lessons/ folder.")
        return
    for lesson in curriculum_order(library.lessons):
        _card(lesson, catalog, student)


def _card(loaded: LoadedLesson, catalog: Catalog, student: str) -> None:
    lesson = loaded.lesson
    with st.container(border=True, key=f"card-{lesson.id}"):
        st.subheader(md(lesson.title), anchor=False)
        st.caption(f"{LEVELS[lesson.level]} · {lesson.minutes} min · "
                   + " · ".join(md(SKILLS[s]) for s in lesson.skills))
        st.markdown(md(lesson.summary))
        st.caption("You will read: " + "; ".join(_documents(loaded, catalog)))
        if st.button("Open lesson", key=f"open-{lesson.id}", type="primary", icon=":material/arrow_forward:"):
            st.session_state["lesson_id"] = lesson.id
            st.switch_page(nav.QUIZ, query_params={"lesson": lesson.id, "s": student})


def _documents(loaded: LoadedLesson, catalog: Catalog) -> list[str]:
    """The lesson's own document first, then any other document an excerpt quotes."""
    ids = dict.fromkeys([loaded.lesson.document] + [p.document.info.id for p in loaded.excerpts.values()])
    described = []
    for doc_id in ids:
        info = catalog.entries[doc_id]
        title = f"“{md(info.display_title)}”" if info.title else md(info.display_title)
        described.append(f"{title}, {md(info.outlet)}" if info.outlet else title)
    return described
