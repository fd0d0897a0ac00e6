"""Issue 16: the projector's end of the lesson (classroom/lesson_end.py) against a hand computation, the soft timer
in the store on SQLite and PostgreSQL, and the projector page in AppTest: no link to the results, a closed class
ends with its figures, a deleted one says so and shows nothing of it."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import html_bodies, page_text

from sourcecheck.classroom.cache import clear_all
from sourcecheck.classroom.lesson_end import Band, Missed, SkillShare, _bands, lesson_end, summarise
from sourcecheck.db import SqlStore, open_store
from sourcecheck.grading.scoring import Verdict
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.classes import move, start_class
from sourcecheck.sessions.store import AnswerRow, SessionAnswerRow
from sourcecheck.sessions.timer import seconds_left
from sourcecheck.ui import teacher_nav

LESSON = "raqqa-who-says"  # 7 questions: 6 worth a point each, then a written one worth none


@pytest.fixture
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def row(student: int, question: str, earned: float, verdict: Verdict, attempt: int = 1) -> SessionAnswerRow:
    return SessionAnswerRow(AnswerRow(participant_id=student, lesson_id=LESSON, lesson_hash="h", attempt=attempt,
                                      question_id=question, response=None, earned=earned,
                                      possible=0 if verdict == "unscored" else 1, verdict=verdict), f"S{student}")


def test_the_end_of_lesson_figures_match_a_hand_computation(lesson: LoadedLesson) -> None:
    q = [question.id for question in lesson.lesson.questions]
    rows = [
        # student 1: 1 + 1 + 0.5 + 1 + 0 + 1 (+ the written answer, worth nothing) = 4.5, which rounds to 5
        row(1, q[0], 1, "correct"), row(1, q[1], 1, "correct"), row(1, q[2], 0.5, "partial"),
        row(1, q[3], 1, "correct"), row(1, q[4], 0, "incorrect"), row(1, q[5], 1, "correct"),
        row(1, q[6], 0, "unscored"),
        # student 2: 0 + 1 + 0 + 0.4 + 0 = 1.4, which rounds to 1; the retry of question 1 does not count
        row(2, q[0], 0, "incorrect"), row(2, q[1], 1, "correct"), row(2, q[2], 0, "incorrect"),
        row(2, q[3], 0.4, "partial"), row(2, q[4], 0, "incorrect"), row(2, q[0], 1, "correct", attempt=2),
        # student 3: 1 + 0 = 1; an answer to a question the lesson no longer has does not count
        row(3, q[0], 1, "correct"), row(3, q[1], 0, "incorrect"), row(3, "gone", 5, "correct"),
    ]
    end = summarise(lesson, rows)
    assert end.students == 3 and end.possible == 6
    assert end.bands == tuple(Band(n, n, count) for n, count in enumerate([0, 2, 0, 0, 0, 1, 0]))
    # fully right / answered: q1 2/3, q2 2/3, q3 0/2, q4 1/2, q5 0/2, q6 1/1: q3 and q5 tie at 0, q3 comes first
    assert end.missed == Missed(3, lesson.lesson.questions[2].prompt, 0, 2)
    assert end.skills == (  # in the skill progression's order, by name; the written question counts in none
        SkillShare("claim-and-source", "Find the claim and who makes it", 2, 3),
        SkillShare("named-unnamed", "Named, unnamed and second-hand sources", 2, 5),  # q2 2/3 and q5 0/2
        SkillShare("what-is-cited", "What is actually cited", 0, 2),
        SkillShare("hedges", "Hedges and what they admit", 2, 3),  # q4 1/2 and q6 1/1
    )
    assert [s.share for s in end.skills] == [2 / 3, 0.4, 0.0, 2 / 3]


def test_nobody_answered_and_a_long_lesson_s_bands(lesson: LoadedLesson) -> None:
    end = summarise(lesson, [])
    assert (end.students, end.missed, end.skills) == (0, None, ())
    assert [b.students for b in end.bands] == [0] * 7
    assert _bands(12) == [(n, n) for n in range(13)]  # up to 12 points: a bar per point
    assert _bands(20) == [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11), (12, 13), (14, 15), (16, 17),
                          (18, 19), (20, 20)]
    assert Band(2, 3, 0).label == "2–3" and Band(4, 4, 0).label == "4"


def test_a_removed_student_is_not_one_of_the_rooms_scores(store: SqlStore, lesson: LoadedLesson) -> None:
    """The teacher removed a duplicate seat ("Ana (2)") and kept its answers: the projector's end of lesson counts
    the students still in the class, as its lobby did."""
    clear_all()
    session = start_class(store, lesson, pacing="teacher")
    seats = [store.join(session.id, f"token-end-{n}", name) for n, name in enumerate(["Ana", "Ana (2)", "Ben"])]
    question = lesson.lesson.questions[0].id
    for seat in seats:
        store.record_answer(AnswerRow(participant_id=seat.id, lesson_id=lesson.id, lesson_hash=session.lesson_hash,
                                      attempt=1, question_id=question, response=0, earned=1.0, possible=1,
                                      verdict="correct", submitted_at=datetime.now(UTC)))
    live = store.live_state(session.id)
    assert live is not None and lesson_end(store, session, live.version, lesson).students == 3
    assert store.remove_participant(session.id, seats[1].id)
    live = store.live_state(session.id)
    assert live is not None and lesson_end(store, session, live.version, lesson).students == 2
    assert len(store.session_answers(session.id)) == 3  # kept for Results


def test_the_timer_in_the_store(store: SqlStore, lesson: LoadedLesson) -> None:
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    store.clock = lambda: now
    session = start_class(store, lesson, pacing="teacher", now=now)
    assert session.timer_seconds is None  # off by default
    assert store.set_timer(session.id, 60)
    live = store.live_state(session.id)
    assert live is not None and live.timer_ends_at is None  # the lobby has no question to time
    move(store, session.id, lesson, 0)
    live = store.live_state(session.id)
    assert live is not None and live.timer_ends_at == now + timedelta(seconds=60)
    assert seconds_left(live.timer_ends_at, now + timedelta(seconds=15.5)) == 45
    assert seconds_left(live.timer_ends_at, now + timedelta(seconds=75)) == 0  # nothing else happens at zero
    assert store.extend_timer(session.id, live.version, 30)
    assert not store.extend_timer(session.id, live.version, 30)  # a repeat of the same click adds nothing
    later = store.live_state(session.id)
    assert later is not None and later.timer_ends_at == now + timedelta(seconds=90)
    assert later.version == live.version + 1  # every phone redraws its count down once
    now += timedelta(seconds=200)  # run out: +30 s counts from now
    assert store.extend_timer(session.id, later.version, 30)
    live = store.live_state(session.id)
    assert live is not None and live.timer_ends_at == now + timedelta(seconds=30)
    move(store, session.id, lesson, 1)  # the next question starts its own time
    live = store.live_state(session.id)
    assert live is not None and live.timer_ends_at == now + timedelta(seconds=60)
    assert store.set_timer(session.id, None)
    row = store.session(session.id)
    live = store.live_state(session.id)
    assert row is not None and row.timer_seconds is None and live is not None and live.timer_ends_at is None
    assert not store.extend_timer(session.id, live.version, 30)  # no timer, nothing to extend


# -- the page, in AppTest ---------------------------------------------------------------------------------------

@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> SqlStore:
    use_passcode(monkeypatch, tmp_path)
    clear_all()
    return open_store(os.environ["DATABASE_URL"])


def test_the_projector_has_no_link_to_the_results(db: SqlStore, lesson: LoadedLesson) -> None:
    """Names and scores do not belong on the big screen."""
    session = start_class(db, lesson, pacing="teacher")
    move(db, session.id, lesson, 0)
    screen = signed_in(teacher_nav.PROJECTOR)
    screen.query_params["session"] = str(session.id)
    screen.run()
    assert not screen.exception
    assert screen.button(key="pj-next") is not None
    assert [link.label for link in screen.get("page_link")] == []


def test_a_closed_class_ends_and_a_deleted_one_says_so(db: SqlStore, lesson: LoadedLesson) -> None:
    """Defect 6: the projector of a closed class showed its live question; of a deleted class, asked to choose one."""
    session = start_class(db, lesson, pacing="teacher")
    move(db, session.id, lesson, 1)
    who = db.join(session.id, "token-ana-000000000001", "Ana")
    question = lesson.lesson.questions[1]
    db.record_answer(AnswerRow(participant_id=who.id, lesson_id=lesson.id, lesson_hash=session.lesson_hash, attempt=1,
                               question_id=question.id, response=True, earned=1, possible=1, verdict="correct"))
    screen = signed_in(teacher_nav.PROJECTOR)
    screen.query_params["session"] = str(session.id)
    screen.run()
    assert "Question 2 of" in page_text(screen) and any(question.prompt in body for body in html_bodies(screen))

    db.close_session(session.id)
    screen.run()
    assert not screen.exception
    text = page_text(screen)
    assert "This class has ended." in text and "Question 2 of" not in text  # the live question is gone
    assert "Total scores: 1 student" in text and "Most missed" in text and "Skills" in text
    assert "Named, unnamed and second-hand sources: <b>100%</b> fully right" in "".join(html_bodies(screen))
    assert "Ana" not in text  # never a name
    assert not [b for b in screen.button if b.key == "pj-next"]  # nothing to move in a closed class

    db.delete_session(session.id)
    screen.run()
    assert not screen.exception
    text = page_text(screen)
    assert "This class was deleted." in text
    assert session.code not in text and "Total scores" not in text and question.prompt not in text
