"""What the projector shows when a lesson is over: how the class did, with no names and no one's score.

Three figures, from the first attempts stored for the class (each answer's score as stored, never computed again):
- the distribution of students' total scores, as a histogram (how many students per band of points);
- the question most missed: the lowest share of fully right answers among the scored questions;
- per skill, by name, the share of answers that were fully right.

Only scored answers count in the last two (stored possible > 0, as in Results): a written answer waits for its
teacher's score, and until then is neither "answered" nor "missed".

Read with one store query (`Store.session_answers`) per class state version: at the end of a teacher-paced class
no answer is taken any more, so the figures change only when the teacher moves the class (`cache`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sourcecheck.analytics.frames import points, teacher_scored
from sourcecheck.classroom.cache import Memo
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.skills import SKILLS, skill_rank
from sourcecheck.sessions.store import FIRST_ATTEMPT, ClassSessionRow, SessionAnswerRow, Store

__all__ = ["Band", "LessonEnd", "Missed", "SkillShare", "lesson_end", "summarise"]

MOST_BARS = 12  # a lesson worth more points groups them into bands of several points


@dataclass(frozen=True)
class Band:
    low: int  # total points, rounded to whole points, from low to high (both included)
    high: int
    students: int

    @property
    def label(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


@dataclass(frozen=True)
class Missed:
    number: int  # 1-based position in the lesson
    prompt: str
    right: int  # first answers that were fully right
    answered: int

    @property
    def share(self) -> float:
        return self.right / self.answered


@dataclass(frozen=True)
class SkillShare:
    skill: str
    name: str  # as the lesson format's skill table names it
    right: int
    answered: int

    @property
    def share(self) -> float:
        return self.right / self.answered


@dataclass(frozen=True)
class LessonEnd:
    students: int  # who answered at least one question
    possible: int  # the lesson's points: a written question's rubric points once a teacher has scored one of its
    # answers (until then it is worth none here, as unscored answers count in no figure)
    bands: tuple[Band, ...]  # from 0 to `possible`, every band drawn even when empty
    missed: Missed | None  # None when no scored question was answered
    skills: tuple[SkillShare, ...]  # in the order of the skill progression; only skills with answers


_ENDS: Memo[LessonEnd] = Memo(16)


def lesson_end(db: Store, session: ClassSessionRow, version: int, lesson: LoadedLesson) -> LessonEnd:
    """The class's end-of-lesson figures: two queries, once per class state version. Only students still in the
    class count, as in the lobby's and the question's counts: a seat the teacher removed (a duplicate, say) is not
    one of the room's scores, though its answers stay in Results. Removing a student moves the state version."""
    def read() -> LessonEnd:
        seated = {p.id for p in db.participants(session.id) if not p.removed}
        return summarise(lesson, [r for r in db.session_answers(session.id) if r.answer.participant_id in seated])
    return _ENDS.get((session.id, session.lesson_hash, version), read)


def _bands(possible: int) -> list[tuple[int, int]]:
    width = 1 if possible <= MOST_BARS else math.ceil((possible + 1) / MOST_BARS)
    return [(low, min(low + width - 1, possible)) for low in range(0, possible + 1, width)]


def summarise(lesson: LoadedLesson, rows: Sequence[SessionAnswerRow]) -> LessonEnd:
    """The figures from a class's stored answers (first attempts at the lesson's questions only)."""
    questions = lesson.lesson.questions
    scored = {q.id: q for q in questions if points(q) > 0}
    known = {q.id for q in questions}
    first = [r.answer for r in rows if r.answer.attempt == FIRST_ATTEMPT and r.answer.question_id in known]
    totals: dict[int, float] = defaultdict(float)
    right: dict[str, int] = defaultdict(int)
    answered: dict[str, int] = defaultdict(int)
    for a in first:
        totals[a.participant_id] += a.earned
        if a.question_id in scored and a.possible > 0:  # a written answer no teacher has scored yet counts nowhere
            answered[a.question_id] += 1
            right[a.question_id] += a.verdict == "correct"
    # a written question's points count once a teacher has scored one of its answers: before that no student can
    # have them, and every total would sit low on the axis
    possible = sum(points(q) for q in questions if not teacher_scored(q) or q.id in answered)
    spans = _bands(possible)
    counts = [0] * len(spans)
    for total in totals.values():
        whole = min(max(math.floor(total + 0.5), 0), possible)  # whole points, half up
        counts[next(i for i, (low, high) in enumerate(spans) if low <= whole <= high)] += 1
    bands = tuple(Band(low, high, n) for (low, high), n in zip(spans, counts, strict=True))
    missed = None
    for number, q in enumerate(questions, start=1):
        if q.id in answered and (missed is None or right[q.id] / answered[q.id] < missed.share):
            missed = Missed(number, q.prompt, right[q.id], answered[q.id])
    by_skill: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for q in scored.values():
        by_skill[q.skill][0] += right[q.id]
        by_skill[q.skill][1] += answered[q.id]
    skills = tuple(SkillShare(skill, SKILLS[skill], r, n) for skill, (r, n) in
                   sorted(by_skill.items(), key=lambda item: skill_rank(item[0])) if n)
    return LessonEnd(len(totals), possible, bands, missed, skills)
