"""Ids read from a URL: what a teacher page accepts in `?session=`, in one place.

`str.isdigit()` is True for "²" and "٣", which int() refuses or reads as another number, and a 5,000-digit
value overflows the database's integer; anything that is not a plain positive id is no choice at all, and
the page shows its normal "choose a class" state.
"""

from __future__ import annotations

import re

__all__ = ["MAX_ID", "session_id_param"]

# class_sessions.id is an Integer column: 32 bits on PostgreSQL, where a larger value in the query is an
# "integer out of range" error, not an empty result (SQLite would take 64 bits, but ids are the same on both).
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only; 10 digits, then the range check


def session_id_param(raw: object) -> int | None:
    """The class id in `raw` (a query parameter's string), or None for anything else."""
    if not isinstance(raw, str) or _DIGITS.fullmatch(raw) is None:  # fullmatch: no sign, space or newline
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None
