"""The lesson catalog: one card per lesson in curriculum order, drawn by one component (ui/catalog_cards/), and a
notice for files that failed to load."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.curriculum import curriculum_order
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.skills import SKILLS
from sourcecheck.sessions.solo import PAUSED
from sourcecheck.ui import nav
from sourcecheck.ui.text import md

__all__ = ["CHOSEN", "COMPONENT", "KEY", "OPEN", "card_data", "show_catalog", "show_join_box", "show_problems"]

LEVELS = {"intro": "Intro", "core": "Core", "advanced": "Advanced"}
COMPONENT = "sourcecheck_catalog"
KEY = "catalog-cards"  # the component's state in st.session_state; its trigger "open" carries a lesson id
CHOSEN = "catalog-chosen"  # the lesson the last "open" chose, for the page to open once the callback has run
OPEN = "Open lesson"
_FILES = Path(__file__).parent / "catalog_cards"

_component = st.components.v2.component(
    COMPONENT,
    html=(_FILES / "cards.html").read_text(encoding="utf-8"),
    css=(_FILES / "cards.css").read_text(encoding="utf-8"),
    js=(_FILES / "cards.js").read_text(encoding="utf-8"),
)


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


def show_catalog(library: Library, catalog: Catalog, student: str,
                 paused: Callable[[Iterable[str]], frozenset[str]]) -> None:
    """Every lesson as a card in ONE element (the catalog component, ui/catalog_cards/): each element Streamlit
    draws costs server time on every rerun, and 18 lessons as a container, text and button each were ~50.
    `paused(lesson_ids)`: those of them with a class open, so they cannot be practised alone now (sessions/solo.py,
    asked once for all cards); each such card shows why instead of a button. A card's button sends its lesson's id
    (the trigger "open"); the lesson opens as the button did before: the quiz page, in the app, with the lesson
    and the student in the URL."""
    chosen = st.session_state.pop(CHOSEN, None)  # set by _on_open in this run, before the page is drawn
    if isinstance(chosen, str):
        st.session_state["lesson_id"] = chosen
        st.switch_page(nav.QUIZ, query_params={"lesson": chosen, "s": student})
    if not library.lessons:
        st.info("There are no lessons yet. Lesson files go in the lessons/ folder.")
        return
    ordered = curriculum_order(library.lessons)
    shut = paused([lesson.id for lesson in ordered])
    cards = [dict(card, paused=card["id"] in shut) for card in _cards(library, catalog, ordered)]
    data = {"cards": cards, "open_text": OPEN, "paused_text": f"{PAUSED}."}
    _mount(key=KEY, data=data, on_open_change=_on_open, args=(frozenset(c["id"] for c in cards), shut))


def _on_open(lesson_ids: frozenset[str], shut: frozenset[str]) -> None:
    """The component's "open" trigger, before the page is drawn again: a lesson listed on the page and not paused
    is remembered for the page to open; anything else a browser sends (an unknown id, a paused lesson, not a
    string) is ignored, and the catalog is drawn again."""
    value = st.session_state.get(KEY)
    chosen = value.get("open") if isinstance(value, Mapping) else None
    if isinstance(chosen, str) and chosen in lesson_ids and chosen not in shut:
        st.session_state[CHOSEN] = chosen


def _mount(*, key: str, data: Mapping[str, Any], on_open_change: Callable[..., None],
           args: tuple[Any, ...]) -> None:
    def changed() -> None:
        on_open_change(*args)

    _component(key=key, data=dict(data), on_open_change=changed)


_CARDS: dict[int, tuple[Library, Catalog, list[dict[str, Any]]]] = {}


def _cards(library: Library, catalog: Catalog, ordered: Sequence[LoadedLesson]) -> list[dict[str, Any]]:
    """The cards' text, built once per library (LibraryCache makes a new Library when a lesson file changes)
    rather than on every rerun."""
    kept = _CARDS.get(id(library))
    if kept is not None and kept[0] is library and kept[1] is catalog:
        return kept[2]
    cards = [card_data(lesson, catalog) for lesson in ordered]
    _CARDS.clear()
    _CARDS[id(library)] = (library, catalog, cards)
    return cards


def card_data(loaded: LoadedLesson, catalog: Catalog) -> dict[str, Any]:
    """One card's strings, as they are: the component puts every one into the page as text, never as HTML."""
    lesson = loaded.lesson
    return {
        "id": lesson.id,
        "title": lesson.title,
        "meta": " · ".join([LEVELS[lesson.level], f"{lesson.minutes} min", *(SKILLS[s] for s in lesson.skills)]),
        "summary": lesson.summary,
        "content_note": lesson.content_note or "",
        "teacher_note": lesson.teacher_note or "",
        "documents": _documents(loaded, catalog),
    }


def _documents(loaded: LoadedLesson, catalog: Catalog) -> list[str]:
    """The lesson's own document first, then any other document an excerpt quotes."""
    ids = dict.fromkeys([loaded.lesson.document] + [p.document.info.id for p in loaded.excerpts.values()])
    return [catalog.entries[doc_id].credit for doc_id in ids]
