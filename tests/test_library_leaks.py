"""Lessons do not leak each other's answers: a passage quoted in two lessons asks a different thing in each.

Two questions "share a passage" when they quote overlapping stretches of the same document (more than
half of the shorter). Across two lessons, such a pair must not
- ask the same kind of question: the same skill with the same question type;
- have the same key: the same phrases keyed, or right options that say the same thing;
- give the other's answer away: one prompt quoting the phrases, or saying what the right option says,
  that the other asks the student to find (for the same skill).
The rules read whatever is in lessons/, so a lesson added later is held to them too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import combinations

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import (
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

_QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an the and or of to in on at by for from with as is are was were be it its this that "
                  "these those they he his she her we you i not no do does did has have had so than".split())


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def _stems(text: str) -> frozenset[str]:
    return frozenset(w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@dataclass(frozen=True)
class Asked:
    lesson: str
    question: Question
    passages: tuple[tuple[str, int, int], ...]  # (document id, start, end)
    phrases: frozenset[str]  # keyed phrases of the passage (normalised): what the student must find
    statement: frozenset[str]  # what the right answer says, as word stems (single, multi, true-false)

    @property
    def name(self) -> str:
        return f"{self.lesson}/{self.question.id}"


def _asked(lesson: LoadedLesson, question: Question) -> Asked:
    bound = lesson.bound(question.id)
    passages = tuple((p.document.info.id, p.start, p.end) for p in bound.excerpts)
    phrases: set[str] = set()
    statement: frozenset[str] = frozenset()
    if isinstance(question, SpansQuestion):
        phrases = {_norm(c.text) for c in bound.candidates if c.correct}
    elif isinstance(question, MatchQuestion):
        phrases = {_norm(i.text) for i in question.items}
    elif isinstance(question, (SingleQuestion, MultiQuestion)):
        right = [o.text for o in question.options if o.correct]
        text = " ".join(p.text for p in bound.excerpts).lower()
        phrases = {_norm(o) for o in right if _norm(o) in _norm(text)}  # options that are phrases of the passage
        phrases |= {_norm(q) for o in right for q in _QUOTED.findall(o)}
        statement = _stems(" ".join(right))
    elif isinstance(question, TrueFalseQuestion):
        statement = _stems(question.prompt) if question.answer else frozenset()
    elif isinstance(question, ShortQuestion):
        pass  # never scored: a model answer is read after writing, not picked
    else:
        raise AssertionError(f"{lesson.id}/{question.id}: the leak check does not know {question.type!r} questions")
    return Asked(lesson.id, question, passages, frozenset(p for p in phrases if p), statement)


def share_a_passage(a: Asked, b: Asked) -> bool:
    for doc_a, start_a, end_a in a.passages:
        for doc_b, start_b, end_b in b.passages:
            common = min(end_a, end_b) - max(start_a, start_b)
            if doc_a == doc_b and common > 0.5 * min(end_a - start_a, end_b - start_b):
                return True
    return False


def _gives_away(a: Asked, b: Asked) -> str | None:
    """Whether a's prompt hands over what b asks the student to find or to say."""
    prompt = _norm(a.question.prompt)
    quoted = sorted(p for p in b.phrases if f" {p} " in f" {prompt} ")
    if quoted:
        return f"{a.name} quotes {quoted} in its prompt, which {b.name} asks students to find"
    if b.statement and _overlap(b.statement, _stems(a.question.prompt)) >= 0.75 and len(b.statement) >= 2:
        return f"{a.name}'s prompt says what {b.name}'s right answer says"
    return None


def leaks(a: Asked, b: Asked) -> list[str]:
    if a.lesson == b.lesson or not share_a_passage(a, b) or a.question.skill != b.question.skill:
        return []
    if isinstance(a.question, ShortQuestion) or isinstance(b.question, ShortQuestion):
        return []
    out = []
    if a.question.type == b.question.type:
        out.append(f"{a.name} and {b.name}: the same kind of question ({a.question.type}, {a.question.skill}) "
                   "on one passage")
    if a.phrases and b.phrases and len(a.phrases & b.phrases) / len(a.phrases | b.phrases) >= 0.5:
        out.append(f"{a.name} and {b.name}: the same phrases keyed, {sorted(a.phrases & b.phrases)}")
    elif a.statement and b.statement and _overlap(a.statement, b.statement) >= 0.75:
        out.append(f"{a.name} and {b.name}: right answers that say the same thing")
    out += [m for m in (_gives_away(a, b), _gives_away(b, a)) if m]
    return out


def all_leaks(lessons: list[LoadedLesson]) -> list[str]:
    asked = [_asked(lesson, q) for lesson in lessons for q in lesson.lesson.questions]
    return [m for a, b in combinations(asked, 2) for m in leaks(a, b)]


def test_a_passage_in_two_lessons_asks_a_different_thing_in_each(library: Library) -> None:
    found = all_leaks(library.lessons)
    assert not found, "questions that leak each other's answers:\n" + "\n".join(found)


def test_the_leak_check_catches_a_copy_and_a_prompt_that_gives_the_answer(library: Library) -> None:
    lesson = next(x for x in library.lessons if any(isinstance(q, SpansQuestion) for q in x.lesson.questions))
    spans = next(q for q in lesson.lesson.questions if isinstance(q, SpansQuestion))
    original = _asked(lesson, spans)
    copy = replace(original, lesson="a-copy")  # the same question, pasted into another lesson
    messages = leaks(original, copy)
    assert any("same kind of question" in m for m in messages), messages
    assert any("same phrases keyed" in m for m in messages), messages
    true_false = next(q for x in library.lessons for q in x.lesson.questions if isinstance(q, TrueFalseQuestion))
    phrase = sorted(original.phrases)[0]
    asking = true_false.model_copy(update={"skill": spans.skill, "prompt": f'True or false: "{phrase}" is the one.'})
    messages = leaks(original, replace(copy, question=asking, phrases=frozenset(), statement=frozenset()))
    assert any("in its prompt" in m for m in messages), messages
    assert not any("same kind" in m for m in messages), messages
