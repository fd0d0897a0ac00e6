"""Issue 16, defect 6 (the student's side): when a class ends, each screen says what is true.

Deleted: the class and every answer in it are gone, and the student's tab says so (it used to say "Answers you gave
are saved; your teacher has them"). Closed: the student keeps their summary (score, verdicts, right answers and,
for a self-paced class, the feedback that was held) in the open tab, after a reload and when they come back to the
class link later (their token is in the link, `?s=`). AppTest on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from teacher_helpers import use_passcode
from ui_helpers import APP, TIMEOUT, alerts, fill, join_as, next_question, page_text, progress_of, submit

from sourcecheck.classroom.cache import clear_all
from sourcecheck.db import SqlStore
from sourcecheck.db.tables import join_guesses
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.store import Pacing
from sourcecheck.ui import class_state, nav

LESSON = "raqqa-who-says"
OLD_CLAIM = "Answers you gave are saved"


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture(autouse=True)
def fresh_live_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run reads the class's row afresh: a process shares one read among its students for LIVE_TTL (0.3 s),
    so a run right after the teacher's click could still see the class open, as a real screen would for that long."""
    monkeypatch.setattr(class_state, "LIVE_TTL", 0.0)


@pytest.fixture
def app_store(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> SqlStore:
    monkeypatch.setenv("DATABASE_URL", store.engine.url.render_as_string(hide_password=False))
    clear_all()
    return store


@pytest.fixture
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def class_link(code: str, token: str) -> AppTest:
    """A new tab on the class link the student had (?c=CODE&s=TOKEN): a reload, or coming back the next day."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()  # AppTest finds the page by its file name before a first run, and /class is class_room.py
    at.query_params["c"] = code
    at.query_params["s"] = token
    at.switch_page(nav.CLASS)
    at.run()
    assert not at.exception, at.exception
    return at


def answer_all(at: AppTest, lesson: LoadedLesson, *, held: bool) -> None:
    """A self-paced student answers every question, the first right and the rest wrong, pressing Next after each."""
    progress = progress_of(at, LESSON)
    for n, question in enumerate(lesson.lesson.questions):
        fill(at, lesson, progress, question, "right" if n == 0 else "wrong")
        submit(at, progress, question)
        assert not at.exception
        if held:
            next_question(at, progress, question)


def start(db: SqlStore, lesson: LoadedLesson, pacing: Pacing) -> tuple[int, str]:
    session = start_class(db, lesson, pacing=pacing)
    return session.id, session.code


@pytest.mark.parametrize("pacing", ["teacher", "self"])
def test_a_deleted_class_says_it_was_deleted_with_its_answers(app_store: SqlStore, lesson: LoadedLesson,
                                                               pacing: Pacing) -> None:
    session_id, code = start(app_store, lesson, pacing)
    ana = join_as(code, "Ana", f"token-deleted-{pacing}-0001")
    assert not ana.exception
    app_store.delete_session(session_id)  # the teacher's Delete on the Classes page
    ana.run()  # the next poll, or the student's next click
    assert not ana.exception
    said = alerts(ana)
    assert "deleted this class" in said and "your answers too" in said, said
    assert OLD_CLAIM not in page_text(ana)
    again = class_link(code, f"token-deleted-{pacing}-0001")  # a reload: nothing of the class is left to find
    assert OLD_CLAIM not in page_text(again)
    assert "This class has ended, or the code is not right" in alerts(again)


def test_a_teacher_paced_student_keeps_their_summary_after_close_and_reload(app_store: SqlStore,
                                                                          lesson: LoadedLesson) -> None:
    session_id, code = start(app_store, lesson, "teacher")
    token = "token-closed-teacher-0001"
    ana = join_as(code, "Ana", token)
    first = lesson.lesson.questions[0]
    app_store.set_position(session_id, 0, first.id)
    ana.run()
    progress = progress_of(ana, LESSON)
    fill(ana, lesson, progress, first, "right")
    submit(ana, progress, first)
    app_store.close_session(session_id)  # the teacher's Close

    ana.run()  # the open tab
    assert "Here is how you did" in alerts(ana)
    assert "Score" in [m.label for m in ana.metric]
    score = ana.metric[0].value
    for tab in (class_link(code, token), class_link(code, token)):  # reloads, or the link again later
        assert "Here is how you did" in alerts(tab), alerts(tab)
        assert [m.value for m in tab.metric] == [score]
        assert OLD_CLAIM not in page_text(tab)
    with app_store.engine.connect() as c:  # coming back is no wrong guess: a class of reloads is never slowed
        assert c.execute(select(func.count()).select_from(join_guesses)).scalar_one() == 0


def test_a_self_paced_student_gets_the_held_feedback_after_close_even_after_a_reload(app_store: SqlStore,
                                                                                      lesson: LoadedLesson) -> None:
    session_id, code = start(app_store, lesson, "self")
    token = "token-closed-self-000001"
    ana = join_as(code, "Ana", token)
    answer_all(ana, lesson, held=True)
    assert "Why:" not in page_text(ana)  # held: no verdicts or explanations while the class is open
    app_store.close_session(session_id)

    later = class_link(code, token)  # the tab was closed; the student opens the link the next day
    assert "Here is how you did" in alerts(later)
    text = page_text(later)
    assert "Right answer" in text and "Your answer" in text
    explained = [q for q in lesson.lesson.questions if q.explanation]
    assert explained and text.count("Why:") == len(explained)  # the feedback that was held, question by question
    expected = sum(q.points for q in lesson.lesson.questions[:1])
    assert later.metric[0].value.startswith(f"{expected:g} of ")


def test_a_closed_class_shows_no_summary_to_a_stranger_with_its_code(app_store: SqlStore,
                                                                     lesson: LoadedLesson) -> None:
    session_id, code = start(app_store, lesson, "self")
    ana = join_as(code, "Ana", "token-closed-owner-00001")
    answer_all(ana, lesson, held=True)
    app_store.close_session(session_id)
    stranger = class_link(code, "token-never-in-the-class-1")
    assert "This class has ended, or the code is not right" in alerts(stranger)
    assert not stranger.metric and "Right answer" not in page_text(stranger)
    assert OLD_CLAIM not in page_text(stranger)
