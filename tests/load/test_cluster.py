"""Two app processes behind nginx on one PostgreSQL (deploy/cluster.py, as `make cluster N=2` runs it): a class
spread over both shows the same live question and the same counts, and every answer is stored."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

import pytest
from classroom import Plan
from harness import PASSCODE, class_run, load_lesson, stored_answers
from pg_server import start_postgres

from deploy.cluster import NGINX, Cluster

STUDENTS = 6


def test_a_class_spread_over_two_processes_agrees_on_everything() -> None:
    if not NGINX.exists():
        message = f"{NGINX} is missing: `make test` installs Debian's nginx"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    pg = start_postgres()
    state = Path(tempfile.mkdtemp(prefix="sourcecheck-cluster-state-"))
    cluster = Cluster(2, pg.create_database("cluster_test"),
                      env={"SOURCECHECK_TEACHER_PASSCODE": PASSCODE, "SOURCECHECK_STATE": str(state)})
    try:
        cluster.start()
        lesson = load_lesson()
        plan = Plan([q.id for q in lesson.lesson.questions], think=(0.3, 1.0), reveal_pause=0.3, join_spread=0.5)
        assert cluster.database is not None
        assert cluster.nginx is not None
        routes = cluster.nginx.spread_routes(STUDENTS)  # half on each process, whatever the join code hashes to
        stats, session_id = asyncio.run(class_run([cluster.port], cluster.database, STUDENTS, plan, routes=routes))
        stored, per_question = stored_answers(cluster.database, session_id)
        served_by = cluster.nginx.upstreams()  # nginx's access log: no response header names the process
    finally:
        cluster.stop()
        pg.stop()
    assert not stats.errors, stats.errors
    # the pages followed by push through nginx: each opened its events socket and none was refused (a Host
    # without its port, nginx's $host, made the route close every browser's socket with 1008: it polled)
    assert stats.events_opened >= STUDENTS and not stats.events_closed, stats.events_closed[:3]
    served = {served_by.get(route, "") for route in stats.routes} - {""}
    assert served == {f"127.0.0.1:{s.port}" for s in cluster.servers}, "the students were not spread over both"
    assert stats.finished == STUDENTS  # each saw every question and the summary, whichever process it was on
    assert stats.sent == stats.acknowledged == STUDENTS * len(plan.questions)
    assert stored == set(stats.acked)
    # the projector, on one process, counted the answers given on both
    assert [(q, shown) for q, shown, _ in stats.teacher_counts] == [(q, STUDENTS) for q in plan.questions]
    assert per_question == {q: STUDENTS for q in plan.questions}
