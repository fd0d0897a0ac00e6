"""A bound on wrong guesses: so many per guesser (a browser) and so many for the whole process, per time window.

Join codes are short enough to read off a projector, so guessing must be made slow on the server
(db/codes.py gives the arithmetic). A guesser who opens a new browser session for every try is still
held by the process-wide bound. Only wrong guesses count: a class of students typing the right code
never fills it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["GuessLimiter", "Refusal"]


@dataclass(frozen=True)
class Refusal:
    whole_process: bool  # False: this guesser's own bound
    wait_seconds: float


class GuessLimiter:
    """Sliding windows of wrong guesses, one per guesser and one for the process; safe across threads."""

    def __init__(self, *, per_guesser: int, guesser_window: float, per_process: int, process_window: float,
                 clock: Callable[[], float] = time.monotonic, max_guessers: int = 10_000) -> None:
        self.per_guesser, self.guesser_window = per_guesser, guesser_window
        self.per_process, self.process_window = per_process, process_window
        self._clock, self._max_guessers = clock, max_guessers
        self._lock = threading.Lock()
        self._process: deque[float] = deque()
        self._guessers: dict[str, deque[float]] = {}

    def refusal(self, guesser: str) -> Refusal | None:
        """Why this guesser may not try now, or None when they may."""
        now = self._clock()
        with self._lock:
            mine = self._guessers.get(guesser)
            if mine is not None:
                _expire(mine, now - self.guesser_window)
                if len(mine) >= self.per_guesser:
                    return Refusal(False, mine[0] + self.guesser_window - now)
            _expire(self._process, now - self.process_window)
            if len(self._process) >= self.per_process:
                return Refusal(True, self._process[0] + self.process_window - now)
        return None

    def wrong(self, guesser: str) -> None:
        now = self._clock()
        with self._lock:
            self._process.append(now)
            if guesser not in self._guessers and len(self._guessers) >= self._max_guessers:
                self._forget_idle(now)
            self._guessers.setdefault(guesser, deque()).append(now)

    def _forget_idle(self, now: float) -> None:
        """Keep memory bounded when many guessers come and go: drop those with nothing in their window,
        then, if that is not enough, the oldest (the process bound still holds them)."""
        for name, times in list(self._guessers.items()):
            _expire(times, now - self.guesser_window)
            if not times:
                del self._guessers[name]
        while len(self._guessers) >= self._max_guessers:
            del self._guessers[next(iter(self._guessers))]


def _expire(times: deque[float], before: float) -> None:
    while times and times[0] <= before:
        times.popleft()
