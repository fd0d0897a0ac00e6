"""The event route (ui/event_route.py) through a real `streamlit run app.py` server and a real websocket client:
numbers only, before and after a reveal and an answer; a bad token gets 1008 and nothing; one address gets at
most SOURCECHECK_STREAMS_PER_ADDRESS streams (1013 past it) while another address still gets in; a stream
reopened after moves starts at the current version; on PostgreSQL a move committed by another process reaches the
stream, also after the database was away for 15 s (and one made while the listener was away is caught up)."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from browser_support import app_server
from pg_server import start_postgres
from teacher_helpers import PASSCODE
from websockets.asyncio.client import connect as connect_async
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from bench.server import Server
from deploy.postgres import PostgresServer
from sourcecheck.db import SqlStore, open_store
from sourcecheck.sessions.event_tokens import Topic, topic_token
from sourcecheck.sessions.store import AnswerRow
from sourcecheck.ui.event_route import PER_ADDRESS_ENV

SECRET = "event-route-test-secret"
WAIT = 15.0  # seconds a frame may take on a busy machine before it counts as never sent
DIGITS = re.compile(r"[0-9]+")
HASH = "0" * 64


@pytest.fixture(autouse=True)
def same_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tokens this test makes are signed as the server's are: the same installation secret."""
    monkeypatch.setenv("SOURCECHECK_TEACHER_SECRET", SECRET)


PER_ADDRESS = 120  # the servers' limit per address (the default, 1000, is read in tests/test_event_limits.py)


def serve(database: str, folder: Path, **env: str) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    server = app_server(database, folder, PASSCODE)
    server.env.update({"SOURCECHECK_TEACHER_SECRET": SECRET, **env})
    return server.start().wait_ready(60)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A server and its database, one per kind for the module."""
    folder = tmp_path_factory.mktemp(f"events-{request.param}")
    if request.param == "sqlite":
        database = f"sqlite:///{folder / 'events.db'}"
    else:
        postgres: PostgresServer = request.getfixturevalue("postgres")
        database = postgres.create_database(f"events_{os.getpid()}")
    server = serve(database, folder, **{PER_ADDRESS_ENV: str(PER_ADDRESS)})
    yield server, database
    server.stop()


@pytest.fixture(scope="module")
def db(site: tuple[Server, str]) -> Iterator[SqlStore]:
    """The same database, opened in this test process: another process, as a second app server would be."""
    store = open_store(site[1])
    yield store
    store.engine.dispose()


def a_class(store: SqlStore) -> int:
    digest = store.save_lesson_version("lesson", "id: lesson\n")
    return store.create_session("lesson", digest, pacing="teacher").id


def answer(participant: int) -> AnswerRow:
    return AnswerRow(participant_id=participant, lesson_id="lesson", lesson_hash=HASH, attempt=1, question_id="q1",
                     response=0, earned=1.0, possible=1, verdict="correct", confidence=75, time_taken_ms=900,
                     submitted_at=datetime.now(UTC))


def version(store: SqlStore, session_id: int) -> int:
    live = store.live_state(session_id)
    assert live is not None
    return live.version


def stream_url(server: Server, token: str) -> str:
    return f"ws://127.0.0.1:{server.port}/_sc/events?t={token}"


def open_stream(server: Server, topic: Topic, **headers: str) -> ClientConnection:
    return connect(stream_url(server, topic_token(topic)), additional_headers=headers, open_timeout=WAIT)


def frames_until(ws: ClientConnection, done: Callable[[int], bool]) -> list[str]:
    """Every frame, as sent, up to the first whose number satisfies `done` (a wait for it, at most WAIT s)."""
    seen: list[str] = []
    deadline = time.monotonic() + WAIT
    while True:
        frame = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
        assert isinstance(frame, str), f"a binary frame: {frame!r}"
        seen.append(frame)
        if DIGITS.fullmatch(frame) and done(int(frame)):
            return seen


def closed_with(ws: ClientConnection) -> tuple[int | None, list[str | bytes]]:
    """Read until the server closes: its close code and whatever frames came first."""
    frames: list[str | bytes] = []
    try:
        while True:
            frames.append(ws.recv(timeout=WAIT))
    except ConnectionClosed as closed:
        return (closed.rcvd.code if closed.rcvd else None), frames


def test_a_stream_carries_numbers_only(site: tuple[Server, str], db: SqlStore) -> None:
    """(a) For a student's state stream and the room's: the first frame is the current number, and every frame
    before and after a reveal and an answer is digits and nothing else (no question, answer or name)."""
    server, database = site
    sid = a_class(db)
    ana = db.join(sid, "token-ana-aaaaaaaaaaaaaaaa", "Ana Secretname")
    with open_stream(server, Topic("state", sid)) as state, open_stream(server, Topic("room", sid)) as room:
        seen = frames_until(state, lambda v: v == version(db, sid))
        seen += frames_until(room, lambda v: v > 0)
        if database.startswith("postgresql"):  # another process's commits reach this server only on PostgreSQL
            room_before = int(seen[-1])
            db.set_position(sid, 0, "q1")
            db.record_answer(answer(ana.id))
            db.reveal(sid)
            seen += frames_until(state, lambda v: v == version(db, sid))
            seen += frames_until(room, lambda v: v > room_before)
    assert seen and all(DIGITS.fullmatch(frame) for frame in seen), seen


@pytest.mark.parametrize("token", ["", "state.1", "state.1.AAAAAAAAAAAAAAAAAAAAAA", "x" * 5000])
def test_a_bad_token_gets_1008_and_nothing(site: tuple[Server, str], db: SqlStore, token: str) -> None:
    """(b) A made-up, forged or overlong token: closed with 1008 before a single frame."""
    a_class(db)
    with connect(stream_url(site[0], token), open_timeout=WAIT) as ws:
        assert closed_with(ws) == (1008, [])


def test_a_forged_token_for_a_real_class_gets_nothing(site: tuple[Server, str], db: SqlStore) -> None:
    sid = a_class(db)
    real = topic_token(Topic("state", sid))
    forged = real[:-2] + ("AA" if not real.endswith("AA") else "BB")
    with connect(stream_url(site[0], forged), open_timeout=WAIT) as ws:
        assert closed_with(ws) == (1008, [])


def test_another_site_s_page_gets_1008(site: tuple[Server, str], db: SqlStore) -> None:
    sid = a_class(db)
    with open_stream(site[0], Topic("state", sid), Origin="https://elsewhere.example") as ws:
        assert closed_with(ws) == (1008, [])
    with open_stream(site[0], Topic("state", sid), Origin=f"http://127.0.0.1:{site[0].port}") as ws:
        assert DIGITS.fullmatch(str(ws.recv(timeout=WAIT)))  # the app's own page: let in


def test_a_long_frame_from_the_client_closes_the_stream(site: tuple[Server, str], db: SqlStore) -> None:
    sid = a_class(db)
    with open_stream(site[0], Topic("state", sid)) as ws:
        ws.recv(timeout=WAIT)
        ws.send("ping")  # short: ignored
        ws.send("x" * 65)
        assert closed_with(ws)[0] == 1008


def test_one_address_gets_at_most_the_limit_and_another_still_gets_in(site: tuple[Server, str],
                                                                      db: SqlStore) -> None:
    """(c) The 301st stream from one address is closed with 1013 (its page polls instead); a stream from another
    address (X-Forwarded-For, which the server takes from a proxy on loopback) still opens. Closing streams gives
    their places back."""
    server, _ = site
    sid = a_class(db)
    url = stream_url(server, topic_token(Topic("state", sid)))

    async def run() -> tuple[list[str], int | None, str]:
        held = []
        try:
            for _ in range(PER_ADDRESS):  # one after the other: each is counted before the next is let in
                ws = await connect_async(url, open_timeout=WAIT)
                held.append(ws)
            firsts = [str(await asyncio.wait_for(ws.recv(), WAIT)) for ws in held]
            async with connect_async(url, open_timeout=WAIT) as over:
                try:
                    await asyncio.wait_for(over.recv(), WAIT)
                    code = None
                except ConnectionClosed as closed:
                    code = closed.rcvd.code if closed.rcvd else None
            async with connect_async(url, open_timeout=WAIT,
                                     additional_headers={"X-Forwarded-For": "203.0.113.9"}) as other:
                elsewhere = str(await asyncio.wait_for(other.recv(), WAIT))
        finally:
            await asyncio.gather(*(ws.close() for ws in held))
        return firsts, code, elsewhere

    firsts, code, elsewhere = asyncio.run(run())
    assert len(firsts) == PER_ADDRESS and all(DIGITS.fullmatch(f) for f in firsts)
    assert code == 1013
    assert DIGITS.fullmatch(elsewhere)
    with open_stream(server, Topic("state", sid)) as again:  # the places came back when the streams closed
        assert DIGITS.fullmatch(str(again.recv(timeout=WAIT)))


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)  # this process's moves reach a server only so
def test_a_reopened_stream_starts_at_the_current_version(site: tuple[Server, str], db: SqlStore) -> None:
    """(d) A page whose stream dropped opens it again: the first frame is the class's version now, so it catches
    up with the moves it missed at once. (On SQLite the browser tests make the moves in the server itself.)"""
    server, _ = site
    sid = a_class(db)
    with open_stream(server, Topic("state", sid)) as ws:
        first = int(frames_until(ws, lambda v: True)[0])
    db.set_position(sid, 0, "q1")
    db.set_position(sid, 1, "q2")
    assert version(db, sid) == first + 2
    with open_stream(server, Topic("state", sid)) as ws:
        deadline = time.monotonic() + WAIT
        while True:  # the server may not have heard of the moves yet: then it says the old number, then the new
            frame = int(str(ws.recv(timeout=WAIT)))
            if frame == first + 2 or time.monotonic() > deadline:
                break
        assert frame == first + 2


def test_a_move_through_one_process_reaches_a_stream_on_another_also_after_an_outage(
        tmp_path: Path) -> None:
    """(e) Two app servers on one PostgreSQL: a move made through one reaches a stream held by the other. Then the
    database is away for 15 s: the stream stays open, a move made just after the database is back (its listener
    may still be away) and one made later both reach it."""
    postgres = start_postgres()  # its own: the shared server must stay up for the other tests
    try:
        database = postgres.create_database("events_cross")
        one = serve(database, tmp_path / "one")
        two = serve(database, tmp_path / "two")
        try:
            _cross_process(postgres, database, one, two)
        finally:
            one.stop()
            two.stop()
    finally:
        postgres.stop()


def _cross_process(postgres: PostgresServer, database: str, one: Server, two: Server) -> None:
    db = open_store(database)
    try:
        sid = a_class(db)
        with open_stream(two, Topic("state", sid)) as ws:
            first = int(frames_until(ws, lambda v: True)[0])
            # A move through server one: open its stream too (its store, and its listener, start with it) and
            # commit through this process, a third one: both servers hear it.
            with open_stream(one, Topic("state", sid)) as other:
                frames_until(other, lambda v: v == first)
                db.set_position(sid, 0, "q1")
                frames_until(other, lambda v: v == first + 1)
            frames_until(ws, lambda v: v == first + 1)
            postgres.pause()
            time.sleep(15)  # the outage itself: the database is away for 15 s, as the issue asks
            postgres.start()
            db.set_position(sid, 1, "q2")  # likely before the listener is back: its catch-up must bring it
            frames_until(ws, lambda v: v == first + 2)
            db.reveal(sid)
            frames_until(ws, lambda v: v == first + 3)
        assert "change notices are back" in Path(str(two.log)).read_text()
    finally:
        db.engine.dispose()
