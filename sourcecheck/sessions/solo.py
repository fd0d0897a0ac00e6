"""When a lesson's answer key may be shown: never while a class on that lesson is open, outside its reveal.

A student in a live class could otherwise open the same lesson in solo practice (or take a second seat in a
self-paced class under another name) and read "A right answer: ..." before the teacher reveals it. A fresh
browser token cannot be told apart from a stranger's, so the rule is about the lesson, not the student: while
any class on lesson L is open on this server, solo practice of L is paused for everyone, and a class shows
its feedback only at its own reveal (teacher-paced) or when it is closed (self-paced, and every class's
summary). The teacher's workshop preview works on a draft in memory and is not affected.

The check runs on every rerun of the catalog and of a solo lesson, so each process keeps the answer for
`TTL` seconds for all its sessions (as ui/class_state.live_state does for the live row): a class that opens
or closes is seen within that time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Protocol

__all__ = ["PAUSED", "TTL", "LiveLessons", "LIVE_LESSONS", "paused_lessons", "solo_paused"]

PAUSED = ("A class is using this lesson now, so you cannot practise it on your own. It opens again when that "
          "class ends")
TTL = 1.5  # seconds


class _Asks(Protocol):
    def lesson_has_open_class(self, lesson_id: str) -> bool: ...


class LiveLessons:
    """Which lessons have an open class, each answer held for `ttl` seconds by this process (thread-safe)."""

    def __init__(self, ttl: float = TTL, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self._clock = ttl, clock
        self._held: dict[tuple[int, str], tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def in_class(self, store: _Asks, lesson_id: str) -> bool:
        key = (id(store), lesson_id)  # tests and `preview` may use more than one database in a process
        now = self._clock()
        with self._lock:
            held = self._held.get(key)
        if held is not None and now - held[0] < self.ttl:
            return held[1]
        value = store.lesson_has_open_class(lesson_id)
        with self._lock:
            self._held[key] = (now, value)
            if len(self._held) > 10_000:  # lesson ids come from the library, but stay bounded anyway
                self._held.clear()
        return value

    def among(self, store: _Asks, lesson_ids: Iterable[str]) -> frozenset[str]:
        """Those of `lesson_ids` with an open class: one clock read and one lock for the answers held (the
        catalog asks for every lesson on every rerun), a query only for an answer older than `ttl`."""
        now = self._clock()
        with self._lock:
            held = {lesson_id: self._held.get((id(store), lesson_id)) for lesson_id in lesson_ids}
        return frozenset(lesson_id for lesson_id, answer in held.items()
                         if (answer[1] if answer is not None and now - answer[0] < self.ttl
                             else self.in_class(store, lesson_id)))

    def forget(self) -> None:
        """Drop every held answer (tests; a class started or closed in this process can call it too)."""
        with self._lock:
            self._held.clear()


LIVE_LESSONS = LiveLessons()


def paused_lessons(store: _Asks, lesson_ids: Iterable[str]) -> frozenset[str]:
    """Those of `lesson_ids` that solo_paused would say are paused, asked all at once."""
    return LIVE_LESSONS.among(store, lesson_ids)


def solo_paused(store: _Asks, lesson_id: str) -> bool:
    """True while a class on this lesson is open: solo practice of it shows no question and no key."""
    return LIVE_LESSONS.in_class(store, lesson_id)
