"""The real check (checks/sourcing-check-1.yaml) played through a course's classes, on SQLite and PostgreSQL: a
student's check class reloads as their form (not the whole check file, which a lesson loader refuses), a judgement
item is answered and scored through the class's lesson, the course report reads it, and the class page shows the
form's first question. Also who may join a check class, what a closed check class shows, and when boosters come."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, assert_no_leak, page_text, squash, unmd

from sourcecheck.classroom.course_boosters import booster_offers
from sourcecheck.classroom.course_results import course_results
from sourcecheck.db import SqlStore, open_store
from sourcecheck.lessons.catalog import Catalog, load_catalog
from sourcecheck.lessons.check_forms import JUDGEMENT_PROMPT, JUDGEMENT_YES, Check, load_checks
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.paths import PROJECT_ROOT, seeds_dir
from sourcecheck.sessions import courses
from sourcecheck.sessions.budget import SeatBudget
from sourcecheck.sessions.classes import class_lesson, start_class
from sourcecheck.sessions.course_store import CourseRow, Phase, StudentRow
from sourcecheck.sessions.guesses import Guesser
from sourcecheck.sessions.progress import Progress
from sourcecheck.sessions.store import AnswerRow, ClassSessionRow, ParticipantRow
from sourcecheck.ui import browser, nav, teacher_nav

NOW = datetime.now(UTC).replace(microsecond=0)  # classes close by the real clock: start them now
CHECK_ID = "sourcing-check-1"


@pytest.fixture(scope="module")
def check(catalog: Catalog) -> Check:
    return {c.id: c for c in load_checks(PROJECT_ROOT / "checks", catalog)}[CHECK_ID]


def course_of(store: SqlStore, check: Check, n: int = 3) -> tuple[CourseRow, list[tuple[StudentRow, str]]]:
    course = courses.create_course(store, "Year 10 · Period 3", NOW, "submission-1")
    made = courses.add_students(store, course, [f"Student {i}" for i in range(n)], NOW)
    courses.schedule_check(store, course, check, {"pre": NOW - timedelta(hours=1), "post": NOW + timedelta(days=20),
                                                  "delayed": NOW + timedelta(days=40)})
    return course, made


def form_of(store: SqlStore, course: CourseRow, check: Check, student: StudentRow, phase: Phase) -> str:
    return courses.rotate_forms(courses.check_forms(check), courses.rotation_for(store, course.id, check, student),
                                phase)


def test_a_check_class_reloads_as_the_students_form_and_its_answers_reach_the_report(
        store: SqlStore, catalog: Catalog, check: Check) -> None:
    course, made = course_of(store, check)
    played: dict[str, str] = {}
    for student, _ in made:  # three rotations: forms A, B and C, all stored under the one check file's text
        session, seat = courses.start_check(store, student, check, "pre", NOW)
        form = form_of(store, course, check, student, "pre")
        lesson = class_lesson(store, store.session(session.id) or session, catalog)  # as the class page loads it
        assert lesson.id == f"{CHECK_ID}.{form}" == session.lesson_id
        assert [q.id for q in lesson.lesson.questions] == [q.id for q in check.forms[form].lesson.questions]
        judgement = next(q for q in lesson.lesson.questions if q.prompt == JUDGEMENT_PROMPT)
        progress = Progress.load(store, lesson, seat.id, student.display_name, retries=False)
        for q in lesson.lesson.questions:  # the judgement items are answered "strong"; the others are skipped
            if q.id == judgement.id:
                yes = next(i for i, o in enumerate(judgement.options) if o.text == JUDGEMENT_YES)  # type: ignore[union-attr]
                assert progress.submit(q.id, yes, 80, on_screen=q.id)
                break
        played[student.display_name] = form
        stored = store.answers(seat.id, lesson.id)
        assert [a.question_id for a in stored] == [judgement.id] and stored[0].possible > 0
        assert stored[0].earned == (stored[0].possible if check.truth(form, judgement.id) == "strong" else 0)
    assert sorted(played.values()) == ["A", "B", "C"]
    results = course_results(store, course, {check.id: check}, {})
    assert results.skipped == 0 and len(results.answers) == 3
    for answer in results.answers:
        assert answer.phase == "pre" and answer.form == played[answer.student] and answer.answer == "strong"
        assert answer.judgement in ("strong", "weak")
    for student, _ in made:
        assert results.report.student(student.display_name).phases["pre"].possible > 0


def test_pressing_start_on_the_real_check_shows_the_first_question_of_the_students_form(
        check: Check, monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_store(os.environ["DATABASE_URL"])
    course = courses.create_course(db, f"Course {secrets.token_hex(3)}", NOW, secrets.token_hex(8))
    [(gus, _)] = courses.add_students(db, course, ["Gus"], NOW)
    courses.schedule_check(db, course, check, {"pre": NOW - timedelta(hours=1), "post": NOW + timedelta(days=20)})
    monkeypatch.setattr(browser, "device_id", lambda: "F" * 43)
    courses.remember(db, gus, "F" * 43)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(nav.COURSE)
    at.run()
    at.button(key="course-continue").click().run()  # a remembered browser asks "Are you Gus?" first
    at.button(key=f"course-start-{check.id}-pre").click().run()
    assert not at.exception
    form = check.forms[form_of(db, course, check, gus, "pre")]
    text = page_text(at)
    assert "cannot be shown" not in text
    assert squash(unmd(form.lesson.questions[0].prompt)) in text
    assert_no_leak(text)


def join(store: SqlStore, code: str, personal: str, checks: dict[str, Check] | None, tab: str = "tab"
         ) -> tuple[ClassSessionRow, ParticipantRow, StudentRow | None]:
    return courses.join_course_class(store, code, secrets.token_urlsafe(16), "", Guesser(tab, "10.0.0.9"),
                                     SeatBudget(), device=None, personal_code=personal, now=NOW, checks=checks)


def test_a_student_cannot_join_another_forms_check_class_by_typing_its_code(store: SqlStore, check: Check) -> None:
    course, made = course_of(store, check, n=6)
    (ana, ana_code), *others = made
    ana_class, ana_seat = courses.start_check(store, ana, check, "pre", NOW)
    ana_form = form_of(store, course, check, ana, "pre")
    other = next((s, c) for s, c in others if form_of(store, course, check, s, "pre") != ana_form)
    same = next((s, c) for s, c in others if form_of(store, course, check, s, "pre") == ana_form)
    for checks in ({check.id: check}, None):  # with the checks, or without them (the join page as it was)
        with pytest.raises(courses.CourseError, match="My course"):
            join(store, ana_class.code, other[1], checks)
        assert store.participant(ana_class.id, other[0].token) is None  # not seated
        _, back, who = join(store, ana_class.code, ana_code, checks)  # her own class: she gets back in
        assert back.id == ana_seat.id and who == ana
    _, seat, who = join(store, ana_class.code, same[1], {check.id: check})  # her form: a classmate on it joins
    assert who == same[0] and seat.token == same[0].token


def test_nobody_joins_a_booster_class_by_its_code_unless_they_started_it(store: SqlStore, check: Check,
                                                                        library: Library) -> None:
    _, made = course_of(store, check, n=2)
    (ana, ana_code), (ben, ben_code) = made
    booster, seat = courses.start_booster(store, ana, library.lessons[0], NOW)
    with pytest.raises(courses.CourseError, match="My course"):
        join(store, booster.code, ben_code, {check.id: check})
    assert join(store, booster.code, ana_code, {check.id: check})[1].id == seat.id


def test_only_a_checks_or_a_boosters_class_withholds_its_key_when_closed(store: SqlStore, check: Check,
                                                                        library: Library) -> None:
    course, made = course_of(store, check, n=1)
    student = made[0][0]
    check_class, _ = courses.start_check(store, student, check, "pre", NOW)
    booster, _ = courses.start_booster(store, student, library.lessons[0], NOW)
    lesson_class = start_class(store, library.lessons[1], pacing="self", now=NOW)
    store.link_class(lesson_class.id, course.id)
    one_off = start_class(store, library.lessons[2], pacing="teacher", now=NOW)
    assert not courses.key_may_be_shown(store, check_class.id)
    assert not courses.key_may_be_shown(store, booster.id)
    assert courses.key_may_be_shown(store, lesson_class.id) and courses.key_may_be_shown(store, one_off.id)


def test_a_closed_check_class_shows_the_students_score_and_not_the_right_answers(
        check: Check, monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_store(os.environ["DATABASE_URL"])
    course = courses.create_course(db, f"Course {secrets.token_hex(3)}", NOW, secrets.token_hex(8))
    [(gus, _)] = courses.add_students(db, course, ["Gus"], NOW)
    courses.schedule_check(db, course, check, {"pre": NOW - timedelta(hours=1), "post": NOW + timedelta(days=20)})
    monkeypatch.setattr(browser, "device_id", lambda: "G" * 43)
    courses.remember(db, gus, "G" * 43)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(nav.COURSE)
    at.run()
    at.button(key="course-continue").click().run()  # a remembered browser asks "Are you Gus?" first
    at.button(key=f"course-start-{check.id}-pre").click().run()
    [linked] = db.course_classes(course.id)
    lesson = class_lesson(db, linked.session, load_catalog(seeds_dir()))
    participant = db.participant(linked.session.id, gus.token)
    assert participant is not None
    progress = Progress.load(db, lesson, participant.id, "Gus", retries=False)
    judgement = next(q for q in lesson.lesson.questions if q.prompt == JUDGEMENT_PROMPT)
    for q in lesson.lesson.questions:  # up to the first judgement item, which is answered right
        if q.id == judgement.id:
            right = next(i for i, o in enumerate(judgement.options) if o.correct)  # type: ignore[union-attr]
            assert progress.submit(q.id, right, 50)
            break
        progress.move_on(q.id)  # left unanswered
    assert db.answers(participant.id, lesson.id)
    db.close_session(linked.session.id)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)  # later, the student opens the class link again
    at.run()  # AppTest finds the page by its file name before a first run, and /class is class_room.py
    at.query_params["c"] = linked.session.code
    at.query_params["s"] = gus.token
    at.switch_page(nav.CLASS)
    at.run()
    assert not at.exception
    text = page_text(at)
    assert "Your score" in text and "saved" in text and "Your answers" in text
    for q in lesson.lesson.questions:
        explanation = getattr(q, "explanation", None)
        if explanation:
            assert squash(unmd(explanation))[:60] not in text, q.id
    assert "Why" not in text and "Right answer" not in text


def test_the_results_of_a_check_class_offer_no_question_for_the_projector(
        check: Check, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)
    db = open_store(os.environ["DATABASE_URL"])
    course = courses.create_course(db, f"Course {secrets.token_hex(3)}", NOW, secrets.token_hex(8))
    [(gus, _)] = courses.add_students(db, course, ["Gus"], NOW)
    courses.schedule_check(db, course, check, {"pre": NOW - timedelta(hours=1), "post": NOW + timedelta(days=20)})
    session, seat = courses.start_check(db, gus, check, "pre", NOW)
    lesson = class_lesson(db, session, load_catalog(seeds_dir()))
    progress = Progress.load(db, lesson, seat.id, "Gus", retries=False)
    first = lesson.lesson.questions[0]
    assert first.type == "single" and progress.submit(first.id, 0)
    at = signed_in(teacher_nav.DASHBOARD)
    at.query_params["session"] = str(session.id)
    at.run()
    assert not at.exception
    assert [m.value for m in at.markdown if m.value.startswith("**Question ")]  # the Reteach list is there
    assert not [link for link in at.get("page_link") if "on the projector" in link.proto.label]
    assert "not offered for the projector" in " ".join(w.value for w in at.warning)
    shown = signed_in(teacher_nav.RETEACH)  # the projector page, opened by its address anyway
    shown.query_params.update({"session": str(session.id), "question": first.id, "whole": "0"})
    shown.run()
    assert not shown.exception and "not offered for the projector" in shown.warning[0].value
    assert not [a for a in shown.info if a.value.startswith("**Why:**")]


def test_boosters_wait_until_the_post_check_is_finished_or_its_class_closed(store: SqlStore, catalog: Catalog,
                                                                           check: Check, library: Library) -> None:
    course = courses.create_course(store, "Year 10 · Period 3", NOW, "submission-1")
    made = courses.add_students(store, course, ["Ana", "Ben"], NOW)
    courses.schedule_check(store, course, check, {"pre": NOW - timedelta(days=20), "post": NOW - timedelta(hours=1)})
    course = store.course(course.id) or course
    checks = {check.id: check}

    def answer_post(student: StudentRow, count: int) -> ClassSessionRow:
        session, seat = courses.start_check(store, student, check, "post", NOW)
        lesson = class_lesson(store, session, catalog)
        progress = Progress.load(store, lesson, seat.id, student.display_name, retries=False)
        for q in lesson.lesson.questions[:count]:  # each item answered wrong (scored 0 as the app stores it)
            if q.id in progress.attempt.answers:
                continue
            if q.type == "single":
                wrong = next(i for i, o in enumerate(q.options) if not o.correct)  # type: ignore[union-attr]
                assert progress.submit(q.id, wrong, 50, on_screen=q.id)
            else:
                assert store.record_answer(AnswerRow(
                    participant_id=seat.id, lesson_id=lesson.id, lesson_hash=session.lesson_hash, attempt=1,
                    question_id=q.id, response=None, earned=0.0, possible=q.points, verdict="incorrect",
                    submitted_at=NOW))
        return session

    (ana, _), (ben, _) = made
    form = check.forms[form_of(store, course, check, ana, "post")]
    answer_post(ana, 3)  # halfway through: no booster, no weak skill named
    assert booster_offers(store, course, ana, checks, library.lessons) == []
    answer_post(ana, len(form.lesson.questions))  # every item answered
    assert len(booster_offers(store, course, ana, checks, library.lessons)) == 2
    ben_class = answer_post(ben, 3)
    assert booster_offers(store, course, ben, checks, library.lessons) == []
    store.close_session(ben_class.id)  # the teacher closes the post-check: what he answered is his post-check
    assert len(booster_offers(store, course, ben, checks, library.lessons)) == 2
