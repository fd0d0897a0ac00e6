"""What a response is, and what counts as one: the rules every view, the store and scoring share.

A response is plain data (ints, bools, strings, lists) so that it can be stored as JSON and scored
again later with the same result. Stored responses are read back through `picked_indexes`,
`match_rows` and `mark_ranges` only, so scoring, feedback and the summary can never disagree about what
was picked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, assert_never

from sourcecheck.lessons.loaded import BoundQuestion
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.lessons.words import words

__all__ = [
    "MAX_MARKS", "MAX_SHORT_ANSWER", "MarkRange", "Response", "empty_hint", "mark_ranges", "match_rows",
    "picked_indexes", "read_response",
]

# A mark question's response is a list of [category, first word, last word]: see `mark_ranges`.
Response = int | bool | str | None | list[int] | list[str | None] | list[list[str | int]]
MarkRange = tuple[str, int, int]  # a label, and the indexes of the first and last word marked (both included)

MAX_SHORT_ANSWER = 2000  # characters: a few sentences, never an essay pasted in
MAX_MARKS = 200  # per answer: more than any passage needs, and a bound on what a tampered browser can send


def read_response(bound: BoundQuestion, values: Mapping[str, Any], keys: str) -> Response:
    """The answer fields (named `keys:part`) as a response in YAML order; None while nothing counts as an answer.

    Parts: `choice` (single, true-false), `opt:I` (multi), `span:I` (spans), `row:J` (match), `text` (short),
    `marks` (mark: the marking component's state, `{"marks": [[label, first, last], ...]}`).
    An option index must be a real int (a bool is not an index); a short answer must have a visible word;
    a mark must name one of the question's labels and words of its passage.
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
    if isinstance(question, MarkQuestion):
        state = get("marks")
        raw = state.get("marks") if isinstance(state, Mapping) else state
        marks: list[list[str | int]] = [list(m) for m in mark_ranges(raw, question.labels, _word_count(bound))]
        return marks or None
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
    if isinstance(question, MarkQuestion):
        return "Mark at least one phrase in the passage, then press Submit."
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


def mark_ranges(response: object, labels: Sequence[str], size: int) -> list[MarkRange]:
    """The valid marks of a stored or sent response, sorted, each once: a known label and a first and last word
    in [0, size) in order. Anything else (a tampered browser, a passage edited since) counts for nothing."""
    if not isinstance(response, list):
        return []
    out: set[MarkRange] = set()
    for item in response[:MAX_MARKS]:
        if not isinstance(item, (list, tuple)) or len(item) != 3:
            continue
        label, first, last = item
        if (isinstance(label, str) and label in labels and _is_index(first) and _is_index(last)
                and 0 <= first <= last < size):
            out.add((label, first, last))
    return sorted(out, key=lambda m: (m[1], m[2], labels.index(m[0])))


def _is_index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _word_count(bound: BoundQuestion) -> int:
    return len(words(bound.excerpts[0].text)) if bound.excerpts else 0
