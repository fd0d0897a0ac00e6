"""What the projector shows of a class: who joined, how many answered the question on screen (and who, when the
class shows names), and on the reveal how the class answered, counted (a mark question's phrases ranked by how
many found them, and the words most marked that were not to be marked).

The live count the projector polls every second is one indexed query returning one row
(`Store.question_count`). The first answers behind the names and the reveal are read only when that count
changed, and the reveal's tally is built once per class state version and count (see `cache`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcecheck.analytics.options import letter
from sourcecheck.classroom.cache import Memo
from sourcecheck.grading.marking import mark_key
from sourcecheck.grading.responses import Response
from sourcecheck.grading.tally import Bar, Tally, mark_counts, tally
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import BoundQuestion
from sourcecheck.lessons.models import MarkQuestion
from sourcecheck.sessions.store import ClassSessionRow, FirstAnswerRow, QuestionCount, Store

__all__ = ["AnswerFeed", "MarkSummary", "Phrase", "Reveal", "Roll", "answer_feed", "mark_summary", "reveal", "roll"]

STRAYS = 3  # the most-marked runs of words that were not to be marked, shown after the phrases to find


@dataclass(frozen=True)
class Roll:
    joined: int
    names: tuple[str, ...]  # in the order they joined; empty unless the class shows names


@dataclass(frozen=True)
class AnswerFeed:
    answered: int  # first attempts at the question on screen
    joined: int
    names: tuple[str, ...]  # who answered, sorted; empty unless the class shows names


@dataclass(frozen=True)
class Phrase:
    category: str  # the label's title: "Source", "Hedge"...
    text: str
    count: int  # a phrase to find: who marked all of it; a stray: the most students who marked one of its words
    target: bool


@dataclass(frozen=True)
class MarkSummary:
    """A mark question's reveal as one list: the phrases to find, most found first, then the runs of words the
    class marked most that were not to be marked in that category (where the class went wrong together)."""

    found: tuple[Phrase, ...]
    strays: tuple[Phrase, ...]


@dataclass(frozen=True, eq=False)
class Reveal:
    counts: Tally
    responses: tuple[Response, ...]  # first attempts, in the order they came: a heat map's input
    lettered: tuple[tuple[str, Bar], ...]  # each bar with the letter its option had before the reveal
    marks: MarkSummary | None  # a mark question's phrases, ranked; None for every other type


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
    """How the class answered (first attempts): one count query, then the tally built once per class state
    version and count of answers."""
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
                  mark_summary(bound, responses) if isinstance(bound.question, MarkQuestion) else None)


def mark_summary(bound: BoundQuestion, responses: tuple[Response, ...]) -> MarkSummary:
    """The phrases to find with how many found all of each (the tally's count, so it agrees with the scores),
    most found first (reading order among equals); then, per category, each run of marked words outside that
    category's phrases, counted by its most-marked word, the STRAYS most marked first."""
    key = mark_key(bound)
    bars = tally(bound, responses).bars
    found = sorted((Phrase(LABELS[t.label].title, " ".join(t.text.split()), bar.count, True)
                    for t, bar in zip(key.targets, bars, strict=True)), key=lambda p: -p.count)
    counts = mark_counts(bound, responses)
    text = bound.excerpts[0].text
    strays: list[tuple[int, int, Phrase]] = []
    for category in key.categories:
        inside = {i for t in key.targets if t.label == category.label for i in range(t.first, t.last + 1)}
        row = counts[category.label]
        i = 0
        while i < len(row):
            if not row[i] or i in inside:
                i += 1
                continue
            j = i
            while j + 1 < len(row) and row[j + 1] and j + 1 not in inside:
                j += 1
            words = " ".join(text[key.words[i].start:key.words[j].end].split())
            strays.append((max(row[i:j + 1]), i, Phrase(LABELS[category.label].title, words, max(row[i:j + 1]),
                                                        False)))
            i = j + 1
    strays.sort(key=lambda s: (-s[0], s[1]))
    return MarkSummary(tuple(found), tuple(p for _, _, p in strays[:STRAYS]))
