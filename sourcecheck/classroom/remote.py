"""What the teacher's remote shows of the question on screen: how many have answered, and who has not, by name.

The projector shows no names unless the teacher chose them (a class sees it); the remote is the teacher's own
device, so it always names who is still working. Its poll runs every second: one indexed query returning one row
(`Store.question_count`), and the names (`Store.roll_call`, one set-based statement) only when that count or the
class's state version changed; a rerun when nothing changed costs the count alone (see `cache`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcecheck.classroom.cache import Memo
from sourcecheck.sessions.store import Store

__all__ = ["RollCall", "roll_call"]


@dataclass(frozen=True)
class RollCall:
    answered: int  # first attempts at the question on screen
    joined: int
    waiting: tuple[str, ...]  # who has not answered yet, by name (sorted)
    done: tuple[str, ...]  # who has, by name (sorted)


_ROLLS: Memo[RollCall] = Memo(64)  # a question or two of a few classes


_NO_QUESTION = ""  # no question has this id: in the lobby everyone who joined is "waiting", and answered is 0


def roll_call(db: Store, session_id: int, version: int, question_id: str | None) -> RollCall:
    """The count (one row), then the names read once per class state version and count: answers are only ever
    added, one first attempt per student, and a join raises the joined count, so equal counts mean equal names.
    `question_id` None (the lobby): who has joined, all in `waiting`."""
    question_id = question_id or _NO_QUESTION
    count = db.question_count(session_id, question_id)
    key = (session_id, question_id, version, count.answered, count.joined)
    return _ROLLS.get(key, lambda: _read(db, session_id, question_id))


def _read(db: Store, session_id: int, question_id: str) -> RollCall:
    rows = db.roll_call(session_id, question_id)
    waiting = tuple(r.display_name or "" for r in rows if not r.answered)
    done = tuple(r.display_name or "" for r in rows if r.answered)
    return RollCall(len(done), len(rows), waiting, done)
