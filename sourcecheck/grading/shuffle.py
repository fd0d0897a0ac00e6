"""The order a student sees a question's options in: shuffled per student, the same on every visit.

Responses are always stored as indexes in the lesson's own order, so the display order never
reaches scoring; it only stops a teacher's habit of writing the right answer first from showing.
"""

from __future__ import annotations

import random
from typing import assert_never

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["option_order"]


def option_order(lesson: LoadedLesson, question: Question, student: str) -> list[int]:
    """Display order of options, the same for a student every time (a refresh does not reshuffle); [] for a
    question with no options to shuffle (phrases and match rows stay in reading order)."""
    match question:
        case SingleQuestion() | MultiQuestion():
            order = list(range(len(question.options)))
        case TrueFalseQuestion() | SpansQuestion() | MarkQuestion() | MatchQuestion() | ShortQuestion():
            return []
        case _:
            assert_never(question)
    shuffle = lesson.lesson.shuffle if question.shuffle is None else question.shuffle
    if shuffle:
        random.Random(f"{student}:{lesson.id}:{question.id}").shuffle(order)
    return order
