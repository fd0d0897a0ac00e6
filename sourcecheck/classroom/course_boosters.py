"""Which boosters a course student is offered, and when (issue 18).

After a student's post-check (once it is finished: every item of their form answered, or their post-check class
closed; not while they are still answering it), their two weakest skills there (analytics/boosters.weakest_skills
over their post answers) each get a booster, offered in their course home `course.booster_days` days after the day
of their last post-check answer (analytics/boosters.booster_due). A booster is a whole short library lesson on that
skill, not loose items: a lesson teaches as it asks (feedback, the explanation, the worked passage), and every item
in it is new to the student because they have not taken that lesson in the course. The lesson for a skill is the one
in the library whose questions practise that skill most (the largest share of its questions), then the shortest,
then by id, among the lessons the student has not answered in any of the course's other classes; the two skills get
two different lessons. A booster the student has started keeps its lesson (booster classes do not count as "taken").
The booster plays as a self-paced class of the course (sessions/courses.start_booster), linked with the phase
"booster", so its answers are the report's booster rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sourcecheck.analytics.boosters import booster_due, weakest_skills
from sourcecheck.classroom.course_results import JudgedCheck, check_answers_of
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.skills import SKILLS
from sourcecheck.sessions.course_store import CourseAnswerRow, CourseRow, CourseStore, StudentAnswerRow, StudentRow

__all__ = ["BOOSTER_SKILLS", "BoosterOffer", "booster_lesson", "booster_offers"]

BOOSTER_SKILLS = 2  # the two weakest skills of the post-check


@dataclass(frozen=True)
class BoosterOffer:
    skill: str
    skill_title: str
    lesson: LoadedLesson
    opens_on: date
    answered: int
    questions: int

    @property
    def done(self) -> bool:
        return self.answered >= self.questions

    def is_open(self, now: datetime) -> bool:
        return now.date() >= self.opens_on


def booster_lesson(skill: str, lessons: Sequence[LoadedLesson], exclude: Collection[str]) -> LoadedLesson | None:
    """The library lesson that practises `skill` most (share of its questions), then the shortest, then by id."""
    best: tuple[float, int, str] | None = None
    chosen = None
    for lesson in lessons:
        questions = lesson.lesson.questions
        on_skill = sum(1 for q in questions if q.skill == skill)
        if lesson.id in exclude or not on_skill:
            continue
        rank = (-on_skill / len(questions), lesson.lesson.minutes, lesson.id)
        if best is None or rank < best:
            best, chosen = rank, lesson
    return chosen


def _as_course_rows(student: StudentRow, rows: Sequence[StudentAnswerRow]) -> list[CourseAnswerRow]:
    return [CourseAnswerRow(student.id, r.phase, r.check_id, r.form, r.answer.lesson_id, r.answer.question_id,
                            r.answer.earned, r.answer.possible, r.answer.response, r.answer.confidence,
                            r.answer.submitted_at or r.answer.stored_at)
            for r in rows if r.phase is not None and r.check_id is not None and r.answer.attempt == 1]


def _post_checks_done(store: CourseStore, course: CourseRow, answers: Sequence[StudentAnswerRow],
                      checks: Mapping[str, JudgedCheck]) -> set[str]:
    """The checks whose post-check the student has finished: every item of their form answered, or a post-check
    class of theirs closed. Before that no booster is offered: the weakest skills would move with each answer,
    and naming them while the check is still being answered would tell the student which answers were wrong."""
    closed = {c.session.id for c in store.course_classes(course.id) if c.phase == "post" and c.session.status != "open"}
    answered: dict[tuple[str, str], set[str]] = {}
    done: set[str] = set()
    for a in answers:
        if a.phase != "post" or a.check_id is None or a.form is None:
            continue
        if a.session_id in closed:
            done.add(a.check_id)
        if a.answer.attempt == 1:
            answered.setdefault((a.check_id, a.form), set()).add(a.answer.question_id)
    for (check_id, form), ids in answered.items():
        check = checks.get(check_id)
        played = check.forms.get(form) if check is not None else None
        if played is not None and {q.id for q in played.lesson.questions} <= ids:
            done.add(check_id)
    return done


def booster_offers(store: CourseStore, course: CourseRow, student: StudentRow, checks: Mapping[str, JudgedCheck],
                   lessons: Sequence[LoadedLesson]) -> list[BoosterOffer]:
    """The student's boosters, weakest skill first (empty until their post-check is finished: every item answered,
    or their post-check class closed): two queries, their answers and the course's classes."""
    answers = store.student_answers(student.id)
    rows = _as_course_rows(student, answers)
    finished = _post_checks_done(store, course, answers, checks)
    post_rows = [r for r in rows if r.phase == "post" and r.check_id in finished]
    taken_at = [r.submitted_at for r in post_rows if r.submitted_at is not None]
    if not post_rows or not taken_at:
        return []
    by_id = {lesson.id: lesson for lesson in lessons}
    post, _ = check_answers_of(post_rows, {student.id: student.display_name}, checks, by_id)
    opens_on = booster_due(max(taken_at), course.booster_days)
    taken = {a.answer.lesson_id for a in answers if a.phase != "booster"}
    started: dict[str, set[str]] = {}
    for r in rows:
        if r.phase == "booster":
            started.setdefault(r.check_id, set()).add(r.question_id)
    offers: list[BoosterOffer] = []
    for share in weakest_skills(post):
        lesson = booster_lesson(share.skill, lessons, taken | {o.lesson.id for o in offers})
        if lesson is None:
            continue
        offers.append(BoosterOffer(share.skill, SKILLS.get(share.skill, share.skill), lesson, opens_on,
                                   len(started.get(lesson.id, ())), len(lesson.lesson.questions)))
        if len(offers) == BOOSTER_SKILLS:
            break
    return offers

