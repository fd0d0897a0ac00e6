"""A response and the right answer, in words: for the end-of-lesson summary and for exports.

Stored responses are indexes into the YAML order; a student wants to read the option texts.
Plain text out (no markup): whoever renders it escapes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_never

from sourcecheck.grading.marking import mark_key
from sourcecheck.grading.responses import Response, match_rows, picked_indexes
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import BoundQuestion, Candidate
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["NO_ANSWER", "describe_answer", "describe_response"]

NO_ANSWER = "No answer"


def describe_response(bound: BoundQuestion, response: Response) -> str:
    """What the student answered, e.g. 'The name of another news outlet; A quotation from the New York Times'."""
    question, candidates = bound.question, bound.candidates
    match question:
        case SingleQuestion() | MultiQuestion():
            picked = _indexes(response, len(question.options))
            return "; ".join(question.options[i].text for i in picked) or NO_ANSWER
        case TrueFalseQuestion():
            return _true_false(response if isinstance(response, bool) else None)
        case SpansQuestion():
            picked = _indexes(response, len(candidates))
            return _phrases(candidates[i] for i in picked) or NO_ANSWER
        case MarkQuestion():
            key = mark_key(bound)
            text = bound.excerpts[0].text
            return _by_label(question.labels, ((label, text[key.words[first].start:key.words[last].end])
                                               for label, first, last in key.marks(response))) or NO_ANSWER
        case MatchQuestion():
            rows = match_rows(response, len(question.items))
            return _rows((item.text, got) for item, got in zip(question.items, rows, strict=True))
        case ShortQuestion():
            return response.strip() if isinstance(response, str) and response.strip() else NO_ANSWER
        case _:
            assert_never(question)


def describe_answer(bound: BoundQuestion) -> str:
    """The answer the lesson expects; for a short question, its model answer."""
    question, candidates = bound.question, bound.candidates
    match question:
        case SingleQuestion() | MultiQuestion():
            return "; ".join(o.text for o in question.options if o.correct)
        case TrueFalseQuestion():
            return _true_false(question.answer)
        case SpansQuestion():
            return _phrases(c for c in candidates if c.correct)
        case MarkQuestion():
            return _by_label(question.labels, ((t.label, t.text) for t in mark_key(bound).targets))
        case MatchQuestion():
            return _rows((item.text, item.category) for item in question.items)
        case ShortQuestion():
            return question.model_answer
        case _:
            assert_never(question)


def _indexes(response: Response, size: int) -> list[int]:
    """Valid indexes in YAML order, each once: a stored response may come from an older lesson version."""
    return sorted(i for i in picked_indexes(response) if 0 <= i < size)


def _true_false(value: bool | None) -> str:
    return NO_ANSWER if value is None else "True" if value else "False"


def _phrases(candidates: Iterable[Candidate]) -> str:
    return ", ".join(f"“{c.text}”" for c in candidates)


def _by_label(labels: Iterable[str], phrases: Iterable[tuple[str, str]]) -> str:
    """'Hedge: “may improve”, “too early to know”; Vague attribution: “Supporters say”', in the question's order."""
    grouped: dict[str, list[str]] = {label: [] for label in labels}
    for label, phrase in phrases:
        grouped[label].append(f"“{' '.join(phrase.split())}”")
    return "; ".join(f"{LABELS[label].title}: {', '.join(found)}" for label, found in grouped.items() if found)


def _rows(rows: Iterable[tuple[str, str | None]]) -> str:
    return "; ".join(f"{text} → {category or 'no category chosen'}" for text, category in rows)
