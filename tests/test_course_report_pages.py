"""The course report on the teacher's Courses page, and a student's booster on their course home, in AppTest (issue
18): the three tables with their CSVs, the flag in words, the explanation; the student sees their own booster and
nobody else's name or figures."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from course_seed import seed_report
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, assert_no_leak, page_text

from sourcecheck.db import SqlStore, open_store
from sourcecheck.sessions.course_store import CourseRow
from sourcecheck.ui import browser, nav, teacher_nav

NAMES = ["Ana", "Ben", "Cai", "Dee"]


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture
def db() -> SqlStore:
    return open_store(os.environ["DATABASE_URL"])


def courses_page(course: CourseRow) -> AppTest:
    at = signed_in(teacher_nav.COURSES)
    at.selectbox(key="crs-course").select(course.id).run()
    assert not at.exception
    return at


def test_the_report_shows_the_class_the_changes_with_the_flag_and_each_student(db: SqlStore) -> None:
    course, _ = seed_report(db, NAMES, datetime.now(UTC))
    at = courses_page(course)
    text = page_text(at)
    assert "Report" in text and "What these mean" in text
    assert "Pre to post: more sceptical, not better at telling" in text
    shown = [f.value for f in at.dataframe]
    checks, changes, students = shown
    assert checks["Check"].tolist() == ["Pre", "Post", "Booster", "Delayed"]
    assert checks["Took it"].tolist() == [4, 4, 0, 0]
    assert checks["Score"].iloc[0].endswith(")") and "%" in checks["Score"].iloc[0]
    assert changes["Change"].tolist()[0] == "Pre → post" and changes["Students"].tolist()[0] == 4
    assert students["Student"].tolist() == NAMES
    assert len(checks.columns) <= 6 and len(changes.columns) <= 6 and len(students.columns) <= 9
    labels = [b.label for b in at.get("download_button")]
    assert [label for label in labels if "“" in label] == [
        "Download “The class on each check” (CSV)", "Download “Changes between checks” (CSV)",
        "Download “Each student” (CSV)"]


def test_a_course_without_answers_says_the_report_comes_later(db: SqlStore) -> None:
    from sourcecheck.sessions import courses

    course = courses.create_course(db, f"Empty {uuid.uuid4().hex[:4]}", datetime.now(UTC), uuid.uuid4().hex)
    at = courses_page(course)
    assert "The report appears here once students have answered a check" in page_text(at)
    at.number_input(key=f"crs-booster-days-{course.id}").set_value(10)
    at.button(key=f"crs-booster-save-{course.id}").click().run()
    assert not at.exception
    stored = db.course(course.id)
    assert stored is not None and stored.booster_days == 10


def test_a_student_sees_their_booster_and_only_their_own(db: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    course, made = seed_report(db, NAMES, datetime.now(UTC), booster_days=0)
    (ana, _), *_ = made
    monkeypatch.setattr(browser, "device_id", lambda: None)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(nav.COURSE).run()
    at.session_state["course:student"] = ana.id
    at.run()
    assert not at.exception
    text = page_text(at)
    assert "Booster:" in text and "Ana" in text and course.name in text
    assert not any(name in text for name in NAMES[1:])
    assert_no_leak(text)
    start = next(b for b in at.button if b.key and b.key.startswith("course-booster-start-"))
    start.click().run()
    assert not at.exception
    boosters = [c for c in db.course_classes(course.id) if c.phase == "booster"]
    assert len(boosters) == 1 and db.participant(boosters[0].session.id, ana.token) is not None
