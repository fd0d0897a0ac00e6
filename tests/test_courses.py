"""Courses (issue 18) on SQLite and PostgreSQL: personal codes, remembered browsers, counterbalanced forms, the check
schedule's bounds, the retention purge with a moved clock, and a student's export and delete."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from sourcecheck.db import SqlStore
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions import courses
from sourcecheck.sessions.budget import SeatBudget
from sourcecheck.sessions.classes import JoinRefused, start_class
from sourcecheck.sessions.course_store import CourseRow, Phase, StudentRow
from sourcecheck.sessions.guesses import Guesser
from sourcecheck.sessions.store import AnswerRow

NOW = datetime.now(UTC).replace(microsecond=0)  # classes close by the real clock: start them now


@dataclass(frozen=True)
class FakeCheck:
    """Stands in for sourcecheck.lessons.checks.load_checks's Check: forms made of existing lessons."""

    id: str
    title: str
    forms: Mapping[str, LoadedLesson]


def two_forms(library: Library) -> FakeCheck:
    return FakeCheck("sourcing-check", "Sourcing check", {"A": library.lessons[0], "B": library.lessons[1]})


def three_forms(library: Library) -> FakeCheck:
    return FakeCheck("sourcing-check", "Sourcing check",
                     {"A": library.lessons[0], "B": library.lessons[1], "C": library.lessons[2]})


def guesser(tab: str = "tab") -> Guesser:
    return Guesser(tab, "10.0.0.9")


def roster(store: SqlStore, n: int, name: str = "Year 10 · Period 3") -> tuple[CourseRow, list[tuple[StudentRow, str]]]:
    course = courses.create_course(store, name, NOW, "submission-1")
    return course, courses.add_students(store, course, [f"Student {i}" for i in range(n)], NOW)


# -- personal codes ----------------------------------------------------------------------------------------------

def test_a_code_has_no_look_alikes_and_reads_in_any_case_and_grouping() -> None:
    for _ in range(200):
        code = courses.new_personal_code()
        assert len(code) == 8 and not set(code) & set("0O1IL25SZ6G8BQ")
        shown = courses.format_code(code)
        assert shown[4] == "-"
        assert courses.normalise_personal_code(shown.lower()) == code
        assert courses.normalise_personal_code(f" {code[:4]} {code[4:]} ") == code
    assert courses.normalise_personal_code("ACDE-FH3") is None  # too short
    assert courses.normalise_personal_code("ACDE-FH3O") is None  # an O is not in the alphabet


def test_codes_are_unique_and_stored_only_as_hashes(store: SqlStore) -> None:
    course, made = roster(store, 30)
    codes = [code for _, code in made]
    assert len(set(codes)) == 30
    with store.engine.connect() as c:
        stored = " ".join(str(v) for row in c.exec_driver_sql("SELECT * FROM students").all() for v in row)
    assert not any(code in stored or courses.format_code(code) in stored for code in codes)
    student, code = made[7]
    assert courses.find_student(store, courses.format_code(code).lower(), guesser()) == student


def test_a_name_twice_on_one_roster_is_refused(store: SqlStore) -> None:
    course, _ = roster(store, 2)
    with pytest.raises(courses.CourseError, match="on the roster already"):
        courses.add_students(store, course, ["student 1"], NOW)
    assert len(store.students(course.id)) == 2


def test_a_wrong_code_is_limited_like_a_wrong_join_code(store: SqlStore) -> None:
    roster(store, 1)
    for _ in range(10):
        with pytest.raises(courses.CourseError, match="not right"):
            courses.find_student(store, "ACDE-FHJK", guesser("tab-x"))
    with pytest.raises(courses.CourseError, match="Too many wrong codes"):
        courses.find_student(store, "ACDE-FHJK", guesser("tab-x"))


def test_new_cards_stop_the_old_code(store: SqlStore) -> None:
    _, made = roster(store, 1)
    student, old = made[0]
    [(_, new)] = courses.reissue_codes(store, [student])
    assert courses.find_student(store, new, guesser()).id == student.id
    with pytest.raises(courses.CourseError):
        courses.find_student(store, old, guesser())


# -- remembered browser ------------------------------------------------------------------------------------------

def test_a_browser_is_remembered_by_a_hash_until_the_course_expires(store: SqlStore) -> None:
    course, made = roster(store, 2)
    device = "d" * 43
    courses.remember(store, made[0][0], device)
    assert courses.recognised(store, device, NOW) == made[0][0]
    with store.engine.connect() as c:
        assert device not in str(c.exec_driver_sql("SELECT * FROM student_devices").all())
    courses.remember(store, made[1][0], device)  # a shared computer: the last student to type their code
    assert courses.recognised(store, device, NOW) == made[1][0]
    assert courses.recognised(store, device, course.retention_until) is None
    assert courses.recognised(store, None, NOW) is None


def test_a_course_class_joins_by_personal_code_then_by_the_remembered_browser(store: SqlStore,
                                                                           library: Library) -> None:
    course, made = roster(store, 2)
    session = start_class(store, library.lessons[0], pacing="self", now=NOW)
    store.link_class(session.id, course.id)
    device = "e" * 43
    with pytest.raises(courses.NeedsPersonalCode):
        courses.join_course_class(store, session.code, "t" * 22, "", guesser(), SeatBudget(), device=device,
                                  personal_code=None, now=NOW)
    student, code = made[1]
    _, seat, who = courses.join_course_class(store, session.code, "t" * 22, "", guesser(), SeatBudget(),
                                             device=device, personal_code=code, now=NOW)
    assert who == student and seat.token == student.token and seat.display_name == student.display_name
    _, again, who = courses.join_course_class(store, session.code, "u" * 22, "", guesser(), SeatBudget(),
                                              device=device, personal_code=None, now=NOW)
    assert again.id == seat.id and who == student
    other = start_class(store, library.lessons[1], pacing="self", now=NOW)  # a one-off class: a name, as ever
    _, plain, who = courses.join_course_class(store, other.code, "v" * 22, "Ana", guesser(), SeatBudget(),
                                              device=device, personal_code=None, now=NOW)
    assert who is None and plain.display_name == "Ana"
    with pytest.raises(JoinRefused):
        courses.join_course_class(store, "ZZZZZZ", "v" * 22, "Ana", guesser(), SeatBudget(), device=None,
                                  personal_code=None, now=NOW)


# -- counterbalancing and scheduling -----------------------------------------------------------------------------

def test_two_forms_split_the_class_in_halves_and_nobody_sees_a_form_twice(store: SqlStore, library: Library) -> None:
    check = two_forms(library)
    course, made = roster(store, 9)
    courses.schedule_check(store, course, check, {"pre": NOW, "post": NOW + timedelta(days=20)})
    forms = courses.check_forms(check)
    seen = {s.id: [courses.rotate_forms(forms, courses.rotation_for(store, course.id, check, s), p)
                   for p in ("pre", "post")] for s, _ in made}
    firsts = Counter(f[0] for f in seen.values())
    assert abs(firsts["A"] - firsts["B"]) <= 1
    assert all(len(set(f)) == 2 for f in seen.values())
    late = courses.add_students(store, course, ["Late comer"], NOW)[0][0]
    rotation = courses.rotation_for(store, course.id, check, late)
    assert courses.rotate_forms(forms, rotation, "pre") == min(firsts, key=lambda f: firsts[f])  # the smaller half
    assert courses.rotation_for(store, course.id, check, late) == rotation  # given once


def test_three_forms_let_pre_post_and_delayed_all_differ(store: SqlStore, library: Library) -> None:
    check = three_forms(library)
    course, made = roster(store, 6)
    courses.schedule_check(store, course, check, {"pre": NOW, "post": NOW + timedelta(days=10),
                                                  "delayed": NOW + timedelta(days=31)})
    forms = courses.check_forms(check)
    orders = [tuple(courses.rotate_forms(forms, courses.rotation_for(store, course.id, check, s), p)
                    for p in ("pre", "post", "delayed")) for s, _ in made]
    assert all(len(set(o)) == 3 for o in orders)
    assert Counter(o[0] for o in orders) == {"A": 2, "B": 2, "C": 2}


@pytest.mark.parametrize(("dates", "message"), [
    ({"pre": 0, "post": 10, "delayed": 23}, "2 to 6 weeks"),
    ({"pre": 0, "post": 10, "delayed": 53}, "2 to 6 weeks"),
    ({"pre": 10, "post": 0}, "after the pre-check"),
    ({"pre": 0, "delayed": 20}, "post-check first"),
    ({"pre": 0, "post": 10, "delayed": 30}, "see one twice"),  # only two forms
])
def test_a_schedule_out_of_bounds_is_refused(library: Library, dates: dict[Phase, int], message: str) -> None:
    with pytest.raises(courses.ScheduleError, match=message):
        courses.validate_schedule(two_forms(library), {p: NOW + timedelta(days=d) for p, d in dates.items()})


def test_the_delay_bounds_are_inclusive(library: Library) -> None:
    for days in (14, 42):
        courses.validate_schedule(three_forms(library), {"post": NOW, "delayed": NOW + timedelta(days=days)})
    courses.validate_schedule(two_forms(library), {"post": NOW, "delayed": NOW + timedelta(days=14)})


def test_a_due_check_moves_to_done_when_every_question_is_answered(store: SqlStore, library: Library,
                                                                    catalog: object) -> None:
    check = two_forms(library)
    course, made = roster(store, 2)
    courses.schedule_check(store, course, check, {"pre": NOW, "post": NOW + timedelta(days=20)})
    student = made[0][0]
    home = courses.course_home(store, student, {check.id: check}, catalog, NOW)  # type: ignore[arg-type]
    assert [(d.phase, d.done) for d in home.due] == [("pre", False)] and [u.phase for u in home.upcoming] == ["post"]
    with pytest.raises(courses.CourseError, match="not open yet"):
        courses.start_check(store, student, check, "post", NOW)
    session, seat = courses.start_check(store, student, check, "pre", NOW)
    assert courses.start_check(store, student, check, "pre", NOW)[0].id == session.id  # the same class again
    form = check.forms[home.due[0].form]
    for q in form.lesson.questions:
        _answer(store, seat.id, form.id, session.lesson_hash, q.id)
    home = courses.course_home(store, student, {check.id: check}, catalog, NOW)  # type: ignore[arg-type]
    assert [d.phase for d in home.done] == ["pre"] and home.due == []
    assert home.skills == []  # the class is open: its feedback is held, and so are the skill bars
    store.close_session(session.id)
    home = courses.course_home(store, student, {check.id: check}, catalog, NOW)  # type: ignore[arg-type]
    assert home.skills and all(s.possible > 0 for s in home.skills)
    other = courses.course_home(store, made[1][0], {check.id: check}, catalog, NOW)  # type: ignore[arg-type]
    assert other.skills == [] and [d.phase for d in other.due] == ["pre"]  # nothing of anyone else


def _answer(store: SqlStore, participant_id: int, lesson_id: str, lesson_hash: str, question_id: str) -> None:
    store.record_answer(AnswerRow(participant_id=participant_id, lesson_id=lesson_id, lesson_hash=lesson_hash,
                                  attempt=1, question_id=question_id, response=None, earned=1.0, possible=1,
                                  verdict="correct", submitted_at=NOW))


# -- retention, export, delete -----------------------------------------------------------------------------------

def test_retention_defaults_to_the_end_of_the_school_year() -> None:
    assert courses.default_retention(datetime(2026, 10, 5, tzinfo=UTC)) == datetime(2027, 8, 1, tzinfo=UTC)
    assert courses.default_retention(datetime(2027, 3, 1, tzinfo=UTC)) == datetime(2027, 8, 1, tzinfo=UTC)
    assert courses.default_retention(datetime(2027, 8, 2, tzinfo=UTC)) == datetime(2028, 8, 1, tzinfo=UTC)


def test_a_teacher_may_shorten_retention_but_not_lengthen_it(store: SqlStore) -> None:
    course, _ = roster(store, 1)
    with pytest.raises(courses.CourseError, match="at most"):
        courses.set_retention(store, course, course.retention_until + timedelta(days=1), NOW)
    with pytest.raises(courses.CourseError, match="future"):
        courses.set_retention(store, course, NOW - timedelta(days=1), NOW)
    courses.set_retention(store, course, NOW + timedelta(days=30), NOW)
    assert store.course(course.id).retention_until == NOW + timedelta(days=30)  # type: ignore[union-attr]


def test_the_purge_deletes_a_course_and_everything_in_it_when_its_date_comes(store: SqlStore,
                                                                            library: Library) -> None:
    course, made = roster(store, 2)
    keep, _ = roster(store, 1, name="Year 11")
    session = start_class(store, library.lessons[0], pacing="self", now=NOW)
    store.link_class(session.id, course.id)
    student = made[0][0]
    seat = store.join(session.id, student.token, student.display_name)
    store.seat_student(seat.id, student.id)
    _answer(store, seat.id, library.lessons[0].id, session.lesson_hash, library.lessons[0].lesson.questions[0].id)
    solo = store.solo_participant(student.token)
    courses.remember(store, student, "f" * 43)
    courses.set_retention(store, course, NOW + timedelta(days=3), NOW)
    assert courses.purge_due(store, NOW + timedelta(days=2, hours=23)) == 0
    assert courses.purge_due(store, NOW + timedelta(days=3)) == 1
    assert store.course(course.id) is None and store.course(keep.id) is not None
    assert store.session(session.id) is None and store.students(course.id) == []
    assert store.find_solo_participant(student.token) is None and solo
    with store.engine.connect() as c:
        for table in ("answers", "participants", "student_devices", "course_classes", "student_seats"):
            assert c.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0, table


def test_an_export_holds_the_students_answers_and_a_delete_removes_everything(store: SqlStore,
                                                                             library: Library) -> None:
    course, made = roster(store, 2)
    session = start_class(store, library.lessons[0], pacing="self", now=NOW)
    store.link_class(session.id, course.id)
    seats = []
    for student, _ in made:
        seat = store.join(session.id, student.token, student.display_name)
        store.seat_student(seat.id, student.id)
        seats.append(seat)
        _answer(store, seat.id, library.lessons[0].id, session.lesson_hash,
                library.lessons[0].lesson.questions[0].id)
    student = made[0][0]
    data = json.loads(courses.export_json(store, student))
    assert data["student"]["name"] == "Student 0" and data["student"]["course"] == course.name
    assert len(data["answers"]) == 1 and data["answers"][0]["class_code"] == session.code
    assert data["check_form_rotations"] == {} and data["remembered_browsers_expire"] == []
    assert student.code_hash not in json.dumps(data) and student.token not in json.dumps(data)
    rows = list(csv.DictReader(io.StringIO(courses.export_csv(store, student))))
    assert [r["question"] for r in rows] == [library.lessons[0].lesson.questions[0].id]
    courses.remember(store, student, "g" * 43)
    # the tab that opened her course page then joined a one-off class: that seat is hers too
    other = start_class(store, library.lessons[0], pacing="teacher", now=NOW)
    store.join(other.id, student.token, student.display_name)
    assert courses.delete_student(store, student) is True
    assert store.student(student.id) is None and store.participant(session.id, student.token) is None
    assert store.participant(other.id, student.token) is None
    assert courses.recognised(store, "g" * 43, NOW) is None
    assert [p.display_name for p in store.participants(session.id)] == ["Student 1"]  # the others stay
    assert len(store.session_answers(session.id)) == 1


def test_a_late_student_gets_a_new_class_when_the_checks_class_has_closed(store: SqlStore, library: Library) -> None:
    check = two_forms(library)
    course, made = roster(store, 4)
    courses.schedule_check(store, course, check, {"pre": NOW - timedelta(days=1), "post": NOW + timedelta(days=20)})
    first, seat = courses.start_check(store, made[0][0], check, "pre", NOW)
    store.close_session(first.id)
    form = [c.form for c in store.course_classes(course.id)][0]
    late = next(s for s, _ in made[1:] if courses.rotate_forms(
        courses.check_forms(check), courses.rotation_for(store, course.id, check, s), "pre") == form)
    again, late_seat = courses.start_check(store, late, check, "pre", NOW)
    assert again.id != first.id and again.status == "open" and late_seat.token == late.token


def test_opening_the_store_purges_expired_courses(store: SqlStore) -> None:
    gone = store.create_course("Last year", NOW - timedelta(days=400), NOW - timedelta(days=1), "old")
    kept = store.create_course("This year", NOW, NOW + timedelta(days=100), "new")
    store._next_purge = 0.0  # as at start-up: the first call runs the purge
    store.purge_solo_if_due()
    assert store.course(gone.id) is None and store.course(kept.id) is not None
    store.create_course("Expired since", NOW - timedelta(days=400), NOW - timedelta(days=1), "older")
    assert store.purge_solo_if_due() is None  # not due again until a day has passed
