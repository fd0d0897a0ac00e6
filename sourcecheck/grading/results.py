"""What a student (and later a teacher) reads off a set of answers: totals and a per-skill breakdown.

Everything here is derived from the answers on each call; nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sourcecheck.grading.answers import Answer
from sourcecheck.grading.scoring import Score, score_question
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.skills import SKILLS, skill_rank

__all__ = ["QuestionResult", "SkillRow", "Summary", "summarise"]


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    skill: str
    answer: Answer
    score: Score


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
        """Scored questions not fully right: what 'retry the ones I missed' offers."""
        return [r.question_id for r in self.results if r.score.verdict in ("partial", "incorrect")]


def summarise(lesson: LoadedLesson, answers: Iterable[Answer]) -> Summary:
    results = []
    for answer in answers:
        question = lesson.question(answer.question_id)
        results.append(QuestionResult(question.id, question.skill, answer,
                                      score_question(lesson.bound(question.id), answer.response)))
    by_skill: dict[str, tuple[float, int]] = {}
    for r in results:
        if r.score.verdict != "unscored":
            earned, possible = by_skill.get(r.skill, (0.0, 0))
            by_skill[r.skill] = (earned + r.score.earned, possible + r.score.possible)
    rows = [SkillRow(s, SKILLS[s], e, p) for s, (e, p) in sorted(by_skill.items(), key=lambda kv: skill_rank(kv[0]))]
    return Summary(results, sum(r.score.earned for r in results), sum(r.score.possible for r in results), rows)
