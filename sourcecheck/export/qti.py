"""QTI 1.2 zip for Canvas (Settings > Import Course Content > QTI .zip file), built with text2qti.

text2qti reads a small Markdown-based quiz language and writes the QTI that Canvas imports.
It has multiple choice, multiple answers, true/false and essay questions, but no matching,
so a match question becomes one multiple-choice question per item, a spans question
becomes multiple answers over its candidate phrases, and a mark question multiple answers over its
passage's annotated phrases; each is reported as a note.

The quiz is worth what the lesson is worth in the app. A match question's points are shared
among its items (the app gives credit per row), and a short question, never scored in the app,
is an essay worth 0 points; a short question with a rubric, which a teacher scores, is an essay worth
its rubric's most, with the rubric in the essay's general feedback after the model answer (text2qti has no
other place for it; Canvas shows general feedback after the essay is submitted, as SourceCheck shows the rubric
after answering). text2qti accepts only whole or half points of at least 1, so those
values are set on its parsed questions after the quiz text is read, before the XML is written.

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
from sourcecheck.grading.written import rubric_max
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    Question,
    RubricCriterion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.render.rubric import level_name

__all__ = ["quiz_text", "to_qti"]

# ',', ';', '?' and '/' mean nothing to Markdown, text2qti or Canvas: kept as they are, for readable HTML.
_PUNCTUATION = {ord(ch): f"&#{ord(ch)};" for ch in string.punctuation if ch not in ",;?/"}
_INDENT = "    "  # every marker below is four characters wide; continuation lines line up with its text


def to_qti(lessons: Sequence[LoadedLesson]) -> ExportResult:
    from text2qti.config import Config
    from text2qti.err import Text2qtiError
    from text2qti.qti import QTI
    from text2qti.quiz import Question as Text2qtiQuestion
    from text2qti.quiz import Quiz

    result = ExportResult(b"")
    points: list[float] = []
    text = quiz_text(lessons, result.notes, points)
    try:
        quiz = Quiz(text, config=Config(), source_name="SourceCheck export")
    except Text2qtiError as e:
        raise ExportError(f"text2qti could not build the quiz: {e}") from e
    parsed = [x for x in quiz.questions_and_delims if isinstance(x, Text2qtiQuestion)]
    if len(parsed) != len(points):
        raise ExportError(f"text2qti read {len(parsed)} questions where {len(points)} were written")
    for question, value in zip(parsed, points, strict=True):
        question.points_possible = _number(value)
    quiz.points_possible = _number(sum(points))
    result.notes.append(f"quiz total: {_points(sum(points))}, as in SourceCheck")
    result.data = QTI(quiz).zip_bytes()
    return result


def quiz_text(lessons: Sequence[LoadedLesson], notes: list[str], points: list[float] | None = None) -> str:
    """The lessons in text2qti's quiz language; notes collects what had to change shape, and points (when
    given) what each written question is worth in the app, in order, for `to_qti` to set after parsing."""
    points = [] if points is None else points
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
            lines += _question(lesson, question, notes, points)
    return "\n".join(lines)


def _question(lesson: LoadedLesson, question: Question, notes: list[str], points: list[float]) -> list[str]:
    match question:
        case MatchQuestion():
            return _match(lesson, question, notes, points)
        case ShortQuestion() if question.rubric:
            most = rubric_max(question.rubric)
            notes.append(f"{question_name(lesson, question)}: scored by a teacher with its rubric in SourceCheck; "
                         f"exported as an essay worth {_points(most)}, with the rubric in its general feedback "
                         "(QTI from text2qti has no other place for it)")
            points.append(most)
            out = _header(question_name(lesson, question), 1)  # the rubric's most is set after parsing
        case ShortQuestion():
            notes.append(f"{question_name(lesson, question)}: short answers are never scored in SourceCheck; "
                         "exported as an essay worth 0 points, so Canvas collects the answer without counting it")
            points.append(0)
            out = _header(question_name(lesson, question), 1)  # text2qti needs at least 1; set to 0 after parsing
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | SpansQuestion() | MarkQuestion():
            points.append(question.points)
            out = _header(question_name(lesson, question), question.points)
        case _:
            assert_never(question)
    out += _block("1.  ", _question_md(lesson, question))
    general = [_md(question.explanation)] if question.explanation else []
    if isinstance(question, ShortQuestion):  # Canvas shows general feedback after the essay is submitted
        general.insert(0, "**Model answer:** " + _md(question.model_answer))
        if question.rubric:
            general.insert(1, _rubric_md(question.rubric))
    if general:
        out += _block("... ", "\n\n".join(general))
    match question:  # a match question returned above, as one question per item
        case SingleQuestion() | MultiQuestion():
            out += _choices(choices_for(lesson, question), multi=not isinstance(question, SingleQuestion))
        case SpansQuestion():
            notes.append(spans_note(lesson, question, "a multiple-answers question"))
            out += _choices(choices_for(lesson, question), multi=True)
        case MarkQuestion():
            notes.append(mark_note(lesson, question, "a multiple-answers question"))
            out += _choices(choices_for(lesson, question), multi=True)
        case TrueFalseQuestion():
            out += _choices([Choice("True", question.answer, question.feedback_true),
                             Choice("False", not question.answer, question.feedback_false)], multi=False, raw=True)
        case ShortQuestion():
            out.append("____")
        case _:
            assert_never(question)
    return out + [""]


def _rubric_md(rubric: Sequence[RubricCriterion]) -> str:
    """The rubric as Markdown paragraphs: a heading line, then per criterion its name and one line per level."""
    out = ["**Rubric: how this answer is scored**"]
    for criterion in rubric:
        most = criterion.most
        lines = [f"**{_md(criterion.criterion)}** (up to {_points(most)})"]
        for n, level in enumerate(criterion.levels):
            lines.append(f"{_points(level.points)}, {level_name(n, len(criterion.levels))}: {_md(level.descriptor)} "
                         f"Example: “{_md(level.example)}”")
        out.append("  \n".join(lines))
    return "\n\n".join(out)


def _match(lesson: LoadedLesson, question: MatchQuestion, notes: list[str], points: list[float]) -> list[str]:
    """One multiple-choice question per item, the categories as its options, sharing the question's points."""
    name = question_name(lesson, question)
    shares = item_points(question.points, len(question.items))
    notes.append(f"{name}: Canvas QTI from text2qti has no matching questions; exported as "
                 f"{len(question.items)} multiple-choice questions, one per item, worth "
                 f"{' + '.join(str(_number(s)) for s in shares)} = {_points(question.points)}, as in SourceCheck "
                 "(credit per item)")
    points += shares
    out: list[str] = []
    for n, item in enumerate(question.items, start=1):
        out += _header(f"{name} (item {n} of {len(question.items)})", 1)  # the share is set after parsing
        out += _block("1.  ", _question_md(lesson, question) + f"\n\n**{_md(item.text)}**")
        feedback = " ".join(x for x in (item.feedback, question.explanation) if x)
        if feedback:
            out += _block("... ", _md(feedback))
        out += _choices([Choice(c, c == item.category) for c in question.categories], multi=False)
        out.append("")
    return out


def item_points(points: int, items: int) -> list[float]:
    """A match question's points shared among its items in hundredths, the last items taking the odd cents,
    so the shares add up to the question's points exactly (1 point over 3 items: 0.33, 0.33, 0.34)."""
    cents, base = points * 100, points * 100 // items
    extra = cents - base * items
    return [(base + (1 if n >= items - extra else 0)) / 100 for n in range(items)]


def _number(value: float) -> int | float:
    """Points as Canvas reads them: 1 rather than 1.0, and no float noise from adding hundredths."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def _points(value: float) -> str:
    return f"{_number(value)} point{'' if _number(value) == 1 else 's'}"


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
