"""A printable worksheet: one HTML file, each lesson's sheet on its own page, then the answer key.

The sheet shows what a student sees before answering in the app: the passages without
highlights, the questions, boxes to tick and lines to write on; a mark question prints its passage
again with room to underline, and the categories to mark with a number to write above each. The key shows what the app
shows after answering: the annotated passages (highlight.py, the same markup and CSS as the
app), the right answers, the feedback and the explanations, and a short question's model answer and rubric
(render/rubric.py, as the student sees it after answering). Everything from a lesson or a
document is escaped, here or in highlight.py.

Options are printed in the order the app would show them to a student called "worksheet"
(grading.shuffle.option_order), so a teacher's habit of writing the right answer first does not
give it away, and the key refers to the same letters.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Literal, assert_never

from sourcecheck.export.common import Choice, ChoiceQuestion, ExportResult, choices_for, source_line, spans_note
from sourcecheck.grading.marking import mark_key, word_states
from sourcecheck.grading.responses import CONFIDENCE_SCALE
from sourcecheck.grading.shuffle import option_order
from sourcecheck.grading.written import rubric_max
from sourcecheck.lessons.labels import LABELS
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
from sourcecheck.render.glossary import glossary_html
from sourcecheck.render.highlight import CSS, annotated_html, legend_html, notes_html, plain_html
from sourcecheck.render.marks import MARKS_CSS, review_html
from sourcecheck.render.rubric import RUBRIC_CSS, rubric_html

__all__ = ["Part", "WORKSHEET_CSS", "to_worksheet"]

Part = Literal["both", "worksheet", "key"]

WORKSHEET_CSS = """
body{font-family:Georgia,'Times New Roman',serif;color:#111;max-width:46rem;margin:1.5rem auto;padding:0 1rem;
  line-height:1.45}
h1{font-size:1.5rem;margin:0 0 .3rem 0}h2{font-size:1.15rem;margin:1.4rem 0 .5rem 0;border-bottom:1px solid #999}
h3{font-size:1rem;margin:1rem 0 .3rem 0}
.ws-lesson+.ws-lesson{margin-top:3rem;border-top:3px double #999;padding-top:1.5rem}
.ws-name{display:flex;gap:2rem;margin:.5rem 0 1rem 0}
.ws-name span{flex:1;border-bottom:1px solid #111;padding-top:1.2rem}
.ws-summary{font-style:italic}
.ws-questions>li{margin:0 0 1.3rem 0;break-inside:avoid;page-break-inside:avoid}
.ws-ref{font-size:.85rem;color:#333;margin:0}.ws-prompt{font-weight:700;margin:.1rem 0 .4rem 0}
.ws-how{font-size:.85rem;font-style:italic;margin:0 0 .3rem 0}
.ws-options{list-style:none;padding-left:.5rem;margin:.2rem 0}.ws-options li{margin:.3rem 0}
.ws-box{display:inline-block;width:.9em;height:.9em;border:1.5px solid #111;margin-right:.5em;vertical-align:-.1em}
.ws-round{border-radius:50%}
.ws-letter{font-weight:700;margin-right:.35em}
.ws-match{border-collapse:collapse;margin:.3rem 0}.ws-match th,.ws-match td{border:1px solid #555;padding:.3rem .5rem;
  text-align:left;vertical-align:top}.ws-match td.ws-cell{text-align:center}
.ws-lines div{border-bottom:1px solid #777;height:1.9rem}
.ws-confidence{font-size:.85rem;margin:.4rem 0 0 0}
.ws-key .ws-right{font-weight:700}.ws-key .ws-feedback{display:block;font-size:.9rem;margin:.1rem 0 .3rem 1.6rem}
.ws-explanation{background:#f3f3f3;padding:.4rem .7rem;border-left:3px solid #777}
.ws-note{font-size:.85rem;color:#333}
.ws-markable{font-size:1.1rem;line-height:3.1;white-space:pre-line;margin:.2rem 0 .5rem 0;padding:.2rem .6rem;
  border-left:3px solid #777}
.ws-categories{margin:.2rem 0 .4rem 0;padding-left:1.4rem}.ws-categories li{margin:.15rem 0}
@media print{
  body{max-width:none;margin:0;padding:0;font-size:11pt}
  .ws-lesson{page-break-before:always;break-before:page}
  .ws-lesson:first-of-type{page-break-before:auto;break-before:auto}
  .ws-lesson+.ws-lesson{margin-top:0;border-top:none;padding-top:0}
  .sc-hl,.sc-tag,.sc-swatch,.sc-review mark{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .sc-quote,.sc-review,.ws-markable,.sc-rubric-criterion{break-inside:avoid;page-break-inside:avoid}
}
"""

_LINES_FOR_SHORT = 5


def to_worksheet(lessons: Sequence[LoadedLesson], *, part: Part = "both") -> ExportResult:
    result = ExportResult("")
    sections: list[str] = []
    if part in ("both", "worksheet"):
        sections += [_sheet(lesson, result.notes) for lesson in lessons]
    if part in ("both", "key"):
        sections += [_key(lesson) for lesson in lessons]
    if part == "key":
        result.notes += [spans_note(x, q, "a tick list") for x in lessons for q in x.lesson.questions
                         if isinstance(q, SpansQuestion)]
    titles = "; ".join(x.lesson.title for x in lessons)
    result.data = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                   f"<title>{escape(_kind(part))}: {escape(titles)}</title>\n"
                   f"<style>{CSS}{MARKS_CSS}{RUBRIC_CSS}{WORKSHEET_CSS}</style>\n</head>\n<body>\n"
                   + "\n".join(sections) + "\n</body>\n</html>\n")
    return result


def _kind(part: Part) -> str:
    return {"both": "Worksheet and answer key", "worksheet": "Worksheet", "key": "Answer key"}[part]


def _sheet(lesson: LoadedLesson, notes: list[str]) -> str:
    body = [f'<section class="ws-lesson ws-sheet" id="sheet-{escape(lesson.id)}">',
            f"<h1>{escape(lesson.lesson.title)}</h1>",
            '<div class="ws-name"><span>Name:</span><span>Date:</span></div>',
            f'<p class="ws-summary">{escape(lesson.lesson.summary)}</p>',
            *([f'<p class="ws-summary"><b>Content note:</b> {escape(lesson.lesson.content_note)}</p>']
              if lesson.lesson.content_note else []),
            "<h2>Passages</h2>"]
    for n, excerpt_id in enumerate(lesson.excerpts, start=1):
        placed = lesson.excerpts[excerpt_id]
        body += [f"<h3>Passage {n}</h3>", plain_html(placed),
                 f'<p class="sc-src">{escape(source_line(placed.document))}</p>', glossary_html(placed)]
    body += ["<h2>Questions</h2>", '<ol class="ws-questions">']
    for question in lesson.lesson.questions:
        if isinstance(question, SpansQuestion):
            notes.append(spans_note(lesson, question, "a tick list"))
        body.append(f"<li>{_ref(lesson, question)}<p class=\"ws-prompt\">{escape(question.prompt)}</p>"
                    f"{_answer_area(lesson, question)}{_confidence(question)}</li>")
    body += ["</ol>", "</section>"]
    return "\n".join(body)


def _answer_area(lesson: LoadedLesson, question: Question) -> str:
    match question:
        case SingleQuestion() | MultiQuestion() | SpansQuestion():
            round_box = isinstance(question, SingleQuestion)
            how = "Tick one." if round_box else ("Tick every phrase that fits." if isinstance(question, SpansQuestion)
                                                 else "Tick all that apply.")
            items = [f'<li>{_box(round_box)}<span class="ws-letter">{_letter(i)}</span>{escape(c.text)}</li>'
                     for i, c in enumerate(_ordered_choices(lesson, question))]
            return f'<p class="ws-how">{how}</p><ul class="ws-options">{"".join(items)}</ul>'
        case TrueFalseQuestion():
            return (f'<p class="ws-how">Tick one.</p><ul class="ws-options"><li>{_box(True)}True</li>'
                    f"<li>{_box(True)}False</li></ul>")
        case MatchQuestion():
            head = "".join(f"<th>{escape(c)}</th>" for c in question.categories)
            cells = '<td class="ws-cell">' + _box(False) + "</td>"
            rows = "".join(f"<tr><td>{escape(item.text)}</td>{cells * len(question.categories)}</tr>"
                           for item in question.items)
            return (f'<p class="ws-how">Tick one box in each row.</p>'
                    f'<table class="ws-match"><thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table>')
        case MarkQuestion():
            return _markable(lesson, question)
        case ShortQuestion():
            return '<div class="ws-lines">' + "<div></div>" * _LINES_FOR_SHORT + "</div>"
        case _:
            assert_never(question)


def _markable(lesson: LoadedLesson, question: MarkQuestion) -> str:
    """The passage again, with room between the lines to underline and to write a category's number above."""
    placed = lesson.excerpts[question.excerpt_ids[0]]
    if len(question.labels) == 1:
        info = LABELS[question.labels[0]]
        how = f"Underline every {escape(info.title.lower())} in the passage: {escape(info.definition)}"
        listed = ""
    else:
        how = "Underline every phrase of these kinds, and write its number above it:"
        listed = '<ol class="ws-categories">' + "".join(
            f"<li><b>{escape(LABELS[label].title)}</b>: {escape(LABELS[label].definition)}</li>"
            for label in question.labels) + "</ol>"
    return f'<p class="ws-how">{how}</p>{listed}<div class="ws-markable">{escape(placed.text)}</div>'


def _key(lesson: LoadedLesson) -> str:
    labels = [a.annotation.label for e in lesson.excerpts.values() for a in e.annotations]
    body = [f'<section class="ws-lesson ws-key" id="key-{escape(lesson.id)}">',
            f"<h1>Answer key: {escape(lesson.lesson.title)}</h1>",
            '<p class="ws-note">For the teacher. The highlights are what the app shows students after they answer.</p>',
            legend_html(labels), "<h2>Passages, annotated</h2>"]
    for n, excerpt_id in enumerate(lesson.excerpts, start=1):
        placed = lesson.excerpts[excerpt_id]
        body += [f"<h3>Passage {n}</h3>", annotated_html(placed), notes_html(placed)]
    body += ["<h2>Answers</h2>", '<ol class="ws-questions">']
    for question in lesson.lesson.questions:
        explanation = (f'<p class="ws-explanation">{escape(question.explanation)}</p>'
                       if question.explanation else "")
        body.append(f"<li>{_ref(lesson, question)}<p class=\"ws-prompt\">{escape(question.prompt)}</p>"
                    f"{_key_answer(lesson, question)}{explanation}</li>")
    body += ["</ol>", "</section>"]
    return "\n".join(body)


def _key_answer(lesson: LoadedLesson, question: Question) -> str:
    match question:
        case SingleQuestion() | MultiQuestion() | SpansQuestion():
            items = [_key_choice(i, c) for i, c in enumerate(_ordered_choices(lesson, question))]
            return f'<ul class="ws-options">{"".join(items)}</ul>'
        case TrueFalseQuestion():
            answer = "True" if question.answer else "False"
            feedback = [(v, f) for v, f in (("True", question.feedback_true), ("False", question.feedback_false)) if f]
            notes = "".join(f'<span class="ws-feedback">If “{v}”: {escape(f)}</span>' for v, f in feedback)
            return f'<p><span class="ws-right">Answer: {answer}</span>{notes}</p>'
        case MatchQuestion():
            rows = "".join(f"<tr><td>{escape(i.text)}</td><td class=\"ws-right\">{escape(i.category)}</td>"
                           f"<td>{escape(i.feedback or '')}</td></tr>" for i in question.items)
            return ('<table class="ws-match"><thead><tr><th>Item</th><th>Category</th><th>Feedback</th></tr></thead>'
                    f"<tbody>{rows}</tbody></table>")
        case MarkQuestion():
            return _mark_key(lesson, question)
        case ShortQuestion():
            model = f'<p><span class="ws-right">Model answer:</span> {escape(question.model_answer)}</p>'
            if not question.rubric:
                return model
            most = rubric_max(question.rubric)
            return model + rubric_html(question.rubric, title=f"Rubric (up to {most} point{'' if most == 1 else 's'}, "
                                                              "scored by the teacher)")
        case _:
            assert_never(question)


def _mark_key(lesson: LoadedLesson, question: MarkQuestion) -> str:
    """The targets marked as the app draws a right answer, then listed per category with their notes."""
    key = mark_key(lesson.bound(question.id))
    targets = [(t.label, t.first, t.last) for t in key.targets]
    states = {c.label: word_states(c, targets, len(key.words)) for c in key.categories}
    placed = lesson.excerpts[question.excerpt_ids[0]]
    rows = "".join(f'<li><span class="ws-right">{escape(LABELS[t.label].title)}: “{escape(t.text)}”</span>'
                   f'<span class="ws-feedback">{escape(t.note)}</span></li>' for t in key.targets)
    marked = review_html(placed.text, key.words, targets, states, name="The phrases to mark")
    return marked + f'<ul class="ws-options">{rows}</ul>'


def _key_choice(index: int, choice: Choice) -> str:
    mark = "✓ right" if choice.correct else "✗"
    cls = ' class="ws-right"' if choice.correct else ""
    feedback = f'<span class="ws-feedback">{escape(choice.feedback)}</span>' if choice.feedback else ""
    return (f'<li><span class="ws-letter">{_letter(index)}</span><span{cls}>{escape(choice.text)} ({mark})</span>'
            f"{feedback}</li>")


def _ordered_choices(lesson: LoadedLesson, question: ChoiceQuestion) -> list[Choice]:
    choices = choices_for(lesson, question)
    order = option_order(lesson, question, "worksheet") or list(range(len(choices)))
    return [choices[i] for i in order]


def _ref(lesson: LoadedLesson, question: Question) -> str:
    numbers = [str(list(lesson.excerpts).index(x) + 1) for x in question.excerpt_ids]
    word = "Passage" if len(numbers) == 1 else "Passages"
    return f'<p class="ws-ref">{word} {" and ".join(numbers)}</p>'


def _confidence(question: Question) -> str:
    if not question.confidence:
        return ""
    scale = " ".join(f"{_box(True)}{v} %" for v in CONFIDENCE_SCALE)  # the app's scale, as the student sees it
    return f'<p class="ws-confidence">How sure are you? {scale}</p>'


def _box(round_box: bool) -> str:
    return f'<span class="ws-box{" ws-round" if round_box else ""}" aria-hidden="true"></span>'


def _letter(index: int) -> str:
    return f"{chr(ord('A') + index)}." if index < 26 else f"{index + 1}."
