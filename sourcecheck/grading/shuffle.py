"""The order a student sees a question's options in: shuffled per student, the same on every visit.

Responses are always stored as indexes in the lesson's own order, so the display order never
reaches scoring; it only stops a teacher's habit of writing the right answer first from showing.
"""

from __future__ import annotations

import random

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import MultiQuestion, Question, SingleQuestion

__all__ = ["option_order"]


def option_order(lesson: LoadedLesson, question: Question, student: str) -> list[int]:
    """Display order of options, the same for a student every time (a refresh does not reshuffle)."""
    if not isinstance(question, (SingleQuestion, MultiQuestion)):
        return []
    order = list(range(len(question.options)))
    shuffle = lesson.lesson.shuffle if question.shuffle is None else question.shuffle
    if shuffle:
        random.Random(f"{student}:{lesson.id}:{question.id}").shuffle(order)
    return order
