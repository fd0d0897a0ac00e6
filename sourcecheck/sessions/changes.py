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

The hub forgets: a topic nobody watches that has not risen for FORGET_SECONDS (an hour) is dropped (a class
closed or deleted long ago, or one idle with no page open), checked at most once a minute on a publish. Nothing is
lost by it: a stream opened later reads a state topic's number from the database again (ui/event_route.py), and a
room starts again from the clock, above any number a page drew. A watcher whose event loop has closed is dropped
at the first publish that finds the loop closed.

Pure Python on purpose (no streamlit, starlette or sqlalchemy): both sides import it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncGenerator, Callable
from typing import Literal, NamedTuple

__all__ = ["FORGET_SECONDS", "HUB", "Changes", "Kind", "Topic"]

FORGET_SECONDS = 3600.0
SWEEP_SECONDS = 60.0  # how often, at most, a publish looks for topics to forget
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

    def __init__(self, *, forget_seconds: float = FORGET_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._values: dict[Topic, int] = {}
        self._watchers: dict[Topic, set[_Watcher]] = {}
        self._touched: dict[Topic, float] = {}  # clock() of each topic's last rise, or its last watcher leaving
        self._room_floor = 0  # the largest room number handed out: a forgotten room comes back above it
        self.forget_seconds = forget_seconds
        self._clock = clock
        self._next_sweep = clock() + min(SWEEP_SECONDS, forget_seconds)

    def publish(self, topic: Topic, version: int) -> bool:
        """Record `version` if it is larger than the topic's; wake its watchers if so (and say so: True).
        Callable from any thread."""
        with self._lock:
            now = self._clock()
            self._sweep(now)
            if version <= self._values.get(topic, -1):
                return False  # the catch-up's every-30-s read of an unchanged class keeps nothing alive
            self._values[topic] = version
            self._touched[topic] = now
            waiting = list(self._watchers.get(topic, ()))
        self._wake(waiting)
        return True

    def bump_room(self, session_id: int) -> int:
        """Something in the class's room changed: its room number rises (at least to the clock in ms)."""
        topic = Topic("room", session_id)
        with self._lock:
            now = self._clock()
            self._touched[topic] = now
            self._sweep(now)
            value = self._room_floor = max(self._values.get(topic, 0) + 1, _clock_ms(), self._room_floor + 1)
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

    def topics(self) -> int:
        """How many topics the hub holds a number for (tests: it forgets)."""
        with self._lock:
            return len(self._values)

    def forget(self) -> int:
        """Drop every topic nobody watches that nothing has touched for `forget_seconds` now; how many went."""
        with self._lock:
            self._next_sweep = -float("inf")
            return self._sweep(self._clock())

    def _sweep(self, now: float) -> int:
        """(Holding the lock.) At most every SWEEP_SECONDS: forget the topics idle for forget_seconds."""
        if now < self._next_sweep:
            return 0
        self._next_sweep = now + min(SWEEP_SECONDS, self.forget_seconds)
        stale = [t for t, at in self._touched.items() if now - at >= self.forget_seconds and t not in self._watchers]
        for topic in stale:
            del self._touched[topic]
            self._values.pop(topic, None)
        return len(stale)

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
                self._touched[topic] = self._clock()  # a page just left: it may come back within the hour

    def _wake(self, waiting: list[_Watcher]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[_Watcher]] = {}
        for watcher in waiting:
            by_loop.setdefault(watcher.loop, []).append(watcher)
        for loop, watchers in by_loop.items():
            try:
                loop.call_soon_threadsafe(_wake, watchers)
            except RuntimeError:  # that loop is closed: its watchers can never run again, so they are dropped
                self._drop(watchers)

    def _drop(self, gone: list[_Watcher]) -> None:
        with self._lock:
            for topic in list(self._watchers):
                left = self._watchers[topic].difference(gone)
                if left:
                    self._watchers[topic] = left
                else:
                    del self._watchers[topic]


HUB = Changes()
