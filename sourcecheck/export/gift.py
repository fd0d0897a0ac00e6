"""Moodle GIFT: a text file Moodle's question bank imports (Question bank > Import > GIFT).

Question text, options and feedback are written in GIFT's [html] format: we HTML-escape the
teacher's text ourselves, so nothing in a lesson becomes markup in Moodle, then escape GIFT's
own special characters (~ = # { } : and backslash) the way Moodle's exporter does.

Mapping: single and multi are multiple choice (multi with percentage weights: the right
options share 100%, the wrong ones share -100%, so ticking everything scores 0); true-false
is true-false; match is matching; short is an essay with the model answer as general
feedback; spans becomes multiple choice over the candidate phrases, and mark multiple choice over
its passage's annotated phrases (export/common.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import assert_never

from sourcecheck.export.common import (
    Choice,
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

__all__ = ["gift_escape", "to_gift", "weights"]

_SPECIAL = str.maketrans({"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:",
                          "\n": "\\n", "\r": ""})


def gift_escape(text: str) -> str:
    return text.translate(_SPECIAL)


def to_gift(lessons: Sequence[LoadedLesson]) -> ExportResult:
    result = ExportResult("")
    blocks: list[str] = []
    for lesson in lessons:
        title = " ".join(lesson.lesson.title.split())
        blocks.append(f"// SourceCheck lesson {lesson.id}: {title}\n$CATEGORY: $course$/SourceCheck/{lesson.id}")
        for question in lesson.lesson.questions:
            blocks.append(_question(lesson, question, result.notes))
    result.data = "\n\n".join(blocks) + "\n"
    return result


def weights(choices: Sequence[Choice]) -> list[str]:
    """Moodle percentages for a choose-all-that-apply question: right share 100, wrong share -100.

    Every value is one Moodle accepts (100/n and -100/n for n up to 10 are all in its grade
    list); five decimals are within its tolerance of 0.00001.
    """
    right = sum(c.correct for c in choices)
    wrong = len(choices) - right
    return [_percent(100 / right) if c.correct else _percent(-100 / wrong) for c in choices]


def _question(lesson: LoadedLesson, question: Question, notes: list[str]) -> str:
    head = f"::{gift_escape(question_name(lesson, question))}::[html]{gift_escape(_question_html(lesson, question))}"
    if not isinstance(question, ShortQuestion) and question.points != 1:
        notes.append(f"{question_name(lesson, question)}: GIFT cannot carry points; set its mark "
                     f"({question.points}) in Moodle after importing")
    match question:
        case SpansQuestion():
            notes.append(spans_note(lesson, question, "multiple choice (several answers)"))
        case MarkQuestion():
            notes.append(mark_note(lesson, question, "multiple choice (several answers)"))
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | MatchQuestion() | ShortQuestion():
            pass  # GIFT has a question type for each; anything a match question loses, _match notes
        case _:
            assert_never(question)
    return head + _answers(lesson, question, notes)


def _answers(lesson: LoadedLesson, question: Question, notes: list[str]) -> str:
    general = _html(question.explanation) if question.explanation else ""
    match question:
        case SingleQuestion() | MultiQuestion() | SpansQuestion() | MarkQuestion():
            return _choices(choices_for(lesson, question), single=isinstance(question, SingleQuestion), general=general)
        case TrueFalseQuestion():
            return _true_false(question, general)
        case MatchQuestion():
            return _match(lesson, question, general, notes)
        case ShortQuestion():
            model = f"<p><b>Model answer:</b> {_inline(question.model_answer)}</p>"
            return "{" + _general(model + general, indent="") + "}"
        case _:
            assert_never(question)


def _choices(choices: list[Choice], *, single: bool, general: str) -> str:
    marks = ["=" if c.correct else "~" for c in choices] if single else [f"~%{w}%" for w in weights(choices)]
    lines = []
    for mark, choice in zip(marks, choices, strict=True):
        feedback = f"#{gift_escape(_inline(choice.feedback))}" if choice.feedback else ""
        lines.append(f"\t{mark}{gift_escape(_inline(choice.text))}{feedback}")
    return "{\n" + "\n".join(lines) + "\n" + _general(general) + "}"


def _true_false(question: TrueFalseQuestion, general: str) -> str:
    """Moodle's order: {TRUE#feedback for a wrong answer#feedback for a right answer}."""
    right = question.feedback_true if question.answer else question.feedback_false
    wrong = question.feedback_false if question.answer else question.feedback_true
    out = "{" + ("TRUE" if question.answer else "FALSE")
    if wrong or right:
        out += "#" + (gift_escape(_inline(wrong)) if wrong else "")
    if right:
        out += "#" + gift_escape(_inline(right))
    return out + _general(general, indent="") + "}"


def _match(lesson: LoadedLesson, question: MatchQuestion, general: str, notes: list[str]) -> str:
    """Items are the 'questions', categories the 'answers'; an unused category becomes an extra wrong answer."""
    lines = [f"\t={gift_escape(_inline(item.text))} -> {gift_escape(one_line(item.category))}"
             for item in question.items]
    used = {item.category for item in question.items}
    lines += [f"\t= -> {gift_escape(one_line(c))}" for c in question.categories if c not in used]
    item_notes = [f"<li>{_inline(item.text)}: {_inline(item.feedback)}</li>"
                  for item in question.items if item.feedback]
    if item_notes:
        notes.append(f"{question_name(lesson, question)}: GIFT matching has no feedback per item; the item "
                     "feedback is added to the general feedback")
        general = f"<ul>{''.join(item_notes)}</ul>" + general
    return "{\n" + "\n".join(lines) + "\n" + _general(general) + "}"


def _general(html: str, *, indent: str = "\t") -> str:
    if not html:
        return ""
    return f"{indent}####{gift_escape(html)}" + ("\n" if indent else "")


def _question_html(lesson: LoadedLesson, question: Question) -> str:
    parts = []
    placed = lesson.excerpts_for(question)
    for n, excerpt in enumerate(placed, start=1):
        label = f"<p><b>Passage {n}</b></p>" if len(placed) > 1 else ""
        text = "<br>".join(_inline(line) for line in excerpt.text.splitlines() if line.strip())
        parts.append(f"{label}<blockquote>{text}</blockquote><p><i>{_inline(source_line(excerpt.document))}</i></p>")
    parts.append(_html(question.prompt))
    return "".join(parts)


def _html(text: str) -> str:
    return "".join(f"<p>{_inline(p)}</p>" for p in text.split("\n\n") if p.strip())


def _inline(text: str) -> str:
    """Escaped HTML on one line. A leading '[' or '%' becomes an entity: Moodle would read a format or a weight."""
    out = escape(" ".join(text.split()), quote=False)
    return f"&#{ord(out[0])};" + out[1:] if out[:1] in ("[", "%") else out


def _percent(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")
