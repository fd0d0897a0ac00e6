"""Answers as plain records, and the session logic around them (attempts, retries, shuffling).

Kept free of any UI so that a database store can persist exactly these records later, and
so that a rerun, a double click or a refresh can be made harmless in one place.
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass, field

from sourcecheck.grading.scoring import Response
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import MultiQuestion, Question, SingleQuestion

__all__ = ["Answer", "Attempt", "option_order"]


@dataclass(frozen=True)
class Answer:
    student: str
    lesson_id: str
    question_id: str
    attempt: int
    response: Response
    confidence: int | None = None  # "how sure are you?", 50-100
    submitted_at: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Attempt:
    """One pass through some questions of a lesson: the whole lesson first, then retries of missed ones."""

    number: int
    question_ids: list[str]
    answers: dict[str, Answer] = field(default_factory=dict)

    @property
    def position(self) -> int:
        """Index of the first unanswered question (== len when finished)."""
        return next((i for i, q in enumerate(self.question_ids) if q not in self.answers), len(self.question_ids))

    @property
    def finished(self) -> bool:
        return self.position >= len(self.question_ids)

    def record(self, answer: Answer) -> bool:
        """Store an answer once: a rerun or second click for the same question changes nothing."""
        if answer.question_id not in self.question_ids or answer.question_id in self.answers:
            return False
        self.answers[answer.question_id] = answer
        return True


def option_order(lesson: LoadedLesson, question: Question, student: str) -> list[int]:
    """Display order of options, the same for a student every time (a refresh does not reshuffle)."""
    if not isinstance(question, (SingleQuestion, MultiQuestion)):
        return []
    order = list(range(len(question.options)))
    shuffle = lesson.lesson.shuffle if question.shuffle is None else question.shuffle
    if shuffle:
        random.Random(f"{student}:{lesson.id}:{question.id}").shuffle(order)
    return order
