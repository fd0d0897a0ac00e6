"""The soft timer per question: a teacher's pacing aid, never a rule.

Off unless the teacher picks seconds per question on the projector. The projector and the phones show the time
left; nothing is scored by time and nothing closes at zero: the teacher gives more (EXTEND_SECONDS) or goes on
when the class is ready. The store keeps when the question on screen runs out (`LiveState.timer_ends_at`), so
every process and every phone agrees; the count down itself runs in the browser (ui/timer_view.py).
"""

from __future__ import annotations

import math
from datetime import datetime

__all__ = ["CHOICES", "EXTEND_SECONDS", "OFF", "choice_label", "seconds_left"]

OFF = 0  # the choice that turns the timer off (stored as NULL)
CHOICES = (OFF, 30, 60, 90, 120)  # seconds per question the teacher picks from
EXTEND_SECONDS = 30  # what "+30 s" gives


def choice_label(seconds: int) -> str:
    return "No timer" if seconds == OFF else f"{seconds} s per question"


def seconds_left(ends_at: datetime | None, now: datetime) -> int | None:
    """Whole seconds until `ends_at` (rounded up, never below 0); None when no timer runs."""
    if ends_at is None:
        return None
    return max(0, math.ceil((ends_at - now).total_seconds()))
