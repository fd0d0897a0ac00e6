"""The order a student sees a question's options in: shuffled per student, the same on every visit; in a
teacher-paced class, the lesson's order lettered A, B, C... as on the projector (`shown_options`).

Responses are always stored as indexes in the lesson's own order, so the display order never
reaches scoring; it only stops a teacher's habit of writing the right answer first from showing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
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

__all__ = ["Shown", "letter", "option_order", "shown_options"]


def letter(index: int) -> str:
    """The letter of the option at `index` in the lesson's order (0 is A): how the projector and a teacher-paced
    class's phones name it."""
    return chr(65 + index)


@dataclass(frozen=True)
class Shown:
    index: int  # in the lesson's order: what a response stores
    letter: str | None  # "A", "B", ... in a teacher-paced class (the projector's letter); None when shuffled


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


def shown_options(lesson: LoadedLesson, question: Question, student: str, *, paced: bool) -> tuple[Shown, ...]:
    """The options (a match question's rows) as a student's screen shows them, in order. `paced`: a teacher-paced
    class, whose phones show the projector's order and letters (the lesson's order, A, B, C...: the teacher says
    "B" and everyone means the same option); otherwise today's per-student shuffle, unlettered. () for a question
    answered in the passage or in words."""
    match question:
        case SingleQuestion() | MultiQuestion():
            count = len(question.options)
        case TrueFalseQuestion():
            count = 2  # True is A, False is B (analytics.options.choices)
        case MatchQuestion():
            count = len(question.items)
        case SpansQuestion() | MarkQuestion() | ShortQuestion():
            return ()
        case _:
            assert_never(question)
    if paced:
        return tuple(Shown(i, letter(i)) for i in range(count))
    return tuple(Shown(i, None) for i in option_order(lesson, question, student) or range(count))
