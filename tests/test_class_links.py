"""Links and clicks that name a class find that class or none: a double click on "Start the class" starts one
class, and a projector link to a deleted class never opens a newer one (ids are not reused), on SQLite and
PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import page_text

from sourcecheck.db import SqlStore, open_store
from sourcecheck.ui import teacher_nav

LESSON = "raqqa-who-says"


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[SqlStore]:
    """The app's own database for these pages: the suite's SQLite file, or the test PostgreSQL server."""
    if request.param == "postgresql":
        monkeypatch.setenv("DATABASE_URL", request.getfixturevalue("postgres_url"))
    store = open_store(os.environ["DATABASE_URL"])
    yield store
    store.engine.dispose()


def classes_page() -> AppTest:
    at = signed_in(teacher_nav.CLASSES)
    assert not at.exception
    at.selectbox(key="cls-lesson").set_value(LESSON)
    return at


def test_a_double_click_on_start_starts_one_class(db: SqlStore) -> None:
    before = {s.id for s in [c.session for c in db.class_summaries()]}
    at = classes_page()
    at.button(key="cls-start").click().run()
    at.button(key="cls-start").click().run()  # the second click of a double click: no run without it between
    assert not at.exception
    made = {s.id for s in [c.session for c in db.class_summaries()]} - before
    assert len(made) == 1
    at.run()  # anything else the teacher does in between makes the next click a new request
    at.button(key="cls-start").click().run()
    assert len({s.id for s in [c.session for c in db.class_summaries()]} - before) == 2


def test_a_projector_link_to_a_deleted_class_opens_no_other_class(db: SqlStore) -> None:
    at = classes_page()
    at.button(key="cls-start").click().run()
    old = [c.session for c in db.class_summaries()][0]
    assert db.delete_session(old.id) is True
    at.run()  # a run without a submission: the next click is a new request
    at.button(key="cls-start").click().run()
    new = [c.session for c in db.class_summaries()][0]
    assert new.id > old.id
    projector = signed_in(teacher_nav.PROJECTOR)
    projector.query_params["session"] = str(old.id)  # the old link, bookmarked or left open
    projector.run()
    assert not projector.exception
    text = page_text(projector)
    assert new.code not in text and old.code not in text
    assert "it was deleted" in text  # what the page says for a class that is not there


def test_a_repeated_submission_is_one_class_but_other_settings_are_another(db: SqlStore) -> None:
    from sourcecheck.lessons.catalog import load_catalog
    from sourcecheck.lessons.loader import load_library
    from sourcecheck.lessons.paths import PROJECT_ROOT
    from sourcecheck.sessions.classes import start_class

    catalog = load_catalog(PROJECT_ROOT / "seeds")
    lesson = load_library([PROJECT_ROOT / "lessons" / f"{LESSON}.yaml"], catalog).get(LESSON)
    assert lesson is not None
    first = start_class(db, lesson, pacing="teacher", submission="form-run-1")
    assert start_class(db, lesson, pacing="teacher", submission="form-run-1").id == first.id  # a retry, a rerun
    assert start_class(db, lesson, pacing="self", submission="form-run-1").id != first.id  # the teacher changed it
    assert start_class(db, lesson, pacing="teacher").id != first.id  # no submission: always a new class
