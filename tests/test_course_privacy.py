"""Issue 18's review (H2, H5, M1, L5) on SQLite and PostgreSQL: a student's course home tells nothing before the
class does, a remembered shared browser is asked "Are you NAME?" first, the seat code is not offered in a course
class, and one student's remembered browsers are bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sourcecheck.db import SqlStore
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions import courses
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.store import AnswerRow

NOW = datetime.now(UTC).replace(microsecond=0)


def _answer(store: SqlStore, participant_id: int, lesson_id: str, lesson_hash: str, question_id: str) -> None:
    store.record_answer(AnswerRow(participant_id=participant_id, lesson_id=lesson_id, lesson_hash=lesson_hash,
                                  attempt=1, question_id=question_id, response=None, earned=1.0, possible=1,
                                  verdict="correct", submitted_at=NOW))


def test_an_answer_in_an_open_class_leaves_the_skill_bars_unchanged(store: SqlStore, library: Library,
                                                                     catalog: object) -> None:
    course = courses.create_course(store, "Year 10", NOW, "sub")
    (ana, _), = courses.add_students(store, course, ["Ana"], NOW)
    lesson = library.lessons[0]
    shown = 0
    for pacing in ("teacher", "self"):
        session = start_class(store, lesson, pacing=pacing, now=NOW, submission=f"s-{pacing}")
        store.link_class(session.id, course.id)
        seat = courses.seat(store, session, ana)
        _answer(store, seat.id, lesson.id, session.lesson_hash, lesson.lesson.questions[0].id)
        home = courses.course_home(store, ana, {}, catalog, NOW)  # type: ignore[arg-type]
        assert sum(s.possible for s in home.skills) == shown, pacing  # "1 of 1 point" before the reveal: the key
        store.close_session(session.id)
        home = courses.course_home(store, ana, {}, catalog, NOW)  # type: ignore[arg-type]
        assert sum(s.possible for s in home.skills) == shown + 1, pacing
        shown += 1
