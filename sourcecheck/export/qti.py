"""QTI 1.2 zip for Canvas (Settings > Import Course Content > QTI .zip file), built with text2qti.

text2qti reads a small Markdown-based quiz language and writes the QTI that Canvas imports.
It has multiple choice, multiple answers, true/false and essay questions, but no matching,
so a match question becomes one multiple-choice question per item, a spans question
becomes multiple answers over its candidate phrases, and a mark question multiple answers over its
passage's annotated phrases; each is reported as a note.

Lesson text must never act as Markdown or HTML in the quiz (text2qti would even embed a
local file named in a Markdown image), so every ASCII punctuation character of it is
written as a numeric character reference: Markdown leaves those alone and Canvas shows
the character.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import assert_never

from sourcecheck.export.common import (
    Choice,
    ExportError,
    ExportResult,
    choices_for,
    mark_note,
    one_line,
    question_name,
    source_line,
    spans_note,
)
from sourcecheck.lessons.loaded import LoadedLesson
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

__all__ = ["quiz_text", "to_qti"]

# ',', ';', '?' and '/' mean nothing to Markdown, text2qti or Canvas: kept as they are, for readable HTML.
_PUNCTUATION = {ord(ch): f"&#{ord(ch)};" for ch in string.punctuation if ch not in ",;?/"}
_INDENT = "    "  # every marker below is four characters wide; continuation lines line up with its text


def to_qti(lessons: Sequence[LoadedLesson]) -> ExportResult:
    from text2qti.config import Config
    from text2qti.err import Text2qtiError
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    result = ExportResult(b"")
    text = quiz_text(lessons, result.notes)
    try:
        result.data = QTI(Quiz(text, config=Config(), source_name="SourceCheck export")).zip_bytes()
    except Text2qtiError as e:
        raise ExportError(f"text2qti could not build the quiz: {e}") from e
    return result


def quiz_text(lessons: Sequence[LoadedLesson], notes: list[str]) -> str:
    """The lessons in text2qti's quiz language; notes collects what had to change shape."""
    if len(lessons) == 1:
        title, description = lessons[0].lesson.title, lessons[0].lesson.summary
    else:
        title, description = f"SourceCheck: {len(lessons)} lessons", "; ".join(x.lesson.title for x in lessons)
    lines = [f"Quiz title: {one_line(title)}", *_block("Quiz description: ", _md(description), indent="  "),
             f"Shuffle answers: {'true' if all(x.lesson.shuffle for x in lessons) else 'false'}", ""]
    for lesson in lessons:
        if len(lessons) > 1:
            lines += [f"Text title: {one_line(lesson.lesson.title)}", *_block("Text: ", _md(lesson.lesson.summary),
                                                                            indent="  "), ""]
        for question in lesson.lesson.questions:
            lines += _question(lesson, question, notes)
    return "\n".join(lines)


def _question(lesson: LoadedLesson, question: Question, notes: list[str]) -> list[str]:
    if isinstance(question, MatchQuestion):
        return _match(lesson, question, notes)
    out = _header(question_name(lesson, question), getattr(question, "points", 1))
    out += _block("1.  ", _question_md(lesson, question))
    general = [_md(question.explanation)] if question.explanation else []
    if isinstance(question, ShortQuestion):  # Canvas shows general feedback after the essay is submitted
        general.insert(0, "**Model answer:** " + _md(question.model_answer))
    if general:
        out += _block("... ", "\n\n".join(general))
    if isinstance(question, SpansQuestion):
        notes.append(spans_note(lesson, question, "a multiple-answers question"))
    if isinstance(question, MarkQuestion):
        notes.append(mark_note(lesson, question, "a multiple-answers question"))
    if isinstance(question, (SingleQuestion, MultiQuestion, SpansQuestion, MarkQuestion)):
        out += _choices(choices_for(lesson, question), multi=not isinstance(question, SingleQuestion))
    elif isinstance(question, TrueFalseQuestion):
        out += _choices([Choice("True", question.answer, question.feedback_true),
                         Choice("False", not question.answer, question.feedback_false)], multi=False, raw=True)
    elif isinstance(question, ShortQuestion):
        out.append("____")
    else:
        assert_never(question)
    return out + [""]


def _match(lesson: LoadedLesson, question: MatchQuestion, notes: list[str]) -> list[str]:
    """One multiple-choice question per item, the categories as its options."""
    name = question_name(lesson, question)
    notes.append(f"{name}: Canvas QTI from text2qti has no matching questions; exported as "
                 f"{len(question.items)} multiple-choice questions, one per item, 1 point each")
    out: list[str] = []
    for n, item in enumerate(question.items, start=1):
        out += _header(f"{name} (item {n} of {len(question.items)})", 1)
        out += _block("1.  ", _question_md(lesson, question) + f"\n\n**{_md(item.text)}**")
        feedback = " ".join(x for x in (item.feedback, question.explanation) if x)
        if feedback:
            out += _block("... ", _md(feedback))
        out += _choices([Choice(c, c == item.category) for c in question.categories], multi=False)
        out.append("")
    return out


def _header(title: str, points: int) -> list[str]:
    return [f"Title: {one_line(title)}", f"Points: {points}"]


def _choices(choices: list[Choice], *, multi: bool, raw: bool = False) -> list[str]:
    out: list[str] = []
    for n, choice in enumerate(choices):
        letter = string.ascii_lowercase[n % 26]
        marker = ("[*] " if choice.correct else "[ ] ") if multi else (f"*{letter}) " if choice.correct
                                                                        else f"{letter})  ")
        out += _block(marker, choice.text if raw else _md(choice.text))
        if choice.feedback:
            out += _block("... ", _md(choice.feedback))
    return out


def _question_md(lesson: LoadedLesson, question: Question) -> str:
    parts = []
    placed = lesson.excerpts_for(question)
    for n, excerpt in enumerate(placed, start=1):
        if len(placed) > 1:
            parts.append(f"**Passage {n}**")
        lines = [_md(line) for line in excerpt.text.splitlines() if line.strip()]
        parts.append("\n>\n".join(f"> {line}" for line in lines))
        parts.append(f"*{_md(source_line(excerpt.document))}*")
    parts.append(_md(question.prompt))
    return "\n\n".join(parts)


def _block(marker: str, text: str, *, indent: str = _INDENT) -> list[str]:
    """A marker line and its continuation lines, indented as text2qti requires; blank lines stay blank."""
    first, *rest = text.split("\n")
    return [marker + first] + [indent + line if line else "" for line in rest]


def _md(text: str) -> str:
    """Lesson text as inert Markdown: one line per paragraph, punctuation as character references."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    return "\n\n".join(p.translate(_PUNCTUATION) for p in paragraphs)
