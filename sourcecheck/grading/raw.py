"""What a question's answer widgets held when Submit was pressed, typed, before any rule is applied.

The views own their widgets and widget keys; they hand grading one of these values and
`grading.responses.read_response` decides what of it counts as an answer. Each field is typed as what
the widget should hold, but a browser can be tampered with, so read_response checks every value again.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MarkState", "MatchPicks", "PickedOne", "PickedTruth", "RawAnswer", "Ticked", "Written"]


@dataclass(frozen=True)
class PickedOne:
    """A single question's radio: the option's index in the lesson's (YAML) order, None before a click."""

    index: int | None


@dataclass(frozen=True)
class PickedTruth:
    """A true-false question's radio: None before a click."""

    value: bool | None


@dataclass(frozen=True)
class Ticked:
    """The ticked boxes of a multi or spans question: option or phrase indexes in the lesson's order."""

    indexes: frozenset[int]


@dataclass(frozen=True)
class MatchPicks:
    """A match question's select boxes, one per row in the lesson's order: None while a row has no category."""

    rows: tuple[str | None, ...]


@dataclass(frozen=True)
class Written:
    """A short question's text area, as typed."""

    text: str | None


@dataclass(frozen=True)
class MarkState:
    """The marking component's state as the browser sent it: `{"marks": [[label, first, last], ...]}` (or the
    bare list). Left untyped on purpose: it is JSON from the browser, and only `mark_ranges` says what counts."""

    state: object


RawAnswer = PickedOne | PickedTruth | Ticked | MatchPicks | Written | MarkState
