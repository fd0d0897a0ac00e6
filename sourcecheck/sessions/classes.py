"""A live class: starting it on a fixed lesson version, joining by code, and where the class is.

Everything two server processes must agree on (which question is on, who joined, every answer)
lives in the store; this module keeps nothing between calls except parsed lesson versions,
which are immutable (keyed by the hash of their text), so any process may cache them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.check_forms import load_form_bytes, split_form_id
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_lesson_bytes
from sourcecheck.lessons.problems import LessonProblems
from sourcecheck.sessions.budget import SeatBudget
from sourcecheck.sessions.guesses import Guesser, JoinLimits
from sourcecheck.sessions.identity import new_student_token
from sourcecheck.sessions.names import NameRejected, clean_display_name
from sourcecheck.sessions.seats import device_hash, normalise_seat_code, seat_code, seat_hash
from sourcecheck.sessions.store import ClassFull, ClassSessionRow, LiveState, Pacing, ParticipantRow, Store

__all__ = [
    "DEFAULT_MAX_STUDENTS", "JOIN_LIMITS", "LOBBY", "MOST_STUDENTS", "ClassLessonMissing", "JoinRefused", "Phase",
    "TooManyGuesses", "answerable", "class_lesson", "find_class", "join_class", "move", "phase", "question_at",
    "reclaim_seat", "seated", "set_max_students", "start_class", "welcome_back",
]

LOBBY = -1  # current_index before the teacher shows the first question
# How many may join one class: the schema's default, and the most a teacher can raise it to. The cap bounds
# the rows anyone who sees the code on the board can make; a student already in the class always gets back in.
DEFAULT_MAX_STUDENTS = 60
MOST_STUDENTS = 1000


class JoinRefused(ValueError):
    """A join that cannot happen; the message says what the student can do."""


class TooManyGuesses(JoinRefused):
    """Refused before the code was even looked up: too many wrong codes just now."""


class ClassLessonMissing(LookupError):
    """The stored lesson version is gone or no longer loads (a catalog document was removed)."""


@dataclass(frozen=True)
class Phase:
    kind: Literal["lobby", "question", "finished", "closed"]
    question_id: str | None = None
    number: int = 0  # 1-based position of the question
    total: int = 0
    revealed: bool = False


# A forgotten class closes by itself, so few codes are live for a guesser (docs/security.md): a teacher-paced
# class at the end of the day it started, a self-paced one after the days its teacher picked.
OPEN_DAYS = (1, 7, 14, 28)  # what the teacher picks from for a self-paced class
DEFAULT_OPEN_DAYS = 14


LIVE_LESSON_HOURS = 4  # a teacher-paced class started late in the evening runs on to the next midnight


def closing_time(pacing: Pacing, started: datetime, open_days: int = DEFAULT_OPEN_DAYS) -> datetime:
    """When a class started at `started` closes by itself: a teacher-paced one at the end of its day, the first
    midnight of the server's time zone at least LIVE_LESSON_HOURS after it started (a live lesson is over by
    then, and one begun at 23:30 is not cut short); a self-paced one `open_days` after it started."""
    if pacing == "teacher":
        local = (started + timedelta(hours=LIVE_LESSON_HOURS)).astimezone()
        midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo)
        return midnight.astimezone(UTC)
    return started.astimezone(UTC) + timedelta(days=open_days)


def start_class(store: Store, lesson: LoadedLesson, *, pacing: Pacing, show_names: bool = False,
                submission: str | None = None, open_days: int = DEFAULT_OPEN_DAYS, now: datetime | None = None,
                max_students: int | None = None) -> ClassSessionRow:
    """Store the lesson file's text as it is now: the class keeps running on it even if the teacher then
    edits or deletes the file. `submission`, a token the form makes once per "Start the class" submission,
    makes a repeat of it (a double click, a rerun) return the class it started instead of a second one; the
    form's values are part of the request key, so another lesson or pacing is another request. `max_students`
    (at most MOST_STUDENTS), when given, replaces the default cap of DEFAULT_MAX_STUDENTS."""
    text = Path(lesson.path).read_bytes().decode("utf-8")  # not read_text: that would rewrite line endings
    lesson_hash = store.save_lesson_version(lesson.id, text)
    request_key = None if submission is None else hashlib.sha256(
        f"{submission}:{lesson.id}:{pacing}:{show_names:d}:{open_days}:{max_students}".encode()).hexdigest()
    session = store.create_session(lesson.id, lesson_hash, pacing=pacing, show_names=show_names,
                                   request_key=request_key,
                                   closes_at=closing_time(pacing, now or datetime.now(UTC), open_days))
    if max_students is None or max_students == session.max_students:
        return session
    set_max_students(store, session.id, max_students)
    return replace(session, max_students=max_students)


def set_max_students(store: Store, session_id: int, limit: int) -> None:
    """The teacher's cap on a class, checked here so that the store only ever holds 1..MOST_STUDENTS."""
    if not 1 <= limit <= MOST_STUDENTS:
        raise ValueError(f"a class takes 1 to {MOST_STUDENTS} students, not {limit}")
    store.set_max_students(session_id, limit)


# Wrong join codes: limited per tab, slowed per address and for everyone, in the database (sessions/guesses.py).
JOIN_LIMITS = JoinLimits()

_NO_CLASS = ("There is no open class with that code. Check the code on the board; "
             "a class that has ended no longer takes new answers.")


def find_class(store: Store, code: str, guesser: Guesser, token: str | None = None,
               device: str | None = None) -> ClassSessionRow:
    """The open class with this code, for a join or a link.

    A student whose `token` (or whose browser, `device`) already holds a seat in the class gets it at once,
    whatever anyone has guessed: a reconnect, a reload (F5), a second tab or a reopened link must never be
    limited. Anyone else goes through JOIN_LIMITS, keyed
    on the server's session id and the client address (never on the URL's token, which the client picks):
    a tab with too many wrong codes is refused, an address or a server with many waits before the code is
    read, and every wrong code is recorded, shared by all processes."""
    found = store.session_by_code(code)
    if found is not None and token is not None and store.participant(found.id, token) is not None:
        return found
    if found is not None and device is not None and store.device_seat(code, device_hash(device)) is not None:
        return found
    verdict = JOIN_LIMITS.verdict(store, guesser)
    if verdict.refused_for > 0:
        minutes = max(1, round(verdict.refused_for / 60))
        raise TooManyGuesses(f"Too many wrong class codes from this browser: wait up to {minutes} minute"
                             f"{'s' if minutes != 1 else ''} and try again, with the code on the board.")
    session: list[ClassSessionRow] = []

    def look_up() -> bool:
        row = found if verdict.wait <= 0 else store.session_by_code(code)
        session.extend([row] if row is not None else [])
        return row is not None

    if not JOIN_LIMITS.wait_then(guesser, verdict.wait, look_up):
        JOIN_LIMITS.wrong(store, guesser)
        raise JoinRefused(_NO_CLASS)
    return session[0]


def join_class(store: Store, code: str, token: str, name: str, guesser: Guesser,
               seats: SeatBudget | None = None, device: str | None = None) -> tuple[ClassSessionRow, ParticipantRow]:
    """Join the open class with this code, or get back the seat this token has in it, or the seat this browser
    (`device`, its cookie) holds under this name. The participant's token is the one the tab goes on with: a
    found seat's own, or a new one when the tab's token belonged to a student the teacher removed. `seats`: the
    browser session's seat budget; a tab that has made its share of seats makes no more (a returning student is
    not counted: their seat is found, not made)."""
    session = find_class(store, code, guesser, token, device)
    try:
        clean = clean_display_name(name)
    except NameRejected as e:
        raise JoinRefused(str(e)) from e
    mine = store.participant(session.id, token)
    if mine is not None and mine.removed:  # removed from this class: a join now is a new student
        token, mine = new_student_token(), None
    if seats is not None and seats.full() and mine is None:
        raise JoinRefused(f"This browser tab has already joined {seats.limit} students. If you are one of them, "
                          "use the tab you joined in; otherwise ask your teacher.")
    try:
        participant = store.join(session.id, token, clean, device_hash=None if device is None else device_hash(device),
                                 seat_hash=seat_hash(session.id, seat_code(session.id, token)))
    except ClassFull as e:  # nothing was stored
        raise JoinRefused(f"This class is full ({e.limit} students). Ask your teacher to raise the limit.") from e
    except LookupError as e:  # deleted between the code check and the join
        raise JoinRefused(_NO_CLASS) from e
    if seats is not None:
        seats.made.add(participant.id)  # a set: the seat found again on a repeat counts once
    return session, participant


def welcome_back(store: Store, code: str, device: str | None) -> tuple[ClassSessionRow, ParticipantRow] | None:
    """The seat this browser holds in the open class with this code (a join link opened again, the QR code
    scanned again), or None. No guess is counted: finding nothing is the same one query as finding a seat, and a
    seat is found only by a browser that sat in the class."""
    seat = None if device is None else store.device_seat(code, device_hash(device))
    session = None if seat is None or seat.session_id is None else store.session(seat.session_id)
    return None if seat is None or session is None or session.status != "open" else (session, seat)


_WRONG_SEAT = ("That seat code does not match anyone in this class. Check it on the screen where you joined. "
               "Wrong seat codes count toward the limit on wrong codes from this network, like wrong class codes.")


def reclaim_seat(store: Store, code: str, typed_seat_code: str, guesser: Guesser,
                 device: str | None = None) -> tuple[ClassSessionRow, ParticipantRow]:
    """Back to one's seat from another device: the class code, then the seat code shown on the first device.
    Both go through JOIN_LIMITS, keyed on the tab and the network address as for class codes: a tab with too
    many wrong codes is refused, an address with many waits, and a wrong seat code is recorded as a wrong code.
    A right seat code is always taken, after the same wait as a wrong one (no shortcut in the timing), so a
    student who belongs to the class is slowed, never locked out (a new tab starts afresh). The seat moves to
    this browser's device, which finds it by itself from then on."""
    refused = TooManyGuesses(f"Too many wrong codes from this browser tab: wait up to "
                             f"{max(1, round(JOIN_LIMITS.session_window / 60))} minutes, or open a new tab, "
                             "and type the seat code again.")
    try:
        session = find_class(store, code, guesser)
    except TooManyGuesses as e:  # said for seat codes: a new tab is the way back to one's own seat
        raise refused from e
    verdict = JOIN_LIMITS.verdict(store, guesser)
    if verdict.refused_for > 0:
        raise refused
    typed = normalise_seat_code(typed_seat_code)
    found: list[ParticipantRow] = []

    def look_up() -> bool:
        row = store.reclaim_seat(session.id, seat_hash(session.id, typed),
                                 None if device is None else device_hash(device))
        found.extend([row] if row is not None else [])
        return row is not None

    if not JOIN_LIMITS.wait_then(guesser, verdict.wait, look_up):
        JOIN_LIMITS.wrong(store, guesser)
        raise JoinRefused(_WRONG_SEAT)
    return session, found[0]


def phase(live: LiveState, lesson: LoadedLesson) -> Phase:
    questions = lesson.lesson.questions
    if live.status == "closed":
        return Phase("closed", total=len(questions))
    if live.current_index < 0:
        return Phase("lobby", total=len(questions))
    if live.current_index >= len(questions):
        return Phase("finished", total=len(questions))
    question = questions[live.current_index]
    return Phase("question", question.id, live.current_index + 1, len(questions), live.revealed)


def question_at(lesson: LoadedLesson, index: int) -> str | None:
    """The id of the question at `index`; None in the lobby and past the last question."""
    questions = lesson.lesson.questions
    return questions[index].id if 0 <= index < len(questions) else None


def seated(store: Store, session_id: int, token: str) -> bool:
    """Whether the student with this token still holds a seat in the class (the teacher did not remove them)."""
    row = store.participant(session_id, token)
    return row is not None and not row.removed


def move(store: Store, session_id: int, lesson: LoadedLesson, index: int) -> bool:
    """Put the class on the question at `index` (LOBBY, or past the last: the end). A question revealed before stays
    revealed: the store records reveals by question id, which is why the move names it."""
    return store.set_position(session_id, index, question_at(lesson, index))


def answerable(store: Store, session_id: int, lesson: LoadedLesson, token: str | None = None) -> str | None:
    """The question a student of a teacher-paced class may answer, read when Submit is pressed (the `on_screen` of
    Progress.submit): the one on screen, unless its answers have been shown, now or before a Previous (a reveal
    is one-way: an answer given after seeing the explanation would count as a first attempt). None: none, and
    none for a student (`token`) the teacher removed from the class."""
    if token is not None and not seated(store, session_id, token):
        return None
    live = store.live_state(session_id)
    if live is None:
        return None
    now = phase(live, lesson)
    return now.question_id if now.kind == "question" and not now.revealed else None


_CACHE: OrderedDict[tuple[str, str, int], LoadedLesson] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 64


def class_lesson(store: Store, session: ClassSessionRow, catalog: Catalog) -> LoadedLesson:
    """The lesson version the class started on, parsed once per process. A class that plays a check's form (its
    lesson id "<check>.<letter>") stored the whole check file, the text every form of the check shares: the
    form is picked by the class's own lesson id, not the stored version's (the first form stored under that
    text), and is part of the cache key."""
    key = (session.lesson_hash, session.lesson_id, id(catalog))
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    stored = store.lesson_version(session.lesson_hash)
    if stored is None:
        raise ClassLessonMissing(f"the lesson version of class {session.code} is not in the database")
    lesson_id, text = stored
    try:
        if split_form_id(session.lesson_id) is not None:
            lesson = load_form_bytes(text.encode("utf-8"), catalog, form_id=session.lesson_id)
        else:
            lesson = load_lesson_bytes(text.encode("utf-8"), catalog, name=f"{lesson_id}.yaml")
    except LessonProblems as e:
        raise ClassLessonMissing(f"the stored lesson no longer loads: {e.errors[0].headline()}") from e
    with _CACHE_LOCK:
        _CACHE[key] = lesson
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return lesson
