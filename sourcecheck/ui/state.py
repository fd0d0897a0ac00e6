"""What the pages share: the lesson library, the student's token, the chosen lesson and its progress.

The library cache and the database store are one per process, kept in plain module dicts (a dict lookup on
every rerun costs nothing, where st.cache_resource would hash its arguments) and shared by every session:
both are thread-safe. Nothing here parses a lesson on a rerun: `LibraryCache` only stats files. All that
two server processes must agree on is in the database; session_state only caches ids read from it.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import streamlit as st

from sourcecheck.db import DATABASE_ENV, DatabaseUnavailable, open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library, LibraryCache
from sourcecheck.lessons.paths import lessons_dir, seeds_dir
from sourcecheck.lessons.problems import LessonProblems
from sourcecheck.sessions.budget import WriteBudget
from sourcecheck.sessions.identity import is_student_token, new_student_token
from sourcecheck.sessions.progress import Progress
from sourcecheck.sessions.store import Store
from sourcecheck.ui.db_notice import notify
from sourcecheck.ui.text import md

__all__ = ["chosen_lesson", "library", "preview_lesson", "progress", "set_url", "store", "store_if_open", "student",
           "written_through"]


_LIBRARIES: dict[tuple[str, str], LibraryCache] = {}
_STORES: dict[str, Store] = {}
_LOCK = threading.Lock()
BUDGET = "write-budget"  # this session's WriteBudget
WRITTEN = "progress:written"  # the solo progress a callback just wrote through (`written_through`)


def _library_cache(lessons: str, seeds: str) -> LibraryCache:
    """One per process and pair of folders, shared by every session (it locks inside). A plain dict rather
    than st.cache_resource: this runs on every rerun, and a dict lookup costs nothing."""
    key = (lessons, seeds)
    found = _LIBRARIES.get(key)
    if found is None:
        with _LOCK:
            found = _LIBRARIES.get(key) or _LIBRARIES.setdefault(key, LibraryCache(Path(lessons),
                                                                                    load_catalog(Path(seeds))))
    return found


def _store(url: str) -> Store:
    """One engine per process and database URL (thread-safe); each call on it is one short transaction."""
    found = _STORES.get(url)
    if found is None:
        with _LOCK:
            found = _STORES.get(url)
            if found is None:
                found = open_store(url or None)
                found.on_retry = notify  # while it retries, the waiting page says so
                _STORES[url] = found
    return found


def store() -> Store:
    """The database every process shares. Unreachable, the page says which setting to check, and stops."""
    try:
        db = _store(os.environ.get(DATABASE_ENV, ""))
    except DatabaseUnavailable as e:
        st.error(md(str(e)), icon=":material/database_off:")
        st.stop()
    db.purge_solo_if_due()  # one clock read; once a day, expired solo practice is deleted (db/retention.py)
    return db


def store_if_open() -> Store | None:
    """The database, or None when it cannot be opened: for a page that works without it (the catalog), where
    the page that needs it (the lesson) names the problem."""
    try:
        return _store(os.environ.get(DATABASE_ENV, ""))
    except DatabaseUnavailable:
        return None


def library_cache() -> LibraryCache:
    """Keyed by the folders, so tests (and `preview FILE`) pointing elsewhere get their own cache.

    A broken document catalog means nothing can load: the page says so, names each problem, and stops.
    """
    try:
        return _library_cache(str(lessons_dir()), str(seeds_dir()))
    except LessonProblems as e:
        st.error("The document catalog could not be read:\n\n" + "\n".join(f"- {md(p.headline())}" for p in e.errors))
        st.stop()


def library() -> Library:
    return library_cache().get()


def preview_lesson(lib: Library) -> LoadedLesson | None:
    """`preview FILE` points SOURCECHECK_LESSONS at one file: that lesson opens directly."""
    return lib.lessons[0] if lessons_dir().is_file() and len(lib.lessons) == 1 else None


def student() -> str:
    """A random token per student: it seeds the option shuffle and finds their progress after a refresh.

    A valid `s` in the URL wins (a refresh, a bookmarked link); otherwise the session's, or a new one.
    """
    from_url = st.query_params.get("s")
    if is_student_token(from_url):
        st.session_state["student"] = from_url
    elif not is_student_token(st.session_state.get("student")):
        st.session_state["student"] = new_student_token()
    token: str = st.session_state["student"]
    return token


def chosen_lesson(lib: Library) -> LoadedLesson | None:
    """The lesson named in the URL, else the one this session last opened (page switches clear the URL)."""
    wanted = st.query_params.get("lesson") or st.session_state.get("lesson_id")
    lesson = lib.get(wanted) if wanted else None
    if lesson is None and wanted is None:
        lesson = preview_lesson(lib)
    if lesson is not None:
        st.session_state["lesson_id"] = lesson.id
    return lesson


def set_url(**params: str) -> None:
    """Put state back into the URL so a refresh or a shared link returns here; write only what changed."""
    changed = {k: v for k, v in params.items() if st.query_params.get(k) != v}
    if changed:
        st.query_params.update(changed)


def progress(lesson: LoadedLesson, token: str) -> Progress:
    """This student's progress in `lesson`, read from the database: a refresh or a restart resumes it.

    Opening a lesson stores nothing: the solo participant is made by the first Submit (sessions/progress.py),
    and until then each run looks it up (one indexed read). Answers are bounded by this browser session's
    WriteBudget, kept in session_state: server-side, so a client cannot reset it by changing its URL. The one run
    that does not read: right after this tab's own stored Submit or Next (`written_through`)."""
    db = store()
    key = f"participant:{token}"
    written = st.session_state.pop(WRITTEN, None)
    if (isinstance(written, Progress) and written.lesson is lesson and written.student == token
            and written.participant_id is not None):
        st.session_state[key] = written.participant_id
        return written
    if st.session_state.get(key) is None:
        st.session_state[key] = db.find_solo_participant(token)
    budget = st.session_state.setdefault(BUDGET, WriteBudget())
    return Progress.load(db, lesson, st.session_state[key], token, budget=budget)


def written_through(progress: Progress) -> None:
    """After a solo Submit or Next that the database took, from its button's callback: the progress that callback
    changed is what the database now holds, so the run that follows (the next question, or its feedback) shows it
    without reading it again (`progress`). Only after a write that was stored: one refused because another tab got
    there first reads again, as every other run does. A stored write on the question on screen also means no
    other tab is past it (each would have had to answer or leave that same question first)."""
    st.session_state[WRITTEN] = progress
