"""How many answers one browser session may store: a bound on what an anonymous visitor can write.

A lesson has at most about 20 questions and a retry goes over the missed ones again, so a student answers at
most a few dozen questions in a sitting, and no faster than they can read a question. A script on one websocket
could otherwise submit without end, and every answer is a row (with, at the first answer, a participant and an
attempt row; with Next, a move). The budget is kept in the server-side Streamlit session (one per tab, its id
chosen by the server), never keyed on the `s=` token in the URL, which a client changes for free.

An answer refused here is not lost: the form keeps what the student entered, and Submit works again once the
minute has passed. The clock is passed in, so tests move it instead of sleeping.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

__all__ = ["ANSWERS_PER_DAY", "ANSWERS_PER_MINUTE", "SEATS_PER_TAB", "SeatBudget", "WriteBudget"]

ANSWERS_PER_MINUTE = 30  # one answer every 2 s for a whole minute: faster than anyone reads a question
ANSWERS_PER_DAY = 1000  # every lesson of the library (15 x at most 20 questions) answered three times over
_MINUTE = 60.0
_DAY = 86_400.0


@dataclass
class WriteBudget:
    """Answers stored by one session in the last minute and the last 24 hours (monotonic seconds)."""

    per_minute: int = ANSWERS_PER_MINUTE
    per_day: int = ANSWERS_PER_DAY
    _minute: deque[float] = field(default_factory=deque)
    _day: deque[float] = field(default_factory=deque)
    _refused: tuple[float, str] | None = None

    def take(self, now: float) -> bool:
        """Count one answer about to be stored; False, and nothing counted, when the session is over a limit."""
        for times, span in ((self._minute, _MINUTE), (self._day, _DAY)):
            while times and times[0] <= now - span:
                times.popleft()
        if len(self._day) >= self.per_day:
            self._refused = (now, f"Slow down: this tab has sent {self.per_day:,} answers today, far more than any "
                                  "lesson needs, so it stores no more. Your answer is still here; close the tab "
                                  "and come back tomorrow.")
            return False
        if len(self._minute) >= self.per_minute:
            wait = max(1, round(self._minute[0] + _MINUTE - now))
            self._refused = (now, f"Slow down: {self.per_minute} answers in a minute is more than anyone can read. "
                                  f"Your answer is still here: submit it again in {wait} s.")
            return False
        self._minute.append(now)
        self._day.append(now)
        self._refused = None
        return True

    def refusal(self, now: float) -> str | None:
        """What to tell the student after a refused answer, for a minute after it (then the page is clean)."""
        if self._refused is None or now - self._refused[0] > _MINUTE:
            return None
        return self._refused[1]


SEATS_PER_TAB = 3  # a student, a sibling on the same tablet, one mistyped name: never a class's worth


@dataclass
class SeatBudget:
    """The seats one browser session has made in classes: a class code shared on the board lets anyone join, and
    without this one tab, changing the URL's `s=` token each time, could fill a class with made-up students up to
    its cap and lock the real ones out. Kept in the server-side session like WriteBudget; a student who already
    has a seat in the class gets back in whatever it says (sessions/classes.join_class)."""

    limit: int = SEATS_PER_TAB
    made: set[int] = field(default_factory=set)  # participant ids this session created

    def full(self) -> bool:
        return len(self.made) >= self.limit

