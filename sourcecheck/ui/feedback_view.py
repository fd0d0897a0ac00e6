"""One question after it is answered: the verdict and points, feedback, explanation, the annotated excerpt.

The verdict and points are the score stored with the answer (sessions/progress.py scored it once, as it was
stored): nothing here scores again, so the student reads the score their teacher sees. The per-option lines
read the response against the lesson (grading/feedback.py). A mark question first shows the student's own
marks checked against the phrases to find (render/marks.py), with a line per category saying how many words
were found and how many marked words were right. A short question shows the model answer and, when it has one,
the rubric a teacher scores it with (render/rubric.py): both are the key, so they appear only here.
"""

from __future__ import annotations

from typing import assert_never

import streamlit as st

from sourcecheck.grading.feedback import FeedbackItem, feedback_for
from sourcecheck.grading.marking import CategoryScore, mark_key, word_states
from sourcecheck.grading.responses import Response
from sourcecheck.grading.scoring import Score
from sourcecheck.grading.shuffle import option_order
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import BoundQuestion, LoadedLesson
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
from sourcecheck.render.marks import review_html, review_key_html
from sourcecheck.render.rubric import RUBRIC_CSS, rubric_html
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui import reconnect, state
from sourcecheck.ui.excerpt_view import show_context, show_excerpts
from sourcecheck.ui.question_view import key
from sourcecheck.ui.text import md, points

__all__ = ["show_feedback", "verdict_text"]

_ICON = {"right": ":green[:material/check_circle:]", "wrong": ":red[:material/cancel:]",
         "missed": ":blue[:material/arrow_circle_right:]", "partial": ":orange[:material/adjust:]"}


def verdict_text(score: Score, *, rubric: bool = False) -> str:
    """`rubric`: the question has one, so "unscored" means not scored yet (a teacher scores it later)."""
    if score.verdict == "unscored":
        if rubric:
            return ("Not scored yet: your teacher will score this answer with the rubric below. Meanwhile, compare "
                    "your answer with the model answer and the example answers.")
        return "Not scored: compare your answer with the model answer below."
    word = {"correct": "Correct", "partial": "Partly correct", "incorrect": "Incorrect"}[score.verdict]
    return f"{word}: {points(score.earned)} of {score.possible} point{'s' if score.possible != 1 else ''}"


def show_feedback(lesson: LoadedLesson, progress: Progress, question: Question, *, next_button: bool = True) -> None:
    """`next_button` is off in a teacher-paced class: the teacher moves everyone on."""
    answer = progress.attempt.answers[question.id]
    bound = lesson.bound(question.id)
    st.subheader(md(question.prompt), anchor=False)
    _verdict(answer.score, rubric=isinstance(question, ShortQuestion) and bool(question.rubric))
    match question:
        case ShortQuestion():
            st.markdown(f"**Your answer:** {md(str(answer.response))}")
            st.markdown(f"**A model answer:** {md(question.model_answer)}")
            if question.rubric:  # part of the key: drawn only here, after the answer is stored
                st.html(f"<style>{RUBRIC_CSS}</style>")  # style alone takes no room on the page
                st.html(rubric_html(question.rubric, title="How your teacher scores this answer"))
        case MarkQuestion():
            _your_marks(bound, answer.response)
            _feedback_lines(lesson, progress, question, answer.response)
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | SpansQuestion() | MatchQuestion():
            _feedback_lines(lesson, progress, question, answer.response)
        case _:
            assert_never(question)
    if answer.confidence is not None:
        st.caption(f"You said you were {answer.confidence} % sure.")
    if question.explanation:
        st.info(f"**Why:** {md(question.explanation)}", icon=":material/lightbulb:")
    show_excerpts(lesson, question, annotated=True)
    show_context(lesson, question)
    if next_button:
        _next_button(progress, question)


def _feedback_lines(lesson: LoadedLesson, progress: Progress, question: Question, response: Response) -> None:
    order = option_order(lesson, question, progress.student)
    lines = [_line(question, item) for item in feedback_for(lesson.bound(question.id), response, order=order)]
    st.markdown("\n\n".join(lines))  # one element, not one per option: each costs a message per rerun


def _verdict(score: Score, *, rubric: bool = False) -> None:
    text = verdict_text(score, rubric=rubric)
    match score.verdict:
        case "correct":
            st.success(text, icon=":material/check_circle:")
        case "partial":
            st.warning(text, icon=":material/adjust:")
        case "incorrect":
            st.error(text, icon=":material/cancel:")
        case "unscored":
            st.info(text, icon=":material/edit_note:")
        case _:
            assert_never(score.verdict)


def _line(question: Question, item: FeedbackItem) -> str:
    """Words, not only colour or icon, say whether each line was right, wrong or missed."""
    text = md(item.text)
    if item.right_as is not None:  # a match row
        if item.mark == "right":
            head = f"**{text}:** {md(item.right_as)}"
        elif item.chosen_as is None:
            head = f"**{text}:** no category chosen; it is {md(item.right_as)}"
        else:
            head = f"**{text}:** you chose {md(item.chosen_as)}; it is {md(item.right_as)}"
    else:
        quoted = isinstance(question, (SpansQuestion, MarkQuestion))
        head = f"**{_lead(question, item)}** " + (f"“{text}”" if quoted else text)
    body = f"  \n{md(item.feedback)}" if item.feedback else ""
    return f"{_ICON[item.mark]} {head}{body}"


def _lead(question: Question, item: FeedbackItem) -> str:
    match question:
        case TrueFalseQuestion():
            return {"right": "You answered:", "wrong": "You answered:", "missed": "The answer is:"}[item.mark]
        case SpansQuestion():
            return {"right": "You picked, and it fits:", "wrong": "You picked, but it does not fit:",
                    "missed": "You missed:"}[item.mark]
        case MarkQuestion() if item.category is not None:
            title = LABELS[item.category].title.lower()
            return {"right": f"You found {_a(title)}:", "partial": f"You marked part of {_a(title)}:",
                    "missed": f"You missed {_a(title)}:",
                    "wrong": f"You marked as {_a(title)}, but it is not one:"}[item.mark]
        case SingleQuestion() | MultiQuestion() | MarkQuestion() | MatchQuestion() | ShortQuestion():
            return {"right": "You chose, and it is right:", "wrong": "You chose, but it is not right:",
                    "missed": "A right answer:"}[item.mark]
        case _:
            assert_never(question)


def _a(title: str) -> str:
    return f"{'an' if title[:1] in 'aeiou' else 'a'} {title}"


def _your_marks(bound: BoundQuestion, response: Response) -> None:
    """The passage with the student's marks checked, and per category what they found and what they marked."""
    key = mark_key(bound)
    marks = key.marks(response)
    states = {c.label: word_states(c, marks, len(key.words)) for c in key.categories}
    st.markdown("\n\n".join(_category_line(score) for score in key.score(response)))
    st.html(review_key_html() + review_html(bound.excerpts[0].text, key.words, marks, states))


def _category_line(score: CategoryScore) -> str:
    title = LABELS[score.label].title
    if not score.marked:
        return f"**{title}:** you marked nothing as {_a(title.lower())}; there are {score.required} words to find."
    return (f"**{title}:** you found {score.hits} of the {score.required} words to find, and {score.hits} of the "
            f"{score.marked} words you marked are right.")


def _next_button(progress: Progress, question: Question) -> None:
    last = question.id == progress.attempt.question_ids[-1]
    st.button("See my results" if last else "Next question", key=key(progress, question.id, "next"),
              type="primary", icon=":material/arrow_forward:", on_click=_move_on, args=(progress, question.id))


@reconnect.saving
def _move_on(progress: Progress, question_id: str) -> None:
    """Solo practice only (a class has no Next button): stored, the next run shows this progress as it is."""
    if progress.move_on(question_id):
        state.written_through(progress)

