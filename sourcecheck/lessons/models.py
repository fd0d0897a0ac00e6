"""Lesson format version 1, as pydantic models.

The models describe what a teacher writes; they know nothing about documents on disk
(checks that need the documents live in `checks.py`) and nothing about any UI.
Extra keys are forbidden everywhere so that a typo is an error instead of a silent loss.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sourcecheck.lessons.labels import Label
from sourcecheck.lessons.rules import DOC_ID_PATTERN, SLUG_MAX, SLUG_PATTERN
from sourcecheck.lessons.skills import Skill

__all__ = [
    "Annotation", "Excerpt", "Lesson", "MarkQuestion", "MatchItem", "MatchQuestion", "MultiQuestion", "Option",
    "Phrase", "Question", "RubricCriterion", "RubricLevel", "ShortQuestion", "SingleQuestion", "SpansQuestion",
    "TrueFalseQuestion",
    "QUESTION_TYPES",
]

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
DocId = Annotated[str, StringConstraints(pattern=DOC_ID_PATTERN, max_length=128)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Points = Annotated[int, Field(ge=1, le=100)]
ContentNote = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
TeacherNote = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=800)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Phrase(_Strict):
    """A phrase of an excerpt; `occurrence` picks a later repeat of the same words."""

    text: Text
    occurrence: Annotated[int, Field(ge=1)] = 1


class Annotation(Phrase):
    label: Label
    note: Text


class Excerpt(_Strict):
    id: Slug
    quote: Text
    document: DocId | None = None  # defaults to the lesson's document; set it to compare two texts
    sourcing: Literal["strong", "weak", "mixed"] | None = None
    annotations: list[Annotation] = []


class Option(_Strict):
    text: Text
    correct: bool = False
    feedback: Text | None = None


class _Question(_Strict):
    id: Slug
    excerpt: Slug | Annotated[list[Slug], Field(min_length=1, max_length=2)]
    prompt: Text
    skill: Skill
    confidence: bool = False
    shuffle: bool | None = None  # None: follow the lesson

    @property
    def excerpt_ids(self) -> list[str]:
        return [self.excerpt] if isinstance(self.excerpt, str) else list(self.excerpt)


class _Scored(_Question):
    """Every scored question says why its answer is right, shown after the student answers."""

    explanation: Text


class SingleQuestion(_Scored):
    type: Literal["single"]
    points: Points = 1
    options: Annotated[list[Option], Field(min_length=2, max_length=8)]


class MultiQuestion(_Scored):
    type: Literal["multi"]
    points: Points = 1
    options: Annotated[list[Option], Field(min_length=2, max_length=10)]


class TrueFalseQuestion(_Scored):
    type: Literal["true-false"]
    points: Points = 1
    answer: bool
    feedback_true: Text | None = None  # shown to a student who answered "True"
    feedback_false: Text | None = None  # shown to a student who answered "False"


class SpansQuestion(_Scored):
    """Pick every phrase that fits: the right ones come from labels or from listed texts."""

    type: Literal["spans"]
    points: Points = 1
    labels: list[Label] = []
    answers: list[Text | Phrase] = []
    distractors: list[Text | Phrase] = []


class MarkQuestion(_Scored):
    """Mark phrases in the passage itself, in one to four categories: the targets are the excerpt's
    annotations with these labels, so a lesson states each phrase and its note once."""

    type: Literal["mark"]
    points: Points = 1
    labels: Annotated[list[Label], Field(min_length=1, max_length=4)]


class MatchItem(_Strict):
    text: Text
    category: Text
    feedback: Text | None = None


class MatchQuestion(_Scored):
    type: Literal["match"]
    points: Points = 1
    categories: Annotated[list[Text], Field(min_length=2, max_length=8)]
    items: Annotated[list[MatchItem], Field(min_length=2, max_length=12)]


class RubricLevel(_Strict):
    """One level of a criterion, as the Civic Online Reasoning rubrics write it: the points, what an answer at
    this level does, and an example answer at this level (a scorer's anchor, and after answering the student's)."""

    points: Annotated[int, Field(ge=0, le=10)]
    descriptor: Text
    example: Text


class RubricCriterion(_Strict):
    """One thing a written answer is scored on (e.g. "Names who is behind the source"), in two to five levels."""

    criterion: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    levels: Annotated[list[RubricLevel], Field(min_length=2, max_length=5)]

    @property
    def most(self) -> int:
        """The most this criterion gives: its highest level's points (levels rise from 0, lessons/checks.py)."""
        return max(level.points for level in self.levels)


class ShortQuestion(_Question):
    """A written answer. Without a rubric it is a reflection, never scored (no points); with one, a teacher scores
    it on the scoring page, criterion by criterion, and that stored score counts wherever a score goes."""

    type: Literal["short"]
    explanation: Text | None = None
    model_answer: Text
    rubric: Annotated[list[RubricCriterion], Field(min_length=1, max_length=4)] | None = None


Question = Annotated[
    SingleQuestion | MultiQuestion | TrueFalseQuestion | SpansQuestion | MarkQuestion | MatchQuestion
    | ShortQuestion,
    Field(discriminator="type"),
]

QUESTION_TYPES: dict[str, type[_Question]] = {
    "single": SingleQuestion,
    "multi": MultiQuestion,
    "true-false": TrueFalseQuestion,
    "spans": SpansQuestion,
    "mark": MarkQuestion,
    "match": MatchQuestion,
    "short": ShortQuestion,
}


class Lesson(_Strict):
    format_version: Literal[1] = 1
    id: Slug
    title: Text
    summary: Text
    # What a teacher should know before showing the lesson (violence, death, a distressing image described):
    # the catalog card says it, and a student sees it before the first question.
    content_note: ContentNote | None = None
    # Why the lesson is built as it is, for the teacher choosing it (e.g. why its text is invented for practice):
    # the catalog card says it under "For teachers" (students see the cards too); the lesson itself does not.
    teacher_note: TeacherNote | None = None
    level: Literal["intro", "core", "advanced"]
    minutes: Annotated[int, Field(ge=1, le=180)]
    skills: Annotated[list[Skill], Field(min_length=1)]
    document: DocId
    shuffle: bool = True
    excerpts: Annotated[list[Excerpt], Field(min_length=1)]
    questions: Annotated[list[Question], Field(min_length=1)]
