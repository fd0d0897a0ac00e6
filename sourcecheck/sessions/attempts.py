"""One pass through some questions of a lesson: the whole lesson first, then retries of missed ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from sourcecheck.grading.answers import Answer

__all__ = ["Attempt"]


@dataclass
class Attempt:
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
