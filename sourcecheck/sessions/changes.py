"""The process's news of class changes: a version number per topic, which pages follow over the event route.

Why a hub: a page that polls costs a rerun a second whether or not anything happened; a page that is told costs
nothing until something does. The database layer publishes here after a commit (SQLite: the same process; on
PostgreSQL the listener thread of db/listen.py, from NOTIFY), from whatever thread committed; the event route
(ui/event_route.py) watches a topic on the server's asyncio loop and sends each new number to the browser.

A topic's value only rises (`publish` keeps the largest), and a watcher is told the current value, then each rise
it has not been told: a watcher that falls behind gets the latest number, never a backlog, so a slow client costs
one pending wake-up however much happens. Watchers are woken on their own event loop with
`loop.call_soon_threadsafe`, one call per loop and publish, whatever the number of watchers.

"room" topics (who joined, answers stored) are a per-process counter: any rise means "look again". A counter
starts from the clock in milliseconds, so a page drawn against an earlier process (a restart) still sees the new
process's first number as a rise.

Pure Python on purpose (no streamlit, starlette or sqlalchemy): both sides import it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncGenerator
from typing import Literal, NamedTuple

__all__ = ["HUB", "Changes", "Kind", "Topic"]

Kind = Literal["state", "room"]


class Topic(NamedTuple):
    """What a page follows: a class's "state" (its state version) or its "room" (anything its teacher sees)."""

    kind: Kind
    session_id: int


class _Watcher:
    """One follower: an asyncio.Event on the loop it waits on (set only from that loop)."""

    __slots__ = ("event", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.event = asyncio.Event()


def _wake(watchers: list[_Watcher]) -> None:
    for watcher in watchers:
        watcher.event.set()


def _clock_ms() -> int:
    return time.time_ns() // 1_000_000


class Changes:
    """Topic -> latest version, and who waits on each topic. Thread-safe; `watch` runs on an asyncio loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[Topic, int] = {}
        self._watchers: dict[Topic, set[_Watcher]] = {}

    def publish(self, topic: Topic, version: int) -> None:
        """Record `version` if it is larger than the topic's; wake its watchers if so. Callable from any thread."""
        with self._lock:
            if version <= self._values.get(topic, -1):
                return
            self._values[topic] = version
            waiting = list(self._watchers.get(topic, ()))
        self._wake(waiting)

    def bump_room(self, session_id: int) -> int:
        """Something in the class's room changed: its room number rises (at least to the clock in ms)."""
        topic = Topic("room", session_id)
        with self._lock:
            value = max(self._values.get(topic, 0) + 1, _clock_ms())
            self._values[topic] = value
            waiting = list(self._watchers.get(topic, ()))
        self._wake(waiting)
        return value

    def current(self, topic: Topic) -> int | None:
        with self._lock:
            return self._values.get(topic)

    def known(self, kind: Kind) -> list[int]:
        """The classes with a number of this kind (the PostgreSQL listener's catch-up reads them again)."""
        with self._lock:
            return [t.session_id for t in self._values if t.kind == kind]

    def watchers(self) -> int:
        """How many watch any topic now (the event route's limits and the load harness read it)."""
        with self._lock:
            return sum(len(w) for w in self._watchers.values())

    async def watch(self, topic: Topic) -> AsyncGenerator[int, None]:
        """The topic's current value (once it has one), then each rise, on the caller's loop. Coalescing: after
        a wake-up the watcher reads the value then, so it skips the numbers it was too slow to see. Leaving the
        loop (break, the task cancelled, `aclose`) forgets the watcher."""
        watcher = _Watcher(asyncio.get_running_loop())
        with self._lock:
            self._watchers.setdefault(topic, set()).add(watcher)
        last = -1
        try:
            while True:
                watcher.event.clear()  # before the read: a publish after it sets the event again
                value = self.current(topic)
                if value is not None and value > last:
                    last = value
                    yield value
                    continue  # read again before waiting: a rise during the yield is not lost
                await watcher.event.wait()
        finally:
            with self._lock:
                found = self._watchers.get(topic)
                if found is not None:
                    found.discard(watcher)
                    if not found:
                        del self._watchers[topic]

    @staticmethod
    def _wake(waiting: list[_Watcher]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[_Watcher]] = {}
        for watcher in waiting:
            by_loop.setdefault(watcher.loop, []).append(watcher)
        for loop, watchers in by_loop.items():
            try:
                loop.call_soon_threadsafe(_wake, watchers)
            except RuntimeError:  # that loop is closed: its watchers are gone with it
                pass


HUB = Changes()
