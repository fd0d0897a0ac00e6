"""A teacher-paced class in AppTest: start it, join by code, follow the teacher, answer once, reveal, results.

Every session here is a real AppTest run of app.py against the test database; the teacher and each student
are separate sessions, as separate browsers are.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from catalog_cards import open_lesson
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, alerts, fill, html_bodies, join_as, page_text, progress_of, submit

from sourcecheck.db import SqlStore, open_store
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.ui import nav, teacher_nav

LESSON = "raqqa-who-says"


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture
def db() -> SqlStore:
    return open_store(os.environ["DATABASE_URL"])


def start_class(pacing: str = "teacher", names: bool = False) -> tuple[AppTest, str]:
    at = signed_in(teacher_nav.CLASSES)
    assert not at.exception
    at.selectbox(key="cls-lesson").set_value(LESSON)
    at.radio(key="cls-pacing").set_value(pacing)
    at.checkbox(key="cls-names").set_value(names)
    at.button(key="cls-start").click().run()
    assert not at.exception
    code = next(m.value for m in at.markdown if m.value.startswith("### Join code")).split("`")[1]
    shown = open_store(os.environ["DATABASE_URL"]).session_by_code(code)
    assert shown is not None and shown.pacing == pacing  # the new class's code, not an older class's
    return at, code


def projector(db: SqlStore, code: str) -> AppTest:
    session = db.session_by_code(code)
    assert session is not None
    at = signed_in(teacher_nav.PROJECTOR)
    at.query_params["session"] = str(session.id)
    return at.run()


@pytest.fixture(scope="module")
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def test_a_teacher_paced_class_from_join_to_results(db: SqlStore, lesson: LoadedLesson) -> None:
    teacher, code = start_class()
    assert "Scan to join" in page_text(teacher) or teacher.get("imgs")
    assert "localhost" not in "".join(m.value for m in teacher.markdown if "join?code=" in m.value)

    ana = join_as(code, "Ana", "student-token-ana-00001")
    assert "You are in" in alerts(ana)
    ben = join_as(code, "Ana", "student-token-ben-00001")  # the same name: disambiguated, not refused
    assert "you are Ana (2)" in page_text(ben)

    screen = projector(db, code)
    assert not screen.exception
    assert any(code in body for body in html_bodies(screen))
    assert any("2 joined" in body for body in html_bodies(screen))
    screen.button(key="pj-next").click().run()  # Start: question 1
    assert any("Question 1 of" in body for body in html_bodies(screen))

    ana.run()  # what the one-second poll does when the version changed
    session = db.session_by_code(code)
    assert session is not None
    progress = progress_of(ana, LESSON)
    first = lesson.lesson.questions[0]
    fill(ana, lesson, progress, first, "right")
    submit(ana, progress, first)
    assert not ana.exception
    assert "Your answer is saved" in alerts(ana)
    screen.run()
    assert any("1 of 2 answered" in body for body in html_bodies(screen))

    screen.button(key="pj-reveal").click().run()
    assert not screen.exception
    assert any("1 answered" in body and "✓ right" in body for body in html_bodies(screen))  # the options' counts
    ana.run()
    assert alerts(ana).startswith(("Correct", "Incorrect"))  # the student's own feedback after the reveal
    ben.run()
    assert "this question is closed" in alerts(ben)  # too late to answer once the answers are shown

    results = signed_in(teacher_nav.DASHBOARD)
    results.query_params["session"] = str(session.id)
    results.run()
    assert not results.exception
    tables = [d.value for d in results.dataframe]
    per_question = next(t for t in tables if "Fully right" in t.columns and "Discrimination" in t.columns)
    first = per_question.iloc[0]
    assert first["Students who answered"] == 1


def test_wrong_codes_and_names_get_a_clear_message(db: SqlStore) -> None:
    _, code = start_class()
    for typed_code, name, says in [("ZZZZZZ", "Ana", "no open class with that code"),
                                   (code, "   ", "Type a name"),
                                   (code, "\u200b\u200b", "Type a name")]:  # the box stops typing at 40
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.switch_page(nav.JOIN)
        at.run()
        at.text_input(key="join-code").input(typed_code)
        at.text_input(key="join-name").input(name)
        at.button(key="join-submit").click().run()
        assert not at.exception
        assert says in alerts(at), (typed_code, name, alerts(at))
    hostile = join_as(code, "<img src=x onerror=alert(1)>", "student-token-xss-000001")
    assert not hostile.exception
    assert not any("<img src=x" in body for body in html_bodies(hostile))


def test_a_closed_class_code_stops_working(db: SqlStore) -> None:
    teacher, code = start_class()
    session = db.session_by_code(code)
    assert session is not None
    teacher.button(key=f"cls-close-{session.id}").click().run()
    assert db.session_by_code(code) is None
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.query_params["c"] = code
    at.switch_page(nav.CLASS)
    at.run()
    assert "This class has ended" in alerts(at)


def test_the_class_keeps_its_lesson_when_the_file_is_deleted(db: SqlStore, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    copy = Path(shutil.copy(PROJECT_ROOT / "lessons" / f"{LESSON}.yaml", folder))
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(folder))
    _, code = start_class()
    copy.unlink()  # the teacher deletes (or breaks) the file mid-lesson
    ana = join_as(code, "Ana", "student-token-deleted-01")
    screen = projector(db, code)
    screen.button(key="pj-next").click().run()
    ana.run()
    assert not ana.exception and not screen.exception
    assert any("Question 1 of" in body for body in html_bodies(screen))
    assert any(b.key and b.key.endswith(":submit") for b in ana.button)


def test_an_unreachable_database_is_named_on_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://teacher:secret@127.0.0.1:1/school")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    open_lesson(at, LESSON)
    assert not at.exception  # a message, never a traceback
    shown = alerts(at)
    assert "Cannot open the database at postgresql+psycopg://teacher:***@127.0.0.1:1/school (DATABASE_URL)" in shown
    assert "secret" not in page_text(at)


def test_a_self_paced_class_is_homework_with_the_same_code(db: SqlStore, lesson: LoadedLesson) -> None:
    _, code = start_class(pacing="self")
    ana = join_as(code, "Ana", "student-token-homework-1")
    progress = progress_of(ana, LESSON)
    first = lesson.lesson.questions[0]
    assert "Question 1 of" in ana.get("progress")[0].proto.text  # no waiting for a teacher
    fill(ana, lesson, progress, first, "right")
    submit(ana, progress, first)
    assert alerts(ana).startswith("Saved. You will see how you did")  # held until the class closes (issue 17)
    session = db.session_by_code(code)
    assert session is not None
    [row] = db.session_answers(session.id)
    assert (row.display_name, row.answer.question_id, row.answer.verdict) == ("Ana", first.id, "correct")


def test_previous_keeps_a_revealed_question_revealed(db: SqlStore, lesson: LoadedLesson) -> None:
    """Issue 16, defect 1: reveal question 1, Next, Previous: the projector shows it revealed, the Reveal button
    is off, and a student who had not answered finds it closed."""
    _, code = start_class()
    ana = join_as(code, "Ana", "student-token-prev-ana01")
    ben = join_as(code, "Ben", "student-token-prev-ben01")
    screen = projector(db, code)
    screen.button(key="pj-next").click().run()  # Start: question 1
    ana.run()
    progress = progress_of(ana, LESSON)
    first = lesson.lesson.questions[0]
    fill(ana, lesson, progress, first, "right")
    submit(ana, progress, first)
    screen.button(key="pj-reveal").click().run()
    screen.button(key="pj-next").click().run()  # question 2
    assert any("Question 2 of" in body for body in html_bodies(screen))
    assert not screen.button(key="pj-reveal").disabled
    screen.button(key="pj-prev").click().run()  # back to question 1
    assert not screen.exception
    assert any("Question 1 of" in body for body in html_bodies(screen))
    assert screen.button(key="pj-reveal").disabled  # already revealed
    assert any("✓ right" in body for body in html_bodies(screen))  # the class's answers, counted
    assert any("1 answered" in body for body in html_bodies(screen))
    assert first.explanation is None or any("<b>Why:</b>" in body for body in html_bodies(screen))
    ben.run()
    assert not ben.exception
    assert "The answers have been shown, so this question is closed." in alerts(ben)
    assert not any(b.key and b.key.endswith(":submit") for b in ben.button)  # no form to answer it
    ana.run()
    assert alerts(ana).startswith(("Correct", "Incorrect"))
