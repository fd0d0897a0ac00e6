"""Issue 16: the class remote, the teacher's own phone or laptop. Who has not answered yet, by name; the live count;
the projector's Previous / Reveal / Next on the same calls. Signed out, /remote is the sign-in form.

The page runs in AppTest on SQLite and PostgreSQL (the `store` fixture); the names' read is counted statement by
statement, as tests/test_classroom_queries.py counts the other teacher pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from streamlit.testing.v1 import AppTest
from teacher_helpers import open_sign_in, signed_in, use_passcode
from ui_helpers import alerts, fill, html_bodies, join_as, page_text, progress_of, submit

from sourcecheck.classroom.cache import clear_all
from sourcecheck.classroom.remote import roll_call
from sourcecheck.db import SqlStore
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.store import AnswerRow
from sourcecheck.ui import teacher_nav

LESSON = "raqqa-who-says"


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture
def app_store(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> SqlStore:
    monkeypatch.setenv("DATABASE_URL", store.engine.url.render_as_string(hide_password=False))
    clear_all()
    return store


@pytest.fixture
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def remote(session_id: int | None = None) -> AppTest:
    at = signed_in(teacher_nav.REMOTE)
    if session_id is not None:
        at.query_params["session"] = str(session_id)
        at.run()
    assert not at.exception, at.exception
    return at


def count_line(at: AppTest) -> str:
    return next(b for b in html_bodies(at) if 'class="rm-count"' in b)


def waiting(at: AppTest) -> str:
    """The names under "Not answered yet": the list right after that heading, as a reader sees it."""
    text = page_text(at)
    after = text.split("Not answered yet", 1)[1]
    return after.split("Answered (", 1)[0]


def answer(db: SqlStore, lesson: LoadedLesson, session_id: int, participant_id: int, question_id: str) -> None:
    session = db.session(session_id)
    assert session is not None
    db.record_answer(AnswerRow(participant_id=participant_id, lesson_id=lesson.id, lesson_hash=session.lesson_hash,
                               attempt=1, question_id=question_id, response=0, earned=1.0, possible=1,
                               verdict="correct", submitted_at=datetime.now(UTC)))


def test_signed_out_the_remote_is_the_sign_in_form() -> None:
    at = open_sign_in()
    assert [t.value for t in at.title] == ["Teacher sign-in"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(teacher_nav.REMOTE)
    assert "remote" in teacher_nav._TEACHER_PATHS  # /remote runs the sign-in page (tests/security/ opens it)


def test_the_remote_names_who_has_not_answered_and_drives_the_class(app_store: SqlStore,
                                                                   lesson: LoadedLesson) -> None:
    session = start_class(app_store, lesson, pacing="teacher")  # names off on the projector: the remote still names
    ana = join_as(session.code, "Ana", "token-remote-ana-000001")
    ben = join_as(session.code, "<b>Ben</b>", "token-remote-ben-000001")
    at = remote(session.id)
    assert "2 joined" in count_line(at)
    assert "Ana" in page_text(at) and "<b>Ben</b>" in page_text(at)  # shown as typed: escaped, not bold
    assert not any("<b>Ben" in body for body in html_bodies(at))
    assert at.button(key="rm-prev").disabled
    assert [b.label for b in at.button if b.key == "rm-next"] == ["Start"]

    at.button(key="rm-next").click().run()  # the remote starts the class: the students' phones follow
    assert not at.exception
    assert any("Question 1 of" in body for body in html_bodies(at))
    assert "0 of 2 answered" in count_line(at)
    ana.run()
    first = lesson.lesson.questions[0]
    progress = progress_of(ana, LESSON)
    fill(ana, lesson, progress, first, "right")
    submit(ana, progress, first)
    assert "Your answer is saved" in alerts(ana)

    at.run()
    assert "1 of 2 answered" in count_line(at)
    assert "<b>Ben</b>" in waiting(at) and "Ana" not in waiting(at)
    assert at.expander[0].label == "Answered (1)" and "Ana" in page_text(at).split("Answered (1)", 1)[1]

    ben.run()
    progress = progress_of(ben, LESSON)
    fill(ben, lesson, progress, first, "wrong")
    submit(ben, progress, first)
    at.run()
    assert "2 of 2 answered" in count_line(at)
    assert "Everyone who joined has answered." in waiting(at)

    at.button(key="rm-reveal").click().run()  # the reveal, one-way: its button stays off after Next, Previous
    assert "answers shown" in page_text(at)
    at.button(key="rm-next").click().run()
    assert any("Question 2 of" in body for body in html_bodies(at))
    assert not at.button(key="rm-reveal").disabled
    at.button(key="rm-prev").click().run()
    assert at.button(key="rm-reveal").disabled
    live = app_store.live_state(session.id)
    assert live is not None and live.current_index == 0 and live.revealed


def test_with_no_class_chosen_the_remote_finds_the_open_teacher_paced_one(app_store: SqlStore,
                                                                         lesson: LoadedLesson) -> None:
    at = remote()
    assert "No teacher-paced class is open" in alerts(at)
    start_class(app_store, lesson, pacing="self")  # homework has nothing to drive
    session = start_class(app_store, lesson, pacing="teacher")
    at.run()
    assert f"Class {session.code}" in page_text(at)
    assert at.query_params["session"] == str(session.id)
    app_store.close_session(session.id)
    at.run()
    assert "This class is closed." in page_text(at)  # the one it drove, closed, and no other open
    newer = start_class(app_store, lesson, pacing="teacher")
    other = start_class(app_store, lesson, pacing="teacher")
    at.run()  # the remote left on the closed class offers the open ones
    assert f"Class {session.code} is closed." in alerts(at)
    assert set(at.selectbox(key="rm-choose").options) == {f"{newer.code} · {LESSON}", f"{other.code} · {LESSON}"}
    at.selectbox(key="rm-choose").set_value(newer.id).run()
    assert f"Class {newer.code}" in page_text(at) and at.query_params["session"] == str(newer.id)


@pytest.fixture
def statements() -> Iterator[list[str]]:
    found: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        found.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield found
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def test_the_names_are_one_query_read_again_only_when_the_count_moves(store: SqlStore, lesson: LoadedLesson,
                                                                      statements: list[str]) -> None:
    clear_all()
    session = start_class(store, lesson, pacing="teacher")
    people = [store.join(session.id, f"token-roll-{n:03d}", name) for n, name in enumerate(["Cy", "Ana", "Ben"])]
    question = lesson.lesson.questions[0].id
    store.set_position(session.id, 0, question)
    answer(store, lesson, session.id, people[2].id, question)
    statements.clear()
    first = roll_call(store, session.id, 2, question)
    assert (first.answered, first.joined, first.waiting, first.done) == (1, 3, ("Ana", "Cy"), ("Ben",))
    assert len(statements) == 2  # the count, then the names in one statement (not one per student)
    statements.clear()
    assert roll_call(store, session.id, 2, question) == first
    assert len(statements) == 1  # nothing changed: the count alone
    answer(store, lesson, session.id, people[0].id, question)
    after = roll_call(store, session.id, 2, question)
    assert (after.waiting, after.done) == (("Ana",), ("Ben", "Cy"))
    lobby = roll_call(store, session.id, 2, None)
    assert (lobby.answered, lobby.joined, lobby.waiting) == (0, 3, ("Ana", "Ben", "Cy"))


def test_a_removed_student_is_not_waited_for(store: SqlStore, lesson: LoadedLesson) -> None:
    """The teacher removed Ana (sessions/seats.py): the remote stops listing her under "Not answered yet", and the
    count is out of the students still in the class."""
    clear_all()
    session = start_class(store, lesson, pacing="teacher")
    ana, ben = (store.join(session.id, f"token-gone-{n}", name) for n, name in enumerate(["Ana", "Ben"]))
    question = lesson.lesson.questions[0].id
    store.set_position(session.id, 0, question)
    answer(store, lesson, session.id, ben.id, question)
    assert roll_call(store, session.id, 2, question).waiting == ("Ana",)
    assert store.remove_participant(session.id, ana.id)
    live = store.live_state(session.id)
    assert live is not None
    after = roll_call(store, session.id, live.version, question)
    assert (after.answered, after.joined, after.waiting, after.done) == (1, 1, (), ("Ben",))
