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


def test_a_remembered_browser_asks_who_before_it_seats_or_shows_anyone(store: SqlStore, library: Library) -> None:
    course = courses.create_course(store, "Year 10", NOW, "sub")
    (ana, _), (ben, _) = courses.add_students(store, course, ["Ana", "Ben"], NOW)
    other = courses.create_course(store, "Year 11", NOW, "sub-2")
    session = start_class(store, library.lessons[0], pacing="self", now=NOW)
    store.link_class(session.id, course.id)
    elsewhere = start_class(store, library.lessons[1], pacing="self", now=NOW)
    store.link_class(elsewhere.id, other.id)
    one_off = start_class(store, library.lessons[2], pacing="self", now=NOW)
    laptop = "l" * 43
    courses.remember(store, ana, laptop, NOW)  # Ana typed her code in period 1
    assert courses.to_confirm(store, laptop, None, NOW) == ana  # period 3, a fresh tab: "Are you Ana?"
    assert courses.to_confirm(store, laptop, ana.id, NOW) is None  # this tab typed her code or said it is her
    assert courses.to_confirm(store, laptop, ben.id, NOW) == ana
    assert courses.to_confirm(store, None, None, NOW) is None
    assert courses.to_confirm_for_class(store, session.code.lower(), laptop, None, NOW) == ana
    assert courses.to_confirm_for_class(store, elsewhere.code, laptop, None, NOW) is None  # not her course
    assert courses.to_confirm_for_class(store, one_off.code, laptop, None, NOW) is None  # a name, as ever
    assert courses.to_confirm_for_class(store, "ZZZZZZ", laptop, None, NOW) is None
    courses.forget(store, laptop)  # "Not Ana"
    assert courses.to_confirm(store, laptop, None, NOW) is None


def test_a_remembered_browser_lapses_30_days_after_its_last_use(store: SqlStore) -> None:
    course = courses.create_course(store, "Year 10", NOW, "sub")
    (ana, _), = courses.add_students(store, course, ["Ana"], NOW)
    laptop = "l" * 43
    courses.remember(store, ana, laptop, NOW)
    day = timedelta(days=1)
    assert courses.recognised(store, laptop, NOW + 29 * day) == ana
    courses.remember(store, ana, laptop, NOW + 29 * day)  # "Continue as Ana": renewed
    assert courses.recognised(store, laptop, NOW + 58 * day) == ana or NOW + 58 * day >= course.retention_until
    assert courses.recognised(store, laptop, NOW + 60 * day) is None
    assert courses.recognised(store, laptop, course.retention_until) is None
    assert all(d <= course.retention_until for d in store.student_devices(ana.id))


def test_a_student_keeps_only_their_three_most_recent_browsers(store: SqlStore) -> None:
    course = courses.create_course(store, "Year 10", NOW, "sub")
    (ana, _), (ben, _) = courses.add_students(store, course, ["Ana", "Ben"], NOW)
    courses.remember(store, ben, "b" * 43, NOW)
    for i in range(20):  # a valid code typed again and again from fresh cookies
        courses.remember(store, ana, f"{i:02d}" + "x" * 41, NOW + timedelta(minutes=i))
    assert len(store.student_devices(ana.id)) == 3
    assert [courses.recognised(store, f"{i:02d}" + "x" * 41, NOW) == ana for i in (16, 17, 18, 19)] == [
        False, True, True, True]
    courses.remember(store, ana, "17" + "x" * 41, NOW + timedelta(hours=1))  # used again: nothing more is dropped
    assert len(store.student_devices(ana.id)) == 3
    assert courses.recognised(store, "b" * 43, NOW) == ben  # someone else's are untouched


def test_a_course_class_offers_no_seat_code(store: SqlStore, library: Library) -> None:
    course = courses.create_course(store, "Year 10", NOW, "sub")
    session = start_class(store, library.lessons[0], pacing="self", now=NOW)
    store.link_class(session.id, course.id)
    one_off = start_class(store, library.lessons[1], pacing="self", now=NOW)
    assert not courses.shows_seat_code(store, session)
    assert courses.shows_seat_code(store, one_off)
