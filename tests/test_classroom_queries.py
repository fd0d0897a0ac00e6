"""The teacher pages cost a fixed number of store queries, whatever the number of classes and students.

Each statement the engine sends is counted (SQLAlchemy's before_cursor_execute) while AppTest renders the Classes
page, the Results page (one class, and every class on a lesson), and the projector before and after the reveal,
once with 2 classes of 2 students and once with 6 classes of 5. A read per class or per student (the N+1 that
counting each class's participants was) makes the two differ and the expected numbers wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from query_counter import Counter, counting
from sqlalchemy import delete
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode

from sourcecheck.classroom.cache import clear_all
from sourcecheck.db import SqlStore
from sourcecheck.db.tables import reveals
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.store import AnswerRow
from sourcecheck.ui import teacher_nav

LESSON = "raqqa-who-says"

# Cold: the teacher's caches empty. Warm: the same page again, nothing changed.
#   classes: the class list with its counts (the table), and the courses (the "for a course" chooser).
#   results: the class list (the chooser), then the scope's answers and its students (every table comes from
#            those two); warm, the class list alone keys the cached tables. Cold and warm, one more: whether the
#            class is a course's check, whose questions may not go on the projector (Reteach). Cold, two more
#            for the lesson's written question with a rubric (issue 19): its written answers for the "Score written
#            answers" link's counts, kept per class state (so not warm), and for the scores in the answers CSV.
#   projector: the class row and its live row, then the question's count; with names (or on the reveal) the
#            question's first answers, which a warm rerun takes from the cache.
EXPECTED_COLD = {"classes": 2, "results": 6, "results-every-class": 6, "projector": 4, "projector-revealed": 4}
EXPECTED_WARM = {"classes": 2, "results": 2, "results-every-class": 2, "projector": 3, "projector-revealed": 3}


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture
def app_store(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> SqlStore:
    """The pages run on this test's own fresh database (SQLite or PostgreSQL)."""
    monkeypatch.setenv("DATABASE_URL", store.engine.url.render_as_string(hide_password=False))
    return store


@pytest.fixture
def counter() -> Iterator[Counter]:
    with counting() as found:
        yield found


def fill(db: SqlStore, library: Library, classes: int, students: int) -> int:
    """`classes` classes on the lesson (plus one on another lesson), each with `students` who answered the first
    question; the newest class on the lesson shows names and is on that question. Its id."""
    lesson, other = library.get(LESSON), next(x for x in library.lessons if x.id != LESSON)
    assert lesson is not None
    start_class(db, other, pacing="self")
    question = lesson.lesson.questions[0]
    newest = 0
    for n in range(classes):
        session = start_class(db, lesson, pacing="teacher", show_names=True)
        for s in range(students):
            who = db.join(session.id, f"token-queries-{n:03d}-{s:04d}", f"Student {s}")
            db.record_answer(AnswerRow(participant_id=who.id, lesson_id=LESSON, lesson_hash=session.lesson_hash,
                                       attempt=1, question_id=question.id, response=s % 3, earned=float(s % 2),
                                       possible=1, verdict="correct" if s % 2 else "incorrect", confidence=70,
                                       time_taken_ms=9000, submitted_at=datetime.now(UTC)))
        newest = session.id
    db.set_position(newest, 0, question.id)
    return newest


def counted(at: AppTest, counter: Counter, *, cold: bool) -> int:
    if cold:
        clear_all()
    counter.statements.clear()
    at.run()
    assert not at.exception, at.exception
    return len(counter.statements)


def page_counts(db: SqlStore, session_id: int, counter: Counter, *, cold: bool) -> dict[str, int]:
    found = {}
    classes = signed_in(teacher_nav.CLASSES)
    found["classes"] = counted(classes, counter, cold=cold)
    results = signed_in(teacher_nav.DASHBOARD)
    results.query_params["session"] = str(session_id)
    results.run()
    found["results"] = counted(results, counter, cold=cold)
    results.toggle(key="db-whole").set_value(True).run()
    found["results-every-class"] = counted(results, counter, cold=cold)
    screen = signed_in(teacher_nav.PROJECTOR)
    screen.query_params["session"] = str(session_id)
    screen.run()
    found["projector"] = counted(screen, counter, cold=cold)
    db.reveal(session_id)
    screen.run()
    found["projector-revealed"] = counted(screen, counter, cold=cold)
    with db.engine.begin() as c:  # a reveal is one-way in the app: the test takes it back, for the next round
        c.execute(delete(reveals).where(reveals.c.session_id == session_id))
    return found


@pytest.mark.parametrize(("classes", "students"), [(2, 2), (6, 5)])
def test_each_teacher_page_costs_a_fixed_number_of_queries(app_store: SqlStore, library: Library, counter: Counter,
                                                           classes: int, students: int) -> None:
    session_id = fill(app_store, library, classes, students)
    assert page_counts(app_store, session_id, counter, cold=True) == EXPECTED_COLD
    assert page_counts(app_store, session_id, counter, cold=False) == EXPECTED_WARM
