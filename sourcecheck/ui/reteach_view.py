"""The reteach page: one question of a lesson on the classroom screen, the Monday after, without names.

Opened from a row of the Results page's Reteach list (`?session=<class>&question=<id>&whole=0|1`): the question and
its number, the passage annotated (or, for a spans or mark question, the heat map of where the class picked), how
the class answered counted per option, phrase or row, the most common wrong answer, and the explanation. Type is
projector-size and black; no student's name is on this page. Everything comes from `classroom.results` (the same
cached results as the dashboard); this module only draws it.
"""

from __future__ import annotations

from html import escape
from typing import assert_never

import streamlit as st

from sourcecheck.analytics.options import letter
from sourcecheck.classroom.class_list import class_list
from sourcecheck.classroom.results import ReteachQuestion, results, reteach_question, scope
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.render.heatmap import heatmap_html
from sourcecheck.sessions.courses import key_may_be_shown
from sourcecheck.sessions.params import session_id_param
from sourcecheck.sessions.store import Store
from sourcecheck.ui import class_state, course_state, teacher_nav
from sourcecheck.ui.dashboard_view import CHECK_KEY_KEPT
from sourcecheck.ui.excerpt_view import show_excerpts
from sourcecheck.ui.mark_view import show_mark_heat
from sourcecheck.ui.text import md

__all__ = ["CSS", "show"]

CSS = """
[data-testid="stMainBlockContainer"]{max-width:none;padding:1.5rem 3rem 3rem 3rem}
.rt-big{font-size:2.6rem;line-height:1.25;font-weight:700;color:#000;margin:.4rem 0;overflow-wrap:anywhere}
.rt-head{font-size:1.8rem;line-height:1.3;color:#000;margin:.2rem 0}
.rt-list{font-size:1.6rem;line-height:1.4;color:#000;margin:.5rem 0 0 0;padding-left:0;list-style:none;
  overflow-wrap:anywhere}
.rt-list li{margin:.35rem 0}
.rt-letter{display:inline-block;min-width:2.2rem;font-weight:800}
.st-key-rt-stage .sc-quote,.st-key-rt-stage .sc-heat{font-size:1.9rem;line-height:1.6}
.st-key-rt-stage .sc-notes li,.st-key-rt-stage .sc-legend{font-size:1.35rem}
.st-key-rt-stage [data-testid="stAlertContainer"] p{font-size:1.6rem}
.st-key-rt-stage .sc-markheat figcaption{font-size:1.6rem}
"""


def show(db: Store) -> None:
    """The question the URL names, for the scope it names; a clear message and a way back when it names none."""
    wanted = session_id_param(st.query_params.get("session"))
    question_id = st.query_params.get("question", "")
    whole = st.query_params.get("whole") == "1"
    picked = next((c for c in class_list(db) if c.session.id == wanted), None) if wanted is not None else None
    if picked is None:
        _lost("That class is not there any more. Open a question from the Reteach list on the Results page.")
        return
    if not key_may_be_shown(course_state.store(), picked.session.id):  # a check's form: no key on the projector
        _lost(CHECK_KEY_KEPT)
        return
    lesson = class_state.lesson(db, picked.session)
    where = scope(class_list(db), picked, lesson, whole=whole)
    found = results(db, where, lesson)
    shown = reteach_question(found, lesson, question_id)
    if shown is None:
        _lost("That question is not in this lesson. Open a question from the Reteach list on the Results page.")
        return
    st.page_link(teacher_nav.DASHBOARD, label="Back to the results", icon=":material/arrow_back:",
                 query_params={"session": str(picked.session.id)})
    _question(lesson, shown, where.title)


def _lost(message: str) -> None:
    st.warning(message, icon=":material/help:")
    st.page_link(teacher_nav.DASHBOARD, label="Results", icon=":material/monitoring:")


def _question(lesson: LoadedLesson, shown: ReteachQuestion, title: str) -> None:
    row, question = shown.row, shown.bound.question
    right = "nobody answered" if row.fully_right is None else f"{row.fully_right:.0%} fully right"
    st.html(f'<p class="rt-head">Question {row.position} of {shown.total} · {escape(row.skill)} · '
            f"{escape(title)}: {row.answered} answered, {right}</p>")
    with st.container(key="rt-stage"):
        left, side = st.columns([3, 2], gap="large")
        with left:
            _passage(lesson, shown)
        with side:
            st.html(f'<p class="rt-big">{escape(question.prompt)}</p>')
            _numbers(shown)
            if row.wrong_students:
                st.html(f'<p class="rt-head">Most common wrong answer: <b>{escape(row.wrong_answer)}</b> '
                        f"({row.wrong_students} of {row.answered})</p>")
            if question.explanation:
                st.info(f"**Why:** {md(question.explanation)}", icon=":material/lightbulb:")


def _passage(lesson: LoadedLesson, shown: ReteachQuestion) -> None:
    """The passage annotated; a spans question as a heat map over its phrases, a mark question one per category
    over its words: where the class agreed and where it split."""
    bound = shown.bound
    question = bound.question
    match question:
        case SpansQuestion():
            picks = {i: bar.count for i, bar in enumerate(shown.counts.bars)}
            for placed in bound.excerpts:
                st.html(heatmap_html(placed, bound.candidates, picks, shown.counts.answered))
        case MarkQuestion():
            show_mark_heat(bound, shown.responses)
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | MatchQuestion() | ShortQuestion():
            show_excerpts(lesson, question, annotated=True)
        case _:
            assert_never(question)


def _numbers(shown: ReteachQuestion) -> None:
    """How the class answered: the chart and its numbers for options and rows (lettered as the chart's bars, in
    the lesson's order), how many found each phrase to mark; a spans question's numbers are on its heat map."""
    question, counts = shown.bound.question, shown.counts
    match question:
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | MatchQuestion():
            if shown.chart is not None:
                st.altair_chart(shown.chart, width="stretch", theme=None)  # the theme would shrink the labels
            rows = "".join(f'<li><span class="rt-letter">{letter(n)}.</span> {escape(bar.label)}: <b>{bar.count}</b>'
                           f"{' ✓ right' if bar.correct else ''}</li>" for n, bar in enumerate(counts.bars))
            st.html(f'<ul class="rt-list">{rows}</ul>')
        case MarkQuestion():
            rows = "".join(f"<li>{escape(bar.label)}: <b>{bar.count}</b> of {counts.answered} marked all of it</li>"
                           for bar in counts.bars)
            st.html(f'<ul class="rt-list">{rows}</ul>')
        case SpansQuestion() | ShortQuestion():
            pass  # the heat map carries the counts; a written answer has none
        case _:
            assert_never(question)
