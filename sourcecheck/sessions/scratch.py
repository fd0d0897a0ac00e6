"""A progress store that lives in one browser session: for the workshop's preview of an unsaved lesson.

A teacher trying a draft is not a student: nothing of it belongs in the database. It follows the
same rules as the database (one answer per question and attempt, one attempt per number).
"""

from __future__ import annotations

from collections.abc import Sequence

from sourcecheck.sessions.store import AnswerRow, AttemptRow, ProgressRows

__all__ = ["ScratchStore"]


class ScratchStore:
    def __init__(self) -> None:
        self._tokens: dict[str, int] = {}
        self._attempts: dict[tuple[int, str, int], AttemptRow] = {}
        self._answers: dict[tuple[int, str, int, str], AnswerRow] = {}
        self._moves: set[tuple[int, str, int, str]] = set()

    def solo_participant(self, token: str) -> int:
        return self._tokens.setdefault(token, len(self._tokens) + 1)

    def find_solo_participant(self, token: str) -> int | None:
        return self._tokens.get(token)

    def attempts(self, participant_id: int, lesson_id: str) -> list[AttemptRow]:
        return [row for (p, lesson, _n), row in sorted(self._attempts.items())
                if (p, lesson) == (participant_id, lesson_id)]

    def start_attempt(self, participant_id: int, lesson_id: str, number: int, question_ids: Sequence[str]) -> bool:
        key = (participant_id, lesson_id, number)
        if key in self._attempts:
            return False
        self._attempts[key] = AttemptRow(number, tuple(question_ids))
        return True

    def record_answer(self, answer: AnswerRow) -> bool:
        key = (answer.participant_id, answer.lesson_id, answer.attempt, answer.question_id)
        if key in self._answers:
            return False
        self._answers[key] = answer
        return True

    def answers(self, participant_id: int, lesson_id: str) -> list[AnswerRow]:
        return [a for a in self._answers.values() if (a.participant_id, a.lesson_id) == (participant_id, lesson_id)]

    def mark_moved_on(self, participant_id: int, lesson_id: str, attempt: int, question_id: str) -> bool:
        key = (participant_id, lesson_id, attempt, question_id)
        if key in self._moves:
            return False
        self._moves.add(key)
        return True

    def progress(self, participant_id: int, lesson_id: str) -> ProgressRows:
        return ProgressRows(self.attempts(participant_id, lesson_id), self.answers(participant_id, lesson_id),
                            self.moved_on(participant_id, lesson_id))

    def moved_on(self, participant_id: int, lesson_id: str) -> set[tuple[int, str]]:
        return {(n, q) for p, lesson, n, q in self._moves if (p, lesson) == (participant_id, lesson_id)}
