"""The projector: very large type and high contrast, readable from the back of a classroom.

Before the reveal it shows the excerpt, the question and how many have answered (live, no names
unless the teacher chose them); on reveal, how the class answered (a chart with its numbers beside
it, the right answer marked) and the annotated explanation; a spans question becomes a heat map over
its phrases, a mark question one per category over its words.
"""

from __future__ import annotations

from html import escape

import altair as alt
import pandas as pd
import streamlit as st

from sourcecheck.grading.responses import Response
from sourcecheck.grading.tally import Tally, tally
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    Question,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.render.heatmap import heatmap_html
from sourcecheck.render.qr import qr_png
from sourcecheck.sessions.classes import LOBBY, Phase, phase
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
    raw = st.query_params.get("session") or st.session_state.get("pj-session")
    session = db.session(int(raw)) if isinstance(raw, str) and raw.isdigit() else None
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
            _question(db, session, lesson, now)
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
        _joined(session.id, session.show_names)


def _question(db: Store, session: ClassSessionRow, lesson: LoadedLesson, now: Phase) -> None:
    assert now.question_id is not None
    bound = lesson.bound(now.question_id)
    question = bound.question
    responses = _responses(db, session.id, question.id) if now.revealed else []
    counts = tally(bound, responses) if now.revealed else None
    st.html(f'<p class="pj-big">Question {now.number} of {now.total} · code {session.code}</p>')
    left, right = st.columns([3, 2], gap="large")
    with left:
        if counts is not None and isinstance(question, SpansQuestion):
            picks = {i: bar.count for i, bar in enumerate(counts.bars)}
            for placed in bound.excerpts:  # where the class agreed and where it split
                st.html(heatmap_html(placed, bound.candidates, picks, counts.answered))
        elif counts is not None and isinstance(question, MarkQuestion):
            show_mark_heat(bound, responses)
        else:
            show_excerpts(lesson, question, annotated=now.revealed)
    with right:
        st.html(f'<p class="pj-big">{escape(question.prompt)}</p>')
        if counts is None:
            options = _options_html(question)
            if options:
                st.html(options)
            _answered(session.id, question.id, session.show_names)
        else:
            st.html(f'<p class="pj-count">{counts.answered} answered</p>')
            if counts.kind == "targets":  # a mark question: its heat map is the chart; how many found each phrase
                _found(counts)
            elif counts.bars and not isinstance(question, SpansQuestion):  # a spans question has its heat map
                _chart(counts)
            if question.explanation:
                st.info(f"**Why:** {md(question.explanation)}", icon=":material/lightbulb:")


def _chart(counts: Tally) -> None:
    """A bar per option, labelled by the letter the options had before the reveal; the right ones are marked
    in words ("✓ right") and by colour, and the same numbers are in the table under the chart."""
    letters = [chr(65 + n) for n in range(len(counts.bars))]
    frame = pd.DataFrame({
        "Option": letters,
        "Answer": [b.label for b in counts.bars],
        "Students": [b.count for b in counts.bars],
        "Right": ["✓ right" if b.correct else "" for b in counts.bars],
    })
    chart = alt.Chart(frame).mark_bar(stroke="#000", strokeWidth=2).encode(
        x=alt.X("Students:Q", axis=alt.Axis(tickMinStep=1, labelFontSize=22, titleFontSize=22, labelColor="#000",
                                            titleColor="#000")),
        y=alt.Y("Option:N", sort=None, axis=alt.Axis(title=None, labelFontSize=30, labelFontWeight="bold",
                                                     labelColor="#000")),
        color=alt.Color("Right:N", scale=alt.Scale(domain=["✓ right", ""], range=["#0072B2", "#d9d9d9"]),
                        legend=None),
    ).properties(height=max(120, 64 * len(frame)))
    text = chart.mark_text(align="left", dx=8, fontSize=28, fontWeight="bold", color="#000").encode(
        text=alt.Text("label:N"), color=alt.value("#000")).transform_calculate(
        label="datum.Students + (datum.Right ? '  ' + datum.Right : '')")
    st.altair_chart(chart + text, width="stretch", theme=None)  # the app theme would shrink and grey the labels
    rows = "".join(f'<li><span class="pj-letter">{letter}.</span> {escape(bar.label)}: <b>{bar.count}</b>'
                   f'{" ✓ right" if bar.correct else ""}</li>'
                   for letter, bar in zip(letters, counts.bars, strict=True))
    st.html(f'<ul class="pj-options pj-small">{rows}</ul>')


def _found(counts: Tally) -> None:
    rows = "".join(f"<li>{escape(bar.label)}: <b>{bar.count}</b> of {counts.answered} marked all of it</li>"
                   for bar in counts.bars)
    st.html(f'<ul class="pj-options pj-small">{rows}</ul>')


def _options_html(question: Question) -> str:
    if isinstance(question, MarkQuestion):
        kinds = ", ".join(LABELS[label].title.lower() for label in question.labels)
        return f'<p class="pj-options">Mark in the passage: {escape(kinds)}</p>'
    if isinstance(question, (SingleQuestion, MultiQuestion)):
        items = [o.text for o in question.options]
    elif isinstance(question, MatchQuestion):
        items = [i.text for i in question.items]
    elif isinstance(question, TrueFalseQuestion):
        items = ["True", "False"]
    else:
        return ""
    rows = "".join(f'<li><span class="pj-letter">{chr(65 + n)}.</span> {escape(text)}</li>'
                   for n, text in enumerate(items))
    return f'<ul class="pj-options">{rows}</ul>'


@st.fragment(run_every=class_state.POLL_SECONDS)
def _answered(session_id: int, question_id: str, show_names: bool) -> None:
    with reconnect.guard(retry=False):
        db = state.store()
        count, joined = db.answer_count(session_id, question_id), len(db.participants(session_id))
        st.html(f'<p class="pj-count" role="status">{count} of {joined} answered</p>')
        if show_names:
            names = sorted({a.display_name or "" for a in db.session_answers(session_id)
                            if a.answer.question_id == question_id and a.answer.attempt == 1})
            st.html(f'<p class="pj-names">{escape(", ".join(names))}</p>')


@st.fragment(run_every=class_state.POLL_SECONDS)
def _joined(session_id: int, show_names: bool) -> None:
    with reconnect.guard(retry=False):
        people = state.store().participants(session_id)
        st.html(f'<p class="pj-count" role="status">{len(people)} joined</p>')
        if show_names and people:
            st.html(f'<p class="pj-names">{escape(", ".join(p.display_name or "" for p in people))}</p>')


def _controls(db: Store, session: ClassSessionRow, lesson: LoadedLesson, index: int, now: Phase) -> None:
    last = len(lesson.lesson.questions)
    with st.container(horizontal=True, key="pj-controls"):
        st.button("Previous", key="pj-prev", icon=":material/arrow_back:", disabled=index <= LOBBY,
                  on_click=_move, args=(db, session.id, index - 1))
        if now.kind == "question":
            st.button("Reveal the answers", key="pj-reveal", icon=":material/visibility:", disabled=now.revealed,
                      on_click=_reveal_now, args=(db, session.id), type="primary" if not now.revealed else "secondary")
        label = "Start" if index == LOBBY else "Finish" if index == last - 1 else "Next question"
        st.button(label, key="pj-next", icon=":material/arrow_forward:", disabled=index >= last,
                  on_click=_move, args=(db, session.id, index + 1),
                  type="primary" if now.kind != "question" or now.revealed else "secondary")
        st.page_link(teacher_nav.DASHBOARD, label="Results", icon=":material/monitoring:",
                     query_params={"session": str(session.id)})


def _move(db: Store, session_id: int, index: int) -> None:
    db.set_position(session_id, index)


def _reveal_now(db: Store, session_id: int) -> None:
    db.reveal(session_id)


def _responses(db: Store, session_id: int, question_id: str) -> list[Response]:
    return [a.answer.response for a in db.session_answers(session_id)
            if a.answer.question_id == question_id and a.answer.attempt == 1]
