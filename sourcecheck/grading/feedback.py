"""Which feedback a student reads after answering: for what they chose, and for the right answers.

A lesson writes feedback per option (or per True/False, per match row). Showing all of it would
bury the point; showing only the chosen option's would hide what the right answer was. So the
student sees the options they picked (right or wrong), then the right ones they missed, each marked;
phrases of a spans question stay in reading order.
Pure data out; the app and any export decide how to draw it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, assert_never

from sourcecheck.grading.marking import mark_key, marked_words
from sourcecheck.grading.responses import Response, match_rows, picked_indexes
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

__all__ = ["FeedbackItem", "Mark", "feedback_for"]

Mark = Literal["right", "partial", "wrong", "missed"]


@dataclass(frozen=True)
class FeedbackItem:
    """One line of feedback: an option, phrase or match row, and how the student's answer relates to it.

    right: chosen and correct (for match: put in the right category; for mark: every word of a target marked);
    partial (mark only): some words of a target marked; wrong: chosen but not correct (for mark: a mark with no
    word of a target of its category); missed: a right answer the student did not choose.
    """

    text: str
    mark: Mark
    feedback: str | None = None
    chosen_as: str | None = None  # match only: the category the student picked (None: left empty)
    right_as: str | None = None  # match only: the category the lesson expects
    category: str | None = None  # mark only: the label of the target, or of the student's mark


# Feedback written for a student who picked this option often opens by congratulating them.
# Shown to a student who did NOT pick it, "Right." would read as praise for a wrong answer.
_PRAISE = re.compile(r"^(?:right|yes|correct|exactly|good|well spotted)\s*[.,!:;]\s*", re.IGNORECASE)


def _addressed_to_others(feedback: str | None) -> str | None:
    if feedback is None:
        return None
    rest = _PRAISE.sub("", feedback, count=1)
    return rest[:1].upper() + rest[1:] if rest else None


def feedback_for(bound: BoundQuestion, response: Response, *, order: Sequence[int] | None = None,
                 with_notes: bool = False) -> list[FeedbackItem]:
    """Feedback lines for `response` (indexes in YAML order), in display `order` where options were shuffled.

    `with_notes` gives spans phrases their annotation notes; the app leaves it off because it prints
    every note under the annotated excerpt anyway, and a phone should not scroll past them twice.
    """
    question = bound.question
    match question:
        case SingleQuestion() | MultiQuestion():
            return _options(question, response, order)
        case TrueFalseQuestion():
            return _true_false(question, response)
        case SpansQuestion():
            return _spans(bound.candidates, response, bound.notes() if with_notes else {})
        case MarkQuestion():
            return _marks(bound, response, with_notes)
        case MatchQuestion():
            return _match(question, response)
        case ShortQuestion():
            return []
        case _:
            assert_never(question)


def _item(text: str, chosen: bool, correct: bool, feedback: str | None) -> FeedbackItem | None:
    if chosen:
        return FeedbackItem(text, "right" if correct else "wrong", feedback)
    if correct:
        return FeedbackItem(text, "missed", _addressed_to_others(feedback))
    return None


def _options(question: SingleQuestion | MultiQuestion, response: Response,
             order: Sequence[int] | None) -> list[FeedbackItem]:
    picked = picked_indexes(response)
    indexes = list(order) if order else list(range(len(question.options)))
    items = [_item(question.options[i].text, i in picked, question.options[i].correct, question.options[i].feedback)
             for i in indexes]
    return _picks_first([item for item in items if item is not None])


def _picks_first(items: list[FeedbackItem]) -> list[FeedbackItem]:
    """The student's own choices lead; the right answers they missed follow."""
    return [i for i in items if i.mark != "missed"] + [i for i in items if i.mark == "missed"]


def _true_false(question: TrueFalseQuestion, response: Response) -> list[FeedbackItem]:
    picked = response if isinstance(response, bool) else None
    items = []
    for value, feedback in ((True, question.feedback_true), (False, question.feedback_false)):
        item = _item("True" if value else "False", picked is value, question.answer is value, feedback)
        if item is not None:
            items.append(item)
    return _picks_first(items)


def _spans(candidates: Sequence[Candidate], response: Response,
           notes: dict[tuple[str, int, int], str]) -> list[FeedbackItem]:
    picked = picked_indexes(response)
    items = [_item(c.text, i in picked, c.correct, notes.get((c.excerpt_id, c.start, c.end)))
             for i, c in enumerate(candidates)]
    return [item for item in items if item is not None]


def _marks(bound: BoundQuestion, response: Response, with_notes: bool) -> list[FeedbackItem]:
    """Each target (found, partly found or missed), and each mark that holds no word of a target of its category,
    in reading order. Neutral function words (grading/marking.py) are never asked for."""
    key = mark_key(bound)
    marks = key.marks(response)
    text = bound.excerpts[0].text
    by_label = {c.label: c for c in key.categories}
    placed: list[tuple[int, FeedbackItem]] = []
    for target in key.targets:
        wanted = set(range(target.first, target.last + 1)) & by_label[target.label].required
        got = len(wanted & marked_words(marks, target.label))
        mark: Mark = "right" if got == len(wanted) else "partial" if got else "missed"
        note = target.note if with_notes else None
        placed.append((target.first, FeedbackItem(target.text, mark, note, category=target.label)))
    for label, first, last in marks:
        if not set(range(first, last + 1)) & by_label[label].required:
            phrase = text[key.words[first].start:key.words[last].end]
            placed.append((first, FeedbackItem(phrase, "wrong", category=label)))
    return [item for _, item in sorted(placed, key=lambda p: p[0])]


def _match(question: MatchQuestion, response: Response) -> list[FeedbackItem]:
    items = []
    for item, chosen in zip(question.items, match_rows(response, len(question.items)), strict=True):
        mark: Mark = "right" if chosen == item.category else "wrong" if chosen is not None else "missed"
        items.append(FeedbackItem(item.text, mark, item.feedback, chosen_as=chosen, right_as=item.category))
    return items
