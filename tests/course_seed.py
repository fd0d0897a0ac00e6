"""A course with a few students' answers in the real check (checks/sourcing-check-1.yaml), for the report's page and
browser tests: each student took the pre- and the post-check; on the judgement items everyone answered "strong"
before and "weak" after (more sceptical, no better at telling: the flag fires), and the other items are right up to
a number that grows with the student and the phase."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.check_forms import Check, load_checks
from sourcecheck.lessons.models import SingleQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions import courses
from sourcecheck.sessions.course_store import ClassCourseStore, CourseRow, StudentRow
from sourcecheck.sessions.store import AnswerRow

CHECK_ID = "sourcing-check-1"


def real_check() -> Check:
    return {c.id: c for c in load_checks(PROJECT_ROOT / "checks", load_catalog(PROJECT_ROOT / "seeds"))}[CHECK_ID]


def seed_report(db: ClassCourseStore, names: list[str], now: datetime, *, booster_days: int = 7,
                name: str | None = None) -> tuple[CourseRow, list[tuple[StudentRow, str]]]:
    """The pre-check opened 30 days ago, the post-check today: every student took both."""
    check = real_check()
    course = courses.create_course(db, name or f"Course {secrets.token_hex(3)}", now, secrets.token_hex(8))
    courses.set_booster_days(db, course, booster_days)
    made = courses.add_students(db, course, names, now)
    courses.schedule_check(db, course, check, {"pre": now - timedelta(days=30), "post": now})
    for phase in ("pre", "post"):
        for i, (student, _) in enumerate(made):
            session, seat = courses.start_check(db, student, check, phase, now)
            linked = db.course_class(session.id)
            assert linked is not None and linked.form is not None
            form = check.forms[linked.form]
            right = 3 + i + (4 if phase == "post" else 0)
            for k, q in enumerate(form.lesson.questions):
                bound = form.bound(q.id)
                if check.truth(linked.form, q.id) is not None:
                    response: object = 0 if phase == "pre" else 1
                elif isinstance(q, SingleQuestion):
                    correct = next(n for n, o in enumerate(q.options) if o.correct)
                    response = correct if k < right else (correct + 1) % len(q.options)
                else:
                    response = None
                score = score_question(bound, response)  # type: ignore[arg-type]
                db.record_answer(AnswerRow(participant_id=seat.id, lesson_id=form.id, lesson_hash=session.lesson_hash,
                                           attempt=1, question_id=q.id, response=response,  # type: ignore[arg-type]
                                           earned=score.earned, possible=score.possible, verdict=score.verdict,
                                           confidence=80 if q.confidence else None, submitted_at=now))
    return course, made
