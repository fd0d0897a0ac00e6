"""The event route, `route_path(EVENTS)?t=<token>`: a websocket that tells a class's pages its version moved.

ui/web.py adds it to the app's routes; this module is the handler and its limits (Starlette, as web.py). Why a
websocket and not Server-Sent Events: a browser opens at most 6 HTTP/1.1 connections per host, so a teacher with
six tabs on EventSource would hang; websockets have their own, much larger limit, and nginx passes upgrades.

What it carries: text frames of decimal digits and nothing else, the topic's current version right after the
accept, then each later one (sessions/changes.py coalesces: a slow client gets the latest). No question, no
answer, no name. The client sends nothing; whatever it sends is ignored, and a frame over 64 bytes closes it.

Who gets in: a token this server signed (sessions/event_tokens.py) and, when the browser sends an Origin header,
the same origin as the Host it asked for (as Streamlit checks its own websocket). Anything else: close 1008.
Limits, counted in this process: at most SOURCECHECK_STREAMS_PER_ADDRESS (1000) open streams per client address
(an IPv6 /64 is one address, as for join guesses), SOURCECHECK_STREAMS_MAX (3000) in all; over them: close 1013.
The address is the one uvicorn gives (scope["client"]), which it takes from X-Forwarded-For only from
FORWARDED_ALLOW_IPS (loopback by default: nginx on this machine). A refused stream never locks anyone out: the
page then polls, as every page did before push (docs/security.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from functools import cache
from urllib.parse import urlparse

from starlette.websockets import WebSocket, WebSocketDisconnect

from sourcecheck.db.first_read import first_version
from sourcecheck.sessions.changes import HUB, Topic
from sourcecheck.sessions.event_tokens import read_token
from sourcecheck.sessions.guesses import address_key
from sourcecheck.sessions.store import StoreUnavailable

__all__ = ["EVENTS", "MAX_ENV", "PER_ADDRESS_ENV", "Streams", "events", "streams"]

EVENTS = "/_sc/events"
PER_ADDRESS_ENV = "SOURCECHECK_STREAMS_PER_ADDRESS"
MAX_ENV = "SOURCECHECK_STREAMS_MAX"
PER_ADDRESS = 1000  # a school behind one NAT address: 400 students on a process (docs/deploy.md), each with tabs
MOST = 3000
LONGEST_FRAME = 64
BAD = 1008  # policy violation: no such stream
BUSY = 1013  # try again later: the page polls meanwhile
_LOG = logging.getLogger(__name__)


def _limit(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        _LOG.warning("%s is %r, not a whole number of at least 1: using %d.", name, raw, default)
        return default
    return value


class Streams:
    """Open streams in this process, per address and in all (thread-safe: the counts are tiny critical sections)."""

    def __init__(self, per_address: int, most: int) -> None:
        self.per_address, self.most = per_address, most
        self._lock = threading.Lock()
        self._by_address: dict[str, int] = {}
        self.open = 0

    def take(self, address: str) -> bool:
        key = address_key(address)
        with self._lock:
            held = self._by_address.get(key, 0)
            if held >= self.per_address or self.open >= self.most:
                return False
            self._by_address[key] = held + 1
            self.open += 1
            return True

    def give_back(self, address: str) -> None:
        key = address_key(address)
        with self._lock:
            held = self._by_address.get(key, 0) - 1
            if held > 0:
                self._by_address[key] = held
            else:
                self._by_address.pop(key, None)
            self.open -= 1


@cache
def streams() -> Streams:
    """This process's counts, with the limits read once from the environment."""
    return Streams(_limit(PER_ADDRESS_ENV, PER_ADDRESS), _limit(MAX_ENV, MOST))


def _same_origin(websocket: WebSocket) -> bool:
    """No Origin header (not a browser): allowed, the token is the key. One sent must name the Host asked for."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    return urlparse(origin).netloc.lower() == websocket.headers.get("host", "").lower()


def _address(websocket: WebSocket) -> str:
    client = websocket.scope.get("client")
    return str(client[0]) if client else "unknown"


async def _known(topic: Topic) -> bool:
    """Make sure the HUB has a number for the topic: a state topic's is read once from the database (in a thread:
    the loop never waits on it, nor on opening the store). False when the class is not there or the database does
    not answer: one try, no toast, no retry (db/first_read.py), one log line per outage."""
    if HUB.current(topic) is not None:
        return True
    if topic.kind == "room":
        HUB.bump_room(topic.session_id)
        return True
    try:
        version = await asyncio.to_thread(_first_read, topic.session_id)
    except StoreUnavailable as e:
        _READS.failed(topic.session_id, str(e))
        return False
    _READS.answered()
    if version is None:
        return False
    HUB.publish(topic, version)
    return True


def _first_read(session_id: int) -> int | None:
    from sourcecheck.ui.state import store_if_open  # the process's one store; imported late: it imports streamlit

    store = store_if_open()
    if store is None:
        raise StoreUnavailable("the database cannot be opened (check DATABASE_URL; the pages say why)")
    return first_version(store, session_id)


class _Reads:
    """The route's first reads while the database is away: one log line per outage, not one per stream."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.failing = False

    def failed(self, session_id: int, cause: str) -> None:
        with self._lock:
            first, self.failing = not self.failing, True
        if first:
            _LOG.warning("Event streams cannot read their class's version (class %d): %s. They are closed with 1013; "
                         "the pages poll meanwhile and open their streams again by themselves.", session_id, cause)

    def answered(self) -> None:
        with self._lock:
            self.failing = False


_READS = _Reads()


async def _send(websocket: WebSocket, topic: Topic) -> None:
    async with contextlib.aclosing(HUB.watch(topic)) as versions:
        async for version in versions:
            await websocket.send_text(str(version))


async def _drain(websocket: WebSocket) -> None:
    """Read and drop what the client sends, until it goes away or sends a frame too long to be an accident."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        data = message.get("text") or message.get("bytes") or b""
        if len(data) > LONGEST_FRAME:
            await websocket.close(BAD)
            return


async def events(websocket: WebSocket) -> None:
    """One stream. Accepted first, then closed with a code, so a page learns why (a refused handshake is a bare
    HTTP 403 the page could not tell from a proxy's)."""
    topic = read_token(websocket.query_params.get("t", ""))
    await websocket.accept()
    if topic is None or not _same_origin(websocket):
        await websocket.close(BAD)
        return
    address = _address(websocket)
    counts = streams()
    if not counts.take(address):
        await websocket.close(BUSY)
        return
    try:
        if not await _known(topic):
            await websocket.close(BUSY)
            return
        await _serve(websocket, topic)
    finally:
        counts.give_back(address)


async def _serve(websocket: WebSocket, topic: Topic) -> None:
    """Send the numbers and drain the client until either ends. Both tasks end with it, also when this one is
    cancelled (the server shutting down): none is left watching the hub or writing to a closed socket."""
    tasks = {asyncio.create_task(_send(websocket, topic)), asyncio.create_task(_drain(websocket))}
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                task.result()
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError, OSError):
                await task
