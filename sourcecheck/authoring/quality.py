"""Checks on the craft of a lesson library, beyond validity: feedback, give-away options, coverage.

Used by `python -m sourcecheck stats` for teachers and by the library's coverage tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
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

__all__ = [
    "correct_is_longest", "correct_positions", "missing_feedback", "question_sourcing",
]


def missing_feedback(question: Question) -> list[str]:
    """What a student could pick and then get no word on why it is wrong (or right)."""
    match question:
        case SingleQuestion() | MultiQuestion():
            return [o.text for o in question.options if not o.feedback]
        case TrueFalseQuestion():
            wrong = "feedback_false" if question.answer else "feedback_true"
            return [wrong] if getattr(question, wrong) is None else []
        case SpansQuestion() | MarkQuestion() | MatchQuestion() | ShortQuestion():
            # phrases and marks explain themselves through their notes; rows and short answers have no options
            return []
        case _:
            assert_never(question)


def correct_is_longest(question: Question) -> bool:
    """A tell: the right option is longer than every wrong one (students learn to pick the longest)."""
    if not isinstance(question, (SingleQuestion, MultiQuestion)):
        return False
    right = [len(o.text) for o in question.options if o.correct]
    wrong = [len(o.text) for o in question.options if not o.correct]
    return bool(right and wrong) and min(right) > max(wrong)


def correct_positions(questions: Iterable[Question]) -> Counter[int]:
    """Where the right option sits in the YAML (0-based) across single questions."""
    return Counter(next(i for i, o in enumerate(q.options) if o.correct)
                   for q in questions if isinstance(q, SingleQuestion))


def question_sourcing(lesson: LoadedLesson, question: Question) -> str:
    """strong / weak / mixed for a question: a compare question is 'mixed' unless both excerpts agree.

    A passage that makes no claim about events (a byline, a bare "it's still unclear") carries no tag
    and leaves the judgement to the passage beside it; a question on such passages alone is 'untagged'.
    """
    tags = {tag for x in question.excerpt_ids if (tag := lesson.excerpts[x].excerpt.sourcing) is not None}
    if not tags:
        return "untagged"
    return tags.pop() if len(tags) == 1 else "mixed"
