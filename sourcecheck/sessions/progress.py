"""A student's way through one lesson: attempts, which question is on screen, retries.

Progress is read from the store on every rerun and every step writes through it, so a refresh,
a second tab or a server restart finds the student where they were. Opening a lesson writes nothing: until the
first Submit, the attempt over the lesson's questions is held in memory (`pending`), and a solo visitor has no
participant row either (`participant_id` None). The first Submit stores the participant, the attempt and the
answer, each with the store's idempotent writes; a refresh before it simply starts fresh. So a visitor
who only looks stores no row at all, and what an answering one stores is bounded by the session's
`WriteBudget`. Each step is idempotent: a rerun, a double click on Submit or Next, or a refresh replays a
step that already happened and changes nothing (the database's unique constraints make sure of it, not this
process's memory).

An answer is scored here, once, as it is stored (`submit` is the one caller of `score_question`), and the
attempt keeps the stored rows: the feedback and the summary show each row's stored score, the same score
the teacher sees. A written answer a teacher scores later (issue 19) gets its score on that same row, so a
rerun's read finds it; `teacher_scores` adds the levels and comment the summary shows beside it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sourcecheck.grading.responses import Response
from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.sessions.attempts import Attempt
from sourcecheck.sessions.budget import WriteBudget
from sourcecheck.sessions.store import AnswerRow, ProgressRows, ProgressStore, WrittenFeedbackStore, WrittenScoreRow

__all__ = ["Progress"]


@dataclass
class Progress:
    store: ProgressStore
    lesson: LoadedLesson
    participant_id: int | None  # None: a solo visitor who has not answered yet (made at the first Submit)
    student: str  # the token: it seeds the option shuffle, and names the solo participant
    attempts: list[Attempt] = field(default_factory=list)
    moved_on: set[tuple[int, str]] = field(default_factory=set)  # (attempt number, question id) left with Next
    pending: bool = False  # the latest attempt is in memory only: stored with the first answer to it
    budget: WriteBudget | None = None  # the browser session's bound on stored answers; None: unbounded
    # Off in a class: its results count the first attempt, and a retry there would be practice with the key in
    # view (the summary shows it). The page that loads a class participant's progress says so.
    retries: bool = True

    @classmethod
    def load(cls, store: ProgressStore, lesson: LoadedLesson, participant_id: int | None, student: str, *,
             budget: WriteBudget | None = None, retries: bool = True) -> Progress:
        """This participant's progress in `lesson`, written nowhere: a first visit, or a lesson whose questions
        changed since the last attempt began, gets a new attempt over all of its questions, stored only with its
        first answer (older answers stay stored). `retries=False` (a class): `retry` never starts another
        attempt."""
        progress = cls(store=store, lesson=lesson, participant_id=participant_id, student=student, budget=budget,
                       retries=retries)
        if participant_id is not None:
            progress._read(store.progress(participant_id, lesson.id))  # one round trip on every rerun
        if not progress.attempts or not progress._fits(progress.attempts[-1].question_ids):
            number = progress.attempts[-1].number + 1 if progress.attempts else 1
            progress.attempts.append(Attempt(number=number, question_ids=[q.id for q in lesson.lesson.questions]))
            progress.pending = True
        return progress

    @property
    def lesson_id(self) -> str:
        return self.lesson.id

    @property
    def attempt(self) -> Attempt:
        return self.attempts[-1]

    def current(self) -> str | None:
        """The question on screen: unanswered, or answered with its feedback still showing; None: the summary."""
        a = self.attempt
        return next((q for q in a.question_ids if (a.number, q) not in self.moved_on), None)

    def submit(self, question_id: str, response: Response, confidence: int | None = None, *,
               time_taken_ms: int | None = None, on_screen: str | None = None) -> bool:
        """Score and store the answer to the question on screen (`on_screen`, where a teacher sets the pace);
        False, and nothing stored, for any other question, a second answer to the same one, or an answer over
        the session's write budget (`refusal` then says why)."""
        if question_id != (on_screen if on_screen is not None else self.current()):
            return False
        if question_id not in self.attempt.question_ids or question_id in self.attempt.answers:
            return False
        if self.budget is not None and not self.budget.take(time.monotonic()):
            return False  # the page says why (refusal); the form keeps the answer
        participant_id = self._stored_participant()
        score = score_question(self.lesson.bound(question_id), response)
        row = AnswerRow(participant_id=participant_id, lesson_id=self.lesson.id,
                        lesson_hash=self.lesson.origin.sha256, attempt=self.attempt.number, question_id=question_id,
                        response=response, earned=score.earned, possible=score.possible, verdict=score.verdict,
                        confidence=confidence, time_taken_ms=time_taken_ms, submitted_at=datetime.now(UTC))
        stored = self.store.record_answer(row)
        if stored:  # what is stored is this answer: no need to read it back
            self.attempt.record(row)
        else:  # another tab answered first: show the answer the database kept
            self._read(self.store.progress(participant_id, self.lesson.id))
        return stored

    def teacher_scores(self) -> dict[str, WrittenScoreRow]:
        """Question id -> the first scorer's current score of this attempt's written answers: one read, only when
        the attempt has an answer a teacher scored (its stored verdict is no longer "unscored"), so a summary of
        machine-scored questions costs no query. Empty for a store that keeps no such scores (the workshop's)."""
        if self.participant_id is None or not isinstance(self.store, WrittenFeedbackStore):
            return {}
        if not any(a.possible > 0 and a.question_id in self._written_ids() for a in self.attempt.answers.values()):
            return {}
        return self.store.written_feedback(self.participant_id, self.lesson.id, self.attempt.number)

    def _written_ids(self) -> set[str]:
        return {q.id for q in self.lesson.lesson.questions if isinstance(q, ShortQuestion)}

    def refusal(self) -> str | None:
        """Why the last Submit stored nothing, when the session's write budget refused it a moment ago."""
        return self.budget.refusal(time.monotonic()) if self.budget is not None else None

    def _stored_participant(self) -> int:
        """The participant and the current attempt, stored now if this is the first answer: both writes are
        idempotent (one solo row per token, one attempt per number), so a double click or a second tab doing
        the same stores them once."""
        if self.participant_id is None:
            self.participant_id = self.store.solo_participant(self.student)
        if self.pending:
            self.store.start_attempt(self.participant_id, self.lesson.id, self.attempt.number,
                                     self.attempt.question_ids)
            self.pending = False
        return self.participant_id

    def move_on(self, question_id: str) -> bool:
        """Leave an answered question's feedback; naming the question makes a double click move only once."""
        key = (self.attempt.number, question_id)
        if question_id not in self.attempt.answers or key in self.moved_on or self.participant_id is None:
            return False
        stored = self.store.mark_moved_on(self.participant_id, self.lesson.id, *key)
        self.moved_on.add(key)  # only once the store returned: a Next cut off by an outage is tried again
        return stored

    def retry(self, question_ids: list[str], *, after: int) -> bool:
        """Start attempt `after + 1` over `question_ids`, once, and only when attempt `after` is finished and
        retries are on (never in a class, whatever a tampered or stale page sends)."""
        if (not self.retries or not question_ids or self.attempt.number != after or self.current() is not None
                or self.participant_id is None):
            return False
        started = self.store.start_attempt(self.participant_id, self.lesson.id, after + 1, question_ids)
        self._read(self.store.progress(self.participant_id, self.lesson.id))
        return started

    def _fits(self, question_ids: list[str]) -> bool:
        """False when the teacher has since removed a question the latest attempt refers to."""
        known = {q.id for q in self.lesson.lesson.questions}
        return all(q in known for q in question_ids)

    def _read(self, rows: ProgressRows) -> None:
        attempts = {row.number: Attempt(number=row.number, question_ids=list(row.question_ids))
                    for row in rows.attempts}
        for row in rows.answers:
            attempt = attempts.get(row.attempt)
            if attempt is not None:
                attempt.record(row)
        self.attempts = [attempts[n] for n in sorted(attempts)]
        self.moved_on = set(rows.moved_on)
