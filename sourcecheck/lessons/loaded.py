"""A lesson after loading: the teacher's model plus where each quote and phrase sits in its document.

These are what the app renders and what scoring reads; they hold the answer key, so a view
must only show the parts a student may see before answering.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sourcecheck.lessons.catalog import Document
from sourcecheck.lessons.models import Annotation, Excerpt, Lesson, Question, SpansQuestion
from sourcecheck.lessons.problems import LessonError

__all__ = ["BoundQuestion", "Candidate", "LoadedLesson", "Origin", "PlacedAnnotation", "PlacedExcerpt"]


@dataclass(frozen=True)
class PlacedAnnotation:
    annotation: Annotation
    start: int  # offsets into PlacedExcerpt.text
    end: int


@dataclass(frozen=True)
class PlacedExcerpt:
    excerpt: Excerpt
    document: Document
    start: int  # offsets into the document's original text
    end: int
    annotations: tuple[PlacedAnnotation, ...]

    @property
    def text(self) -> str:
        return self.document.text[self.start:self.end]


@dataclass(frozen=True)
class Candidate:
    """One phrase a student may pick in a spans question."""

    excerpt_id: str
    text: str
    start: int  # offsets into that excerpt's text
    end: int
    correct: bool


@dataclass(frozen=True)
class BoundQuestion:
    """A question with what it is shown and graded against: its placed excerpts and, for spans, its phrases.

    Scoring, feedback and descriptions take this instead of a bare question, so no caller can grade a
    spans question without its phrases (which used to score a fully right answer as 0).
    """

    question: Question
    excerpts: tuple[PlacedExcerpt, ...] = ()
    candidates: tuple[Candidate, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.question, SpansQuestion) and not self.candidates:
            raise ValueError(f"spans question {self.question.id!r} bound without its phrases")

    @property
    def id(self) -> str:
        return self.question.id

    def notes(self) -> dict[tuple[str, int, int], str]:
        """Each annotation's note by (excerpt id, start, end), so a spans phrase can explain itself."""
        return {(placed.excerpt.id, a.start, a.end): a.annotation.note
                for placed in self.excerpts for a in placed.annotations}


@dataclass(frozen=True)
class Origin:
    """Where a lesson came from, recorded while its file was read: a later problem about the lesson as a
    whole (a duplicate id) can then point at its `id:` line without reading the file again."""

    id_line: int = 0
    id_column: int = 0
    id_text: str | None = None  # the `id:` line itself, printed with a caret under the column
    modified_ns: int = 0  # the file's modification time: of two files with one id, the newer is the copy
    sha256: str = ""  # of the file's bytes: stored with every answer, so results stay readable after edits


@dataclass(frozen=True)
class LoadedLesson:
    lesson: Lesson
    path: Path
    excerpts: dict[str, PlacedExcerpt]
    candidates: dict[str, tuple[Candidate, ...]]  # spans question id -> phrases in reading order
    origin: Origin = Origin()
    warnings: tuple[LessonError, ...] = ()  # valid, but probably not what the teacher meant

    @property
    def id(self) -> str:
        return self.lesson.id

    def question(self, question_id: str) -> Question:
        return next(q for q in self.lesson.questions if q.id == question_id)

    def excerpts_for(self, question: Question) -> list[PlacedExcerpt]:
        return [self.excerpts[i] for i in question.excerpt_ids]

    def bound(self, question_id: str) -> BoundQuestion:
        question = self.question(question_id)
        return BoundQuestion(question, tuple(self.excerpts_for(question)), self.candidates.get(question_id, ()))
