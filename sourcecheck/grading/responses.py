"""What a response is, and what counts as one: the rules every view, the store and scoring share.

A response is plain data (ints, bools, strings, lists) so that it can be stored as JSON and scored
again later with the same result. Stored responses are read back through `picked_indexes` and
`match_rows` only, so scoring, feedback and the summary can never disagree about what was picked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_never

from sourcecheck.lessons.loaded import BoundQuestion
from sourcecheck.lessons.models import (
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["MAX_SHORT_ANSWER", "Response", "empty_hint", "match_rows", "picked_indexes", "read_response"]

Response = int | bool | str | None | list[int] | list[str | None]

MAX_SHORT_ANSWER = 2000  # characters: a few sentences, never an essay pasted in


def read_response(bound: BoundQuestion, values: Mapping[str, Any], keys: str) -> Response:
    """The answer fields (named `keys:part`) as a response in YAML order; None while nothing counts as an answer.

    Parts: `choice` (single, true-false), `opt:I` (multi), `span:I` (spans), `row:J` (match), `text` (short).
    An option index must be a real int (a bool is not an index); a short answer must have a visible word.
    """
    get = lambda part: values.get(f"{keys}:{part}")
    question = bound.question
    if isinstance(question, SingleQuestion):
        choice = get("choice")
        return choice if isinstance(choice, int) and not isinstance(choice, bool) else None
    if isinstance(question, TrueFalseQuestion):
        choice = get("choice")
        return choice if isinstance(choice, bool) else None
    if isinstance(question, MultiQuestion):
        return [i for i in range(len(question.options)) if get(f"opt:{i}")] or None
    if isinstance(question, SpansQuestion):
        return [i for i in range(len(bound.candidates)) if get(f"span:{i}")] or None
    if isinstance(question, MatchQuestion):
        rows = [get(f"row:{j}") for j in range(len(question.items))]
        return rows if all(isinstance(r, str) for r in rows) else None
    if isinstance(question, ShortQuestion):
        text = get("text")
        return text.strip()[:MAX_SHORT_ANSWER] if isinstance(text, str) and text.strip() else None
    assert_never(question)


def empty_hint(bound: BoundQuestion) -> str:
    """What to tell a student who pressed Submit before answering."""
    question = bound.question
    if isinstance(question, SingleQuestion):
        return "Pick one answer, then press Submit."
    if isinstance(question, TrueFalseQuestion):
        return "Pick True or False, then press Submit."
    if isinstance(question, MultiQuestion):
        return "Tick at least one box, then press Submit."
    if isinstance(question, SpansQuestion):
        return "Tick at least one phrase, then press Submit."
    if isinstance(question, MatchQuestion):
        return "Choose a category for every row, then press Submit."
    if isinstance(question, ShortQuestion):
        return "Write a few words first, then press Submit."
    assert_never(question)



def picked_indexes(response: Response) -> set[int]:
    """The option or phrase indexes in a stored response (one int, or a list of them); anything else counts
    for nothing. Scoring, feedback and the summary all read responses through this one function."""
    if isinstance(response, bool):
        return set()
    if isinstance(response, int):
        return {response}
    if isinstance(response, list):
        return {r for r in response if isinstance(r, int) and not isinstance(r, bool)}
    return set()


def match_rows(response: Response, size: int) -> list[str | None]:
    """A match response as exactly `size` rows: missing rows, and rows that are not text, are None."""
    rows = list(response)[:size] if isinstance(response, list) else []
    rows += [None] * (size - len(rows))
    return [row if isinstance(row, str) else None for row in rows]
