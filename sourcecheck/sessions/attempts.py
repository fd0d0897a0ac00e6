"""One pass through some questions of a lesson: the whole lesson first, then retries of missed ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from sourcecheck.sessions.store import AnswerRow

__all__ = ["Attempt"]


@dataclass
class Attempt:
    number: int
    question_ids: list[str]
    answers: dict[str, AnswerRow] = field(default_factory=dict)  # the stored rows, each with its stored score

    def record(self, answer: AnswerRow) -> bool:
        """Keep an answer once: a rerun or second click for the same question changes nothing."""
        if answer.question_id not in self.question_ids or answer.question_id in self.answers:
            return False
        self.answers[answer.question_id] = answer
        return True
