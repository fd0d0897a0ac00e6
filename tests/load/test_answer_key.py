"""The answer-key guarantee on the wire: a class of simulated students over Streamlit's own protocol, every
ForwardMsg frame each receives searched for the current question's key before they submit it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from answer_key import MARKERS, AnswerKey, KeyWatch
from classroom import Plan
from harness import app_env, class_run, clean_env, load_lesson, stored_answers

from bench.server import Server
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.paths import PROJECT_ROOT

STUDENTS = 3


@pytest.fixture(scope="module")
def lesson() -> LoadedLesson:
    return load_lesson()


def test_the_key_holds_every_question(lesson: LoadedLesson) -> None:
    key = AnswerKey.of(lesson)
    assert set(key.order) == {q.id for q in lesson.lesson.questions}
    assert all(key.secrets[q] for q in key.order), key.secrets  # every question has something to keep back


def test_the_watch_catches_a_key_sent_too_early(lesson: LoadedLesson) -> None:
    """A check that could never fail would prove nothing: feed it what the feedback page sends."""
    key = AnswerKey.of(lesson)
    first = key.order[0]
    explanation = lesson.question(first).explanation
    assert explanation
    watch = KeyWatch(key)
    watch.on_screen(first, form=True)
    watch(b"\x0a\x10" + explanation.encode("utf-8") + b"\x12")
    watch.check()
    assert watch.leaks and watch.leaks[0].startswith(f"{first}:")
    watch = KeyWatch(key)
    watch.on_screen(first, form=True)
    watch(MARKERS[0])
    watch.check()
    assert watch.leaks, "a right-answer marker while the form is up must count as a leak"
    watch = KeyWatch(key)
    watch.submitted(first)
    watch(explanation.encode("utf-8"))
    watch.check()
    assert not watch.leaks, "after Submit the feedback may show the key"


def test_a_class_over_the_protocol_never_sees_a_key_before_answering(lesson: LoadedLesson, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'class.db'}"
    server = Server(PROJECT_ROOT / "app.py", PROJECT_ROOT, env=app_env(database, tmp_path / "state"),
                    base_env=clean_env(), log_dir=tmp_path).start()
    try:
        server.wait_ready(60)
        plan = Plan([q.id for q in lesson.lesson.questions], think=(0.3, 1.0), reveal_pause=0.3, join_spread=0.5)
        stats, session_id = asyncio.run(class_run([server.port], database, STUDENTS, plan, AnswerKey.of(lesson)))
    finally:
        server.stop()
    assert not stats.errors, stats.errors
    assert stats.frames > 100
    assert not stats.leaks, stats.leaks
    questions = len(lesson.lesson.questions)
    assert stats.finished == STUDENTS
    assert stats.sent == stats.acknowledged == STUDENTS * questions
    stored, per_question = stored_answers(database, session_id)
    assert stored == set(stats.acked)
    assert [(q, shown) for q, shown, _ in stats.teacher_counts] == [(q, STUDENTS) for q in plan.questions]
    assert per_question == {q: STUDENTS for q in plan.questions}
