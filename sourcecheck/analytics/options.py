"""A question's options as the class saw them (letter, text, whether right, feedback): built here once.

The projector lists them with their letters before the reveal and charts them after; the dashboard's option
table counts who chose each. Each used to build its own list (True/False spelled out in each); one function
means they cannot disagree about what option B was. The letters are grading.shuffle's, which a teacher-paced
class's phones show too (`shown_options`). A question type added later fails mypy here until it
says what its options are (the match ends in `assert_never`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from sourcecheck.grading.shuffle import letter
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

__all__ = ["Choice", "choices", "letter", "listed"]


@dataclass(frozen=True)
class Choice:
    letter: str  # "A", "B", ...: how the projector names it
    text: str
    correct: bool
    feedback: str | None = None


def choices(question: Question) -> tuple[Choice, ...]:
    """The options a student picks among, in the lesson's order; none for a question answered otherwise (in the
    passage, by sorting rows, in words). Option i here is what `picked_indexes` calls i."""
    match question:
        case SingleQuestion() | MultiQuestion():
            return tuple(Choice(letter(i), o.text, o.correct, o.feedback) for i, o in enumerate(question.options))
        case TrueFalseQuestion():
            return (Choice("A", "True", question.answer, question.feedback_true),
                    Choice("B", "False", not question.answer, question.feedback_false))
        case SpansQuestion() | MarkQuestion() | MatchQuestion() | ShortQuestion():
            return ()
        case _:
            assert_never(question)


def listed(question: Question) -> tuple[Choice, ...]:
    """What the projector lists under the question before the reveal: the options, or a match question's rows
    to sort (each counted as "right" when placed in its category)."""
    match question:
        case MatchQuestion():
            return tuple(Choice(letter(i), item.text, True, item.feedback) for i, item in enumerate(question.items))
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | SpansQuestion() | MarkQuestion() \
                | ShortQuestion():
            return choices(question)
        case _:
            assert_never(question)
