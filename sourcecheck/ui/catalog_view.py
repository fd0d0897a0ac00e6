"""The lesson catalog: one card per lesson in curriculum order, and a notice for files that failed to load."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import streamlit as st

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.curriculum import curriculum_order
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.skills import SKILLS
from sourcecheck.sessions.solo import PAUSED
from sourcecheck.ui import nav
from sourcecheck.ui.text import md

__all__ = ["show_catalog", "show_join_box", "show_problems"]

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


def show_join_box(student: str) -> None:
    """The first thing on the home page: the class code from the board and Join (or Enter), which opens the join
    page with the code filled in, where the student adds a name. Large on a phone (APP_CSS, .st-key-home-join)."""
    with st.container(border=True, key="home-join"):
        st.header("Join a class", anchor=False)  # h2 under the page title, as the lesson cards
        with st.form("home-join-form", border=False, enter_to_submit=True):
            code = st.text_input("Class code", max_chars=12, key="home-join-code", autocomplete="off",
                                 placeholder="For example K7M2QX")
            go = st.form_submit_button("Join", type="primary", icon=":material/login:", key="home-join-submit",
                                       width="stretch")
        if go:
            if code.strip():
                st.switch_page(nav.JOIN, query_params={"code": code.strip(), "s": student})
            st.warning("Type the code your teacher shows first.", icon=":material/keyboard:")


def show_catalog(library: Library, catalog: Catalog, student: str, paused: Callable[[str], bool]) -> None:
    """`paused(lesson_id)`: a class on that lesson is open, so it cannot be practised alone now (sessions/solo.py)."""
    if not library.lessons:
        st.info("There are no lessons yet. Lesson files go in the lessons/ folder.")
        return
    for lesson in curriculum_order(library.lessons):
        _card(lesson, catalog, student, paused(lesson.id))


def _card(loaded: LoadedLesson, catalog: Catalog, student: str, paused: bool) -> None:
    """Three elements per card (frame, text, button): each element costs server time on every rerun."""
    lesson = loaded.lesson
    with st.container(border=True, key=f"card-{lesson.id}"):
        st.html(card_html(loaded, catalog))
        if paused:
            st.info(f"{PAUSED}.", icon=":material/lock_clock:")
        elif st.button("Open lesson", key=f"open-{lesson.id}", type="primary", icon=":material/arrow_forward:"):
            st.session_state["lesson_id"] = lesson.id
            st.switch_page(nav.QUIZ, query_params={"lesson": lesson.id, "s": student})


def card_html(loaded: LoadedLesson, catalog: Catalog) -> str:
    """The card's text as one block of markup built from escaped strings."""
    lesson = loaded.lesson
    meta = " · ".join([LEVELS[lesson.level], f"{lesson.minutes} min", *(SKILLS[s] for s in lesson.skills)])
    note = (f'<p class="sc-content-note"><b>Content note:</b> {escape(lesson.content_note)}</p>'
            if lesson.content_note else "")
    for_teachers = (f'<p class="sc-teacher-note"><b>For teachers:</b> {escape(lesson.teacher_note)}</p>'
                    if lesson.teacher_note else "")
    return (f'<div class="sc-card"><h2>{escape(lesson.title)}</h2>'
            f'<p class="sc-meta">{escape(meta)}</p><p>{escape(lesson.summary)}</p>{note}{for_teachers}'
            f'<p class="sc-meta">You will read: {"; ".join(_documents(loaded, catalog))}</p></div>')


def _documents(loaded: LoadedLesson, catalog: Catalog) -> list[str]:
    """The lesson's own document first, then any other document an excerpt quotes (escaped)."""
    ids = dict.fromkeys([loaded.lesson.document] + [p.document.info.id for p in loaded.excerpts.values()])
    return [escape(catalog.entries[doc_id].credit) for doc_id in ids]
