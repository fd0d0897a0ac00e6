"""A student's way through one lesson: attempts, which question is on screen, retries.

The app's session state dies with a browser refresh; a student's answers must not. So progress
lives in a `ProgressStore` keyed by the student's token (which the URL carries) and the lesson id,
and every step is idempotent: a rerun, a double click on Submit or Next, or a refresh replays a
step that already happened and changes nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from sourcecheck.grading.answers import Answer
from sourcecheck.grading.responses import Response
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.sessions.attempts import Attempt

__all__ = ["Progress", "ProgressStore"]


@dataclass
class Progress:
    student: str
    lesson_id: str
    attempts: list[Attempt]
    moved_on: set[tuple[int, str]] = field(default_factory=set)  # (attempt number, question id) left with Next
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def start(cls, lesson: LoadedLesson, student: str) -> Progress:
        return cls(student, lesson.id, [Attempt(1, [q.id for q in lesson.lesson.questions])])

    @property
    def attempt(self) -> Attempt:
        return self.attempts[-1]

    def current(self) -> str | None:
        """The question on screen: unanswered, or answered with its feedback still showing; None: the summary."""
        a = self.attempt
        return next((q for q in a.question_ids if (a.number, q) not in self.moved_on), None)

    def fits(self, lesson: LoadedLesson) -> bool:
        """False when the teacher has since removed a question this progress refers to."""
        known = {q.id for q in lesson.lesson.questions}
        return all(q in known for a in self.attempts for q in a.question_ids)

    def submit(self, question_id: str, response: Response, confidence: int | None = None) -> bool:
        """Record the answer to the question on screen; False (and nothing stored) for any other question."""
        with self._lock:
            if question_id != self.current():
                return False
            answer = Answer(self.student, self.lesson_id, question_id, self.attempt.number, response, confidence)
            return self.attempt.record(answer)

    def move_on(self, question_id: str) -> bool:
        """Leave an answered question's feedback; naming the question makes a double click move only once."""
        with self._lock:
            key = (self.attempt.number, question_id)
            if question_id not in self.attempt.answers or key in self.moved_on:
                return False
            self.moved_on.add(key)
            return True

    def retry(self, question_ids: list[str], *, after: int) -> bool:
        """Start attempt `after + 1` over `question_ids`, once, and only when attempt `after` is finished."""
        with self._lock:
            if not question_ids or self.attempt.number != after or self.current() is not None:
                return False
            self.attempts.append(Attempt(after + 1, list(question_ids)))
            return True


class ProgressStore:
    """Progress of recent students in memory, shared by all sessions; the oldest are dropped past `capacity`.

    A database replaces this when answers must outlive the server; the interface stays.
    """

    def __init__(self, capacity: int = 20_000) -> None:
        self.capacity = capacity
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, str], Progress] = OrderedDict()

    def get(self, lesson: LoadedLesson, student: str) -> Progress:
        """This student's progress in this lesson, started fresh if there is none or the lesson changed shape."""
        key = (student, lesson.id)
        with self._lock:
            progress = self._items.get(key)
            if progress is None or not progress.fits(lesson):
                progress = self._items[key] = Progress.start(lesson, student)
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
            return progress

    def __len__(self) -> int:
        return len(self._items)
