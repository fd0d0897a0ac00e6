"""Faults in the middle of a teacher-paced class of simulated students: the server SIGKILLed and restarted, and
PostgreSQL stopped for a few seconds. Nothing acknowledged is lost, nothing is stored twice, the students
resume where they were (same token, same question), and the class runs to the end."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

from classroom import ClassStats, Plan
from harness import app_env, class_run, clean_env, load_lesson, stored_answers
from pg_server import start_postgres

from bench.server import Server
from sourcecheck.db import open_store
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.ui.db_notice import WAITING

STUDENTS = 4


def _plan() -> Plan:
    lesson = load_lesson()
    return Plan([q.id for q in lesson.lesson.questions], think=(0.5, 1.5), reveal_pause=0.5, join_spread=0.5,
                reconnect=60.0, timeout=40.0)


def _server(database: str, tmp_path: Path) -> Server:
    return Server(PROJECT_ROOT / "app.py", PROJECT_ROOT, env=app_env(database, tmp_path / "state"),
                  base_env=clean_env(), log_dir=tmp_path)


async def _when(condition: object, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("the class never got there")
        await asyncio.sleep(0.05)


def _rows(database: str, session_id: int) -> list[tuple[int, str, int]]:
    store = open_store(database)
    try:
        rows = store.session_answers(session_id)
    finally:
        store.engine.dispose()
    return [(r.answer.participant_id, r.answer.question_id, r.answer.attempt) for r in rows]


def _check(stats: ClassStats, database: str, session_id: int, questions: int) -> None:
    assert not stats.errors, stats.errors
    stored, _ = stored_answers(database, session_id)
    assert set(stats.acked) <= stored, "an answer the page confirmed is not in the database"
    rows = _rows(database, session_id)
    assert len(rows) == len(set(rows)), "an answer was stored twice"
    assert stats.finished == STUDENTS, "the class did not run to the end for everyone"
    assert len(stored) == STUDENTS * questions  # every student answered every question, once


def test_server_killed_mid_class_loses_nothing_and_students_resume(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'class.db'}"
    server = _server(database, tmp_path).start()
    server.wait_ready(60)
    plan = _plan()
    acked_before_kill: list[tuple[str, str]] = []

    async def kill(stats: ClassStats) -> None:
        await _when(lambda: stats.acknowledged >= STUDENTS + 2)  # the second question, half answered
        assert server.proc is not None
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
        acked_before_kill.extend(stats.acked)
        await _when(lambda: stats.reconnects >= STUDENTS)  # the server stays down until every tab has seen it go
        await asyncio.to_thread(lambda: server.start().wait_ready(60))

    try:
        stats, session_id = asyncio.run(class_run([server.port], database, STUDENTS, plan, chaos=kill))
    finally:
        server.stop()
    assert len(acked_before_kill) >= STUDENTS + 2
    stored, _ = stored_answers(database, session_id)
    assert set(acked_before_kill) <= stored
    assert stats.reconnects >= STUDENTS
    # each tab lands on the question the class is on: the one it showed, or the next if the teacher moved on
    # while its screen still showed the last one's answers
    assert stats.resumed and all(before is not None and after is not None and after >= before
                                 for _, before, after in stats.resumed), stats.resumed
    _check(stats, database, session_id, len(plan.questions))


def test_postgres_stopped_mid_class_students_see_reconnecting_and_nothing_is_lost(tmp_path: Path) -> None:
    pg = start_postgres()
    database = pg.create_database("outage")
    server = _server(database, tmp_path).start()
    plan = _plan()

    async def outage(stats: ClassStats) -> None:
        await _when(lambda: stats.acknowledged >= STUDENTS + 1)
        await asyncio.to_thread(pg.pause)
        await asyncio.sleep(4.0)
        await asyncio.to_thread(pg.start)

    try:
        server.wait_ready(60)
        stats, session_id = asyncio.run(class_run([server.port], database, STUDENTS, plan, chaos=outage))
        assert WAITING in stats.toasts, "no student was told the page is reconnecting"
        _check(stats, database, session_id, len(plan.questions))
    finally:
        server.stop()
        pg.stop()
