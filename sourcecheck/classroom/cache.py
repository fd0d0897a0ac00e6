"""A small bounded memo for the teacher's heavier reads, keyed by what would change them.

Why: Streamlit reruns a teacher's page on every click and the projector's fragment every second, but a class's
results (every answer, the tables, their CSVs) and a reveal's responses only change when an answer arrives, a
student joins or the teacher moves the class on. Each such read is keyed by the class's id, its state version
and its counts, which one cheap query gives, so a rerun when nothing changed costs only that query.

Process-local: the key comes from the database, so two processes each compute once and can never disagree.
Bounded, least recently used out: a teacher looking through old classes must not grow memory without end.
Thread-safe: every browser tab's script thread shares it. Two threads missing the same key at once may both
compute it (the value is the same); the lock is never held while computing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

__all__ = ["Memo", "clear_all"]

_V = TypeVar("_V")
_EVERY: list[Memo[Any]] = []


class Memo(Generic[_V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._held: OrderedDict[Hashable, _V] = OrderedDict()
        self._lock = threading.Lock()
        _EVERY.append(self)

    def get(self, key: Hashable, compute: Callable[[], _V]) -> _V:
        with self._lock:
            if key in self._held:
                self._held.move_to_end(key)
                return self._held[key]
        value = compute()
        with self._lock:
            self._held[key] = value
            self._held.move_to_end(key)
            while len(self._held) > self.size:
                self._held.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._held)

    def clear(self) -> None:
        with self._lock:
            self._held.clear()


def clear_all() -> None:
    """Forget every cached read (tests measure a cold page with it)."""
    for memo in _EVERY:
        memo.clear()
