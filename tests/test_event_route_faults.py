"""The event route's handler (ui/event_route.py) driven in-process through ASGI messages, for what a real server
makes hard to see: a database away while a stream opens (close 1013 at once, one clear log line however many
streams, no toast or Streamlit warning from outside a script run, and the stream opens again once the database is
back), the handler cancelled (a server shutting down) or its client gone in the middle of a send (nothing left
watching the hub, the stream's place given back)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator, MutableMapping
from typing import Any

import pytest
import streamlit
from pg_server import start_postgres
from starlette.websockets import WebSocket

import sourcecheck.db.listen as listen_module
import sourcecheck.ui.event_route as route
import sourcecheck.ui.state as state
from sourcecheck.sessions.changes import Changes, Topic
from sourcecheck.sessions.event_tokens import topic_token

WAIT = 5.0  # less than the store's 10 s of retries: a stream that waited on them fails the test


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCECHECK_TEACHER_SECRET", "event-route-faults")


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Changes:
    fresh = Changes()
    monkeypatch.setattr(route, "HUB", fresh)
    return fresh


class Client:
    """One websocket client as the ASGI app sees it: what it was sent, and a queue of what it says."""

    def __init__(self, topic: Topic, *, slow: asyncio.Event | None = None) -> None:
        self.sent: list[dict[str, Any]] = []
        self.said: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.said.put_nowait({"type": "websocket.connect"})
        self.news = asyncio.Event()
        self.slow = slow  # set: each text frame waits for it (a client that does not read)
        scope = {"type": "websocket", "path": route.EVENTS, "root_path": "", "scheme": "ws",
                 "query_string": f"t={topic_token(topic)}".encode(), "headers": [(b"host", b"testserver")],
                 "client": ("10.20.30.40", 5555), "server": ("testserver", 80), "subprotocols": []}
        self.websocket = WebSocket(scope, self._receive, self._send)

    async def _receive(self) -> dict[str, Any]:
        return await self.said.get()

    async def _send(self, message: MutableMapping[str, Any]) -> None:
        self.sent.append(dict(message))
        self.news.set()
        if self.slow is not None and message["type"] == "websocket.send":
            await self.slow.wait()

    async def until(self, count: int) -> list[dict[str, Any]]:
        async def wait() -> None:
            while len(self.sent) < count:
                self.news.clear()
                await self.news.wait()

        await asyncio.wait_for(wait(), WAIT)
        return self.sent

    def closed_with(self) -> int | None:
        return next((m.get("code") for m in self.sent if m["type"] == "websocket.close"), None)


async def _open(topic: Topic) -> Client:
    """A stream that the server answers by closing it."""
    client = Client(topic)
    await asyncio.wait_for(route.events(client.websocket), WAIT)
    return client


@pytest.fixture
def toasts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every st.toast called (the page store's retry hook): from a stream there must be none."""
    shown: list[object] = []
    monkeypatch.setattr(streamlit, "toast", lambda *a, **k: shown.append(a))
    return shown


@pytest.fixture
def own_postgres(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str]]:
    """A PostgreSQL server of this test's own (it is stopped), the process's page store opened on it."""
    server = start_postgres()
    url = server.create_database("route_faults")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(state, "_STORES", {})
    try:
        yield server, url
    finally:
        for reader in listen_module.listeners():
            if isinstance(reader, listen_module.Listener) and "route_faults" in reader.conninfo:
                reader.stop()
                reader.join(listen_module.JOIN_AT_EXIT)
        for store in state._STORES.values():
            store.engine.dispose()  # type: ignore[attr-defined]
        server.stop()


def test_a_database_away_while_a_stream_opens(own_postgres: tuple[Any, str], hub: Changes, toasts: list[object],
                                              caplog: pytest.LogCaptureFixture) -> None:
    server, _ = own_postgres
    store = state.store_if_open()
    assert store is not None
    digest = store.save_lesson_version("lesson", "id: lesson\n")
    sid = store.create_session("lesson", digest, pacing="teacher").id
    server.pause()  # the database stops; the page store stays open
    with caplog.at_level(logging.WARNING):
        first = asyncio.run(_open(Topic("state", sid)))
        second = asyncio.run(_open(Topic("state", sid)))
    assert first.closed_with() == second.closed_with() == 1013  # the page polls, and tries again later
    assert [m["type"] for m in first.sent] == ["websocket.accept", "websocket.close"]  # no number at all
    lines = [r.getMessage() for r in caplog.records if r.name == route.__name__]
    assert len(lines) == 1, lines  # one line for the outage, not one per stream
    assert "cannot read their class's version" in lines[0] and "refused or dropped" in lines[0]
    assert "1013" in lines[0]
    assert toasts == []
    assert not [r for r in caplog.records if "ScriptRunContext" in r.getMessage()]
    server.start()

    async def reopened() -> list[dict[str, Any]]:
        client = Client(Topic("state", sid))
        handler = asyncio.ensure_future(route.events(client.websocket))
        sent = await client.until(2)
        client.said.put_nowait({"type": "websocket.disconnect", "code": 1000})
        await asyncio.wait_for(handler, WAIT)
        return sent

    sent = asyncio.run(reopened())
    assert sent[1] == {"type": "websocket.send", "text": "1"}  # back: the class's version, read afresh


def test_a_class_that_is_not_there_is_closed_1013(hub: Changes, toasts: list[object], tmp_path: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    monkeypatch.setattr(state, "_STORES", {})
    client = asyncio.run(_open(Topic("state", 424242)))
    assert client.closed_with() == 1013 and toasts == []


def test_a_cancelled_handler_leaves_nothing_behind(hub: Changes) -> None:
    """The server shutting down cancels each stream's handler: its sender and reader end with it."""
    topic = Topic("state", 11)
    hub.publish(topic, 4)
    counts = route.streams()

    async def run() -> tuple[int, int]:
        before = counts.open
        client = Client(topic)
        handler = asyncio.ensure_future(route.events(client.websocket))
        assert (await client.until(2))[1] == {"type": "websocket.send", "text": "4"}
        assert hub.watchers() == 1
        handler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await handler
        await asyncio.sleep(0)  # one loop turn: anything left running would still be registered
        return hub.watchers(), counts.open - before

    assert asyncio.run(run()) == (0, 0)


def test_a_client_gone_in_the_middle_of_a_send(hub: Changes) -> None:
    """A client that stops reading (its send never completes), then goes away: the send is cancelled, the watcher
    forgotten, the place given back."""
    topic = Topic("room", 12)
    counts = route.streams()

    async def run() -> tuple[int, int, int]:
        before = counts.open
        client = Client(topic, slow=asyncio.Event())
        handler = asyncio.ensure_future(route.events(client.websocket))
        await client.until(2)  # the accept, and the first number, whose send hangs
        hub.bump_room(12)
        hub.bump_room(12)
        during = hub.watchers()
        client.said.put_nowait({"type": "websocket.disconnect", "code": 1001})
        await asyncio.wait_for(handler, WAIT)
        return during, hub.watchers(), counts.open - before

    assert asyncio.run(run()) == (1, 0, 0)
