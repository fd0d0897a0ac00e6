"""The student's summary of a closed class with a written question scored by rubric (issue 19), in AppTest on SQLite
and PostgreSQL: "Waiting for your teacher's score" before the teacher scores; after, the points, the level given on
each criterion with what it means, and the teacher's comment, all shown as text (markup, formulas and zero-width
characters inert). The student's own answer was bounded when it was stored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import use_passcode
from ui_helpers import APP, TIMEOUT, assert_no_leak, html_bodies, page_text, raw_page
from written_lesson import written_lesson

from sourcecheck.classroom.cache import clear_all
from sourcecheck.db import SqlStore
from sourcecheck.grading.raw import Written
from sourcecheck.grading.responses import MAX_SHORT_ANSWER, read_response
from sourcecheck.grading.written import written_score
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui import class_state, nav

HOSTILE = ('=HYPERLINK("http://x","y") <script>alert(1)</script> <img src=x onerror=alert(2)> '
           "**bold** [link](http://evil.example) z\u200bero\u200dwidth")
TOKEN = "token-written-summary-0001"


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture(autouse=True)
def fresh_live_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(class_state, "LIVE_TTL", 0.0)


@pytest.fixture
def app_store(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> SqlStore:
    monkeypatch.setenv("DATABASE_URL", store.engine.url.render_as_string(hide_password=False))
    clear_all()
    return store


@pytest.fixture
def lesson(tmp_path: Path, catalog: Catalog) -> LoadedLesson:
    return written_lesson(tmp_path, catalog)


def closed_class(db: SqlStore, lesson: LoadedLesson, answer: str) -> tuple[str, int]:
    """A self-paced class in which one student answered everything (the written answer `answer`), then closed."""
    session = start_class(db, lesson, pacing="self")
    pid = db.join(session.id, TOKEN, "Ana").id
    progress = Progress.load(db, lesson, pid, TOKEN, retries=False)
    written = read_response(lesson.bound("why"), Written(answer))  # as the page's Submit reads the text area
    for question_id, response in (("who", 0), ("tf", True), ("why", written)):
        assert progress.submit(question_id, response) and progress.move_on(question_id)
    assert db.close_session(session.id)
    return session.code, session.id


def class_link(code: str) -> AppTest:
    """The student's tab on the class link (?c=CODE&s=TOKEN), as after a reload or coming back the next day."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.query_params["c"] = code
    at.query_params["s"] = TOKEN
    at.switch_page(nav.CLASS)
    at.run()
    assert not at.exception, at.exception
    return at


def score(db: SqlStore, lesson: LoadedLesson, session_id: int, levels: list[int], comment: str) -> None:
    question = lesson.question("why")
    assert isinstance(question, ShortQuestion) and question.rubric
    [row] = db.written_answers([session_id], "why")
    db.save_written_score(row.answer_id, "first", "MK", levels, comment, written_score(question.rubric, levels),
                          None, "summary-key")


def test_the_summary_waits_for_the_teacher_then_shows_the_score_levels_and_comment(app_store: SqlStore,
                                                                                  lesson: LoadedLesson) -> None:
    code, session_id = closed_class(app_store, lesson, "The officials are not named, so I cannot check it.")
    at = class_link(code)
    text = page_text(at)
    assert "Here is how you did" in text
    assert "Waiting for your teacher's score." in text
    assert "1 of 2 points" in text  # who right, tf wrong; the written answer counts for nothing yet
    assert "Says the officials are unnamed" not in text

    score(app_store, lesson, session_id, [1, 1], "Well done: you said who.\nNext time, say how to check it.")
    at = class_link(code)
    text = page_text(at)
    assert "Waiting for your teacher's score." not in text
    assert "3 of 4 points (75 %)" in text  # 1 + 0 + 2 of 1 + 1 + 2
    assert "**Your teacher's score:** 2 of 2 points" in text  # the Markdown source: bold labels
    assert "- **Says who is behind the claim:** 1 of 1. Says the officials are unnamed" in text
    assert "- **Says what that means for trust:** 1 of 1. Says it cannot be checked yet" in text
    assert "**Your teacher's comment:** Well done: you said who. Next time, say how to check it." in text
    assert "Retry the ones I missed" not in text
    assert_no_leak(text)


def test_a_hostile_answer_and_comment_are_bounded_and_shown_as_text(app_store: SqlStore,
                                                                   lesson: LoadedLesson) -> None:
    huge = HOSTILE + " " + "x" * 1_000_000  # a megabyte pasted in
    code, session_id = closed_class(app_store, lesson, huge)
    [row] = app_store.written_answers([session_id], "why")
    assert len(row.text) == MAX_SHORT_ANSWER and row.text.startswith("=HYPERLINK")  # bounded when stored
    score(app_store, lesson, session_id, [1, 0], HOSTILE)
    at = class_link(code)
    text = page_text(at)
    # both shown as the characters typed: escaped Markdown, never a tag, a link or bold text
    assert text.count('=HYPERLINK("http://x","y") <script>alert(1)</script> <img src=x onerror=alert(2)>') == 2
    assert text.count("**bold** [link](http://evil.example)") == 2
    markdown = raw_page(at, with_html=False)
    assert not re.search(r"(?<!\\)<(script|img)", markdown)
    assert not any("<script" in body or "onerror" in body for body in html_bodies(at))
    assert "**Your teacher's score:** 1 of 2 points" in text
    assert_no_leak(text)
