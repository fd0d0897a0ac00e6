"""One simulated browser tab on asyncio: hundreds of them share one client process and one core.

It speaks the protocol of bench/protocol.py (the same `Reader`) over an asyncio websocket, times each
request from the moment the student acts to `script_finished`, and hands every raw ForwardMsg frame to
an optional watcher (the answer-key check reads them all). A dropped connection is reconnected the way
the browser does: a new websocket, then a rerun of the same URL (the student token is in it).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from protocol import Reader, Run, WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

__all__ = ["Dropped", "Tab"]


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
                        return run, time.perf_counter() - started
            except (ConnectionClosed, OSError, TimeoutError) as e:
                self.ws = None
                raise Dropped(f"{type(e).__name__}: {e}") from e

    async def close(self) -> None:
        if self.ws is not None:
            ws, self.ws = self.ws, None
            try:
                await ws.close()
            except (ConnectionClosed, OSError):
                pass
