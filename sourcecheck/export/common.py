"""What every export format shares: the result type, choices for choice-like questions, sources.

Spans questions (pick phrases in the passage) and mark questions (mark words in the passage, by category)
exist only in SourceCheck; Moodle and Canvas get them as a choose-all-that-apply list of phrases, in
reading order: a spans question's candidate phrases, a mark question's annotated phrases (with the
category in each choice when it asks for several). Each export says so in a note, once per question, so
the teacher is never surprised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import assert_never

from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import MarkQuestion, MultiQuestion, Question, SingleQuestion, SpansQuestion
from sourcecheck.render.highlight import source_line

__all__ = [
    "Choice", "ChoiceQuestion", "ExportError", "ExportResult", "choices_for", "mark_note", "one_line",
    "question_name", "source_line", "spans_note",
]

_ORDINALS = {2: "2nd", 3: "3rd"}

ChoiceQuestion = SingleQuestion | MultiQuestion | SpansQuestion | MarkQuestion


class ExportError(Exception):
    """A lesson that is valid for SourceCheck but that a target format refuses."""


@dataclass
class ExportResult:
    data: str | bytes
    notes: list[str] = field(default_factory=list)  # what could not be carried over as it is, for stderr


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str | None = None


def question_name(lesson: LoadedLesson, question: Question) -> str:
    return f"{lesson.id}/{question.id}"


def choices_for(lesson: LoadedLesson, question: ChoiceQuestion) -> list[Choice]:
    match question:
        case SpansQuestion():
            return _span_choices(lesson, question)
        case MarkQuestion():
            return _mark_choices(lesson, question)
        case SingleQuestion() | MultiQuestion():
            return [Choice(o.text, o.correct, o.feedback) for o in question.options]
        case _:
            assert_never(question)


def spans_note(lesson: LoadedLesson, question: SpansQuestion, target: str) -> str:
    count = len(lesson.bound(question.id).candidates)
    return (f"{question_name(lesson, question)}: spans question exported as {target} over its {count} "
            "candidate phrases (students tick phrases instead of selecting them in the passage)")


def mark_note(lesson: LoadedLesson, question: MarkQuestion, target: str) -> str:
    count = len(_mark_choices(lesson, question))
    return (f"{question_name(lesson, question)}: mark question exported as {target} over {count} choices made from "
            "its passage's annotated phrases (students tick phrases instead of marking words in the passage, so "
            "a mark that is a word too long or too short cannot be scored as SourceCheck scores it)")


def one_line(text: str) -> str:
    """Text that a target format takes as a plain single line (GIFT match answers, QTI titles)."""
    return " ".join(text.split())


def _span_choices(lesson: LoadedLesson, question: SpansQuestion) -> list[Choice]:
    candidates = lesson.bound(question.id).candidates
    compare = len(question.excerpt_ids) > 1
    seen: dict[tuple[str, str], int] = {}
    out = []
    for c in candidates:
        phrase = " ".join(c.text.split())
        n = seen[(phrase, c.excerpt_id)] = seen.get((phrase, c.excerpt_id), 0) + 1
        label = f"“{phrase}”"
        if n > 1:
            label += f" ({_ORDINALS.get(n, f'{n}th')} time)"
        if compare:
            label += f" (passage {question.excerpt_ids.index(c.excerpt_id) + 1})"
        out.append(Choice(label, c.correct))
    return out


def _mark_choices(lesson: LoadedLesson, question: MarkQuestion) -> list[Choice]:
    """Every annotated phrase of the passage, once each; asked about several categories, one choice per phrase
    and category ("“may improve”: hedge"), right where the phrase carries that label."""
    placed = lesson.excerpts[question.excerpt_ids[0]]
    labels_at: dict[tuple[int, int], set[str]] = {}
    for a in placed.annotations:
        labels_at.setdefault((a.start, a.end), set()).add(a.annotation.label)
    out = []
    for (start, end), labels in labels_at.items():
        phrase = f"“{' '.join(placed.text[start:end].split())}”"
        if len(question.labels) == 1:
            out.append(Choice(phrase, question.labels[0] in labels))
        else:
            out += [Choice(f"{phrase}: {LABELS[label].title.lower()}", label in labels) for label in question.labels]
    return out
