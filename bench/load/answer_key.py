"""The answer-key guarantee, checked on the wire: nothing a student's browser receives before they submit
a question tells them its answer.

From the loaded lesson, each question's key is the text only an answered question shows: the
explanation, every option's (or True/False, or match row's) feedback, the model answer, and the notes
of the annotations on its excerpts. Each is reduced to its longest run of plain characters (letters,
digits, spaces, commas: what HTML and Markdown escaping leave as they are) and looked for, as UTF-8
bytes, in every ForwardMsg frame. A run that also occurs in what the question shows before answering
(prompt, options, excerpts, titles) is no secret and is left out; so is one an earlier question's key
already gave away (two questions on one excerpt share its notes, and the first reveal shows them).
While a question's form is on screen, the words and markup that mark a right answer (the feedback
lines, the highlight markup) must not arrive either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import (
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["MARKERS", "AnswerKey", "KeyWatch"]

# What the feedback view, the annotated excerpt and the projector's reveal put next to a right answer.
MARKERS = [b"it is right", b"and it fits", b"A right answer:", b"The answer is:", b"You missed:",
           b"A model answer", b"\xe2\x9c\x93 right", b'class="sc-hl"', b'class="sc-notes"', b"**Why:**"]
_PLAIN = re.compile(r"[A-Za-z0-9 ,]{16,}")


def _runs(text: str) -> list[str]:
    return sorted((m.group(0).strip() for m in _PLAIN.finditer(text)), key=len, reverse=True)


def _secrets(lesson: LoadedLesson, question: Question) -> list[str]:
    texts: list[str | None] = [question.explanation]
    if isinstance(question, (SingleQuestion, MultiQuestion)):
        texts += [o.feedback for o in question.options]
    elif isinstance(question, TrueFalseQuestion):
        texts += [question.feedback_true, question.feedback_false]
    elif isinstance(question, MatchQuestion):
        texts += [item.feedback for item in question.items]
    elif isinstance(question, ShortQuestion):
        texts.append(question.model_answer)
    elif isinstance(question, SpansQuestion):
        pass  # its key is which phrases are right: the markers and the notes below
    texts += [a.annotation.note for placed in lesson.excerpts_for(question) for a in placed.annotations]
    return [t for t in texts if t]


def _public(lesson: LoadedLesson, question: Question) -> str:
    """What the question shows before it is answered, so may be on the wire at any time."""
    parts = [lesson.lesson.title, lesson.lesson.summary, question.prompt]
    parts += [p.text for p in lesson.excerpts_for(question)]
    parts += [p.document.info.credit for p in lesson.excerpts_for(question)]
    if isinstance(question, (SingleQuestion, MultiQuestion)):
        parts += [o.text for o in question.options]
    elif isinstance(question, MatchQuestion):
        parts += [i.text for i in question.items] + list(question.categories)
    elif isinstance(question, SpansQuestion):
        parts += [c.text for c in lesson.bound(question.id).candidates]
    return "\n".join(parts)


@dataclass
class AnswerKey:
    """Per question id, the byte strings that must not reach a student before they answer it."""

    order: list[str]
    secrets: dict[str, list[bytes]]

    @classmethod
    def of(cls, lesson: LoadedLesson) -> AnswerKey:
        questions = lesson.lesson.questions
        public = "\n".join(_public(lesson, q) for q in questions)
        given_away: set[str] = set()
        secrets: dict[str, list[bytes]] = {}
        for question in questions:
            runs: list[bytes] = []
            for text in _secrets(lesson, question):
                found = [r for r in _runs(text) if r not in public]
                if found and text not in given_away:
                    runs.append(found[0].encode("utf-8"))
                given_away.add(text)
            secrets[question.id] = runs
        return cls([q.id for q in questions], secrets)

    def __len__(self) -> int:
        return sum(len(v) for v in self.secrets.values())


@dataclass
class KeyWatch:
    """One student's check: every frame before a question is answered (or closed by the teacher) is searched
    for that question's key and every later one's; while a form is on screen, for the right-answer markers."""

    key: AnswerKey
    closed: set[str] = field(default_factory=set)  # answered, revealed, or moved past
    form_open: str | None = None  # the question whose form is on screen now
    leaks: list[str] = field(default_factory=list)
    frames: int = 0
    _pending: list[bytes] = field(default_factory=list)

    def __call__(self, raw: bytes) -> None:
        """Frames are held until the run they belong to has finished: only then is it known whether that run
        was the teacher's reveal (which may show the key) or a page that must not."""
        self.frames += 1
        self._pending.append(raw)

    def check(self) -> None:
        pending, self._pending = self._pending, []
        for raw in pending:
            self._check(raw)

    def _check(self, raw: bytes) -> None:
        for question_id in self.key.order:
            if question_id in self.closed:
                continue
            for secret in self.key.secrets[question_id]:
                if secret in raw:
                    self.leaks.append(f"{question_id}: {secret.decode()[:60]!r} sent before the student answered")
        if self.form_open is not None:
            for marker in MARKERS:
                if marker in raw:
                    self.leaks.append(f"{self.form_open}: {marker.decode()!r} sent while its form was on screen")

    def on_screen(self, question_id: str | None, *, form: bool) -> None:
        """What the last whole-page run showed: question `question_id`, with its form or not."""
        self.form_open = question_id if form else None
        if question_id is None:
            return
        for earlier in self.key.order[:self.key.order.index(question_id)]:
            self.closed.add(earlier)
        if not form:
            self.closed.add(question_id)

    def submitted(self, question_id: str) -> None:
        self.closed.add(question_id)
        self.form_open = None

    def finished(self) -> None:
        self.closed.update(self.key.order)
        self.form_open = None
