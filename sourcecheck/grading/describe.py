"""A response and the right answer, in words: for the end-of-lesson summary and for exports.

Stored responses are indexes into the YAML order; a student wants to read the option texts.
Plain text out (no markup): whoever renders it escapes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sourcecheck.grading.scoring import Response, match_rows, picked_indexes
from sourcecheck.lessons.loaded import Candidate, LoadedLesson
from sourcecheck.lessons.models import (
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["NO_ANSWER", "describe_answer", "describe_response", "describe_right_answer", "describe_your_answer"]

NO_ANSWER = "No answer"


def describe_response(question: Question, response: Response, candidates: Sequence[Candidate] = ()) -> str:
    """What the student answered, e.g. 'The name of another news outlet; A quotation from the New York Times'."""
    if isinstance(question, (SingleQuestion, MultiQuestion)):
        picked = _indexes(response, len(question.options))
        return "; ".join(question.options[i].text for i in picked) or NO_ANSWER
    if isinstance(question, TrueFalseQuestion):
        return _true_false(response if isinstance(response, bool) else None)
    if isinstance(question, SpansQuestion):
        picked = _indexes(response, len(candidates))
        return _phrases(candidates[i] for i in picked) or NO_ANSWER
    if isinstance(question, MatchQuestion):
        rows = match_rows(response, len(question.items))
        return _rows((item.text, got) for item, got in zip(question.items, rows, strict=True))
    if isinstance(question, ShortQuestion):
        return response.strip() if isinstance(response, str) and response.strip() else NO_ANSWER
    raise TypeError(f"unknown question type {type(question).__name__}")


def describe_answer(question: Question, candidates: Sequence[Candidate] = ()) -> str:
    """The answer the lesson expects; for a short question, its model answer."""
    if isinstance(question, (SingleQuestion, MultiQuestion)):
        return "; ".join(o.text for o in question.options if o.correct)
    if isinstance(question, TrueFalseQuestion):
        return _true_false(question.answer)
    if isinstance(question, SpansQuestion):
        return _phrases(c for c in candidates if c.correct)
    if isinstance(question, MatchQuestion):
        return _rows((item.text, item.category) for item in question.items)
    if isinstance(question, ShortQuestion):
        return question.model_answer
    raise TypeError(f"unknown question type {type(question).__name__}")


def describe_your_answer(lesson: LoadedLesson, question_id: str, response: Response) -> str:
    return describe_response(lesson.question(question_id), response, lesson.candidates.get(question_id, ()))


def describe_right_answer(lesson: LoadedLesson, question_id: str) -> str:
    return describe_answer(lesson.question(question_id), lesson.candidates.get(question_id, ()))


def _indexes(response: Response, size: int) -> list[int]:
    """Valid indexes in YAML order, each once: a stored response may come from an older lesson version."""
    return sorted(i for i in picked_indexes(response) if 0 <= i < size)


def _true_false(value: bool | None) -> str:
    return NO_ANSWER if value is None else "True" if value else "False"


def _phrases(candidates: Iterable[Candidate]) -> str:
    return ", ".join(f"“{c.text}”" for c in candidates)


def _rows(rows: Iterable[tuple[str, str | None]]) -> str:
    return "; ".join(f"{text} → {category or 'no category chosen'}" for text, category in rows)
