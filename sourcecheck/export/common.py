"""What every export format shares: the result type, choices for choice-like questions, sources.

Spans questions (pick phrases in the passage) exist only in SourceCheck; Moodle, Canvas and
paper get them as a choose-all-that-apply list of the candidate phrases, in reading order.
Each export says so in a note, once per question, so the teacher is never surprised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import MultiQuestion, Question, SingleQuestion, SpansQuestion
from sourcecheck.render.highlight import source_line

__all__ = [
    "Choice", "ExportError", "ExportResult", "choices_for", "is_multi", "one_line", "question_name", "source_line",
    "spans_note",
]

_ORDINALS = {2: "2nd", 3: "3rd"}


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


def is_multi(question: Question) -> bool:
    """Whether students may pick several options (a spans question always lets them)."""
    return isinstance(question, (MultiQuestion, SpansQuestion))


def choices_for(lesson: LoadedLesson, question: SingleQuestion | MultiQuestion | SpansQuestion) -> list[Choice]:
    if isinstance(question, SpansQuestion):
        return _span_choices(lesson, question)
    return [Choice(o.text, o.correct, o.feedback) for o in question.options]


def spans_note(lesson: LoadedLesson, question: SpansQuestion, target: str) -> str:
    count = len(lesson.bound(question.id).candidates)
    return (f"{question_name(lesson, question)}: spans question exported as {target} over its {count} "
            "candidate phrases (students tick phrases instead of selecting them in the passage)")


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
