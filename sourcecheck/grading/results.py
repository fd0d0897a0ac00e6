"""What a student (and later a teacher) reads off a set of stored answers: totals and a per-skill breakdown.

Each answer was scored once, when it was stored; the summary adds up those stored scores and never scores
a response again, so the student's summary and the teacher's figures agree even after a lesson's key is
edited. Grading sits below sessions and cannot name sessions.store.AnswerRow, so it asks for the shape it
reads (`ScoredAnswer`): a question id, the response and its stored `Score`. AnswerRow has that shape and is
passed in as it is, with nothing copied. The totals are derived on each call from those rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from sourcecheck.grading.responses import Response
from sourcecheck.grading.scoring import Score
from sourcecheck.grading.written import TeacherScore, WrittenResult, written_result
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.lessons.skills import SKILLS, skill_rank

__all__ = ["QuestionResult", "ScoredAnswer", "SkillRow", "Summary", "summarise"]


class ScoredAnswer(Protocol):
    """A stored answer as the summary reads it: the response for "your answer", the score stored with it."""

    @property
    def question_id(self) -> str: ...

    @property
    def response(self) -> Response: ...

    @property
    def score(self) -> Score: ...


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    skill: str
    response: Response
    score: Score  # as stored with the answer
    written: WrittenResult | None = None  # a rubric question's: waiting for the teacher, or their levels and comment


@dataclass(frozen=True)
class SkillRow:
    skill: str
    title: str
    earned: float
    possible: int


@dataclass(frozen=True)
class Summary:
    results: list[QuestionResult]
    earned: float
    possible: int
    skills: list[SkillRow]

    @property
    def missed(self) -> list[str]:
        """Scored questions not fully right: what 'retry the ones I missed' offers. A written answer a teacher
        scored is not among them: a retry's answer would be practice nobody scores."""
        return [r.question_id for r in self.results
                if r.score.verdict in ("partial", "incorrect") and r.written is None]


def summarise(lesson: LoadedLesson, answers: Iterable[ScoredAnswer],
              teacher: Mapping[str, TeacherScore] | None = None) -> Summary:
    """`teacher`: question id -> the first scorer's current score of a written answer (Store.written_feedback),
    whose levels and comment the summary shows; its points are already the answer's stored score. A written answer
    not scored yet stays out of every total, as an unscored answer always has."""
    results = []
    for answer in answers:
        question = lesson.question(answer.question_id)
        rubric = question.rubric if isinstance(question, ShortQuestion) else None
        written = written_result(rubric, answer.score, (teacher or {}).get(question.id)) if rubric else None
        results.append(QuestionResult(question_id=question.id, skill=question.skill, response=answer.response,
                                      score=answer.score, written=written))
    by_skill: dict[str, tuple[float, int]] = {}
    for r in results:
        if r.score.verdict != "unscored":
            earned, possible = by_skill.get(r.skill, (0.0, 0))
            by_skill[r.skill] = (earned + r.score.earned, possible + r.score.possible)
    rows = [SkillRow(skill=s, title=SKILLS[s], earned=e, possible=p)
            for s, (e, p) in sorted(by_skill.items(), key=lambda kv: skill_rank(kv[0]))]
    return Summary(results=results, earned=sum(r.score.earned for r in results),
                   possible=sum(r.score.possible for r in results), skills=rows)
