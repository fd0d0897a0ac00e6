"""One simulated browser tab on asyncio: hundreds of them share one client process and one core.

It speaks the protocol of bench/protocol.py (the same `Reader`) over an asyncio websocket, times each
request from the moment the student acts to `script_finished`, and hands every raw ForwardMsg frame to
an optional watcher (the answer-key check reads them all). A dropped connection is reconnected the way
the browser does: a new websocket, then a rerun of the same URL (the student token is in it).

A page that mounts the push subscriber (sourcecheck/ui/live/live.js, `protocol.Live`) gets what the browser's
subscriber does: one events websocket per mounted element (`/_sc/events?t=...`, the route cookie and the
page's Origin sent as a browser sends them), kept across reruns while the element stays on the page; a frame
greater than the version the element drew makes a trigger due (`pending`), and at most one is in flight per
element (later rises coalesce). If the socket does not open within 5 s or closes, the element polls every
`poll_ms` (a trigger with the value 0, as live.js does) and the socket is retried after 1, 2, 4 ... 30 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from protocol import Live, Reader, Run, WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

__all__ = ["Dropped", "Events", "Tab"]

OPEN_TIMEOUT = 5.0  # live.js: no socket within 5 s, then poll
BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)


@dataclass
class Events:
    """One element's events websocket, as live.js keeps it: the versions heard, whether it is open."""

    live: Live
    heard: int = -1  # the greatest version a frame carried
    heard_at: float = 0.0  # when it arrived (monotonic)
    triggered: int = -1  # the version the last trigger carried (no second trigger for it)
    open: bool = False
    opened: int = 0  # how many times the socket opened (reconnections = opened - 1)
    closes: list[str] = field(default_factory=list)  # why it closed or failed to open
    next_poll: float = 0.0  # while the socket is down: when the fallback poll is due
    task: asyncio.Task[None] | None = None

    def due(self, now: float) -> int | None:
        """The version to trigger with now, if any (live.js `consider` and its poll timer): a frame above what the
        page drew and what was last sent; or, while the socket has not delivered a frame (or the page asks to
        poll: its last run could not read the database), every poll_ms the value 0."""
        if self.heard > max(self.live.drawn, self.triggered):
            return self.heard
        if (not self.open or self.live.poll) and now >= self.next_poll:
            return 0
        return None


class Dropped(ConnectionError):
    """The server closed the websocket or stopped answering in time."""


class Tab:
    def __init__(self, port: int, path: str = "", query: str = "", *, timeout: float = 60.0,
                 watch: Callable[[bytes], None] | None = None, cookie: str = "") -> None:
        self.port, self.timeout, self.watch = port, timeout, watch
        self.cookie = cookie  # behind nginx, the route cookie keeps the tab on one process
        self.reader = Reader(path, query)
        self.ws: ClientConnection | None = None
        self.lock = asyncio.Lock()  # one request at a time, as one tab's script thread runs one at a time
        self.last: Run | None = None  # the last whole-page run: what the student sees
        self.events: dict[str, Events] = {}  # element id -> its events socket (push pages)
        self.changed = asyncio.Event()  # a frame arrived (or a socket went down): look at `pending`

    @property
    def push(self) -> bool:
        """The page follows the class by push (it mounted a subscriber), not by a run_every timer."""
        return bool(self.reader.live)

    def pending(self) -> list[tuple[Events, int]]:
        now = time.monotonic()
        return [(e, v) for e in self.events.values() if (v := e.due(now)) is not None]

    async def wait_change(self, until: float) -> None:
        """Until a frame arrives, a fallback poll is due, or `until` (monotonic)."""
        down = [e.next_poll for e in self.events.values() if not e.open or e.live.poll]
        until = min([until, *down])
        self.changed.clear()
        if self.pending():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.changed.wait(), max(0.0, until - time.monotonic()))

    async def run_trigger(self, events: Events, version: int) -> tuple[Run, float]:
        """setTriggerValue("changed", version): the element's fragment reruns (or the whole page, if it calls
        st.rerun)."""
        if version:
            events.triggered = version
        else:
            events.next_poll = time.monotonic() + events.live.poll_ms / 1000
        run, seconds = await self._request(self.reader.trigger_msg(events.live, version))
        if run.whole_page:
            self.last = run
        return run, seconds

    def _sync_events(self) -> None:
        """Open a socket for each subscriber the page now shows, close those of elements it no longer shows; an
        element redrawn with a new `drawn` keeps its socket (live.js reuses it)."""
        for key, live in self.reader.live.items():
            known = self.events.get(key)
            if known is not None and known.live.url == live.url:
                known.live = live
                continue
            if known is not None and known.task is not None:
                known.task.cancel()
            events = Events(live, next_poll=time.monotonic() + live.poll_ms / 1000)  # polls until a frame comes
            events.task = asyncio.get_running_loop().create_task(self._listen(events))
            self.events[key] = events
        for key in [k for k in self.events if k not in self.reader.live]:
            task = self.events.pop(key).task
            if task is not None:
                task.cancel()

    async def _listen(self, events: Events) -> None:
        url = events.live.url
        if url.startswith("/"):
            url = f"ws://127.0.0.1:{self.port}{url}"
        headers = {"Origin": f"http://127.0.0.1:{self.port}"} | ({"Cookie": f"sc_route={self.cookie}"}
                                                                   if self.cookie else {})
        attempt = 0
        while True:
            try:
                async with connect(url, open_timeout=OPEN_TIMEOUT, additional_headers=headers, proxy=None,
                                   compression=None, max_size=64, ping_interval=None) as ws:
                    events.opened += 1
                    frames = aiter(ws)
                    first = await asyncio.wait_for(anext(frames), OPEN_TIMEOUT)  # live.js: a frame within 5 s
                    events.open, attempt = True, 0  # the socket works: polling stops
                    self._heard(events, first)
                    async for frame in frames:
                        self._heard(events, frame)
                    events.closes.append(f"closed {ws.close_code}")
            except asyncio.CancelledError:
                raise
            except (ConnectionClosed, OSError, TimeoutError, InvalidStatus, ValueError, StopAsyncIteration) as e:
                code = getattr(getattr(e, "rcvd", None), "code", None)
                events.closes.append(f"{type(e).__name__} {code or ''}".strip())
            events.open = False
            events.next_poll = time.monotonic() + events.live.poll_ms / 1000
            self.changed.set()
            await asyncio.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
            attempt += 1

    def _heard(self, events: Events, frame: str | bytes) -> None:
        version = int(frame)
        if version > events.heard:
            events.heard, events.heard_at = version, time.monotonic()
            self.changed.set()

    async def open(self) -> None:
        self.ws = await connect(f"ws://127.0.0.1:{self.port}/_stcore/stream",
                                subprotocols=[Subprotocol("streamlit")], max_size=None,
                                open_timeout=self.timeout, ping_interval=None, compression=None,
                                proxy=None,
                                additional_headers={"Cookie": f"sc_route={self.cookie}"} if self.cookie else None)

    async def rerun(self, widgets: list[WidgetState] | None = None) -> tuple[Run, float]:
        """A whole-page rerun (a click carries its widget states); returns the run and its seconds."""
        run, seconds = await self._request(self.reader.rerun_msg(widgets))
        self.last = run
        return run, seconds

    async def run_fragment(self, fragment_id: str) -> tuple[Run, float]:
        run, seconds = await self._request(self.reader.rerun_msg(fragment_id=fragment_id))
        if run.whole_page:  # the fragment called st.rerun(scope="app"): the student sees a new page
            self.last = run
        return run, seconds

    async def _request(self, payload: bytes) -> tuple[Run, float]:
        started = time.perf_counter()
        async with self.lock:
            if self.ws is None:
                raise Dropped("not connected")
            try:
                await self.ws.send(payload)
                self.reader.start()
                while True:
                    data = await asyncio.wait_for(self.ws.recv(), self.timeout)
                    raw = data if isinstance(data, bytes) else data.encode()
                    if self.watch is not None:
                        self.watch(raw)
                    run = self.reader.feed(raw)
                    if run is not None:
                        if self.reader.live or self.events:
                            self._sync_events()
                        return run, time.perf_counter() - started
            except (ConnectionClosed, OSError, TimeoutError) as e:
                self.ws = None
                raise Dropped(f"{type(e).__name__}: {e}") from e

    async def close(self) -> None:
        for events in self.events.values():
            if events.task is not None:
                events.task.cancel()
        self.events.clear()
        if self.ws is not None:
            ws, self.ws = self.ws, None
            try:
                await ws.close()
            except (ConnectionClosed, OSError):
                pass
