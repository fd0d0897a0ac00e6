"""The event route behind deploy/nginx.conf, as a browser reaches it: with an Origin header naming the address the
browser asked for (nginx's own, on any port). nginx must pass the Host the browser sent, port included, or the
route's same-origin check refuses every browser's stream (1008) and every page silently falls back to polling:
the push design off for a whole school without anyone being told. A stream from another site is still refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import app_server
from teacher_helpers import PASSCODE
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from deploy.cluster import NGINX, Nginx
from sourcecheck.db import open_store
from sourcecheck.sessions.event_tokens import Topic, topic_token

SECRET = "event-route-nginx-secret"
WAIT = 15.0


@pytest.fixture(autouse=True)
def same_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCECHECK_TEACHER_SECRET", SECRET)


@pytest.fixture(scope="module")
def behind_nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Nginx, int]]:
    """One app process on SQLite behind nginx with deploy/nginx.conf, and a class's id."""
    if not NGINX.exists():
        message = f"{NGINX} is missing: `make test` installs Debian's nginx"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder: Path = tmp_path_factory.mktemp("events-nginx")
    database = f"sqlite:///{folder / 'events.db'}"
    server = app_server(database, folder, PASSCODE)
    server.env["SOURCECHECK_TEACHER_SECRET"] = SECRET
    server.start().wait_ready(60)
    nginx: Nginx | None = None
    try:
        store = open_store(database)
        digest = store.save_lesson_version("lesson", "id: lesson\n")
        session_id = store.create_session("lesson", digest, pacing="teacher").id
        store.engine.dispose()
        nginx = Nginx([server.port]).start()
        yield nginx, session_id
    finally:
        if nginx is not None:
            nginx.stop()
        server.stop()


def first_frame_or_close(port: int, session_id: int, origin: str) -> str | int | None:
    """What a stream opened through nginx with this Origin gets first: a frame (str), or the close code (int)."""
    token = topic_token(Topic("state", session_id))
    try:
        with connect(f"ws://127.0.0.1:{port}/_sc/events?t={token}", additional_headers={"Origin": origin},
                     open_timeout=WAIT) as ws:
            frame = ws.recv(timeout=WAIT)
            return frame if isinstance(frame, str) else repr(frame)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


def test_a_browser_behind_nginx_on_its_own_port_gets_its_numbers(behind_nginx: tuple[Nginx, int]) -> None:
    nginx, session_id = behind_nginx
    got = first_frame_or_close(nginx.port, session_id, f"http://127.0.0.1:{nginx.port}")
    assert isinstance(got, str) and got.isdigit(), f"the page's own origin was refused behind nginx: {got!r}"


def test_another_site_is_still_refused_behind_nginx(behind_nginx: tuple[Nginx, int]) -> None:
    nginx, session_id = behind_nginx
    assert first_frame_or_close(nginx.port, session_id, "http://evil.example") == 1008
    assert first_frame_or_close(nginx.port, session_id, f"http://127.0.0.1:{nginx.port + 1}") == 1008
