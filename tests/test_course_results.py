"""The course report read from the store (issue 18), on SQLite and PostgreSQL: `SqlStore.course_answers` returns a
course's first attempts in its check and booster classes and nothing else, classroom/course_results turns them into
the report's records (skills from the played form, judgement verdicts from the stored option), and a simulated course
of 30 students (pre, four lessons, post, booster, delayed) runs through the real store and sessions functions with
the clock moved, not slept, and reports what a hand computation in this file says."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from statistics import mean
from typing import assert_never

import pytest

from sourcecheck.classroom.course_boosters import booster_lesson, booster_offers
from sourcecheck.classroom.course_results import check_answers_of, course_results, report_tables
from sourcecheck.db import SqlStore
from sourcecheck.grading.responses import Response
from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.check_forms import JUDGEMENT_YES, Check, load_checks
from sourcecheck.lessons.loaded import BoundQuestion, LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions import courses
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.course_store import CourseAnswerRow, CourseRow
from sourcecheck.sessions.store import AnswerRow

T0 = datetime.now(UTC).replace(microsecond=0)  # classes close by the real clock: the course starts now
CHECK_ID = "sourcing-check-1"
LESSONS = ("raqqa-who-says", "strike-headline-body", "compare-unnamed-officials", "reuters-same-standard")


@pytest.fixture(scope="module")
def check(catalog: Catalog) -> Check:
    found = {c.id: c for c in load_checks(PROJECT_ROOT / "checks", catalog)}
    return found[CHECK_ID]


def response_for(bound: BoundQuestion, right: bool) -> Response | None:
    """A response the app's grading scores as fully right or as 0; None: this simulation skips the question."""
    q = bound.question
    match q:
        case SingleQuestion():
            correct = next(i for i, o in enumerate(q.options) if o.correct)
            return correct if right else next(i for i in range(len(q.options)) if i != correct)
        case TrueFalseQuestion():
            return q.answer if right else not q.answer
        case MultiQuestion():
            return [i for i, o in enumerate(q.options) if o.correct] if right else []
        case SpansQuestion():
            return [i for i, c in enumerate(bound.candidates) if c.correct] if right else []
        case MarkQuestion() | MatchQuestion() | ShortQuestion():
            return None
        case _:
            assert_never(q)


def answer(store: SqlStore, seat: int, lesson: LoadedLesson, lesson_hash: str, right: Mapping[int, bool],
           at: datetime) -> dict[str, tuple[float, int]]:
    """Answer the lesson's questions in order (question k right when right[k]), scored as the app scores; returns
    the marks (earned, possible) stored per question id."""
    stored = {}
    for k, q in enumerate(lesson.lesson.questions):
        bound = lesson.bound(q.id)
        response = response_for(bound, right[k])
        if response is None:
            continue
        score = score_question(bound, response)
        confidence = 80 if q.confidence else None
        assert store.record_answer(AnswerRow(participant_id=seat, lesson_id=lesson.id, lesson_hash=lesson_hash,
                                             attempt=1, question_id=q.id, response=response, earned=score.earned,
                                             possible=score.possible, verdict=score.verdict, confidence=confidence,
                                             submitted_at=at))
        stored[q.id] = (score.earned, score.possible)
    return stored


# -- the store's read ----------------------------------------------------------------------------------------------

def test_course_answers_are_first_attempts_in_check_and_booster_classes_only(store: SqlStore, library: Library,
                                                                             check: Check) -> None:
    course = courses.create_course(store, "Year 9", T0, "read-1")
    other = courses.create_course(store, "Year 11", T0, "read-2")
    (ana, _), (ben, _) = courses.add_students(store, course, ["Ana", "Ben"], T0)
    (zoe, _), = courses.add_students(store, other, ["Zoe"], T0)
    courses.schedule_check(store, course, check, {"pre": T0})
    courses.schedule_check(store, other, check, {"pre": T0})
    session, seat = courses.start_check(store, ana, check, "pre", T0)
    linked = store.course_class(session.id)
    assert linked is not None and linked.form is not None
    form = check.forms[linked.form]
    first = form.lesson.questions[0]
    judged = next(j for j in check.judgements if j.form == linked.form and j.question_id != first.id)
    for q_id, attempt, response in ((first.id, 1, 0), (first.id, 2, 1), (judged.question_id, 1, 1)):
        store.record_answer(AnswerRow(participant_id=seat.id, lesson_id=form.id, lesson_hash=session.lesson_hash,
                                      attempt=attempt, question_id=q_id, response=response, earned=0.5, possible=1,
                                      verdict="partial", confidence=70, submitted_at=T0))
    lesson = library.get("raqqa-who-says")
    assert lesson is not None
    boost, boost_seat = courses.start_booster(store, ben, lesson, T0)
    store.record_answer(AnswerRow(participant_id=boost_seat.id, lesson_id=lesson.id, lesson_hash=boost.lesson_hash,
                                  attempt=1, question_id=lesson.lesson.questions[0].id, response=[1, 2], earned=1.0,
                                  possible=1, verdict="correct", submitted_at=T0))
    plain = start_class(store, lesson, pacing="self", submission="plain")  # a lesson class of the course: left out
    store.link_class(plain.id, course.id)
    plain_seat = courses.seat(store, plain, ana)
    one_off = start_class(store, lesson, pacing="self", submission="one-off")  # not the course's: left out
    one_off_seat = store.join(one_off.id, "tok-x", "Ana")
    _, zoe_seat = courses.start_check(store, zoe, check, "pre", T0)  # another course: left out
    for s, lesson_id in ((plain_seat.id, lesson.id), (one_off_seat.id, lesson.id), (zoe_seat.id, form.id)):
        store.record_answer(AnswerRow(participant_id=s, lesson_id=lesson_id, lesson_hash="x", attempt=1,
                                      question_id=first.id, response=0, earned=1.0, possible=1, verdict="correct",
                                      submitted_at=T0))

    rows = store.course_answers(course.id)

    letter = linked.form
    assert [(r.student_id, r.phase, r.check_id, r.form, r.question_id, r.earned, r.possible, r.response,
             r.confidence) for r in rows] == [
        (ana.id, "pre", CHECK_ID, letter, first.id, 0.5, 1, 0, 70),
        (ana.id, "pre", CHECK_ID, letter, judged.question_id, 0.5, 1, 1, 70),
        (ben.id, "booster", lesson.id, None, lesson.lesson.questions[0].id, 1.0, 1, [1, 2], None)]
    assert all(r.submitted_at == T0 for r in rows)
    records, skipped = check_answers_of(rows, {ana.id: "Ana", ben.id: "Ben"}, {CHECK_ID: check},
                                        {lesson.id: lesson})
    assert skipped == 0
    assert [(r.student, r.phase, r.skill, r.judgement, r.answer) for r in records] == [
        ("Ana", "pre", first.skill, check.truth(letter, first.id), "strong" if check.truth(letter, first.id) else None),
        ("Ana", "pre", form.question(judged.question_id).skill, judged.truth, "weak"),  # option 1: "No, … too weak"
        ("Ben", "booster", lesson.lesson.questions[0].skill, None, None)]
    # a student removed from the roster takes their answers along
    courses.delete_student(store, ana)
    assert [r.student_id for r in store.course_answers(course.id)] == [ben.id]


def test_a_verdict_is_read_by_the_options_text_and_an_unreadable_one_counts_only_for_the_score(check: Check) -> None:
    j = check.judgements[0]
    form = check.forms[j.form]
    question = form.question(j.question_id)
    assert isinstance(question, SingleQuestion) and question.options[0].text == JUDGEMENT_YES

    def row(response: Response) -> CourseAnswerRow:
        return CourseAnswerRow(1, "post", CHECK_ID, j.form, form.id, j.question_id, 1.0, 1, response, 90, T0)

    records, skipped = check_answers_of([row(0), row(None)], {1: "Ana"}, {CHECK_ID: check}, {})
    assert skipped == 1  # the same item twice in one phase: the earlier answer counts
    assert (records[0].judgement, records[0].answer) == (j.truth, "strong")
    records, _ = check_answers_of([row(None)], {1: "Ana"}, {CHECK_ID: check}, {})
    assert (records[0].judgement, records[0].answer, records[0].earned) == (None, None, 1.0)
    gone = CourseAnswerRow(1, "post", CHECK_ID, j.form, form.id, "gone", 1.0, 1, 0, None, T0)
    records, skipped = check_answers_of([gone], {1: "Ana"}, {CHECK_ID: check}, {})
    assert (records, skipped) == ([], 1)


# -- a simulated course ----------------------------------------------------------------------------------------------

def right_count(i: int, phase: str, size: int) -> int:
    """How many of a form's questions (in order) student i gets right in each phase: the design of the simulation."""
    pre = 2 + i % 6
    return min(size, {"pre": pre, "post": pre + 4, "delayed": pre + 2}[phase])


def test_a_simulated_course_of_30_students_runs_with_the_clock_moved_not_slept(
        store: SqlStore, library: Library, catalog: Catalog, check: Check) -> None:
    course = courses.create_course(store, "Year 10 · Period 3", T0, "sim")
    made = courses.add_students(store, course, [f"Student {i:02d}" for i in range(30)], T0)
    students = [s for s, _ in made]
    post_at, delayed_at = T0 + timedelta(days=35), T0 + timedelta(days=56)  # delayed: 21 days after the post-check
    courses.schedule_check(store, course, check, {"pre": T0, "post": post_at, "delayed": delayed_at})
    checks = {CHECK_ID: check}
    marks: dict[tuple[int, str], dict[str, tuple[float, int]]] = {}
    verdicts: dict[tuple[int, str], list[tuple[str, bool]]] = {}  # (truth, answered right) per judgement item
    forms: dict[int, list[str]] = {}

    def take(phase: courses.Phase, at: datetime) -> None:
        for i, student in enumerate(students):
            home = courses.course_home(store, student, checks, catalog, at)
            assert [(d.check_id, d.phase) for d in home.due] == [(CHECK_ID, phase)], (i, phase)
            session, seat = courses.start_check(store, student, check, phase, at)
            letter = next(d.form for d in home.due)
            form = check.forms[letter]
            assert session.lesson_id == form.id
            n = right_count(i, phase, len(form.lesson.questions))
            right = {k: k < n for k in range(len(form.lesson.questions))}
            marks[i, phase] = answer(store, seat.id, form, session.lesson_hash, right, at)
            verdicts[i, phase] = [(j.truth, right[[q.id for q in form.lesson.questions].index(j.question_id)])
                                  for j in check.judgements if j.form == letter]
            forms.setdefault(i, []).append(letter)

    take("pre", T0)
    for week, lesson_id in enumerate(LESSONS, start=1):  # four lessons, a week apart, as homework of the course
        lesson = library.get(lesson_id)
        assert lesson is not None
        at = T0 + timedelta(days=7 * week)
        session = start_class(store, lesson, pacing="self", submission=f"week-{week}", now=at)
        store.link_class(session.id, course.id)
        for i, student in enumerate(students):
            seat = courses.seat(store, session, student)
            answer(store, seat.id, lesson, session.lesson_hash, {k: (k + i) % 3 != 0 for k in range(40)}, at)
    with pytest.raises(courses.CourseError, match="not open yet"):
        courses.start_check(store, students[0], check, "post", post_at - timedelta(days=1))
    take("post", post_at)

    # boosters: nothing before the set number of days (7, the default), then two lessons on the weakest skills
    assert course.booster_days == 7
    course = store.course(course.id) or course
    boosters: dict[int, dict[str, tuple[float, int]]] = {}
    for i, student in enumerate(students):
        offers = booster_offers(store, course, student, checks, library.lessons)
        assert len(offers) == 2 and offers[0].lesson.id != offers[1].lesson.id
        assert not any(o.is_open(post_at + timedelta(days=6)) for o in offers)
        assert all(o.is_open(post_at + timedelta(days=7)) for o in offers)
        wrong_skills = {check.forms[forms[i][1]].lesson.questions[k].skill
                        for k in range(right_count(i, "post", 13), 13)}
        for offer in offers:
            assert offer.lesson.id not in LESSONS  # not a lesson the student took in the course
            assert any(q.skill == offer.skill for q in offer.lesson.lesson.questions)
            if wrong_skills:
                assert offer.skill in wrong_skills or len(wrong_skills) < 2
        boosters[i] = {}
        at = post_at + timedelta(days=7)
        for offer in offers:
            session, seat = courses.start_booster(store, student, offer.lesson, at)
            got = answer(store, seat.id, offer.lesson, session.lesson_hash, {k: k % 2 == 0 for k in range(40)}, at)
            boosters[i] |= {f"{offer.lesson.id}/{q}": m for q, m in got.items()}
        again = booster_offers(store, course, student, checks, library.lessons)
        assert [o.lesson.id for o in again] == [o.lesson.id for o in offers]  # started boosters keep their lesson
    with pytest.raises(courses.CourseError, match="not open yet"):
        courses.start_check(store, students[0], check, "delayed", post_at + timedelta(days=13))
    take("delayed", delayed_at)

    # counterbalancing: three different forms each, and each form played by a third of the class in every phase
    assert all(len(set(f)) == 3 for f in forms.values())
    for phase in range(3):
        assert Counter(f[phase] for f in forms.values()) == {"A": 10, "B": 10, "C": 10}

    results = course_results(store, course, checks, {lesson.id: lesson for lesson in library.lessons})
    report = results.report
    assert results.skipped == 0

    def score(i: int, phase: str) -> float:
        got = marks[i, phase].values()
        return sum(e for e, _ in got) / sum(p for _, p in got)

    for i in (0, 7, 29):  # a few students by hand
        own = report.student(f"Student {i:02d}")
        for phase in ("pre", "post", "delayed"):
            assert own.phases[phase].score == pytest.approx(score(i, phase))  # type: ignore[index]
            assert own.phases[phase].forms == (forms[i][("pre", "post", "delayed").index(phase)],)  # type: ignore[index]
            truth = verdicts[i, phase]
            d = own.discernment[phase]  # type: ignore[index]
            assert (d.n_strong, d.hits) == (sum(t == "strong" for t, _ in truth),
                                           sum(t == "strong" and ok for t, ok in truth))
            assert d.false_alarms == sum(t == "weak" and not ok for t, ok in truth)
        boost = boosters[i].values()
        assert own.phases["booster"].score == pytest.approx(sum(e for e, _ in boost) / sum(p for _, p in boost))
        assert own.gain is not None
        assert own.gain.gain == pytest.approx(score(i, "post") - score(i, "pre"))
        assert own.gain.retained_gain == pytest.approx(score(i, "delayed") - score(i, "pre"))
    for phase in ("pre", "post", "delayed"):  # the class means
        estimate = report.phase(phase).score  # type: ignore[arg-type]
        assert estimate is not None and estimate.students == 30
        assert estimate.value == pytest.approx(mean(score(i, phase) for i in range(30)))
    assert report.gains is not None
    assert report.gains.gain.value == pytest.approx(mean(score(i, "post") - score(i, "pre") for i in range(30)))
    assert report.gains.retained_gain is not None and report.gains.retained_gain.value == pytest.approx(
        mean(score(i, "delayed") - score(i, "pre") for i in range(30)))
    booster = report.phase("booster").score
    assert booster is not None and booster.students == 30
    assert not any(s.missing for s in report.students)
    tables = report_tables(results)
    assert tables.classes.shown["Took it"].tolist() == [30, 30, 30, 30]
    assert tables.classes.csv.startswith("\ufeffCheck,".encode()) and len(tables.students.shown) == 30
    assert course_results(store, course, checks, {lesson.id: lesson for lesson in library.lessons}) is results


def test_a_booster_lesson_practises_the_skill_most_and_skips_lessons_taken(library: Library) -> None:
    chosen = booster_lesson("headline-body", library.lessons, ())
    assert chosen is not None and chosen.id == "headlines-and-vague-sources"  # 8 of its questions
    other = booster_lesson("headline-body", library.lessons, {chosen.id})
    assert other is not None and other.id != chosen.id
    assert booster_lesson("no-such-skill", library.lessons, ()) is None


def test_the_booster_days_are_a_course_setting(store: SqlStore) -> None:
    course = courses.create_course(store, "Year 8", T0, "days")
    assert course.booster_days == 7
    courses.set_booster_days(store, course, 10)
    stored = store.course(course.id)
    assert isinstance(stored, CourseRow) and stored.booster_days == 10
    with pytest.raises(courses.CourseError, match="0 to 60 days"):
        courses.set_booster_days(store, course, 61)

