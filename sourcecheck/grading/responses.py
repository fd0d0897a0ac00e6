"""What a response is, and what counts as one: the rules every view, the store and scoring share.

The views hand `read_response` a typed raw answer (grading/raw.py) and it returns the response: plain data
(ints, bools, strings, lists) so that it can be stored as JSON beside its score. Stored responses are
read back through `picked_indexes`, `match_rows` and `mark_ranges` only, so scoring, feedback, the summary
and the projector can never disagree about what was picked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import assert_never

from sourcecheck.grading.raw import MarkState, MatchPicks, PickedOne, PickedTruth, RawAnswer, Ticked, Written
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
    "CONFIDENCE_SCALE", "MAX_MARKS", "MAX_SHORT_ANSWER", "MarkRange", "Response", "empty_hint", "mark_ranges",
    "match_rows", "picked_indexes", "read_response",
]

# A mark question's response is a list of [category, first word, last word]: see `mark_ranges`.
Response = int | bool | str | None | list[int] | list[str | None] | list[list[str | int]]
MarkRange = tuple[str, int, int]  # a label, and the indexes of the first and last word marked (both included)

MAX_SHORT_ANSWER = 2000  # characters: a few sentences, never an essay pasted in
MAX_MARKS = 200  # per answer: more than any passage needs, and a bound on what a tampered browser can send
# "How sure are you?", in percent: what the question page offers (nothing chosen until the student picks) and the
# worksheet prints; an answer given without picking is stored without a confidence.
CONFIDENCE_SCALE = tuple(range(50, 101, 10))


def read_response(bound: BoundQuestion, raw: RawAnswer) -> Response:
    """What the widgets held (`raw`) as a response in YAML order; None while nothing counts as an answer.

    An option or phrase index must be a real int (a bool is not an index) and one of the question's: any
    other index (99, -1, 2**63 from a tampered browser) is no answer at all. A match row must be one of the
    question's categories, every row filled; a short answer is stripped, capped at MAX_SHORT_ANSWER and must
    have a visible word; a mark must name one of the question's labels and words of its passage. A raw value
    of another question type's shape is no answer either.
    """
    question = bound.question
    match question:
        case SingleQuestion():
            if not isinstance(raw, PickedOne) or not _is_index(raw.index, len(question.options)):
                return None
            return raw.index
        case TrueFalseQuestion():
            return raw.value if isinstance(raw, PickedTruth) and isinstance(raw.value, bool) else None
        case MultiQuestion():
            return _ticked(raw, len(question.options))
        case SpansQuestion():
            return _ticked(raw, len(bound.candidates))
        case MarkQuestion():
            if not isinstance(raw, MarkState):
                return None
            state = raw.state.get("marks") if isinstance(raw.state, Mapping) else raw.state
            marks: list[list[str | int]] = [list(m) for m in mark_ranges(state, question.labels, _word_count(bound))]
            return marks or None
        case MatchQuestion():
            if not isinstance(raw, MatchPicks) or len(raw.rows) != len(question.items):
                return None
            rows: list[str | None] = [row if isinstance(row, str) and row in question.categories else None
                                      for row in raw.rows]
            return rows if all(row is not None for row in rows) else None
        case ShortQuestion():
            if not isinstance(raw, Written) or not isinstance(raw.text, str) or not raw.text.strip():
                return None
            return raw.text.strip()[:MAX_SHORT_ANSWER]
        case _:
            assert_never(question)


def _ticked(raw: RawAnswer, size: int) -> list[int] | None:
    """Ticked indexes, sorted; None when nothing is ticked or any index is not one of the `size` offered."""
    if not isinstance(raw, Ticked) or not raw.indexes or not all(_is_index(i, size) for i in raw.indexes):
        return None
    return sorted(raw.indexes)


def empty_hint(bound: BoundQuestion) -> str:
    """What to tell a student who pressed Submit before answering."""
    question = bound.question
    match question:
        case SingleQuestion():
            return "Pick one answer, then press Submit."
        case TrueFalseQuestion():
            return "Pick True or False, then press Submit."
        case MultiQuestion():
            return "Tick at least one box, then press Submit."
        case SpansQuestion():
            return "Tick at least one phrase, then press Submit."
        case MarkQuestion():
            return "Mark at least one phrase in the passage, then press Submit."
        case MatchQuestion():
            return "Choose a category for every row, then press Submit."
        case ShortQuestion():
            return "Write a few words first, then press Submit."
        case _:
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


def _is_index(value: object, size: int | None = None) -> bool:
    """A real int (a bool is not an index), and when `size` is given one of range(size)."""
    return isinstance(value, int) and not isinstance(value, bool) and (size is None or 0 <= value < size)


def _word_count(bound: BoundQuestion) -> int:
    return len(words(bound.excerpts[0].text)) if bound.excerpts else 0
