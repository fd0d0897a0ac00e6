"""Issue 17, finding 3: the key of a live class is not one tab away; and `?session=` never raises on a teacher page.

While a class on a lesson is open, solo practice of that lesson shows no question and no key (the catalog and the
quiz page by URL), a self-paced class holds every verdict, right answer and explanation until the teacher closes
it, a teacher-paced class's summary waits for the close too, and a class never starts a retry.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from catalog_cards import cards, catalog_component, openable
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, alerts, fill, html_bodies, join_as, open_quiz, page_text, progress_of, submit

from sourcecheck.db import SqlStore, open_store
from sourcecheck.db.tables import class_sessions
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.params import session_id_param
from sourcecheck.sessions.progress import Progress
from sourcecheck.sessions.solo import LIVE_LESSONS, PAUSED, LiveLessons
from sourcecheck.ui import class_state, teacher_nav
from sourcecheck.ui.held_view import HELD
from sourcecheck.ui.question_view import key

LESSON = "raqqa-who-says"
OTHER = "following-the-trail"
# What a student would read as the key: the feedback lines, the summary's right answers, the explanation.
KEY_WORDS = ("A right answer", "Right answer:", "A model answer", "You chose, and it is right", "Correct:",
             "Incorrect:", "Partly correct", "Why:", "Your results", "You missed", "The answer is:")


@pytest.fixture(scope="module")
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


@pytest.fixture(autouse=True)
def fresh_pause_cache() -> Iterator[None]:
    """Each test's classes are seen at once, not after the process's 1.5 s hold of an earlier test's answer."""
    LIVE_LESSONS.forget()
    yield
    LIVE_LESSONS.forget()


def shows_key(text: str) -> list[str]:
    return [w for w in KEY_WORDS if w in text]


# -- the store query, on SQLite and PostgreSQL --------------------------------------------------------------


def test_the_store_says_whether_a_class_on_a_lesson_is_open(store: SqlStore, lesson: LoadedLesson) -> None:
    assert store.lesson_has_open_class(LESSON) is False
    first = start_class(store, lesson, pacing="self")
    second = start_class(store, lesson, pacing="teacher")
    assert store.lesson_has_open_class(LESSON) is True
    assert store.lesson_has_open_class(OTHER) is False
    store.close_session(first.id)
    assert store.lesson_has_open_class(LESSON) is True  # the other class is still open
    with store.engine.begin() as c:  # a class past the time it closes by itself counts as closed
        c.execute(class_sessions.update().where(class_sessions.c.id == second.id)
                  .values(closes_at=datetime.now(UTC) - timedelta(minutes=1)))
    assert store.lesson_has_open_class(LESSON) is False
    with store.engine.begin() as c:
        c.execute(class_sessions.update().where(class_sessions.c.id == second.id)
                  .values(closes_at=datetime.now(UTC) + timedelta(hours=1)))
    assert store.lesson_has_open_class(LESSON) is True
    store.close_session(second.id)
    assert store.lesson_has_open_class(LESSON) is False


def test_the_store_query_uses_the_lesson_index(tmp_path: Path) -> None:
    """One indexed statement: the catalog asks it for every lesson (held 1.5 s per process). The plan is read
    from SQLite's EXPLAIN QUERY PLAN; PostgreSQL's planner picks by table size, so it has no fixed plan to check."""
    store = open_store(f"sqlite:///{tmp_path / 'plan.db'}")
    with store.engine.connect() as c:
        plan = " ".join(str(r[-1]) for r in c.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM class_sessions WHERE lesson_id = 'x' AND status = 'open' LIMIT 1"))
    assert "ix_class_sessions_lesson" in plan


def test_the_answer_is_held_briefly_per_process() -> None:
    class Counting:
        calls = 0
        open_now = True

        def lesson_has_open_class(self, lesson_id: str) -> bool:
            self.calls += 1
            return self.open_now

    now = [100.0]
    live = LiveLessons(ttl=1.5, clock=lambda: now[0])
    db = Counting()
    assert all(live.in_class(db, LESSON) for _ in range(50)) and db.calls == 1
    db.open_now = False
    now[0] += 1.6
    assert live.in_class(db, LESSON) is False and db.calls == 2


def test_the_catalog_asks_for_all_its_lessons_at_once_with_the_same_answers_and_the_same_queries() -> None:
    """paused_lessons (the catalog's one question per rerun) answers as in_class does for each lesson, and holds
    each answer as long: one query per lesson per ttl, not one per card per rerun."""

    class Open:
        calls = 0
        open_ids = {"b"}

        def lesson_has_open_class(self, lesson_id: str) -> bool:
            self.calls += 1
            return lesson_id in self.open_ids

    now = [100.0]
    live = LiveLessons(ttl=1.5, clock=lambda: now[0])
    db = Open()
    assert all(live.among(db, ["a", "b", "c"]) == {"b"} for _ in range(20)) and db.calls == 3
    assert live.in_class(db, "b") and db.calls == 3  # the same answers, held for both ways of asking
    db.open_ids = {"a"}
    now[0] += 1.6
    assert live.among(db, ["a", "b", "c"]) == {"a"} and db.calls == 6


# -- no retries in a class ---------------------------------------------------------------------------------


class Spy:
    """A progress store that records every start_attempt it is asked for."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.started = inner, []

    def start_attempt(self, *args: Any) -> bool:
        self.started.append(args)
        return bool(self.inner.start_attempt(*args))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_class_participant_cannot_start_a_retry(progress_store: Any, lesson: LoadedLesson) -> None:
    spy = Spy(progress_store)
    participant = progress_store.solo_participant("class-seat-token-000001")
    progress = Progress.load(spy, lesson, participant, "class-seat-token-000001", retries=False)
    first = lesson.lesson.questions[0]
    for question in lesson.lesson.questions:
        assert progress.submit(question.id, None)  # a missed question, scored as wrong: there is one to retry
        progress.move_on(question.id)
    assert progress.current() is None
    spy.started.clear()
    assert progress.retry([q.id for q in lesson.lesson.questions], after=1) is False
    assert spy.started == []  # the store is never asked
    assert [a.number for a in progress_store.attempts(participant, LESSON)] == [1]
    solo = Progress.load(progress_store, lesson, participant, "class-seat-token-000001")
    assert solo.retry([first.id], after=1) is True  # solo practice keeps its retries


# -- ?session= on the teacher pages --------------------------------------------------------------------------

BAD_IDS = ["²", "٣", "9" * 5000, "-1", "1e3", " 7", "7 ", "7\n", "0", "+7", "9" * 19, str(2**31), ""]


@pytest.mark.parametrize("raw", BAD_IDS, ids=repr)
def test_a_session_parameter_that_is_not_a_plain_id_is_no_choice(raw: str) -> None:
    assert session_id_param(raw) is None


def test_a_plain_session_parameter_is_its_id() -> None:
    assert session_id_param("7") == 7 and session_id_param("007") == 7
    assert session_id_param(str(2**31 - 1)) == 2**31 - 1  # the largest id the Integer column holds
    assert session_id_param(None) is None and session_id_param(7) is None


def test_the_largest_accepted_id_finds_nothing_on_either_database(store: SqlStore) -> None:
    wanted = session_id_param(str(2**31 - 1))
    assert wanted is not None and store.session(wanted) is None


@pytest.fixture
def teacher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lesson: LoadedLesson) -> str:
    use_passcode(monkeypatch, tmp_path)
    db = open_store(os.environ["DATABASE_URL"])
    code = start_class(db, lesson, pacing="teacher").code
    db.engine.dispose()
    return code


def teacher_page(page: str, raw: str) -> AppTest:
    at = signed_in(page)
    at.query_params["session"] = raw
    return at.run()


@pytest.mark.parametrize("raw", ["²", "٣", "9" * 5000, "-1", "1e3", " 7"], ids=lambda r: repr(r[:12]))
def test_the_results_page_ignores_a_bad_session_parameter(teacher: str, raw: str) -> None:
    at = teacher_page(teacher_nav.DASHBOARD, raw)
    assert not at.exception, at.exception
    assert at.selectbox(key="db-session").value is not None  # the normal page: the newest class chosen
    assert at.query_params["session"] == str(at.selectbox(key="db-session").value)


@pytest.mark.parametrize("raw", ["²", "٣", "9" * 5000, "-1", "1e3", " 7"], ids=lambda r: repr(r[:12]))
def test_the_projector_ignores_a_bad_session_parameter(teacher: str, raw: str) -> None:
    at = teacher_page(teacher_nav.PROJECTOR, raw)
    assert not at.exception, at.exception
    assert "Choose a class on the Classes page" in alerts(at)


# -- solo practice while a class on the lesson is open ------------------------------------------------------


def open_class(lesson: LoadedLesson, pacing: str) -> tuple[SqlStore, str]:
    db = open_store(os.environ["DATABASE_URL"])
    return db, start_class(db, lesson, pacing=pacing).code  # type: ignore[arg-type]


def close_all(db: SqlStore) -> None:
    for listed in db.class_summaries():
        if listed.session.lesson_id == LESSON:
            db.close_session(listed.session.id)
    LIVE_LESSONS.forget()


def test_the_catalog_and_the_quiz_page_pause_a_lesson_in_class(lesson: LoadedLesson) -> None:
    db, _ = open_class(lesson, "teacher")
    try:
        catalog = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        assert not catalog.exception
        assert LESSON not in openable(catalog)  # no Open button on its card
        assert OTHER in openable(catalog)  # other lessons open as before
        [card] = [c for c in cards(catalog) if c["id"] == LESSON]
        assert card["paused"] and f'"paused_text": "{PAUSED}.' in catalog_component(catalog).json  # said instead

        quiz = open_quiz(LESSON, "solo-key-hunter-token-01")  # the same lesson by URL, in another tab
        assert not quiz.exception
        assert PAUSED in alerts(quiz)
        assert not [b for b in quiz.button if (b.key or "").endswith(":submit")]  # no question
        assert shows_key(page_text(quiz)) == []
        assert lesson.lesson.questions[0].prompt not in page_text(quiz)
    finally:
        close_all(db)
    reopened = open_quiz(LESSON, "solo-key-hunter-token-01")  # the class has ended: practice again
    assert PAUSED not in alerts(reopened)
    assert [b for b in reopened.button if (b.key or "").endswith(":submit")]
    db.engine.dispose()


def test_a_solo_tab_opened_before_the_class_shows_no_key_after(lesson: LoadedLesson) -> None:
    token = "solo-early-tab-token-0001"
    quiz = open_quiz(LESSON, token)
    progress = progress_of(quiz, LESSON)
    first = lesson.lesson.questions[0]
    fill(quiz, lesson, progress, first, "right")
    db, _ = open_class(lesson, "self")  # the class starts while the solo tab is open
    try:
        LIVE_LESSONS.forget()
        submit(quiz, progress, first)
        assert not quiz.exception
        assert PAUSED in alerts(quiz)
        assert shows_key(page_text(quiz)) == []
    finally:
        close_all(db)
        db.engine.dispose()


# -- a self-paced class holds its feedback until it is closed -----------------------------------------------


def forget_held_reads() -> None:
    """What the process holds for a moment (the class's live row 0.3 s, the lesson's pause 1.5 s), as if that
    moment had passed."""
    class_state._LIVE.clear()
    LIVE_LESSONS.forget()


def test_a_self_paced_class_holds_feedback_until_it_is_closed(lesson: LoadedLesson) -> None:
    db, code = open_class(lesson, "self")
    try:
        # a second seat under another name, answering right, sees nothing that says it was right
        seat = join_as(code, "Second seat", "second-seat-token-000001")
        progress = progress_of(seat, LESSON)
        questions = lesson.lesson.questions
        for n, question in enumerate(questions):
            fill(seat, lesson, progress, question, "right")
            submit(seat, progress, question)
            assert not seat.exception
            text = page_text(seat)
            assert HELD in alerts(seat), n
            assert shows_key(text) == [], (question.id, shows_key(text))
            if question.explanation:
                assert question.explanation not in text
            assert not any('<mark class="sc-hl"' in b or 'class="sc-notes"' in b for b in html_bodies(seat))
            seat.button(key=key(progress, question.id, "next")).click().run()
        text = page_text(seat)
        assert "Your answers" in text and HELD in alerts(seat)
        assert shows_key(text) == [] and "Score" not in [m.label for m in seat.metric]
        assert not [b for b in seat.button if "retry" in (b.key or "")]  # no retries in a class

        session = db.session_by_code(code)
        assert session is not None
        stored = db.session_answers(session.id)  # scored and stored at Submit: the teacher's view is the same
        assert len(stored) == len(questions) and {r.answer.verdict for r in stored} <= {"correct", "unscored"}

        db.close_session(session.id)
        forget_held_reads()
        seat.run()  # the page's poll reruns it when the class closes
        assert not seat.exception
        assert "Your teacher has closed the class" in alerts(seat)
        assert "Your results" in page_text(seat) and "Right answer" in page_text(seat)
        assert not [b for b in seat.button if "retry" in (b.key or "")]
        assert [a.number for a in db.attempts(stored[0].answer.participant_id, LESSON)] == [1]
    finally:
        close_all(db)
        db.engine.dispose()


def test_a_teacher_paced_summary_waits_for_the_close(lesson: LoadedLesson) -> None:
    """The teacher moved past the last question without revealing; Previous could still reopen a question."""
    db, code = open_class(lesson, "teacher")
    try:
        seat = join_as(code, "Ana", "teacher-paced-token-00001")
        session = db.session_by_code(code)
        assert session is not None
        db.set_position(session.id, len(lesson.lesson.questions), None)  # finished, nothing revealed
        seat.run()
        assert not seat.exception
        assert shows_key(page_text(seat)) == [] and "Your answers" in page_text(seat)
        db.close_session(session.id)
        forget_held_reads()
        seat.run()
        assert "Your teacher has closed the class" in alerts(seat) and "Your results" in page_text(seat)
    finally:
        close_all(db)
        db.engine.dispose()
