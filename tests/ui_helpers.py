"""Driving the student app in AppTest: open a lesson, fill a question right, wrong or partly, read the page."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any, Literal, cast

from streamlit.testing.v1 import AppTest

from sourcecheck.grading.marking import mark_key
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
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui import class_state, nav, state
from sourcecheck.ui.question_view import key

APP = str(PROJECT_ROOT / "app.py")
TIMEOUT = 30
TOKEN = "test-student-token-0001"

How = Literal["right", "wrong", "partial"]


def plan(lesson: LoadedLesson) -> dict[str, How]:
    """Every type once right, once wrong or partly right, so each verdict and feedback kind is seen."""
    wanted: dict[str, list[How]] = {"single": ["right", "wrong"], "true-false": ["wrong"], "multi": ["partial"],
                                    "spans": ["right"], "mark": ["right", "partial"], "match": ["partial"],
                                    "short": ["right"]}
    out = {}
    for question in lesson.lesson.questions:
        hows = wanted[question.type]
        out[question.id] = hows.pop(0) if len(hows) > 1 else hows[0]
    return out


def expected_points(lesson: LoadedLesson, question: Question, how: How) -> float:
    """From the scoring rules: one of k right picks earns 1/k; one of n match rows earns 1/n."""
    if isinstance(question, ShortQuestion):
        return 0.0
    if how == "right":
        return float(question.points)
    if how == "wrong":
        return 0.0
    if isinstance(question, MultiQuestion):
        return question.points / sum(o.correct for o in question.options)
    if isinstance(question, MatchQuestion):
        return question.points / len(question.items)
    if isinstance(question, SpansQuestion):  # F1 with precision 1 and recall 1/k
        k = sum(c.correct for c in lesson.candidates[question.id])
        return question.points * 2 * (1 / k) / (1 + 1 / k)
    if isinstance(question, MarkQuestion):  # only the first target marked: one category at precision 1, the rest 0
        key = mark_key(lesson.bound(question.id))
        first = key.targets[0]
        required = next(c.required for c in key.categories if c.label == first.label)
        recall = len(set(range(first.first, first.last + 1)) & required) / len(required)
        return round(question.points * 2 * recall / (1 + recall) / len(key.categories), 4)
    raise AssertionError(question.type)


def mark_answer(lesson: LoadedLesson, question: MarkQuestion, how: How) -> list[list[str | int]]:
    """Marks as a student would make them: every target (right), only the first (partial), or one word that is
    no target in any category asked and not next to one (wrong)."""
    key = mark_key(lesson.bound(question.id))
    targets = [[t.label, t.first, t.last] for t in key.targets]
    if how == "right":
        return targets
    if how == "partial":
        return targets[:1]
    taken = set().union(*(c.required | c.neutral for c in key.categories))
    free = next(i for i in range(len(key.words)) if i not in taken)
    return [[question.labels[0], free, free]]


def start_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def open_quiz(lesson_id: str, token: str = TOKEN) -> AppTest:
    """What a link or a refresh of /quiz?lesson=...&s=... does: a new session straight on the quiz page."""
    at = start_app()
    at.query_params["lesson"] = lesson_id
    at.query_params["s"] = token
    at.switch_page(nav.QUIZ)
    return at.run()


class _LiveProgress:
    """The student's progress as the database holds it, read anew on every attribute access: a test holding
    this sees what the student would see after every click (the app reads the same rows on each rerun)."""

    def __init__(self, at: AppTest, lesson_id: str) -> None:
        self._at, self._lesson_id = at, lesson_id

    def __getattr__(self, name: str) -> Any:
        return getattr(read_progress(self._at, self._lesson_id), name)


def read_progress(at: AppTest, lesson_id: str) -> Progress:
    """What the app's session in `at` reads for `lesson_id`: its student's solo progress, or in a class the
    progress of the participant it joined as (the ids the app keeps in session_state)."""
    db = state.store()
    token = at.session_state["student"]
    solo = f"participant:{token}"
    participant_id: int | None
    if solo in at.session_state:  # None until the first answer stores the solo participant
        participant_id = at.session_state[solo] or db.find_solo_participant(token)
    else:
        session = db.session_by_code(at.session_state[class_state._CODE])
        assert session is not None, "the app's session is in no class and has no solo progress"
        joined = db.participant(session.id, token)
        assert joined is not None, f"{token} has not joined class {session.code}"
        participant_id = joined.id
    lesson = state.library().get(lesson_id)
    assert lesson is not None, f"no lesson {lesson_id!r} in the library the app reads"
    return Progress.load(db, lesson, participant_id, token)


def progress_of(at: AppTest, lesson_id: str) -> Progress:
    return cast(Progress, _LiveProgress(at, lesson_id))


def fill(at: AppTest, lesson: LoadedLesson, progress: Progress, question: Question, how: How) -> None:
    """Set the answer widgets the way a student would; 'partial' gets part of a multi/spans/match right."""
    k = lambda part: key(progress, question.id, part)
    if isinstance(question, SingleQuestion):
        right = next(i for i, o in enumerate(question.options) if o.correct)
        wrong = next(i for i, o in enumerate(question.options) if not o.correct)
        at.radio(key=k("choice")).set_value(right if how == "right" else wrong)
    elif isinstance(question, TrueFalseQuestion):
        at.radio(key=k("choice")).set_value(question.answer if how == "right" else not question.answer)
    elif isinstance(question, (MultiQuestion, SpansQuestion)):
        flags = ([o.correct for o in question.options] if isinstance(question, MultiQuestion)
                 else [c.correct for c in lesson.candidates[question.id]])
        part = "opt" if isinstance(question, MultiQuestion) else "span"
        picks = [i for i, f in enumerate(flags) if f == (how != "wrong")]
        if how == "partial":
            picks = picks[:1]
        for i in picks:
            at.checkbox(key=k(f"{part}:{i}")).check()
    elif isinstance(question, MarkQuestion):  # the component's state, set through its key
        at.session_state[k("marks")] = {"marks": mark_answer(lesson, question, how)}
    elif isinstance(question, MatchQuestion):
        for j, item in enumerate(question.items):
            other = next(c for c in question.categories if c != item.category)
            good = how == "right" or (how == "partial" and j == 0)
            at.selectbox(key=k(f"row:{j}")).set_value(item.category if good else other)
    elif isinstance(question, ShortQuestion):
        at.text_area(key=k("text")).input("I would look for who said it and a link to the report.")
    if question.confidence:
        at.radio(key=k("sure")).set_value(90)


def submit(at: AppTest, progress: Progress, question: Question) -> AppTest:
    return at.button(key=key(progress, question.id, "submit")).click().run()


def next_question(at: AppTest, progress: Progress, question: Question) -> AppTest:
    return at.button(key=key(progress, question.id, "next")).click().run()


def proto_strings(message: Any, *, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every string in a protobuf message and its sub-messages, but for fields named in `skip`."""
    for field, value in message.ListFields():
        if field.name in skip:
            continue
        repeated = field.is_repeated if hasattr(field, "is_repeated") else field.label == field.LABEL_REPEATED
        values = value if repeated else [value]
        for v in values:
            if isinstance(v, str):
                yield v
            elif hasattr(v, "ListFields"):
                yield from proto_strings(v, skip=skip)


def tree_nodes(node: Any) -> Iterator[Any]:
    """The AppTest element tree, depth first."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from tree_nodes(child)


def raw_page(at: AppTest, *, with_html: bool = True) -> str:
    """Every string the server sent for the page, as sent (markup and Markdown escapes included).

    The style sheet is left out; `with_html=False` leaves out st.html bodies and components (whose data their
    script puts in as text) too, keeping the strings that the browser renders as Markdown.
    """
    parts = []
    for node in tree_nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields") or (
                not with_html and getattr(node, "type", "") in ("html", "bidi_component")):
            continue
        parts += [s for s in proto_strings(proto) if not s.lstrip().startswith("<style>")]
    return "\n".join(parts)


def html_bodies(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html") if not h.proto.body.lstrip().startswith("<style>")]


def page_text(at: AppTest) -> str:
    """The page's strings as a reader sees them: HTML tags dropped, entities and Markdown escapes undone."""
    return squash(unmd(html.unescape(re.sub(r"(?<!\\)<[^>]+>", " ", raw_page(at)))))


def unmd(text: str) -> str:
    """Undo the app's Markdown escapes (`md()`), as the browser's rendering does."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def squash(text: str) -> str:
    return " ".join(text.split())


def alerts(at: AppTest) -> str:
    kinds = ("success", "warning", "error", "info")
    return squash(unmd(" ".join(e.value for kind in kinds for e in getattr(at, kind))))


def join_as(code: str, name: str, token: str) -> AppTest:
    """A student's browser tab that joins the class with this code and name, and is then on the class page (the
    browser is on /class: later runs, the poll's reruns among them, run that page)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["code"] = code
    at.query_params["s"] = token
    at.switch_page(nav.JOIN)
    at.run()
    at.text_input(key="join-name").input(name)
    at.button(key="join-submit").click().run()
    assert not at.exception
    at.switch_page(nav.CLASS)
    return at.run()


# What a page must never show a student: a traceback, SQL, or the names of the database layers behind it.
LEAKS = ("Traceback", "INSERT", "sqlalchemy", "psycopg", "OperationalError", "StoreUnavailable")


def assert_no_leak(text: str) -> None:
    for word in LEAKS:
        assert word.lower() not in text.lower(), f"the page shows {word!r}"
