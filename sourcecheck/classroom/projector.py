"""What the projector shows of a class: who joined, how many answered the question on screen (and who, when the
class shows names), and on the reveal how the class answered, counted and charted.

The live count the projector polls every second is one indexed query returning one row
(`Store.question_count`). The first answers behind the names and the reveal are read only when that count
changed, and the reveal's tally and chart are built once per class state version and count (see `cache`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

import altair as alt

from sourcecheck.analytics.charts import option_chart
from sourcecheck.analytics.options import letter
from sourcecheck.classroom.cache import Memo
from sourcecheck.grading.responses import Response
from sourcecheck.grading.tally import Bar, Tally, tally
from sourcecheck.lessons.loaded import BoundQuestion
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
from sourcecheck.sessions.store import ClassSessionRow, FirstAnswerRow, QuestionCount, Store

__all__ = ["AnswerFeed", "Reveal", "Roll", "answer_feed", "reveal", "roll"]


@dataclass(frozen=True)
class Roll:
    joined: int
    names: tuple[str, ...]  # in the order they joined; empty unless the class shows names


@dataclass(frozen=True)
class AnswerFeed:
    answered: int  # first attempts at the question on screen
    joined: int
    names: tuple[str, ...]  # who answered, sorted; empty unless the class shows names


@dataclass(frozen=True, eq=False)
class Reveal:
    counts: Tally
    responses: tuple[Response, ...]  # first attempts, in the order they came: a heat map's input
    lettered: tuple[tuple[str, Bar], ...]  # each bar with the letter its option had before the reveal
    chart: alt.LayerChart | None  # a bar per option; None where a heat map or nothing is the picture


_FIRST: Memo[list[FirstAnswerRow]] = Memo(64)  # a few questions of a few classes
_REVEALS: Memo[Reveal] = Memo(32)


def roll(db: Store, session: ClassSessionRow) -> Roll:
    """Who joined (one query), not counting students the teacher removed; names only when the teacher chose to
    show them."""
    people = [p for p in db.participants(session.id) if not p.removed]
    return Roll(len(people), tuple(p.display_name or "" for p in people) if session.show_names else ())


def answer_feed(db: Store, session: ClassSessionRow, question_id: str) -> AnswerFeed:
    """One query for the count; with names shown, the first answers too, but only when the count changed."""
    count = db.question_count(session.id, question_id)
    names = (tuple(sorted({a.display_name or "" for a in _first_answers(db, session.id, question_id, count)}))
             if session.show_names else ())
    return AnswerFeed(count.answered, count.joined, names)


def reveal(db: Store, session: ClassSessionRow, version: int, bound: BoundQuestion) -> Reveal:
    """How the class answered (first attempts): one count query, then the tally and chart built once per class
    state version and count of answers."""
    question_id = bound.question.id
    count = db.question_count(session.id, question_id)
    key = (session.id, session.lesson_hash, question_id, version, count.answered)
    return _REVEALS.get(key, lambda: _reveal(bound, _first_answers(db, session.id, question_id, count)))


def _first_answers(db: Store, session_id: int, question_id: str, count: QuestionCount) -> list[FirstAnswerRow]:
    """Answers are added, one first attempt per student, and students removed (sometimes with their answers): the
    three counts say whether anything changed."""
    return _FIRST.get((session_id, question_id, count.answered, count.joined, count.removed),
                      lambda: db.first_answers(session_id, question_id))


def _reveal(bound: BoundQuestion, first: list[FirstAnswerRow]) -> Reveal:
    responses = tuple(a.response for a in first)
    counts = tally(bound, responses)
    return Reveal(counts, responses, tuple((letter(n), bar) for n, bar in enumerate(counts.bars)),
                  _chart(bound.question, counts))


def _chart(question: Question, counts: Tally) -> alt.LayerChart | None:
    match question:
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | MatchQuestion():
            return option_chart(counts) if counts.bars else None
        case SpansQuestion() | MarkQuestion() | ShortQuestion():
            return None  # a spans or mark question's heat map is its chart; a written answer has none
        case _:
            assert_never(question)
