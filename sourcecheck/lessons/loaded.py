"""A lesson after loading: the teacher's model plus where each quote and phrase sits in its document.

These are what the app renders and what scoring reads; they hold the answer key, so a view
must only show the parts a student may see before answering.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sourcecheck.lessons.catalog import Document
from sourcecheck.lessons.models import Annotation, Excerpt, Lesson, Question

__all__ = ["Candidate", "LoadedLesson", "PlacedAnnotation", "PlacedExcerpt"]


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
class LoadedLesson:
    lesson: Lesson
    path: Path
    excerpts: dict[str, PlacedExcerpt]
    candidates: dict[str, tuple[Candidate, ...]]  # spans question id -> phrases in reading order

    @property
    def id(self) -> str:
        return self.lesson.id

    def question(self, question_id: str) -> Question:
        return next(q for q in self.lesson.questions if q.id == question_id)

    def excerpts_for(self, question: Question) -> list[PlacedExcerpt]:
        return [self.excerpts[i] for i in question.excerpt_ids]
