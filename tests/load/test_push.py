"""Push, not poll (issue 21), on the wire: a class of 5 simulated students on SQLite whose pages follow the
teacher through the events websocket (bench/load/client.py does what ui/live/live.js does), not a timer."""

from __future__ import annotations

import asyncio
from pathlib import Path

from classroom import Plan
from harness import app_env, class_run, clean_env, load_lesson, stored_answers

from bench.server import Server
from sourcecheck.lessons.paths import PROJECT_ROOT

STUDENTS = 5
REVEAL_WITHIN = 3.0  # seconds from the teacher's Reveal to the last phone; a 1 s poll on this machine is ~1-2 s


def test_every_student_sees_the_reveal_pushed(tmp_path: Path) -> None:
    lesson = load_lesson()
    database = f"sqlite:///{tmp_path / 'class.db'}"
    server = Server(PROJECT_ROOT / "app.py", PROJECT_ROOT, env=app_env(database, tmp_path / "state", "push"),
                    base_env=clean_env(), log_dir=tmp_path).start()
    try:
        server.wait_ready(60)
        plan = Plan([q.id for q in lesson.lesson.questions][:7], think=(0.3, 1.0), reveal_pause=0.3,
                    join_spread=0.5)
        stats, session_id = asyncio.run(class_run([server.port], database, STUDENTS, plan))
    finally:
        server.stop()
    assert not stats.errors, stats.errors
    # every page subscribed and its socket stayed open: the pages followed by push, never by the fallback poll
    assert stats.events_opened >= STUDENTS, stats.events_opened
    assert not stats.events_closed, stats.events_closed[:5]
    assert "poll" not in stats.latencies and "poll, page changed" not in stats.latencies
    # every teacher click reached every student's page, and each Reveal within the bound
    assert stats.unseen() == 0
    changed = stats.changed()
    questions = len(plan.questions)
    assert len(changed["reveal"]) == STUDENTS * questions
    assert max(changed["reveal"]) < REVEAL_WITHIN, sorted(changed["reveal"])[-5:]
    assert stats.finished == STUDENTS
    stored, _ = stored_answers(database, session_id)
    assert stored == set(stats.acked) and stats.acknowledged == STUDENTS * questions
