"""The projector: one 1920x1080 screen read from the back of a classroom, never a name with a score.

Every state fits in that one screen, with nothing to scroll: the lobby (code, QR code, how many joined), a
question (the passage, the question, its options and the live count of answers), its reveal (how the class
answered, beside the passage with its key phrases marked, and the "Why"), and the end of the lesson (how the class
did, with no names). A long passage or a long question is set smaller, never cut or pushed below the fold
(`_fit_px`). A closed class shows that it has ended and its end-of-lesson figures; a deleted one shows only that
it was deleted. The page follows the class (`class_state.follow`): a class closed or deleted on the Classes page
shows so at once (pushed; within about a second with SOURCECHECK_LIVE=poll).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime
from html import escape
from typing import assert_never

import streamlit as st

from sourcecheck.analytics.options import listed
from sourcecheck.classroom.lesson_end import LessonEnd, lesson_end
from sourcecheck.classroom.projector import MarkSummary, Reveal, answer_feed, reveal, roll
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import BoundQuestion, LoadedLesson, PlacedExcerpt
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
from sourcecheck.render.highlight import annotated_html, plain_html, source_html
from sourcecheck.render.qr import qr_png
from sourcecheck.sessions.changes import HUB
from sourcecheck.sessions.classes import LOBBY, Phase, move, phase
from sourcecheck.sessions.event_tokens import Topic
from sourcecheck.sessions.live_mode import live_mode
from sourcecheck.sessions.params import session_id_param
from sourcecheck.sessions.public_url import join_url, public_url
from sourcecheck.sessions.store import ClassSessionRow, LiveState, Store
from sourcecheck.sessions.timer import CHOICES, EXTEND_SECONDS, OFF, choice_label, seconds_left
from sourcecheck.ui import class_state, live_view, reconnect, state, teacher_nav
from sourcecheck.ui.timer_view import countdown

__all__ = ["CSS", "chosen_session", "show"]

CSS = """
[data-testid="stMainBlockContainer"]{max-width:none;padding:.75rem 3rem 0 3rem}
.st-key-pj-controls{margin-bottom:.25rem;column-gap:1.2rem}
.pj-code{font-size:7rem;font-weight:800;letter-spacing:.12em;line-height:1;margin:.2rem 0;color:#000;
  font-family:ui-monospace,Menlo,Consolas,monospace}
.pj-big{font-size:2.6rem;line-height:1.2;font-weight:700;color:#000;margin:.3rem 0;overflow-wrap:anywhere}
.pj-head{font-size:1.9rem;line-height:1.2;font-weight:700;color:#000;margin:0}
.pj-count{font-size:3.2rem;line-height:1.15;font-weight:800;color:#000;margin:.2rem 0}
.pj-count-small{font-size:2.6rem}
.pj-url{font-size:1.8rem;color:#111}
.pj-names{font-size:1.4rem;color:#111}
.pj-side{color:#000;overflow-wrap:anywhere}
.pj-side p,.pj-side ul,.pj-side li{font-size:1em}
.pj-side ul{padding-left:0;margin-left:0}
.pj-prompt{font-weight:700;line-height:1.25;margin:0 0 .5em 0}
.pj-options{line-height:1.3;margin:0;padding:0;list-style:none}
.pj-options li{margin:0 0 .25em 0;padding:.1em .3em;border-radius:.2em}
.pj-letter{display:inline-block;min-width:1.6em;font-weight:800}
.pj-row{display:grid;grid-template-columns:2.4rem 1fr;column-gap:.6rem;align-items:baseline}
.pj-n{font-weight:800;white-space:nowrap;font-size:max(1em,2rem);line-height:1.1;text-align:right}
.pj-right{font-weight:800;white-space:nowrap}
.pj-why{margin:.6em 0 0 0;padding:.45em .7em;border-left:.3rem solid #1c4f8a;background:#eaf2fb;line-height:1.3}
.pj-sub{font-weight:800;margin:.5em 0 .25em 0}
.pj-stage .sc-credit{font-size:.7em;margin:0 0 .2em 0;color:#222}
.pj-stage .sc-quote,.pj-stage .sc-heat{font-size:1em;line-height:1.45;margin:0 0 .5em 0;padding:.3em .7em}
.pj-stage .sc-heat{line-height:1.7}
.pj-end{color:#000}
.pj-end ul{padding-left:0;margin-left:0}
.pj-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.pj-end h2{font-size:2.2rem;margin:0 0 .4rem 0;padding:0;color:#000}
.pj-hist{display:flex;align-items:flex-end;gap:.6rem;height:430px;border-bottom:3px solid #000;padding:0 .3rem}
.pj-col{flex:1;display:flex;flex-direction:column;justify-content:flex-end;align-items:center;height:100%}
.pj-col b{font-size:2.2rem;line-height:1.1}
.pj-bar{width:100%;background:#1c4f8a;min-height:2px}
.pj-axis{display:flex;gap:.6rem;padding:0 .3rem;font-size:1.8rem;font-weight:700}
.pj-axis span{flex:1;text-align:center}
.pj-note{font-size:1.6rem;margin:.4rem 0 0 0;color:#111}
.pj-missed{font-size:2.1rem;line-height:1.25;font-weight:700;margin:0}
.pj-skills{list-style:none;margin:0;padding:0;font-size:1.9rem;line-height:1.25}
.pj-skills li{margin:0 0 .45rem 0}
.pj-meter{display:block;height:.55rem;background:#d9d9d9;margin-top:.15rem}
.pj-meter span{display:block;height:100%;background:#1c4f8a}
"""

_TOP = 90  # px above the stage: the controls and the question line, in one row
_SCREEN = (1920, 1080)


def chosen_session(db: Store) -> ClassSessionRow | None:
    """The class named by the URL (or this tab's last one). A class this tab showed that is gone was deleted:
    it says so, and shows nothing of it."""
    wanted = session_id_param(st.query_params.get("session") or st.session_state.get("pj-session"))
    session = db.session(wanted) if wanted is not None else None
    if session is None:
        if wanted is not None:
            _deleted(wanted in st.session_state.get("pj-seen", set()))
        else:
            st.warning("Choose a class on the Classes page, then open its projector view.", icon=":material/groups:")
            st.page_link(teacher_nav.CLASSES, label="Classes", icon=":material/groups:")
        return None
    st.session_state["pj-session"] = str(session.id)
    st.session_state.setdefault("pj-seen", set()).add(session.id)
    st.query_params["session"] = str(session.id)
    return session


def _deleted(seen: bool) -> None:
    said = "This class was deleted." if seen else "There is no such class: it was deleted, or the link is not right."
    st.html(f'<p class="pj-big" role="status">{said}</p>'
            '<p class="pj-url">Nothing of it is kept. Start a class on the Classes page.</p>')
    st.page_link(teacher_nav.CLASSES, label="Classes", icon=":material/groups:")


def show(db: Store, session: ClassSessionRow) -> None:
    lesson = class_state.lesson(db, session)  # the version the class started on
    live = db.live_state(session.id)
    if live is None:  # deleted between the two reads
        _deleted(True)
        return
    now = phase(live, lesson)
    if now.kind != "closed":
        _controls(db, session, lesson, live, now)  # on top: a click never scrolls the stage away
    with st.container(key="pj-stage"):
        match now.kind:
            case "lobby":
                _lobby(db, session)
            case "question":
                _question(db, session, lesson, now, live)
            case "finished" | "closed":
                _end(db, session, lesson, live, now)
            case _:
                assert_never(now.kind)
    class_state.follow(session.id, live.version)  # last: a close, a delete or a move elsewhere redraws the page


def _lobby(db: Store, session: ClassSessionRow) -> None:
    link = join_url(public_url(int(st.get_option("server.port"))).base, session.code)
    qr, words = st.columns([2, 3], vertical_alignment="center")
    qr.image(qr_png(link, scale=20), width=520, caption="Scan to join", alt=f"QR code of the join address, {link}")
    words.html('<p class="pj-big">Join the class</p>'
               f'<p class="pj-code" aria-label="Join code">{session.code}</p>'
               f'<p class="pj-url">or open {escape(link)}</p>')
    with words:
        _joined(session)


# -- fitting one screen ----------------------------------------------------------------------------------------

def _fit_px(text: str, width: float, height: float, *, largest: int, smallest: int, blocks: int = 0,
            line: float = 1.45) -> int:
    """The largest font size (px) at which `text` set at `width` px fills at most `height` px: a line holds about
    width / (0.48 size) characters and is `line` sizes tall; each paragraph and each of `blocks` (an option, a
    title) costs about a line more. Between `smallest` and `largest`."""
    lines_extra = text.count("\n") + blocks
    for size in range(largest, smallest, -1):
        per_line = width / (0.48 * size)
        lines = math.ceil(len(text) / per_line) + lines_extra
        if lines * line * size <= height:
            return size
    return smallest


def _columns(revealed: bool) -> tuple[int, int]:
    """The passage's share of the width and the side's: the reveal has more to say beside the passage."""
    return (50, 50) if revealed else (56, 42)


def _stage_px(excerpts: tuple[PlacedExcerpt, ...], revealed: bool) -> int:
    text = " ".join(p.text for p in excerpts)
    tags = 10 * sum(len(p.annotations) for p in excerpts) if revealed else 0
    height = _SCREEN[1] - _TOP - 45 * len(excerpts)  # the credits
    share = _columns(revealed)[0] / sum(_columns(revealed))
    return _fit_px(text + "x" * tags, share * (_SCREEN[0] - 96) - 40, height, largest=34, smallest=20,
                   blocks=len(excerpts), line=1.8 if revealed else 1.5)  # a label tag makes its line taller


def _side_px(words: list[str], reserved: int, revealed: bool) -> int:
    share = _columns(revealed)[1] / sum(_columns(revealed))
    return _fit_px(" ".join(words), share * (_SCREEN[0] - 96) - 50, _SCREEN[1] - _TOP - reserved, largest=36,
                   smallest=22, blocks=len(words), line=1.4)


# -- a question and its reveal ---------------------------------------------------------------------------------

def _question(db: Store, session: ClassSessionRow, lesson: LoadedLesson, now: Phase, live: LiveState) -> None:
    assert now.question_id is not None
    bound = lesson.bound(now.question_id)
    question = bound.question
    shown = reveal(db, session, live.version, bound) if now.revealed else None
    passage, side = st.columns(list(_columns(shown is not None)), gap="large")
    passage.html(_stage(bound, shown))
    with side:
        if shown is None:
            size = _side_px([question.prompt, *_option_texts(question)], reserved=110, revealed=False)
            st.html(f'<div class="pj-side" style="font-size:{size}px">'
                    f'<p class="pj-prompt">{escape(question.prompt)}</p>{_options_html(question)}</div>')
            _answered(session, question.id)
        else:
            st.html(_revealed_html(question, shown))


def _stage(bound: BoundQuestion, shown: Reveal | None) -> str:
    """The passage: as the students see it before the reveal; after it, with its phrases marked and labelled in
    words (a mark question: only the phrases it asked for; a spans question: each phrase shaded by how many
    picked it, with its count). No legend: every mark carries its label's name."""
    question = bound.question
    excerpts = bound.excerpts
    if shown is not None and isinstance(question, MarkQuestion):
        asked = set(question.labels)
        excerpts = tuple(replace(p, annotations=tuple(a for a in p.annotations if a.annotation.label in asked))
                         for p in excerpts)
    size = _stage_px(excerpts, shown is not None)
    parts = []
    for placed in excerpts:
        if shown is None:
            body = plain_html(placed)
        else:
            match question:
                case SpansQuestion():
                    picks = {i: bar.count for i, bar in enumerate(shown.counts.bars)}
                    body = heatmap_html(placed, bound.candidates, picks, shown.counts.answered)
                case MarkQuestion() | SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | MatchQuestion() \
                        | ShortQuestion():
                    body = annotated_html(placed)
                case _:
                    assert_never(question)
        parts.append(source_html(placed.document) + body)
    return f'<div class="pj-stage" style="font-size:{size}px">{"".join(parts)}</div>'


def _option_texts(question: Question) -> list[str]:
    match question:
        case SingleQuestion() | MultiQuestion() | MatchQuestion() | TrueFalseQuestion():
            return [f"{c.letter}. {c.text}" for c in listed(question)]
        case MarkQuestion():
            return ["Mark in the passage: " + ", ".join(LABELS[label].title.lower() for label in question.labels)]
        case SpansQuestion() | ShortQuestion():
            return []
        case _:
            assert_never(question)


def _options_html(question: Question) -> str:
    match question:
        case MarkQuestion():
            return f'<p class="pj-options">{escape(_option_texts(question)[0])}</p>'
        case SingleQuestion() | MultiQuestion() | MatchQuestion() | TrueFalseQuestion():
            rows = "".join(f'<li><span class="pj-letter">{c.letter}.</span> {escape(c.text)}</li>'
                           for c in listed(question))
            return f'<ul class="pj-options">{rows}</ul>'
        case SpansQuestion() | ShortQuestion():
            return ""
        case _:
            assert_never(question)


def _revealed_html(question: Question, shown: Reveal) -> str:
    """Beside the revealed passage, in one block sized to fit: the question, how many answered, how the class
    answered (a bar behind each option, its count, the right ones marked in words), and the "Why"."""
    answered = shown.counts.answered
    rows, words = _result_rows(question, shown)
    why = getattr(question, "explanation", None) or ""
    # a row is at least as tall as its count (32 px type): about 14 px more than a line of the side's text
    size = _side_px([question.prompt, *words, why], reserved=110 + 14 * rows.count('class="pj-row"'), revealed=True)
    count = f'<p class="pj-count pj-count-small" role="status">{answered} answered</p>'
    body = f'<p class="pj-prompt">{escape(question.prompt)}</p>{rows}'
    box = f'<p class="pj-why"><b>Why:</b> {escape(why)}</p>' if why else ""
    return f'{count}<div class="pj-side" style="font-size:{size}px">{body}{box}</div>'


def _row(count: int, answered: int, body: str) -> str:
    """One answer: its count first, large, then what was counted; a bar behind it shows the share."""
    share = 100 * count / answered if answered else 0
    bar = f"background:linear-gradient(90deg,#cfe0f5 {share:.1f}%,transparent {share:.1f}%)"
    return f'<li class="pj-row" style="{bar}"><span class="pj-n">{count}</span><span>{body}</span></li>'


def _result_rows(question: Question, shown: Reveal) -> tuple[str, list[str]]:
    """The rows as markup, and their words (what the fit measures)."""
    answered = shown.counts.answered
    match question:
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | MatchQuestion():
            words = [f"{letter}. {bar.label} right" for letter, bar in shown.lettered]
            right = not isinstance(question, MatchQuestion)  # a match row counts right placements: all are right
            rows = "".join(_row(bar.count, answered, f'<span class="pj-letter">{letter}.</span> {escape(bar.label)}'
                                f'{" <span class=pj-right>✓ right</span>" if right and bar.correct else ""}')
                           for letter, bar in shown.lettered)
            title = ("How many put each in the right category:" if not right else
                     "How many chose each:")
            return f'<p class="pj-sub">{title}</p><ul class="pj-options">{rows}</ul>', [title, *words]
        case MarkQuestion():
            assert shown.marks is not None
            return _mark_rows(shown.marks, answered)
        case SpansQuestion():  # the heat map shows where; the list, most picked first, shows how many
            ranked = sorted((bar for bar in shown.counts.bars if bar.count or bar.correct), key=lambda bar: -bar.count)
            head = "How many picked each phrase:"
            rows = "".join(_row(bar.count, answered, f"“{escape(bar.label)}”"
                                f'{" <span class=pj-right>✓ right</span>" if bar.correct else ""}') for bar in ranked)
            nobody = len(shown.counts.bars) - len(ranked)
            rest = f'<p class="pj-sub">Picked by nobody: {nobody} other phrase{"s" if nobody != 1 else ""}.</p>'
            return (f'<p class="pj-sub">{head}</p><ul class="pj-options">{rows}</ul>{rest if nobody else ""}',
                    [head, *(f"{bar.label} right" for bar in ranked), "Picked by nobody: 9 other phrases"])
        case ShortQuestion():
            return '<p class="pj-sub">Written answers: read them on the Results page.</p>', ["x" * 50]
        case _:
            assert_never(question)


def _mark_rows(marks: MarkSummary, answered: int) -> tuple[str, list[str]]:
    """A mark question's reveal as one list: the phrases to find, most found first, then the words marked most
    that were not to be marked."""
    found = "".join(_row(p.count, answered, f"<b>{escape(p.category)}:</b> “{escape(p.text)}”") for p in marks.found)
    stray = "".join(_row(p.count, answered, f"<b>{escape(p.category)}?</b> “{escape(p.text)}”")
                    for p in marks.strays)
    head = "How many found all of each phrase to mark:"
    html = f'<p class="pj-sub">{head}</p><ul class="pj-options">{found}</ul>'
    words = [head, *(f"{p.category}: {p.text}" for p in marks.found)]
    if stray:
        also = "Also marked, but not a phrase to mark:"
        html += f'<p class="pj-sub">{also}</p><ul class="pj-options">{stray}</ul>'
        words += [also, *(f"{p.category} {p.text}" for p in marks.strays)]
    return html, words


# -- the end of the lesson -------------------------------------------------------------------------------------

def _end(db: Store, session: ClassSessionRow, lesson: LoadedLesson, live: LiveState, now: Phase) -> None:
    """After the last question, and for a closed class: how the class did, with no names and no one's score."""
    title = "This class has ended." if now.kind == "closed" else "The lesson is over."
    st.html(f'<p class="pj-big" role="status">{title}</p>')
    figures = lesson_end(db, session, live.version, lesson)
    if not figures.students:
        st.html('<p class="pj-url">Nobody answered a question in this class.</p>')
        return
    left, right = st.columns([1, 1], gap="large")
    left.html(_histogram(figures))
    right.html(_missed_and_skills(figures))


def _histogram(figures: LessonEnd) -> str:
    most = max(b.students for b in figures.bands) or 1
    cols = "".join(f'<div class="pj-col"><b>{b.students}</b>'
                   f'<div class="pj-bar" style="height:{80 * b.students / most:.1f}%"></div></div>'
                   for b in figures.bands)
    axis = "".join(f"<span>{escape(b.label)}</span>" for b in figures.bands)
    table = "".join(f"<li>{escape(b.label)} points: {b.students} students</li>" for b in figures.bands)
    who = f"{figures.students} student{'s' if figures.students != 1 else ''}"
    return (f'<section class="pj-end" aria-label="Total scores"><h2>Total scores: {who}</h2>'
            f'<div class="pj-hist" aria-hidden="true">{cols}</div><div class="pj-axis" aria-hidden="true">{axis}</div>'
            f'<ul class="pj-sr">{table}</ul>'
            f'<p class="pj-note">Points out of {figures.possible}; how many students got each total.</p></section>')


def _missed_and_skills(figures: LessonEnd) -> str:
    parts = []
    if figures.missed is not None:
        m = figures.missed
        parts.append('<section class="pj-end" aria-label="The question most missed"><h2>Most missed</h2>'
                     f'<p class="pj-missed">Question {m.number}: {escape(m.prompt)}</p>'
                     f'<p class="pj-note">{m.right} of {m.answered} fully right ({m.share:.0%})</p></section>')
    rows = "".join(f'<li>{escape(s.name)}: <b>{s.share:.0%}</b> fully right'
                   f'<span class="pj-meter" aria-hidden="true"><span style="width:{100 * s.share:.1f}%"></span></span>'
                   "</li>" for s in figures.skills)
    if rows:
        parts.append(f'<section class="pj-end" aria-label="Skills"><h2>Skills</h2><ul class="pj-skills">{rows}</ul>'
                     "</section>")
    return "".join(parts)


# -- live counts and controls ----------------------------------------------------------------------------------

def _answered(session: ClassSessionRow, question_id: str) -> None:
    """"N of M answered" (and the names, when the teacher chose to show them), redrawn as answers come in: on
    every rise of the class's room (pushed), or every POLL_SECONDS with SOURCECHECK_LIVE=poll."""
    if live_mode() == "poll":
        _answered_polled(session, question_id)
    else:
        _answered_pushed(session, question_id)


def _joined(session: ClassSessionRow) -> None:
    """"N joined" in the lobby, with the names, redrawn as students join (as `_answered`)."""
    if live_mode() == "poll":
        _joined_polled(session)
    else:
        _joined_pushed(session)


@st.fragment(run_every=class_state.POLL_SECONDS)
def _answered_polled(session: ClassSessionRow, question_id: str) -> None:
    with reconnect.guard(retry=False):
        _answered_now(session, question_id)


@st.fragment
def _answered_pushed(session: ClassSessionRow, question_id: str) -> None:
    room = Topic("room", session.id)
    drawn = HUB.current(room) or 0  # before the read: a rise during it reruns this again
    read = False
    with reconnect.guard(retry=False):
        _answered_now(session, question_id)
        read = True
    live_view.follow_changes(room, drawn, key=f"sc-live-room-{session.id}", poll=not read)


def _answered_now(session: ClassSessionRow, question_id: str) -> None:
    feed = answer_feed(state.store(), session, question_id)
    st.html(f'<p class="pj-count" role="status">{feed.answered} of {feed.joined} answered</p>')
    if session.show_names:
        st.html(f'<p class="pj-names">{escape(", ".join(feed.names))}</p>')


@st.fragment(run_every=class_state.POLL_SECONDS)
def _joined_polled(session: ClassSessionRow) -> None:
    with reconnect.guard(retry=False):
        _joined_now(session)


@st.fragment
def _joined_pushed(session: ClassSessionRow) -> None:
    room = Topic("room", session.id)
    drawn = HUB.current(room) or 0
    read = False
    with reconnect.guard(retry=False):
        _joined_now(session)
        read = True
    live_view.follow_changes(room, drawn, key=f"sc-live-room-{session.id}", poll=not read)


def _joined_now(session: ClassSessionRow) -> None:
    people = roll(state.store(), session)
    st.html(f'<p class="pj-count" role="status">{people.joined} joined</p>')
    if people.names:
        st.html(f'<p class="pj-names">{escape(", ".join(people.names))}</p>')


def _controls(db: Store, session: ClassSessionRow, lesson: LoadedLesson, live: LiveState, now: Phase) -> None:
    """Moving the class, the reveal, and the timer. No link to the results: names and scores stay off the big
    screen (the teacher opens Results on their own screen)."""
    index, last = live.current_index, len(lesson.lesson.questions)
    with st.container(horizontal=True, key="pj-controls", vertical_alignment="center"):
        st.button("Previous", key="pj-prev", icon=":material/arrow_back:", disabled=index <= LOBBY,
                  on_click=_move, args=(db, session.id, lesson, index - 1))
        if now.kind == "question":
            st.button("Reveal the answers", key="pj-reveal", icon=":material/visibility:", disabled=now.revealed,
                      on_click=_reveal_now, args=(db, session.id), type="primary" if not now.revealed else "secondary")
        label = "Start" if index == LOBBY else "Finish" if index == last - 1 else "Next question"
        st.button(label, key="pj-next", icon=":material/arrow_forward:", disabled=index >= last,
                  on_click=_move, args=(db, session.id, lesson, index + 1),
                  type="primary" if now.kind != "question" or now.revealed else "secondary")
        if now.kind == "question":  # the question line shares the controls' row: the stage keeps the height
            st.html(f'<p class="pj-head">Question {now.number} of {now.total} · code {session.code}'
                    f'{" · the answers" if now.revealed else ""}</p>', width="content")
        timing = now.kind == "question" and not now.revealed and live.timer_ends_at is not None
        if timing and live.timer_ends_at is not None:
            left = seconds_left(live.timer_ends_at, datetime.now(UTC))
            countdown(left or 0, live.timer_ends_at, big=True, key="pj-timer")
        chosen = session.timer_seconds or OFF
        st.selectbox("Timer", CHOICES, index=CHOICES.index(chosen) if chosen in CHOICES else 0,
                     format_func=choice_label, key=f"pj-timer-{session.id}-{chosen}", label_visibility="collapsed",
                     on_change=_choose_timer, args=(db, session.id, f"pj-timer-{session.id}-{chosen}"), width=210)
        if timing:
            st.button(f"+{EXTEND_SECONDS} s", key="pj-extend", icon=":material/more_time:",
                      help="More time for this question", on_click=_extend, args=(db, session.id, live.version))


@reconnect.saving
def _move(db: Store, session_id: int, lesson: LoadedLesson, index: int) -> None:
    move(db, session_id, lesson, index)


@reconnect.saving
def _reveal_now(db: Store, session_id: int) -> None:
    db.reveal(session_id)


def _choose_timer(db: Store, session_id: int, key: str) -> None:
    seconds = st.session_state.get(key, OFF)
    _set_timer(db, session_id, int(seconds) or None)


@reconnect.saving
def _set_timer(db: Store, session_id: int, seconds: int | None) -> None:
    db.set_timer(session_id, seconds)


@reconnect.saving
def _extend(db: Store, session_id: int, version: int) -> None:
    db.extend_timer(session_id, version, EXTEND_SECONDS)
