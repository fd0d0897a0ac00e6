"""Moodle GIFT: a text file Moodle's question bank imports (Question bank > Import > GIFT).

Question text, options and feedback are written in GIFT's [html] format: we HTML-escape the
teacher's text ourselves, so nothing in a lesson becomes markup in Moodle, then escape GIFT's
own special characters (~ = # { } : and backslash) the way Moodle's exporter does.

Mapping: single and multi are multiple choice (multi with percentage weights: the right
options share 100%, the wrong ones share -100%, so ticking everything scores 0; see `weights`);
true-false is true-false; match is matching; short is an essay with the model answer as general
feedback; spans becomes multiple choice over the candidate phrases, and mark multiple choice over
its passage's annotated phrases (export/common.py).

GIFT has no syntax for a question's mark: Moodle gives every imported question 1 (its default
mark). A question worth anything else in the app (a short answer without a rubric is worth 0: never scored; one
with a rubric is worth its rubric's most, as a teacher scores it) gets a "// Mark in SourceCheck" comment line
above it and a note, so the teacher can set it and the quiz totals what the lesson totals in the app.

A short question with a rubric is an essay too. Moodle keeps a rubric for an essay in its "Information for
graders" (graderinfo), but GIFT has no syntax for it: Moodle's GIFT import (qformat_gift::readquestion) sets an
imported essay's graderinfo to empty. So the rubric goes where GIFT can carry it: the general feedback, after the
model answer, which Moodle shows the student after the attempt when the quiz's review options allow (as
SourceCheck shows it after answering), and a note tells the teacher to copy it into "Information for graders"
if they want it there.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
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
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.render.rubric import rubric_html

__all__ = ["MOODLE_GRADES", "gift_escape", "to_gift", "weights"]

# Moodle's list of fractional grades (question_bank::fraction_options_full), in units of 0.00001 %: an imported
# weight must be within 0.001 % of one of these (match_grade_options: |fraction - grade| < 0.00001), or the import
# stops with an error.
MOODLE_GRADES = (10_000_000, 9_000_000, 8_333_333, 8_000_000, 7_500_000, 7_000_000, 6_666_667, 6_000_000, 5_000_000,
                 4_000_000, 3_333_333, 3_000_000, 2_500_000, 2_000_000, 1_666_667, 1_428_571, 1_250_000, 1_111_111,
                 1_000_000, 500_000)
_WHOLE = 10_000_000  # 100 %

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
    total = sum(_mark(q) for x in lessons for q in x.lesson.questions)
    result.notes.append(f"quiz total: {total} point{'s' if total != 1 else ''}, as in SourceCheck, once the marks "
                        "noted above are set in Moodle (it gives every imported question 1)")
    return result


def weights(choices: Sequence[Choice]) -> list[str]:
    """Moodle percentages for a choose-all-that-apply question: the right choices share 100, the wrong ones -100.

    Written to five decimals, the right choices' weights add up to exactly 100 (and the wrong ones' to exactly
    -100): where 100/n is not a whole number of 0.00001 % (n = 3, 6, 7, 9) the last hundred-thousandths are
    spread one each over the first choices (33.33334, 33.33333, 33.33333), so shares differ by 0.00001 % at
    most. Each weight is within Moodle's tolerance of the grade on its list, which Moodle stores; its own check
    of the sum rounds to two decimals (multichoice: round(total, 2) == 1), so it accepts either way, and a
    strict reader gets 100. Wrong choices whose equal share is not on the list (11 or more of them, but for 20)
    get the next larger penalty on it, so ticking everything still scores 0 (Moodle floors a question at 0).
    ExportError when the right choices cannot share 100 in Moodle's grades (11 to 19, or more than 20).
    """
    right = sum(c.correct for c in choices)
    wrong = len(choices) - right
    plus = iter(_shares(right, strict=True))
    minus = iter(_shares(wrong, strict=False))
    return [_percent(next(plus)) if c.correct else _percent(-next(minus)) for c in choices]


def _shares(n: int, *, strict: bool) -> list[int]:
    """n shares of 100 % in units of 0.00001 %, each within Moodle's tolerance of a grade on its list, adding up
    to exactly 100 %. Not strict (penalties): when no equal share is on the list, n times the smallest grade on it
    that is at least 100/n (adding up to more than 100 %)."""
    if n == 0:
        return []
    base = round(_WHOLE / n)
    if base in MOODLE_GRADES:
        extra = _WHOLE - n * base  # |extra| < n: one unit more (or less) for the first |extra| shares
        step = 1 if extra > 0 else -1
        return [base + step if i < abs(extra) else base for i in range(n)]
    if strict:
        raise ExportError(f"Moodle cannot share 100 % among {n} right answers with its grades (it can for 1 to 10 "
                          "and 20); give the question fewer right choices or use another export")
    return [min(g for g in MOODLE_GRADES if g * n >= _WHOLE)] * n


def _question(lesson: LoadedLesson, question: Question, notes: list[str]) -> str:
    head = f"::{gift_escape(question_name(lesson, question))}::[html]{gift_escape(_question_html(lesson, question))}"
    mark = _mark(question)
    if mark != 1:  # Moodle's default mark: said above the question and in a note
        head = f"// Mark in SourceCheck: {mark}; set it in Moodle after importing (GIFT cannot carry it)\n" + head
        why = ""
        if isinstance(question, ShortQuestion):
            why = (" (a teacher scores it with its rubric in SourceCheck)" if question.rubric
                   else " (a short answer is never scored in SourceCheck)")
        notes.append(f"{question_name(lesson, question)}: GIFT cannot carry points; set its mark "
                     f"({mark}){why} in Moodle after importing")
    if isinstance(question, ShortQuestion) and question.rubric:
        notes.append(f"{question_name(lesson, question)}: GIFT has no syntax for an essay's information for graders "
                     "(Moodle's import leaves it empty), so the rubric is in the general feedback, after the model "
                     "answer; copy it into the question's \"Information for graders\" in Moodle if you want it there")
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
            if question.rubric:  # where GIFT can carry it: see the module's docstring
                model += rubric_html(question.rubric, title="Rubric: how this answer is scored").replace("\n", " ")
            return "{" + _general(model + general, indent="") + "}"
        case _:
            assert_never(question)


def _mark(question: Question) -> int:
    """What the question is worth in the app: a short answer with a rubric its rubric's most, one without 0."""
    match question:
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | SpansQuestion() | MarkQuestion() \
                | MatchQuestion():
            return question.points
        case ShortQuestion():
            return rubric_max(question.rubric) if question.rubric else 0
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


def _percent(units: int) -> str:
    """A weight in units of 0.00001 % as Moodle reads it: at most five decimals, no trailing zeros."""
    sign = "-" if units < 0 else ""
    whole, part = divmod(abs(units), 100_000)
    return f"{sign}{whole}" + (f".{part:05d}".rstrip("0") if part else "")
