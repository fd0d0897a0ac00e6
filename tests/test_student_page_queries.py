"""What a student's page run asks the database: the reads that every student pays on every click, kept out.

Each statement the engine sends is counted (SQLAlchemy's before_cursor_execute) while AppTest runs the page:
- a class page's rerun (after a teacher's click every student's page reruns at once) does not ask again whether the
  class belongs to a course: that is read once per class and process, and the seat code still shows;
- in solo practice, the run right after the student's own stored Submit or Next shows the progress the click wrote,
  without reading it back; any other run reads it (another tab's answers show).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from query_counter import Counter, counting
from teacher_helpers import signed_in, use_passcode
from ui_helpers import alerts, fill, join_as, open_quiz, page_text, progress_of, read_progress, submit

from sourcecheck.db import open_store
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.ui import teacher_nav
from sourcecheck.ui.question_view import key

LESSON = "raqqa-who-says"


@pytest.fixture
def counter() -> Iterator[Counter]:
    with counting() as found:
        yield found


@pytest.fixture(scope="module")
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def test_a_class_page_rerun_does_not_ask_again_whether_the_class_is_a_courses(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, counter: Counter) -> None:
    use_passcode(monkeypatch, tmp_path)
    teacher = signed_in(teacher_nav.CLASSES)
    teacher.selectbox(key="cls-lesson").set_value(LESSON)
    teacher.radio(key="cls-pacing").set_value("teacher")
    teacher.button(key="cls-start").click().run()
    assert not teacher.exception
    code = next(m.value for m in teacher.markdown if m.value.startswith("### Join code")).split("`")[1]
    student = join_as(code, "Sam", "query-count-student-0001")
    assert "Your seat code:" in page_text(student)
    counter.statements.clear()
    for _ in range(3):  # what every student's page does after each click of the teacher
        student.run()
        assert not student.exception
        assert "Your seat code:" in page_text(student)  # still offered: a class of no course
    assert counter.mentioning("course_classes") == []
    db = open_store(os.environ["DATABASE_URL"])
    try:
        session = db.session_by_code(code)
        assert session is not None and db.course_class(session.id) is None
    finally:
        db.engine.dispose()


def test_the_run_after_a_stored_submit_or_next_shows_it_without_reading_it_back(
        lesson: LoadedLesson, counter: Counter) -> None:
    at = open_quiz(LESSON, token="query-count-solo-000001")
    progress = progress_of(at, LESSON)
    first = lesson.lesson.questions[0]
    fill(at, lesson, progress, first, "right")
    counter.statements.clear()
    submit(at, progress, first)
    assert not at.exception
    assert "Correct" in alerts(at)  # the feedback, drawn from the progress the click stored
    assert counter.reads_of("answers") == []
    assert [s for s in counter.statements if s.startswith("insert into answers")]

    next_button = key(read_progress(at, LESSON), first.id, "next")  # the test's own read, before counting
    counter.statements.clear()
    at.button(key=next_button).click().run()
    assert not at.exception
    assert "Question 2 of" in at.get("progress")[0].proto.text
    assert counter.reads_of("answers") == []

    counter.statements.clear()
    at.run()  # any other run reads the progress again: another tab's answers would show
    assert "Question 2 of" in at.get("progress")[0].proto.text
    assert counter.reads_of("answers") != []
