"""The projector: very large type and high contrast, readable from the back of a classroom.

Before the reveal it shows the excerpt, the question and how many have answered (live, no names
unless the teacher chose them); on reveal, how the class answered (a chart with its numbers beside
it, the right answer marked) and the annotated explanation; a spans question becomes a heat map over
its phrases, a mark question one per category over its words.
"""

from __future__ import annotations

from html import escape
from typing import assert_never

import streamlit as st

from sourcecheck.analytics.options import listed
from sourcecheck.classroom.projector import Reveal, answer_feed, reveal, roll
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
from sourcecheck.render.heatmap import heatmap_html
from sourcecheck.render.qr import qr_png
from sourcecheck.sessions.classes import LOBBY, Phase, move, phase
from sourcecheck.sessions.params import session_id_param
from sourcecheck.sessions.public_url import join_url, public_url
from sourcecheck.sessions.store import ClassSessionRow, Store
from sourcecheck.ui import class_state, reconnect, state, teacher_nav
from sourcecheck.ui.excerpt_view import show_excerpts
from sourcecheck.ui.mark_view import show_mark_heat
from sourcecheck.ui.text import md

__all__ = ["CSS", "chosen_session", "show"]

CSS = """
[data-testid="stMainBlockContainer"]{max-width:none;padding:1.5rem 3rem 3rem 3rem}
.pj-code{font-size:7rem;font-weight:800;letter-spacing:.12em;line-height:1;margin:.2rem 0;color:#000;
  font-family:ui-monospace,Menlo,Consolas,monospace}
.pj-big{font-size:2.6rem;line-height:1.25;font-weight:700;color:#000;margin:.4rem 0;overflow-wrap:anywhere}
.pj-count{font-size:3.2rem;font-weight:800;color:#000}
.pj-url{font-size:1.8rem;color:#111}
.pj-options{font-size:2rem;line-height:1.35;color:#000;margin:.5rem 0 0 0;padding-left:0;list-style:none;
  overflow-wrap:anywhere}
.pj-options li{margin:.35rem 0}
.pj-letter{display:inline-block;min-width:2.2rem;font-weight:800}
.pj-names{font-size:1.4rem;color:#111}
.pj-options.pj-small{font-size:1.45rem}
.st-key-pj-stage .sc-quote,.st-key-pj-stage .sc-heat{font-size:1.9rem;line-height:1.6}
.st-key-pj-stage .sc-notes li,.st-key-pj-stage .sc-legend{font-size:1.35rem}
.st-key-pj-stage [data-testid="stCaptionContainer"] p{font-size:1.4rem;color:#111}
.st-key-pj-controls{margin-bottom:1rem}
.st-key-pj-stage [data-testid="stAlertContainer"] p{font-size:1.6rem}
.st-key-pj-stage .sc-markheat figcaption{font-size:1.6rem}
"""


def chosen_session(db: Store) -> ClassSessionRow | None:
    wanted = session_id_param(st.query_params.get("session") or st.session_state.get("pj-session"))
    session = db.session(wanted) if wanted is not None else None
    if session is None:
        st.warning("Choose a class on the Classes page, then open its projector view.", icon=":material/groups:")
        st.page_link(teacher_nav.CLASSES, label="Classes", icon=":material/groups:")
        return None
    st.session_state["pj-session"] = str(session.id)
    st.query_params["session"] = str(session.id)
    return session


def show(db: Store, session: ClassSessionRow) -> None:
    lesson = class_state.lesson(db, session)  # the version the class started on
    live = db.live_state(session.id)
    if live is None:
        st.stop()
    now = phase(live, lesson)
    _controls(db, session, lesson, live.current_index, now)  # on top: a click never scrolls the stage away
    with st.container(key="pj-stage"):
        if now.kind == "lobby":
            _lobby(db, session)
        elif now.kind == "question" and now.question_id is not None:
            _question(db, session, lesson, now, live.version)
        else:
            st.html(f'<p class="pj-big">{"The lesson is over." if now.kind == "finished" else "This class is closed."}'
                    "</p>")


def _lobby(db: Store, session: ClassSessionRow) -> None:
    link = join_url(public_url(int(st.get_option("server.port"))).base, session.code)
    qr, words = st.columns([2, 3], vertical_alignment="center")
    qr.image(qr_png(link, scale=20), width=520, caption="Scan to join", alt=f"QR code of the join address, {link}")
    words.html('<p class="pj-big">Join the class</p>'
               f'<p class="pj-code" aria-label="Join code">{session.code}</p>'
               f'<p class="pj-url">or open {escape(link)}</p>')
    with words:
        _joined(session)


def _question(db: Store, session: ClassSessionRow, lesson: LoadedLesson, now: Phase, version: int) -> None:
    assert now.question_id is not None
    bound = lesson.bound(now.question_id)
    question = bound.question
    shown = reveal(db, session, version, bound) if now.revealed else None
    st.html(f'<p class="pj-big">Question {now.number} of {now.total} · code {session.code}</p>')
    left, right = st.columns([3, 2], gap="large")
    with left:
        _stage(lesson, bound, shown)
    with right:
        st.html(f'<p class="pj-big">{escape(question.prompt)}</p>')
        if shown is None:
            options = _options_html(question)
            if options:
                st.html(options)
            _answered(session, question.id)
        else:
            st.html(f'<p class="pj-count">{shown.counts.answered} answered</p>')
            _numbers(question, shown)
            if question.explanation:
                st.info(f"**Why:** {md(question.explanation)}", icon=":material/lightbulb:")


def _stage(lesson: LoadedLesson, bound: BoundQuestion, shown: Reveal | None) -> None:
    """The passage: as the students see it before the reveal; after it, a spans question becomes a heat map over
    its phrases (where the class agreed and where it split), a mark question one per category over its words."""
    question = bound.question
    if shown is None:
        show_excerpts(lesson, question, annotated=False)
        return
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


def _numbers(question: Question, shown: Reveal) -> None:
    """Beside the revealed passage: how many found each phrase to mark, or the options' chart and its numbers."""
    match question:
        case MarkQuestion():  # its heat map is the chart; how many found each phrase
            _found(shown)
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | MatchQuestion():
            _chart(shown)
        case SpansQuestion() | ShortQuestion():
            pass  # a spans question has its heat map; a written answer has no numbers to show
        case _:
            assert_never(question)


def _chart(shown: Reveal) -> None:
    """A bar per option, labelled by the letter the options had before the reveal; the right ones are marked
    in words ("✓ right") and by colour, and the same numbers are in the list under the chart."""
    if shown.chart is None:
        return
    st.altair_chart(shown.chart, width="stretch", theme=None)  # the app theme would shrink and grey the labels
    rows = "".join(f'<li><span class="pj-letter">{letter}.</span> {escape(bar.label)}: <b>{bar.count}</b>'
                   f'{" ✓ right" if bar.correct else ""}</li>' for letter, bar in shown.lettered)
    st.html(f'<ul class="pj-options pj-small">{rows}</ul>')


def _found(shown: Reveal) -> None:
    rows = "".join(f"<li>{escape(bar.label)}: <b>{bar.count}</b> of {shown.counts.answered} marked all of it</li>"
                   for bar in shown.counts.bars)
    st.html(f'<ul class="pj-options pj-small">{rows}</ul>')


def _options_html(question: Question) -> str:
    match question:
        case MarkQuestion():
            kinds = ", ".join(LABELS[label].title.lower() for label in question.labels)
            return f'<p class="pj-options">Mark in the passage: {escape(kinds)}</p>'
        case SingleQuestion() | MultiQuestion() | MatchQuestion() | TrueFalseQuestion():
            rows = "".join(f'<li><span class="pj-letter">{c.letter}.</span> {escape(c.text)}</li>'
                           for c in listed(question))
            return f'<ul class="pj-options">{rows}</ul>'
        case SpansQuestion() | ShortQuestion():
            return ""
        case _:
            assert_never(question)


@st.fragment(run_every=class_state.POLL_SECONDS)
def _answered(session: ClassSessionRow, question_id: str) -> None:
    with reconnect.guard(retry=False):
        feed = answer_feed(state.store(), session, question_id)
        st.html(f'<p class="pj-count" role="status">{feed.answered} of {feed.joined} answered</p>')
        if session.show_names:
            st.html(f'<p class="pj-names">{escape(", ".join(feed.names))}</p>')


@st.fragment(run_every=class_state.POLL_SECONDS)
def _joined(session: ClassSessionRow) -> None:
    with reconnect.guard(retry=False):
        people = roll(state.store(), session)
        st.html(f'<p class="pj-count" role="status">{people.joined} joined</p>')
        if people.names:
            st.html(f'<p class="pj-names">{escape(", ".join(people.names))}</p>')


def _controls(db: Store, session: ClassSessionRow, lesson: LoadedLesson, index: int, now: Phase) -> None:
    last = len(lesson.lesson.questions)
    with st.container(horizontal=True, key="pj-controls"):
        st.button("Previous", key="pj-prev", icon=":material/arrow_back:", disabled=index <= LOBBY,
                  on_click=_move, args=(db, session.id, lesson, index - 1))
        if now.kind == "question":
            st.button("Reveal the answers", key="pj-reveal", icon=":material/visibility:", disabled=now.revealed,
                      on_click=_reveal_now, args=(db, session.id), type="primary" if not now.revealed else "secondary")
        label = "Start" if index == LOBBY else "Finish" if index == last - 1 else "Next question"
        st.button(label, key="pj-next", icon=":material/arrow_forward:", disabled=index >= last,
                  on_click=_move, args=(db, session.id, lesson, index + 1),
                  type="primary" if now.kind != "question" or now.revealed else "secondary")
        st.page_link(teacher_nav.DASHBOARD, label="Results", icon=":material/monitoring:",
                     query_params={"session": str(session.id)})


@reconnect.saving
def _move(db: Store, session_id: int, lesson: LoadedLesson, index: int) -> None:
    move(db, session_id, lesson, index)


@reconnect.saving
def _reveal_now(db: Store, session_id: int) -> None:
    db.reveal(session_id)

