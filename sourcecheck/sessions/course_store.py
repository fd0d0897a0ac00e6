"""What courses need from storage (issue 18), and the plain records that cross that boundary.

Kept apart from sessions/store.py: a one-off class never touches any of this. The database implements it
(db/store.py, the "courses" block). Writes are safe to repeat, as every store write is: a course carries the
request key of the form submission that made it, a student's personal-code hash and token are unique (a repeat
stores nothing and the caller finds the row it made), links and rotations are keyed by what they link, and the
deletes find nothing more to delete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from sourcecheck.grading.responses import Response
from sourcecheck.sessions.store import AnswerRow, ClassSessionRow, Store

__all__ = ["BOOSTER_DAYS", "PHASES", "ClassCourseStore", "ClassPhase", "CourseAnswerRow", "CourseClassRow",
           "CourseRow", "CourseStore", "Phase", "ScheduleRow", "StudentAnswerRow", "StudentRow"]

Phase = Literal["pre", "post", "delayed"]  # a check's phases, which the teacher schedules
PHASES: tuple[Phase, ...] = ("pre", "post", "delayed")
# What a class of the course plays: a check phase, or a student's booster (a library lesson on a weak skill, offered
# BOOSTER_DAYS after their post-check unless the course says otherwise).
ClassPhase = Literal["pre", "post", "delayed", "booster"]
BOOSTER_DAYS = 7


@dataclass(frozen=True)
class CourseRow:
    id: int
    name: str
    created_at: datetime
    retention_until: datetime  # then everything stored for the course is purged
    booster_days: int = BOOSTER_DAYS  # a student's booster opens this many days after their post-check


@dataclass(frozen=True)
class StudentRow:
    id: int
    course_id: int
    display_name: str
    token: str  # the student token their seats in the course's classes use (sessions/identity.py)
    code_hash: str
    created_at: datetime


@dataclass(frozen=True)
class ScheduleRow:
    course_id: int
    check_id: str
    phase: Phase
    opens_at: datetime


@dataclass(frozen=True)
class CourseClassRow:
    """A class of a course; a check's class also names the check, the phase and the form it plays, a booster's
    class the lesson it plays (as `check_id`) and the phase "booster" (no form)."""

    session: ClassSessionRow
    course_id: int
    check_id: str | None = None
    phase: ClassPhase | None = None
    form: str | None = None


@dataclass(frozen=True)
class StudentAnswerRow:
    """One answer a course student gave in one of the course's classes."""

    session_id: int
    class_code: str
    lesson_hash: str
    check_id: str | None
    phase: ClassPhase | None
    form: str | None
    answer: AnswerRow


@dataclass(frozen=True)
class CourseAnswerRow:
    """One first attempt in one of a course's check or booster classes, as the course report reads it."""

    student_id: int
    phase: ClassPhase
    check_id: str  # the check; for a booster, the lesson it played
    form: str | None  # the check's form letter; None for a booster
    lesson_id: str  # what the class played: "<check id>.<form>" for a check, the lesson's id for a booster
    question_id: str
    earned: float
    possible: int
    response: Response
    confidence: int | None
    submitted_at: datetime | None


class CourseStore(Protocol):
    def create_course(self, name: str, created_at: datetime, retention_until: datetime,
                      request_key: str) -> CourseRow: ...
    def courses(self) -> list[CourseRow]: ...
    def course(self, course_id: int) -> CourseRow | None: ...
    def set_retention(self, course_id: int, until: datetime) -> bool: ...
    def set_booster_days(self, course_id: int, days: int) -> bool: ...
    def delete_course(self, course_id: int) -> bool: ...

    def add_student(self, course_id: int, display_name: str, name_key: str, code_hash: str, token: str,
                    created_at: datetime) -> bool: ...  # False: a unique key was taken (or a repeat)
    def students(self, course_id: int) -> list[StudentRow]: ...
    def student(self, student_id: int) -> StudentRow | None: ...
    def student_by_name(self, course_id: int, name_key: str) -> StudentRow | None: ...
    def student_by_code(self, code_hash: str) -> StudentRow | None: ...
    def set_student_code(self, student_id: int, code_hash: str) -> bool: ...
    def delete_student(self, student_id: int) -> bool: ...

    def remember_device(self, device_hash: str, student_id: int, expires_at: datetime) -> None: ...
    def device_student(self, device_hash: str, now: datetime) -> StudentRow | None: ...
    def forget_device(self, device_hash: str) -> None: ...

    def link_class(self, session_id: int, course_id: int, check_id: str | None = None,
                   phase: ClassPhase | None = None,
                   form: str | None = None) -> bool: ...
    def course_class(self, session_id: int) -> CourseClassRow | None: ...
    def course_classes(self, course_id: int) -> list[CourseClassRow]: ...
    def seat_student(self, participant_id: int, student_id: int) -> bool: ...

    def schedule_check(self, course_id: int, check_id: str, phase: Phase, opens_at: datetime) -> None: ...
    def unschedule_check(self, course_id: int, check_id: str, phase: Phase) -> bool: ...
    def schedule(self, course_id: int) -> list[ScheduleRow]: ...
    def rotations(self, course_id: int, check_id: str) -> dict[int, int]: ...  # student id -> rotation
    def set_rotation(self, student_id: int, check_id: str, rotation: int) -> bool: ...
    def student_rotations(self, student_id: int) -> dict[str, int]: ...  # check id -> rotation
    def student_devices(self, student_id: int) -> list[datetime]: ...  # when each remembered browser expires

    def student_answers(self, student_id: int) -> list[StudentAnswerRow]: ...
    def course_answers(self, course_id: int) -> list[CourseAnswerRow]: ...  # first attempts in checks and boosters
    def purge_courses(self, now: datetime) -> int: ...  # courses past retention_until: how many went


class ClassCourseStore(Store, CourseStore, Protocol):
    """The whole database (SqlStore): what course pages use, classes and courses together."""
