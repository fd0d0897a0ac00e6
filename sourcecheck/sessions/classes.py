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
from pathlib import Path
from typing import Literal

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_lesson_bytes
from sourcecheck.lessons.problems import LessonProblems
from sourcecheck.sessions.guesses import GuessLimiter
from sourcecheck.sessions.names import NameRejected, clean_display_name
from sourcecheck.sessions.store import ClassFull, ClassSessionRow, LiveState, Pacing, ParticipantRow, Store

__all__ = [
    "DEFAULT_MAX_STUDENTS", "JOIN_GUESSES", "LOBBY", "MOST_STUDENTS", "ClassLessonMissing", "JoinRefused", "Phase",
    "TooManyGuesses", "class_lesson", "find_class", "join_class", "phase", "set_max_students", "start_class",
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


def start_class(store: Store, lesson: LoadedLesson, *, pacing: Pacing, show_names: bool = False,
                submission: str | None = None, max_students: int | None = None) -> ClassSessionRow:
    """Store the lesson file's text as it is now: the class keeps running on it even if the teacher then
    edits or deletes the file. `submission`, a token the form makes once per "Start the class" submission,
    makes a repeat of it (a double click, a rerun) return the class it started instead of a second one; the
    form's values are part of the request key, so another lesson or pacing is another request. `max_students`
    (at most MOST_STUDENTS), when given, replaces the default cap of DEFAULT_MAX_STUDENTS."""
    text = Path(lesson.path).read_bytes().decode("utf-8")  # not read_text: that would rewrite line endings
    lesson_hash = store.save_lesson_version(lesson.id, text)
    request_key = None if submission is None else hashlib.sha256(
        f"{submission}:{lesson.id}:{pacing}:{show_names:d}".encode()).hexdigest()
    session = store.create_session(lesson.id, lesson_hash, pacing=pacing, show_names=show_names,
                                   request_key=request_key)
    if max_students is None or max_students == session.max_students:
        return session
    set_max_students(store, session.id, max_students)
    return replace(session, max_students=max_students)


def set_max_students(store: Store, session_id: int, limit: int) -> None:
    """The teacher's cap on a class, checked here so that the store only ever holds 1..MOST_STUDENTS."""
    if not 1 <= limit <= MOST_STUDENTS:
        raise ValueError(f"a class takes 1 to {MOST_STUDENTS} students, not {limit}")
    store.set_max_students(session_id, limit)


# Wrong join codes: 10 per browser in 10 minutes, 120 a minute for the whole process (a few classes of
# 30 starting at once, with some typos, stay far below). db/codes.py gives what that means for a guesser.
JOIN_GUESSES = GuessLimiter(per_guesser=10, guesser_window=600.0, per_process=120, process_window=60.0)


def find_class(store: Store, code: str, guesser: str) -> ClassSessionRow:
    """The open class with this code, for a join or a link; every wrong code counts against `guesser` (the
    student's browser token) and against the process, so codes cannot be found by trying them."""
    refusal = JOIN_GUESSES.refusal(guesser)
    if refusal is not None:
        minutes = max(1, round(refusal.wait_seconds / 60))
        wait = f"wait {minutes} minute{'s' if minutes != 1 else ''} and try again"
        raise TooManyGuesses(f"Too many wrong class codes have been typed on this server just now: {wait}."
                          if refusal.whole_process else
                          f"Too many wrong class codes from this browser: {wait}, with the code on the board.")
    session = store.session_by_code(code)
    if session is None:
        JOIN_GUESSES.wrong(guesser)
        raise JoinRefused("There is no open class with that code. Check the code on the board; "
                          "a class that has ended no longer takes new answers.")
    return session


def join_class(store: Store, code: str, token: str, name: str) -> tuple[ClassSessionRow, ParticipantRow]:
    session = find_class(store, code, token)
    try:
        clean = clean_display_name(name)
    except NameRejected as e:
        raise JoinRefused(str(e)) from e
    try:
        return session, store.join(session.id, token, clean)
    except ClassFull as e:  # nothing was stored
        raise JoinRefused(f"This class is full ({e.limit} students). Ask your teacher to raise the limit.") from e
    except LookupError as e:  # deleted between the code check and the join
        raise JoinRefused("There is no open class with that code. Check the code on the board; "
                          "a class that has ended no longer takes new answers.") from e


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


_CACHE: OrderedDict[tuple[str, int], LoadedLesson] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 64


def class_lesson(store: Store, session: ClassSessionRow, catalog: Catalog) -> LoadedLesson:
    """The lesson version the class started on, parsed once per process."""
    key = (session.lesson_hash, id(catalog))
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    stored = store.lesson_version(session.lesson_hash)
    if stored is None:
        raise ClassLessonMissing(f"the lesson version of class {session.code} is not in the database")
    lesson_id, text = stored
    try:
        lesson = load_lesson_bytes(text.encode("utf-8"), catalog, name=f"{lesson_id}.yaml")
    except LessonProblems as e:
        raise ClassLessonMissing(f"the stored lesson no longer loads: {e.errors[0].headline()}") from e
    with _CACHE_LOCK:
        _CACHE[key] = lesson
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return lesson
