"""The database behind `sessions.store.Store`: one short transaction per call, frozen records out.

Every write that a rerun, a double click, a second tab or a retry could repeat is an INSERT ... ON
CONFLICT DO NOTHING against a unique constraint, and reports whether this call stored the row; a new
class carries the caller's request key, unique in the table, so the same request finds the class it made.
The live state a student's screen polls is one primary-key read of one small row.

When the database drops out (PostgreSQL restarted, the network gone), a call marked `@retrying` is run
again with a short backoff for up to `retry_seconds`, which is safe because each such call is one
transaction, or a read, or a write whose repeat changes nothing (sessions/store.py lists each write and
why); `on_retry` lets the view say "reconnecting" meanwhile. After that the call raises
StoreUnavailable, which the views catch in one place (ui/reconnect.py).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Row,
    Table,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    null,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.sql.dml import Insert, Update
from sqlalchemy.sql.elements import BindParameter

import sourcecheck.db.written as written_sql  # not `from sourcecheck.db import`: that is a cycle through db/__init__
from sourcecheck.db.codes import new_code, normalise_code
from sourcecheck.db.listen import listen
from sourcecheck.db.news import changed, changed_in, writing
from sourcecheck.db.retention import PURGE_EVERY_SECONDS, solo_retention_days
from sourcecheck.db.tables import (
    answers,
    attempts,
    check_schedule,
    class_sessions,
    course_classes,
    courses,
    form_rotations,
    join_guesses,
    lesson_versions,
    moves,
    participants,
    reveals,
    student_devices,
    student_seats,
    students,
)
from sourcecheck.grading.scoring import Score
from sourcecheck.sessions.course_store import (
    ClassPhase,
    CourseAnswerRow,
    CourseClassRow,
    CourseRow,
    Phase,
    ScheduleRow,
    StudentAnswerRow,
    StudentRow,
)
from sourcecheck.sessions.names import name_key, suffixed
from sourcecheck.sessions.store import (
    FIRST_ATTEMPT,
    AnswerRow,
    AttemptRow,
    ClassFull,
    ClassSessionRow,
    ClassSummaryRow,
    FirstAnswerRow,
    LiveState,
    Pacing,
    ParticipantRow,
    ProgressRows,
    QuestionCount,
    RollCallRow,
    SavedScore,
    ScorerRole,
    SessionAnswerRow,
    StoreUnavailable,
    WrittenAnswerRow,
    WrittenScoreRow,
)

__all__ = ["SqlStore"]

_LOG = logging.getLogger(__name__)

_CODE_TRIES = 20
MOST_DEVICES = 3  # remembered browsers kept per course student (the three that expire last: the most recently used)

# A student's page reads these three on every rerun: built once, so a read costs only its execution
# (building a select and its where clause each time cost about as much as running it on SQLite).
_PARTICIPANT: BindParameter[int] = bindparam("participant")
_LESSON: BindParameter[str] = bindparam("lesson")
_ATTEMPTS = (select(attempts.c.number, attempts.c.question_ids)
             .where(attempts.c.participant_id == _PARTICIPANT, attempts.c.lesson_id == _LESSON)
             .order_by(attempts.c.number))
_ANSWERS = (select(answers)
            .where(answers.c.participant_id == _PARTICIPANT, answers.c.lesson_id == _LESSON)
            .order_by(answers.c.id))
_MOVES = (select(moves.c.attempt, moves.c.question_id)
          .where(moves.c.participant_id == _PARTICIPANT, moves.c.lesson_id == _LESSON))

# Whether the question on a class's screen was ever revealed: a correlated EXISTS on the reveals primary key, read
# with the class's row in the same statement (live_state stays one query).
_REVEALED = (select(reveals.c.session_id)
             .where(reveals.c.session_id == class_sessions.c.id,
                    reveals.c.question_id == class_sessions.c.current_question)
             .exists().label("on_screen_revealed"))

# A join (SqlStore.join), statement by statement: built once.
_SESSION: BindParameter[int] = bindparam("session")
_LOCK_CLASS = (update(class_sessions)
               .where(class_sessions.c.id == _SESSION, class_sessions.c.status == "open",
                      or_(class_sessions.c.closes_at.is_(None), class_sessions.c.closes_at > bindparam("now")))
               .values(max_students=class_sessions.c.max_students).returning(class_sessions.c.max_students))
_BY_TOKEN = select(participants).where(participants.c.session_id == _SESSION,
                                       participants.c.token == bindparam("token"))
_SEATED = participants.c.removed_at.is_(None)  # a student the teacher has not removed
_JOINED = (select(func.count()).select_from(participants)
           .where(participants.c.session_id == _SESSION, _SEATED))
_NAMED = or_(participants.c.name_key == bindparam("key"),
             participants.c.name_key.like(bindparam("prefix"), escape="\\"))
_NAMESAKES = select(participants.c.name_key).where(participants.c.session_id == _SESSION, _SEATED, _NAMED)
# The same browser typing the same name (or the name it was given, "Ana (2)"): its own seat, not a new one.
_BY_DEVICE_NAME = (select(participants)
                   .where(participants.c.session_id == _SESSION, participants.c.device_hash == bindparam("device"),
                          _SEATED, _NAMED)
                   .order_by(participants.c.id).limit(1))
_NAME_TRIES = 20


def _like_prefix(text: str) -> str:
    """A LIKE pattern for names starting with `text`, its own % and _ taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


RETRY_SECONDS = 10.0  # a restart of PostgreSQL takes a few seconds; longer, and the page says so itself
_P = ParamSpec("_P")
_R = TypeVar("_R")
_S = TypeVar("_S", bound="SqlStore")
_LOG = logging.getLogger("sourcecheck.db")


def retrying(method: Callable[Concatenate[_S, _P], _R]) -> Callable[Concatenate[_S, _P], _R]:
    """Run one store call again while the database cannot be reached, then raise StoreUnavailable.

    Only for calls that may run twice: reads, and writes whose repeat stores nothing new (a unique
    constraint, a request key, an UPDATE to the same values). A connection that drops after COMMIT
    leaves the caller not knowing whether the write happened, and the retry is what finds out.

    The first failure of an outage is logged once, with its cause read from the driver's error (a refused
    connection, a locked SQLite file, a read-only database, a full disk), and so is giving up and the
    database's return: the page only says "not saved yet", the log says why.
    """

    @functools.wraps(method)
    def call(store: _S, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        deadline = time.monotonic() + store.retry_seconds
        for attempt in range(1, 10_000):
            try:
                result = method(store, *args, **kwargs)
            except DBAPIError as e:  # connection refused, reset, server shut down, locked, read-only, disk full
                if not _transient(e):
                    raise
                store.outage.failed(e, method.__name__)
                if time.monotonic() >= deadline:
                    store.outage.gave_up(store.retry_seconds)
                    raise StoreUnavailable(f"the database did not answer for {store.retry_seconds:.0f} s") from e
                if store.on_retry is not None:
                    store.on_retry(attempt)
                time.sleep(min(1.0, 0.1 * 2 ** attempt))
            else:
                if store.outage.since is not None:
                    store.outage.ended(method.__name__)
                return result
        raise AssertionError("unreachable")

    return call


_READ_ONLY_TRANSACTION = "25006"  # PostgreSQL: a standby, or default_transaction_read_only (an InternalError)


def _sqlstate(error: DBAPIError) -> str:
    return str(getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None) or "")


def _transient(error: DBAPIError) -> bool:
    """Worth retrying: the database may take the same call again in a moment (or after someone fixes it)."""
    return isinstance(error, (OperationalError, InterfaceError)) or _sqlstate(error) == _READ_ONLY_TRANSACTION


def database_fault(error: DBAPIError) -> str:
    """What an operator should look at, from the driver's error: never the statement or its parameters."""
    text, state = str(error.orig).lower(), _sqlstate(error)
    if "readonly database" in text or "read-only" in text or state == _READ_ONLY_TRANSACTION:
        return "the database is read-only (file permissions, a read-only mount, or a standby server)"
    if "disk is full" in text or "no space left" in text or state == "53100":
        return "the disk is full"
    if "database is locked" in text or "database table is locked" in text:
        return "the SQLite file is locked by another process"
    if "unable to open database file" in text:
        return "the SQLite file cannot be opened (its folder is missing or not writable)"
    if ("connection refused" in text or "could not connect" in text or "closed the connection" in text
            or "terminating connection" in text or "connection is closed" in text or state.startswith("08")
            or state.startswith("57P")):
        return "the database server refused or dropped the connection (is it running?)"
    first = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else ""
    return f"{type(error.orig).__name__}: {first[:200]}"


class Outage:
    """One store's current outage, shared by every session's thread: logged once when it starts, once when the
    calls give up, and once when the database answers again (not once per call or per retry). It ends when a call
    that failed succeeds: with a locked or read-only SQLite file reads still answer, and only the writes tell."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.cause = ""
        self._failing: set[str] = set()  # the calls that failed in this outage
        self._gave_up = False
        self._lock = threading.Lock()

    def failed(self, error: DBAPIError, call: str) -> None:
        cause = database_fault(error)
        with self._lock:
            self._failing.add(call)
            if self.since is not None and cause == self.cause:
                return
            first = self.since is None
            self.since = self.since if self.since is not None else time.monotonic()
            self.cause, self._gave_up = cause, False
        _LOG.warning("The class database is not answering: %s. Each call is retried; students' pages say their "
                     "work is not saved yet.%s", cause, "" if first else " (the cause changed)")

    def gave_up(self, seconds: float) -> None:
        with self._lock:
            if self._gave_up:
                return
            self._gave_up = True
        _LOG.error("The class database has not answered for %.0f s: %s. Pages keep the students' clicks and try "
                   "again every few seconds.", seconds, self.cause)

    def ended(self, call: str) -> None:
        with self._lock:
            if self.since is None or call not in self._failing:
                return
            lasted, self.since, self._gave_up = time.monotonic() - self.since, None, False
            self._failing.clear()
        _LOG.warning("The class database answers again, after %.1f s.", lasted)


def new_request_key() -> str:
    """A key for one request to start a class: random, so two requests never share one by accident."""
    return secrets.token_urlsafe(24)


class SqlStore:
    def __init__(self, engine: Engine, *, retry_seconds: float = RETRY_SECONDS) -> None:
        self.engine = engine
        self.retry_seconds = retry_seconds
        self.on_retry: Callable[[int], None] | None = None  # told before each retry (the attempt number)
        self.clock: Callable[[], datetime] = _now  # the time a class's closing time is read against (tests move it)
        self.outage = Outage()  # logs each outage once, with its cause
        self._inserts: dict[tuple[str, tuple[str, ...]], Insert] = {}
        self.solo_retention_days = solo_retention_days()
        self._next_purge = 0.0  # time.monotonic() of the next purge of expired solo data: the first is due now
        # Other processes' commits (PostgreSQL) and classes passing their closing time reach this process's pages
        # (db/listen.py): one reader per process and database, started here.
        listen(engine)

    # -- lesson versions ---------------------------------------------------------------------------

    @retrying  # keyed by the hash of the text: a repeat stores nothing
    def save_lesson_version(self, lesson_id: str, text: str) -> str:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self.engine.begin() as c:
            c.execute(self._insert_once(lesson_versions).values(hash=digest, lesson_id=lesson_id, text=text))
        return digest

    @retrying
    def lesson_version(self, lesson_hash: str) -> tuple[str, str] | None:
        with self.engine.connect() as c:
            row = c.execute(select(lesson_versions.c.lesson_id, lesson_versions.c.text)
                            .where(lesson_versions.c.hash == lesson_hash)).first()
        return (row.lesson_id, row.text) if row else None

    # -- one student's progress --------------------------------------------------------------------

    @retrying  # one solo record per token (a partial unique index): a repeat finds it
    def solo_participant(self, token: str) -> int:
        where = and_(participants.c.session_id.is_(None), participants.c.token == token)
        with self.engine.begin() as c:
            found = c.execute(select(participants.c.id).where(where)).scalar()
            if found is None:
                c.execute(self._insert_once(participants).values(session_id=None, token=token))
                found = c.execute(select(participants.c.id).where(where)).scalar_one()
        return int(found)

    @retrying
    def attempts(self, participant_id: int, lesson_id: str) -> list[AttemptRow]:
        with self.engine.connect() as c:
            return self._attempts(c, participant_id, lesson_id)

    @retrying
    def progress(self, participant_id: int, lesson_id: str) -> ProgressRows:
        """Attempts, answers and moves in one connection: a student's page reads all three on every rerun."""
        with self.engine.connect() as c:
            return ProgressRows(self._attempts(c, participant_id, lesson_id),
                                self._answers(c, participant_id, lesson_id), self._moved(c, participant_id, lesson_id))

    def _attempts(self, c: Connection, participant_id: int, lesson_id: str) -> list[AttemptRow]:
        rows = c.execute(_ATTEMPTS, {"participant": participant_id, "lesson": lesson_id}).all()
        return [AttemptRow(r.number, tuple(r.question_ids)) for r in rows]

    @retrying  # unique (participant, lesson, number): a repeat stores nothing
    def start_attempt(self, participant_id: int, lesson_id: str, number: int, question_ids: Sequence[str]) -> bool:
        return self._insert(attempts, participant_id=participant_id, lesson_id=lesson_id, number=number,
                            question_ids=list(question_ids))

    @retrying  # unique (participant, lesson, attempt, question): a repeat stores nothing
    def record_answer(self, answer: AnswerRow) -> bool:
        return self._insert(
            answers, news_of=answer.participant_id, participant_id=answer.participant_id, lesson_id=answer.lesson_id,
            lesson_hash=answer.lesson_hash, attempt=answer.attempt, question_id=answer.question_id,
            response=answer.response, earned=answer.earned, possible=answer.possible, verdict=answer.verdict,
            confidence=answer.confidence, time_taken_ms=answer.time_taken_ms, submitted_at=answer.submitted_at)

    @retrying
    def answers(self, participant_id: int, lesson_id: str) -> list[AnswerRow]:
        with self.engine.connect() as c:
            return self._answers(c, participant_id, lesson_id)

    def _answers(self, c: Connection, participant_id: int, lesson_id: str) -> list[AnswerRow]:
        rows = c.execute(_ANSWERS, {"participant": participant_id, "lesson": lesson_id}).all()
        return [_answer(r) for r in rows]

    @retrying  # the primary key is the whole row: a repeat stores nothing
    def mark_moved_on(self, participant_id: int, lesson_id: str, attempt: int, question_id: str) -> bool:
        return self._insert(moves, participant_id=participant_id, lesson_id=lesson_id, attempt=attempt,
                            question_id=question_id)

    @retrying
    def moved_on(self, participant_id: int, lesson_id: str) -> set[tuple[int, str]]:
        with self.engine.connect() as c:
            return self._moved(c, participant_id, lesson_id)

    def _moved(self, c: Connection, participant_id: int, lesson_id: str) -> set[tuple[int, str]]:
        rows = c.execute(_MOVES, {"participant": participant_id, "lesson": lesson_id}).all()
        return {(r.attempt, r.question_id) for r in rows}

    # -- class sessions ----------------------------------------------------------------------------

    # not @retrying itself: the key must be made once, before the retries, and _create_session is retried
    def create_session(self, lesson_id: str, lesson_hash: str, *, pacing: Pacing, show_names: bool = False,
                       request_key: str | None = None, closes_at: datetime | None = None) -> ClassSessionRow:
        """A new open class, or the class this request key already started (a retry, a double click, a rerun
        of the same form submission): never two. Without a key, one is made here, before the retries
        start, so that a retry still finds the class it made. `closes_at`: when it closes by itself."""
        return self._create_session(lesson_id, lesson_hash, pacing, show_names, request_key or new_request_key(),
                                    closes_at)

    @retrying  # the request key is unique in the table: a repeat finds the class it made
    def _create_session(self, lesson_id: str, lesson_hash: str, pacing: Pacing, show_names: bool,
                        request_key: str, closes_at: datetime | None) -> ClassSessionRow:
        for _ in range(_CODE_TRIES):
            code = new_code()
            if self._insert(class_sessions, code=code, request_key=request_key, lesson_id=lesson_id,
                            lesson_hash=lesson_hash, pacing=pacing, show_names=show_names, status="open",
                            current_index=-1, revealed=False, state_version=1, closes_at=closes_at):
                found = self._session_where(class_sessions.c.code == code)
                assert found is not None
                return found
            # nothing stored: either this request's class exists already, or the code was taken
            found = self._session_where(class_sessions.c.request_key == request_key)
            if found is not None:
                return found
        raise RuntimeError("no free join code after 20 tries")  # 1 in 10^100 with a few thousand classes

    @retrying
    def session_by_code(self, code: str) -> ClassSessionRow | None:
        """The open class with this code: a class past its closing time has none, so it cannot be guessed."""
        found = self._session_where(class_sessions.c.code == normalise_code(code), class_sessions.c.status == "open")
        return found if found is not None and found.status == "open" else None

    @retrying
    def session(self, session_id: int) -> ClassSessionRow | None:
        return self._session_where(class_sessions.c.id == session_id)

    @retrying  # only an open class closes: a repeat changes nothing
    def close_session(self, session_id: int) -> bool:
        return self._update_open(session_id, status="closed", closed_at=datetime.now(UTC))

    @retrying  # a repeat finds nothing to delete
    def delete_session(self, session_id: int) -> bool:
        """The class and everything stored for it (participants, attempts, answers and moves go by their foreign
        keys), and in the same transaction the solo practice of the same tokens: a teacher who deletes a class
        deletes what those students' links stored, not only the part made inside the class."""
        tokens = select(participants.c.token).where(participants.c.session_id == session_id).scalar_subquery()
        with writing(self.engine) as c:
            changed(c, session_id, "deleted")  # pages following it look again, and find it gone
            c.execute(delete(participants).where(participants.c.session_id.is_(None), participants.c.token.in_(tokens)))
            deleted = c.execute(delete(class_sessions).where(class_sessions.c.id == session_id)).rowcount == 1
        if deleted:
            self._scrub()
        return deleted

    @retrying  # unique (class, token): a repeat finds the participant it made
    def join(self, session_id: int, token: str, display_name: str, *, device_hash: str | None = None,
             seat_hash: str | None = None) -> ParticipantRow:
        """The same token always gets the same participant back, even in a full class. Otherwise a name
        whose key (sessions/names.py: case, look-alike letters, invisible characters folded) is taken in the
        class becomes "Sam (2)", "Sam (3)"..., the lowest free suffix, read in one query; the student's own
        spelling stays, so an impersonation shows its suffix. A row is stored only when the join succeeds:
        nothing is stored and ClassFull is raised when `max_students` have joined. Safe to retry: a repeat
        finds the participant by (class, token), unique in the table. Raises LookupError when the class is
        not there (deleted while the student typed their name).

        One transaction that first touches the class's row: a no-op UPDATE, which on PostgreSQL locks the
        row until COMMIT and on SQLite takes the database's write lock. Joins to one class therefore run one
        after another, so neither the count against the cap nor the free suffix can be raced past, and the
        time of a join is a fixed handful of statements, whatever the number of namesakes.

        `device_hash` (sessions/seats.py): a browser that already holds a seat in the class under this name (or
        under the name it was given, "Sam (2)") gets that seat back, so typing one's name again makes no
        "Sam (2)"; a new seat keeps it, and `seat_hash`. Removed students hold no seat: they neither count
        against the cap nor keep their name from a new student."""
        existing = self._find_participant(session_id, token)  # a refresh or a second tab: no lock needed
        if existing is not None:
            return existing
        key = name_key(display_name)
        with writing(self.engine) as c:
            limit = c.execute(_LOCK_CLASS, {"session": session_id, "now": self.clock()}).scalar()
            if limit is None:
                raise LookupError(f"class {session_id} is not there")
            row = c.execute(_BY_TOKEN, {"session": session_id, "token": token}).first()
            if row is not None:  # joined from another tab while this one waited for the lock
                return _participant(row)
            prefix = _like_prefix(key + " (")
            if device_hash is not None:
                row = c.execute(_BY_DEVICE_NAME, {"session": session_id, "device": device_hash, "key": key,
                                                  "prefix": prefix}).first()
                if row is not None:
                    return _participant(row)
            if c.execute(_JOINED, {"session": session_id}).scalar_one() >= limit:
                raise ClassFull(int(limit))
            taken = set(c.execute(_NAMESAKES, {"session": session_id, "key": key, "prefix": prefix}).scalars())
            tried: set[int] = set()
            for _ in range(_NAME_TRIES):
                n = next(n for n in itertools.count(1) if n not in tried and suffixed(key, n) not in taken)
                row = c.execute(self._join_insert(), {"session": session_id, "token": token,
                                                      "name": suffixed(display_name, n), "key": suffixed(key, n),
                                                      "device": device_hash, "seat": seat_hash}).first()
                if row is not None:
                    changed(c, session_id, "room")
                    return _participant(row)
                # Only a row with no key (joined before keys existed) or a key cut at KEY_LENGTH can hold this
                # display name under another key: the next suffix is tried, in the same locked transaction.
                tried.add(n)
        raise RuntimeError("no free display name after 20 tries")  # nothing stored: the transaction wrote none

    @retrying
    def participant(self, session_id: int, token: str) -> ParticipantRow | None:
        return self._find_participant(session_id, token)

    def _find_participant(self, session_id: int, token: str) -> ParticipantRow | None:
        with self.engine.connect() as c:
            row = c.execute(select(participants).where(participants.c.session_id == session_id,
                                                       participants.c.token == token)).first()
        return _participant(row) if row else None

    @retrying
    def participants(self, session_id: int) -> list[ParticipantRow]:
        with self.engine.connect() as c:
            rows = c.execute(select(participants).where(participants.c.session_id == session_id)
                             .order_by(participants.c.id)).all()
        return [_participant(r) for r in rows]

    @retrying
    def live_state(self, session_id: int) -> LiveState | None:
        """A class past its closing time reads as closed, with the version one on: the screens that compare the
        version see a change and redraw, though nothing was written."""
        with self.engine.connect() as c:
            row = c.execute(select(class_sessions.c.state_version, class_sessions.c.current_index, _REVEALED,
                                   class_sessions.c.status, class_sessions.c.closes_at, class_sessions.c.timer_ends_at)
                            .where(class_sessions.c.id == session_id)).first()
        if row is None:
            return None
        revealed = bool(row.on_screen_revealed)
        closes_at = _utc(row.closes_at)
        if row.status == "open" and closes_at is not None and closes_at <= self.clock():
            return LiveState(row.state_version + 1, row.current_index, revealed, "closed")
        return LiveState(row.state_version, row.current_index, revealed, row.status, _utc(row.timer_ends_at))

    @retrying  # a repeat writes the same position; only the version moves again (one more redraw)
    def set_position(self, session_id: int, index: int, question_id: str | None) -> bool:
        """Show the question at `index` (its id: `question_id`; None in the lobby and at the end). Un-reveals
        nothing: a question revealed before is still revealed when the class comes back to it. With the timer on,
        the question's time starts now (read in the same transaction, the class's row locked on PostgreSQL)."""
        with writing(self.engine) as c:
            seconds = c.execute(select(class_sessions.c.timer_seconds).where(class_sessions.c.id == session_id)
                                .with_for_update()).scalar()
            ends = self.clock() + timedelta(seconds=seconds) if seconds and question_id is not None else None
            return self._moved_on(c, session_id, self._open_update(session_id, current_index=index,
                                                                   current_question=question_id, timer_ends_at=ends))

    @retrying  # the same seconds again: only the clock starts again
    def set_timer(self, session_id: int, seconds: int | None) -> bool:
        """The soft timer per question, in seconds (None: off). The question on screen, if any, starts its time
        now; the lobby and the end have none until the next move."""
        ends = self.clock() + timedelta(seconds=seconds) if seconds else None
        running = null() if ends is None else case((class_sessions.c.current_question.is_(None), null()),
                                                   else_=bindparam("ends", ends, type_=DateTime(timezone=True)))
        with writing(self.engine) as c:
            return self._moved_on(c, session_id, self._open_update(session_id, timer_seconds=seconds,
                                                                   timer_ends_at=running))

    @retrying  # keyed by the state version the teacher saw, which this moves on: a repeat adds nothing
    def extend_timer(self, session_id: int, version: int, seconds: int) -> bool:
        """Give the question on screen `seconds` more, from when it runs out or from now if it already has.
        False when no timer runs, or the class has moved on since the teacher's screen was drawn (`version`)."""
        with writing(self.engine) as c:
            ends = _utc(c.execute(select(class_sessions.c.timer_ends_at)
                                  .where(class_sessions.c.id == session_id, class_sessions.c.state_version == version)
                                  .with_for_update()).scalar())
            if ends is None:
                return False
            later = max(ends, self.clock()) + timedelta(seconds=seconds)
            same = class_sessions.c.state_version == version
            return self._moved_on(c, session_id, self._open_update(session_id, same, timer_ends_at=later))

    @retrying  # the reveals primary key: a repeat stores nothing and changes nothing
    def reveal(self, session_id: int) -> bool:
        """Record the question on screen as revealed, for good, and bump the version; False when it already was,
        or the class is closed or on no question. The class's row is locked (PostgreSQL) until the commit, so a
        move at the same moment cannot slip between reading the question and recording it."""
        where = (class_sessions.c.id == session_id, class_sessions.c.status == "open",
                 class_sessions.c.current_question.is_not(None),
                 or_(class_sessions.c.closes_at.is_(None), class_sessions.c.closes_at > self.clock()))
        with writing(self.engine) as c:
            question_id = c.execute(select(class_sessions.c.current_question).where(*where)
                                    .with_for_update()).scalar()
            if question_id is None:
                return False
            stored = c.execute(self._insert_once(reveals)
                               .values(session_id=session_id, question_id=question_id, revealed_at=_now())
                               .returning(reveals.c.session_id)).first() is not None
            if stored:
                c.execute(update(class_sessions).where(class_sessions.c.id == session_id)
                          .values(state_version=class_sessions.c.state_version + 1))
                changed(c, session_id, "state")
            return stored

    @retrying
    def session_answers(self, session_id: int) -> list[SessionAnswerRow]:
        return self._answers_where(participants.c.session_id == session_id)

    @retrying
    def lesson_answers(self, lesson_id: str) -> list[SessionAnswerRow]:
        return self._answers_where(participants.c.session_id.is_not(None), answers.c.lesson_id == lesson_id)

    # -- helpers -----------------------------------------------------------------------------------

    def _join_insert(self) -> Insert:
        """A participant with its name and key, or nothing when a unique constraint says it is taken."""
        key = ("participants", ("join",))
        query = self._inserts.get(key)
        if query is None:
            query = self._inserts[key] = (
                self._insert_once(participants)
                .values(session_id=_SESSION, token=bindparam("token"), display_name=bindparam("name"),
                        name_key=bindparam("key"), device_hash=bindparam("device"), seat_hash=bindparam("seat"))
                .returning(*participants.c))
        return query

    def _insert_once(self, table: Table) -> Insert:
        """INSERT that does nothing when a unique constraint says the row is already there."""
        if self.engine.dialect.name == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing()
        return sqlite.insert(table).on_conflict_do_nothing()

    def _insert(self, table: Table, *, news_of: int | None = None, **values: Any) -> bool:
        """True only when this call stored the row: RETURNING gives a row exactly then (rowcount is not
        reliable for INSERT ... ON CONFLICT on every driver). One statement per table and set of columns,
        built once: the values travel as parameters."""
        key = (table.name, tuple(values))
        query = self._inserts.get(key)
        if query is None:
            query = self._inserts[key] = (self._insert_once(table).values({k: bindparam(k) for k in values})
                                          .returning(*table.primary_key.columns))
        try:
            with writing(self.engine) as c:
                stored = c.execute(query, values).first() is not None
                if stored and news_of is not None:  # an answer: the class of this participant (none: solo practice)
                    changed(c, select(participants.c.session_id).where(participants.c.id == news_of)
                            .scalar_subquery(), "room")
                return stored
        except IntegrityError:  # a foreign key (the class was deleted meanwhile): nothing stored
            return False

    def _update_open(self, session_id: int, *conditions: Any, **values: Any) -> bool:
        """Change a class that is still open (and not past its closing time), and bump the version every
        student's screen compares."""
        with writing(self.engine) as c:
            return self._moved_on(c, session_id, self._open_update(session_id, *conditions, **values))

    @staticmethod
    def _moved_on(c: Connection, session_id: int, query: Update) -> bool:
        """Run an update that moves the class's state version; if it did, tell the class's pages."""
        done = c.execute(query).rowcount == 1
        if done:
            changed(c, session_id, "state")
        return done

    def _open_update(self, session_id: int, *conditions: Any, **values: Any) -> Update:
        return (update(class_sessions)
                .where(class_sessions.c.id == session_id, class_sessions.c.status == "open",
                       or_(class_sessions.c.closes_at.is_(None), class_sessions.c.closes_at > self.clock()),
                       *conditions)
                .values(state_version=class_sessions.c.state_version + 1, **values))

    def _session(self, row: Row[Any]) -> ClassSessionRow:
        return _session(row, self.clock())

    def _session_where(self, *conditions: Any) -> ClassSessionRow | None:
        with self.engine.connect() as c:
            row = c.execute(select(class_sessions, _REVEALED).where(*conditions)).first()
        return self._session(row) if row else None

    def _answers_where(self, *conditions: Any) -> list[SessionAnswerRow]:
        query = (select(answers, participants.c.display_name, participants.c.session_id)
                 .select_from(answers.join(participants)).where(*conditions).order_by(answers.c.id))
        with self.engine.connect() as c:
            rows = c.execute(query).all()
        return [SessionAnswerRow(_answer(r), r.display_name, r.session_id) for r in rows]


    # -- the teacher's reads (sourcecheck/classroom/) --------------------------------------------------
    # Set-based: each is one statement whatever the number of classes or students, so a teacher page costs
    # the same with two classes as with two hundred.

    @retrying
    def class_summaries(self) -> list[ClassSummaryRow]:
        """Every class, newest first, with how many joined and how many answers it holds: one statement (two
        grouped subqueries, outer-joined), where counting each class's participants was one query per class."""
        people = (select(participants.c.session_id, func.count().label("students"))
                  .where(participants.c.session_id.is_not(None), _SEATED)
                  .group_by(participants.c.session_id).subquery())
        given = (select(participants.c.session_id, func.count().label("answers"))
                 .select_from(answers.join(participants)).where(participants.c.session_id.is_not(None))
                 .group_by(participants.c.session_id).subquery())
        query = (select(class_sessions, _REVEALED, func.coalesce(people.c.students, 0).label("students"),
                        func.coalesce(given.c.answers, 0).label("answers"))
                 .select_from(class_sessions.outerjoin(people, people.c.session_id == class_sessions.c.id)
                              .outerjoin(given, given.c.session_id == class_sessions.c.id))
                 .order_by(class_sessions.c.id.desc()))
        with self.engine.connect() as c:
            rows = c.execute(query).all()
        return [ClassSummaryRow(self._session(r), int(r.students), int(r.answers)) for r in rows]

    @retrying
    def lesson_participants(self, lesson_id: str) -> list[ParticipantRow]:
        """Everyone who joined any class on this lesson, in one statement (not one per class)."""
        query = (select(participants).select_from(participants.join(class_sessions))
                 .where(class_sessions.c.lesson_id == lesson_id).order_by(participants.c.id))
        with self.engine.connect() as c:
            return [_participant(r) for r in c.execute(query).all()]

    @retrying
    def question_count(self, session_id: int, question_id: str) -> QuestionCount:
        """Joined, and answered this question (first attempts), in one indexed statement returning one row: the
        projector's poll runs it every second. A removed student counts in neither, so the count can reach
        everyone still in the class; how many were removed comes with it."""
        first = and_(answers.c.participant_id == participants.c.id, answers.c.question_id == question_id,
                     answers.c.attempt == FIRST_ATTEMPT)
        query = (select(func.count(participants.c.id).filter(_SEATED).label("joined"),
                        func.count(answers.c.id).filter(_SEATED).label("answered"),
                        func.count(participants.c.removed_at).label("removed"))
                 .select_from(participants.outerjoin(answers, first)).where(participants.c.session_id == session_id))
        with self.engine.connect() as c:
            row = c.execute(query).one()
        return QuestionCount(int(row.joined), int(row.answered), int(row.removed))

    @retrying
    def first_answers(self, session_id: int, question_id: str) -> list[FirstAnswerRow]:
        """Each student's first answer to one question (students still in the class), with their name, in the
        order they came: one statement
        for the reveal's counts and the names on the projector, where reading the whole class's answers and
        filtering them here was one per poll."""
        query = (select(participants.c.display_name, answers.c.response)
                 .select_from(answers.join(participants))
                 .where(participants.c.session_id == session_id, answers.c.question_id == question_id,
                        answers.c.attempt == FIRST_ATTEMPT, _SEATED)
                 .order_by(answers.c.id))
        with self.engine.connect() as c:
            return [FirstAnswerRow(r.display_name, r.response) for r in c.execute(query).all()]

    @retrying
    def roll_call(self, session_id: int, question_id: str) -> list[RollCallRow]:
        """Everyone still in the class (a removed student is not waited for), each with whether they have answered
        this question (a first attempt), sorted by name: one statement (the projector count's outer join, not
        grouped), for the teacher's remote."""
        first = and_(answers.c.participant_id == participants.c.id, answers.c.question_id == question_id,
                     answers.c.attempt == FIRST_ATTEMPT)
        query = (select(participants.c.display_name, answers.c.id.is_not(None).label("answered"))
                 .select_from(participants.outerjoin(answers, first))
                 .where(participants.c.session_id == session_id, _SEATED)
                 .order_by(participants.c.display_name, participants.c.id))
        with self.engine.connect() as c:
            return [RollCallRow(r.display_name, bool(r.answered)) for r in c.execute(query).all()]

    @retrying
    def joined_class(self, code: str, token: str) -> ClassSessionRow | None:
        """The class with this code that this token joined, open or closed (one statement): a student who comes
        back to a closed class's link still sees how they did. The token is the student's secret; a code alone
        finds no closed class (`session_by_code`)."""
        mine = select(participants.c.id).where(participants.c.session_id == class_sessions.c.id,
                                               participants.c.token == token).exists()
        return self._session_where(class_sessions.c.code == normalise_code(code), mine)

    # -- wrong join codes (sessions/guesses.py), shared by every process ------------------------------------
    # One row per wrong code and key; the rows expire as new ones come in, a bounded batch at a time.

    @retrying  # a repeat records the guess twice: the limit bites a little sooner, never later
    def record_guesses(self, keys: Sequence[str], at: datetime) -> None:
        with self.engine.begin() as c:
            c.execute(join_guesses.insert(), [{"key": key, "at": at} for key in keys])

    @retrying
    def guess_counts(self, since: Sequence[tuple[str, datetime]]) -> list[int]:
        """How many wrong codes each key has had since its time, in the order asked: one statement (an indexed
        range per key), where one query per key was three on every join."""
        if not since:
            return []
        counts = [func.count().filter(and_(join_guesses.c.key == key, join_guesses.c.at >= at)).label(f"n{i}")
                  for i, (key, at) in enumerate(since)]
        wanted = or_(*(and_(join_guesses.c.key == key, join_guesses.c.at >= at) for key, at in since))
        with self.engine.connect() as c:
            row = c.execute(select(*counts).where(wanted)).one()
        return [int(n) for n in row]

    @retrying  # a repeat deletes rows that are expired anyway
    def prune_guesses(self, before: datetime, limit: int) -> int:
        """Delete at most `limit` rows older than `before`: bounded work for the one call that pays for it."""
        old = select(join_guesses.c.id).where(join_guesses.c.at < before).order_by(join_guesses.c.at).limit(limit)
        with self.engine.begin() as c:
            return int(c.execute(delete(join_guesses).where(join_guesses.c.id.in_(old.scalar_subquery()))).rowcount)


    # -- a lesson's key stays hidden while a class on it is open (sessions/solo.py) --------------------------

    @retrying
    def lesson_has_open_class(self, lesson_id: str) -> bool:
        """Whether any class on this lesson is still open (and not past the time it closes by itself): one
        statement on the lesson index, stopping at the first row. While it is, the lesson's key is shown to
        no one outside that class's reveal (sessions/solo.py), since a new browser token is anyone."""
        query = (select(class_sessions.c.id)
                 .where(class_sessions.c.lesson_id == lesson_id, class_sessions.c.status == "open",
                        or_(class_sessions.c.closes_at.is_(None), class_sessions.c.closes_at > self.clock()))
                 .limit(1))
        with self.engine.connect() as c:
            return c.execute(query).first() is not None

    # -- solo rows at the first answer, solo data expires, deleted data scrubbed (docs/security.md) ----------

    @retrying
    def find_solo_participant(self, token: str) -> int | None:
        """The token's solo record, if it has answered anything: a read, so opening a lesson stores nothing
        (`solo_participant`, the write, comes with the first answer; sessions/progress.py)."""
        with self.engine.connect() as c:
            found = c.execute(select(participants.c.id).where(participants.c.session_id.is_(None),
                                                              participants.c.token == token)).scalar()
        return None if found is None else int(found)

    @retrying  # a repeat finds nothing more to delete
    def purge_solo(self, now: datetime) -> int:
        """Delete every solo student (no class) whose last answer, or whose record when it has none, is older than
        the retention period, with their attempts, answers and moves (foreign keys): one set-based statement.
        Never a class's participant. Returns how many students went."""
        cutoff = now - timedelta(days=self.solo_retention_days)
        recent = exists().where(answers.c.participant_id == participants.c.id, answers.c.stored_at >= cutoff)
        query = delete(participants).where(participants.c.session_id.is_(None), participants.c.joined_at < cutoff,
                                           ~recent)
        with self.engine.begin() as c:
            gone = int(c.execute(query).rowcount)
        if gone:
            self._scrub()
        return gone

    def purge_solo_if_due(self) -> int | None:
        """`purge_solo`, and `purge_courses` for courses past their retention date, when this process has not run them
        for a day (the first call runs them): a page run pays one clock read. Returns the solo count; None when it
        was not due. Several processes each purge once a day, which is harmless."""
        if time.monotonic() < self._next_purge:
            return None
        self._next_purge = time.monotonic() + PURGE_EVERY_SECONDS
        now = datetime.now(UTC)
        self.purge_courses(now)  # courses past their retention date (issue 18), on the same daily beat
        return self.purge_solo(now)

    def _scrub(self) -> None:
        """After a delete, do what makes the deleted rows leave the database's files (docs/security.md, "Deleted
        data"). SQLite: secure_delete (db/engine.py) has zeroed them in the pages; a TRUNCATE checkpoint copies
        those pages into the file and empties the WAL, whose frames still held the old versions. PostgreSQL:
        VACUUM removes the dead row versions from the tables' pages (autovacuum would, later)."""
        try:
            if self.engine.dialect.name == "sqlite":
                with self.engine.connect() as c:
                    c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                return
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM participants, attempts, answers, moves, written_scores"))
        except DBAPIError as e:  # the delete is committed; the next scrub, or autovacuum, finishes this one
            _LOG.warning("could not scrub deleted rows from the database files: %s", e)

    # -- seats found again, and students removed (sessions/seats.py) ---------------------------------------------
    # A seat is found by its token (the URL), by the browser's device (a hash of its cookie) or by the seat code
    # typed on another device (a hash); a removed student's seat is found by none but its token, whose tab then
    # says that the teacher removed them.

    @retrying
    def device_seat(self, code: str, device_hash: str) -> ParticipantRow | None:
        """This browser's latest seat, still held, in the open class with this code: one statement whether or not
        the code is right, so a join link that finds no seat tells a guesser nothing the form would not."""
        query = (select(participants).select_from(participants.join(class_sessions))
                 .where(class_sessions.c.code == normalise_code(code), class_sessions.c.status == "open",
                        or_(class_sessions.c.closes_at.is_(None), class_sessions.c.closes_at > self.clock()),
                        participants.c.device_hash == device_hash, _SEATED)
                 .order_by(participants.c.id.desc()).limit(1))
        with self.engine.connect() as c:
            row = c.execute(query).first()
        return _participant(row) if row else None

    @retrying  # writes the same device hash again: a repeat changes nothing
    def reclaim_seat(self, session_id: int, seat_hash: str, device_hash: str | None) -> ParticipantRow | None:
        """The seat, still held, whose seat code has this hash; it moves to `device_hash` (the browser it was
        typed in), so that browser finds it again by itself. None when no seat has it, or (a chance of about 1 in
        140,000 in a class of 60, sessions/seats.py) two do: the student asks the teacher."""
        where = (participants.c.session_id == session_id, participants.c.seat_hash == seat_hash, _SEATED)
        with self.engine.begin() as c:
            rows = c.execute(select(participants).where(*where).limit(2)).all()
            if len(rows) != 1:
                return None
            if device_hash is not None and rows[0].device_hash != device_hash:
                c.execute(update(participants).where(participants.c.id == rows[0].id)
                          .values(device_hash=device_hash))
        return _participant(rows[0])

    @retrying  # only a student still in the class is removed, and a deleted one is gone: a repeat finds nothing
    def remove_participant(self, session_id: int, participant_id: int, *, delete_answers: bool = False) -> bool:
        """Take a student out of the class: their tab says so at its next update (the class's version moves, so
        every screen looks again), they cannot answer, and neither their device nor their seat code finds the
        seat. Their answers stay in the results unless `delete_answers`: then the student and everything stored
        for them in the class (attempts, answers, moves: foreign keys) go, and the deleted rows are scrubbed."""
        mine = (participants.c.id == participant_id, participants.c.session_id == session_id)
        with writing(self.engine) as c:
            if delete_answers:
                done = c.execute(delete(participants).where(*mine)).rowcount == 1
            else:
                done = c.execute(update(participants).where(*mine, _SEATED)
                                 .values(removed_at=_now(), device_hash=None, seat_hash=None)).rowcount == 1
            if done:
                c.execute(update(class_sessions).where(class_sessions.c.id == session_id)
                          .values(state_version=class_sessions.c.state_version + 1))
                changed(c, session_id, "state")
        if done and delete_answers:
            self._scrub()
        return done

    # -- written answers scored by a teacher (issue 19): the SQL is in db/written.py ----------------------------

    @retrying
    def written_answers(self, session_ids: Sequence[int], question_id: str) -> list[WrittenAnswerRow]:
        return written_sql.written_answers(self.engine, session_ids, question_id)

    @retrying  # the request key is unique among scores: a repeat finds the row it stored and the same answer
    def save_written_score(self, answer_id: int, role: ScorerRole, scorer: str, levels: Sequence[int], comment: str,
                           score: Score, seen_id: int | None, request_key: str) -> SavedScore:
        return written_sql.save_written_score(self.engine, answer_id, role, scorer, levels, comment, score,
                                              seen_id, request_key)

    @retrying
    def written_feedback(self, participant_id: int, lesson_id: str, attempt: int) -> dict[str, WrittenScoreRow]:
        return written_sql.written_feedback(self.engine, participant_id, lesson_id, attempt)

    # -- names and class size ------------------------------------------------------------------------------
    # join() above folds names and caps the class; these are the teacher's side of the cap.

    @retrying  # an UPDATE to the same limit: a repeat changes nothing
    def set_max_students(self, session_id: int, limit: int) -> bool:
        """How many may join this class; already joined students stay whatever the new limit. No new state
        version: students' screens have nothing to redraw."""
        if limit < 1:
            raise ValueError(f"a class takes at least one student, not {limit}")
        with self.engine.begin() as c:
            return c.execute(update(class_sessions).where(class_sessions.c.id == session_id)
                             .values(max_students=limit)).rowcount == 1

    # -- courses (issue 18; sessions/courses.py) ------------------------------------------------------------
    # Students known across weeks. Everything of a course hangs off its row by ON DELETE CASCADE; its classes'
    # participants (and their answers) and the solo practice of its students' tokens are deleted with it.

    @retrying  # the request key is unique: a repeat finds the course it made
    def create_course(self, name: str, created_at: datetime, retention_until: datetime,
                      request_key: str) -> CourseRow:
        self._insert(courses, name=name, created_at=created_at, retention_until=retention_until,
                     request_key=request_key)
        with self.engine.connect() as c:
            return _course(c.execute(select(courses).where(courses.c.request_key == request_key)).one())

    @retrying
    def courses(self) -> list[CourseRow]:
        with self.engine.connect() as c:
            return [_course(r) for r in c.execute(select(courses).order_by(courses.c.id.desc())).all()]

    @retrying
    def course(self, course_id: int) -> CourseRow | None:
        with self.engine.connect() as c:
            row = c.execute(select(courses).where(courses.c.id == course_id)).first()
        return _course(row) if row else None

    @retrying  # an UPDATE to the same date: a repeat changes nothing
    def set_retention(self, course_id: int, until: datetime) -> bool:
        with self.engine.begin() as c:
            done = c.execute(update(courses).where(courses.c.id == course_id)
                             .values(retention_until=until)).rowcount == 1
            c.execute(update(student_devices).where(student_devices.c.student_id.in_(
                select(students.c.id).where(students.c.course_id == course_id).scalar_subquery()))
                .values(expires_at=until))
        return done

    @retrying  # an UPDATE to the same number: a repeat changes nothing
    def set_booster_days(self, course_id: int, days: int) -> bool:
        if days < 0:
            raise ValueError(f"a booster opens 0 or more days after the post-check, not {days}")
        with self.engine.begin() as c:
            return c.execute(update(courses).where(courses.c.id == course_id)
                             .values(booster_days=days)).rowcount == 1

    @retrying  # a repeat finds nothing to delete
    def delete_course(self, course_id: int) -> bool:
        return self._delete_courses(courses.c.id == course_id) == 1

    @retrying  # a repeat purges nothing more
    def purge_courses(self, now: datetime) -> int:
        """Delete every course whose retention date has come, with all it holds: one transaction."""
        return self._delete_courses(courses.c.retention_until <= now)

    def _delete_courses(self, where: Any) -> int:
        chosen = select(courses.c.id).where(where).scalar_subquery()
        sessions = select(course_classes.c.session_id).where(course_classes.c.course_id.in_(chosen)).scalar_subquery()
        tokens = select(students.c.token).where(students.c.course_id.in_(chosen)).scalar_subquery()
        mine = or_(participants.c.session_id.in_(sessions), participants.c.token.in_(tokens))
        with writing(self.engine) as c:
            changed_in(c, sessions, "deleted")  # the course's classes: their pages look again, and find them gone
            # classes outside the course that lose one of its students (joined from the student's tab): the room
            changed_in(c, select(participants.c.session_id).where(mine, participants.c.session_id.not_in(sessions))
                       .scalar_subquery(), "room")
            c.execute(delete(participants).where(mine))
            c.execute(delete(class_sessions).where(class_sessions.c.id.in_(sessions)))
            gone = int(c.execute(delete(courses).where(where)).rowcount)
        if gone:
            self._scrub()
        return gone

    @retrying  # the code hash, the token and (course, name key) are unique: a repeat stores nothing
    def add_student(self, course_id: int, display_name: str, name_key: str, code_hash: str, token: str,
                    created_at: datetime) -> bool:
        return self._insert(students, course_id=course_id, display_name=display_name, name_key=name_key,
                            code_hash=code_hash, token=token, created_at=created_at)

    @retrying
    def students(self, course_id: int) -> list[StudentRow]:
        return self._students(students.c.course_id == course_id)

    @retrying
    def student(self, student_id: int) -> StudentRow | None:
        return next(iter(self._students(students.c.id == student_id)), None)

    @retrying
    def student_by_name(self, course_id: int, name_key: str) -> StudentRow | None:
        return next(iter(self._students(students.c.course_id == course_id, students.c.name_key == name_key)), None)

    @retrying
    def student_by_code(self, code_hash: str) -> StudentRow | None:
        return next(iter(self._students(students.c.code_hash == code_hash)), None)

    def _students(self, *where: Any) -> list[StudentRow]:
        with self.engine.connect() as c:
            rows = c.execute(select(students).where(*where).order_by(students.c.id)).all()
        return [StudentRow(r.id, r.course_id, r.display_name, r.token, r.code_hash,
                           _utc(r.created_at) or _now()) for r in rows]

    @retrying  # an UPDATE to the same hash: a repeat changes nothing
    def set_student_code(self, student_id: int, code_hash: str) -> bool:
        try:
            with self.engine.begin() as c:
                return c.execute(update(students).where(students.c.id == student_id)
                                 .values(code_hash=code_hash)).rowcount == 1
        except IntegrityError:  # another student has that code: the caller draws another
            return False

    @retrying  # a repeat finds nothing to delete
    def delete_student(self, student_id: int) -> bool:
        """The student and everything about them: their seats in the course's classes with those seats' answers,
        anything else their token made (solo practice, a one-off class joined from the tab that opened their course
        page), their devices and form rotations (cascades)."""
        seats = select(student_seats.c.participant_id).where(student_seats.c.student_id == student_id)
        token = select(students.c.token).where(students.c.id == student_id).scalar_subquery()
        mine = or_(participants.c.id.in_(seats.scalar_subquery()), participants.c.token == token)
        with writing(self.engine) as c:
            # the classes the student sat in: the teacher's screens count one student (and their answers) fewer
            changed_in(c, select(participants.c.session_id).where(mine).scalar_subquery(), "room")
            c.execute(delete(participants).where(mine))
            gone = c.execute(delete(students).where(students.c.id == student_id)).rowcount == 1
        if gone:
            self._scrub()
        return gone

    @retrying  # delete then insert in one transaction: a repeat leaves the same rows
    def remember_device(self, device_hash: str, student_id: int, expires_at: datetime) -> None:
        """This browser belongs to the student until `expires_at`; the student keeps their MOST_DEVICES browsers
        that expire last (this one always): a valid code typed again and again from fresh cookies adds no rows."""
        with self.engine.begin() as c:
            c.execute(delete(student_devices).where(student_devices.c.device_hash == device_hash))
            c.execute(student_devices.insert().values(device_hash=device_hash, student_id=student_id,
                                                      expires_at=expires_at))
            others = c.execute(select(student_devices.c.device_hash)
                               .where(student_devices.c.student_id == student_id,
                                      student_devices.c.device_hash != device_hash)
                               .order_by(student_devices.c.expires_at.desc(), student_devices.c.device_hash)
                               ).scalars().all()
            if len(others) >= MOST_DEVICES:
                c.execute(delete(student_devices).where(
                    student_devices.c.device_hash.in_(others[MOST_DEVICES - 1:])))

    @retrying
    def device_student(self, device_hash: str, now: datetime) -> StudentRow | None:
        with self.engine.connect() as c:
            found = c.execute(select(student_devices.c.student_id).where(
                student_devices.c.device_hash == device_hash, student_devices.c.expires_at > now)).scalar()
        return None if found is None else next(iter(self._students(students.c.id == found)), None)

    @retrying  # a repeat finds nothing to delete
    def forget_device(self, device_hash: str) -> None:
        with self.engine.begin() as c:
            c.execute(delete(student_devices).where(student_devices.c.device_hash == device_hash))

    @retrying  # keyed by the class: a repeat stores nothing
    def link_class(self, session_id: int, course_id: int, check_id: str | None = None,
                   phase: ClassPhase | None = None, form: str | None = None) -> bool:
        return self._insert(course_classes, session_id=session_id, course_id=course_id, check_id=check_id,
                            phase=phase, form=form)

    @retrying
    def course_class(self, session_id: int) -> CourseClassRow | None:
        return next(iter(self._course_classes(course_classes.c.session_id == session_id)), None)

    @retrying
    def course_classes(self, course_id: int) -> list[CourseClassRow]:
        return self._course_classes(course_classes.c.course_id == course_id)

    def _course_classes(self, *where: Any) -> list[CourseClassRow]:
        query = (select(class_sessions, _REVEALED, course_classes.c.course_id, course_classes.c.check_id,
                        course_classes.c.phase, course_classes.c.form)
                 .select_from(class_sessions.join(course_classes)).where(*where).order_by(class_sessions.c.id))
        with self.engine.connect() as c:
            rows = c.execute(query).all()
        return [CourseClassRow(self._session(r), r.course_id, r.check_id, r.phase, r.form) for r in rows]

    @retrying  # keyed by the participant: a repeat stores nothing
    def seat_student(self, participant_id: int, student_id: int) -> bool:
        return self._insert(student_seats, participant_id=participant_id, student_id=student_id)

    @retrying  # delete then insert in one transaction: a repeat leaves the same row
    def schedule_check(self, course_id: int, check_id: str, phase: Phase, opens_at: datetime) -> None:
        key = (check_schedule.c.course_id == course_id, check_schedule.c.check_id == check_id,
               check_schedule.c.phase == phase)
        with self.engine.begin() as c:
            c.execute(delete(check_schedule).where(*key))
            c.execute(check_schedule.insert().values(course_id=course_id, check_id=check_id, phase=phase,
                                                     opens_at=opens_at))

    @retrying  # a repeat finds nothing to delete
    def unschedule_check(self, course_id: int, check_id: str, phase: Phase) -> bool:
        with self.engine.begin() as c:
            return c.execute(delete(check_schedule).where(
                check_schedule.c.course_id == course_id, check_schedule.c.check_id == check_id,
                check_schedule.c.phase == phase)).rowcount == 1

    @retrying
    def schedule(self, course_id: int) -> list[ScheduleRow]:
        with self.engine.connect() as c:
            rows = c.execute(select(check_schedule).where(check_schedule.c.course_id == course_id)
                             .order_by(check_schedule.c.opens_at)).all()
        return [ScheduleRow(r.course_id, r.check_id, r.phase, _utc(r.opens_at) or _now()) for r in rows]

    @retrying
    def rotations(self, course_id: int, check_id: str) -> dict[int, int]:
        query = (select(form_rotations.c.student_id, form_rotations.c.rotation)
                 .select_from(form_rotations.join(students))
                 .where(students.c.course_id == course_id, form_rotations.c.check_id == check_id))
        with self.engine.connect() as c:
            return {int(r.student_id): int(r.rotation) for r in c.execute(query).all()}

    @retrying  # keyed by (student, check): a repeat stores nothing, and a rotation once given never changes
    def set_rotation(self, student_id: int, check_id: str, rotation: int) -> bool:
        return self._insert(form_rotations, student_id=student_id, check_id=check_id, rotation=rotation)

    @retrying
    def student_rotations(self, student_id: int) -> dict[str, int]:
        with self.engine.connect() as c:
            rows = c.execute(select(form_rotations.c.check_id, form_rotations.c.rotation)
                             .where(form_rotations.c.student_id == student_id)).all()
        return {r.check_id: int(r.rotation) for r in rows}

    @retrying
    def student_devices(self, student_id: int) -> list[datetime]:
        with self.engine.connect() as c:
            rows = c.execute(select(student_devices.c.expires_at)
                             .where(student_devices.c.student_id == student_id)).scalars().all()
        return [_utc(r) or _now() for r in rows]

    @retrying
    def student_answers(self, student_id: int) -> list[StudentAnswerRow]:
        """Every answer the student gave in their course's classes, oldest first: one statement."""
        query = (select(answers, class_sessions.c.id.label("class_id"), class_sessions.c.code.label("class_code"),
                        class_sessions.c.lesson_hash.label("class_hash"), course_classes.c.check_id,
                        course_classes.c.phase, course_classes.c.form)
                 .select_from(answers.join(student_seats, student_seats.c.participant_id == answers.c.participant_id)
                              .join(participants, participants.c.id == answers.c.participant_id)
                              .join(class_sessions, class_sessions.c.id == participants.c.session_id)
                              .join(course_classes, course_classes.c.session_id == class_sessions.c.id))
                 .where(student_seats.c.student_id == student_id).order_by(answers.c.id))
        with self.engine.connect() as c:
            rows = c.execute(query).all()
        return [StudentAnswerRow(r.class_id, r.class_code, r.class_hash, r.check_id, r.phase, r.form, _answer(r))
                for r in rows]

    @retrying
    def course_answers(self, course_id: int) -> list[CourseAnswerRow]:
        """Every first attempt in the course's check and booster classes (those linked with a phase), by students
        still on its roster, in the order they were stored: one statement, whatever the size of the course."""
        query = (select(student_seats.c.student_id, course_classes.c.phase, course_classes.c.check_id,
                        course_classes.c.form, answers.c.lesson_id, answers.c.question_id, answers.c.earned,
                        answers.c.possible, answers.c.response, answers.c.confidence, answers.c.submitted_at)
                 .select_from(answers.join(student_seats, student_seats.c.participant_id == answers.c.participant_id)
                              .join(participants, participants.c.id == answers.c.participant_id)
                              .join(course_classes, course_classes.c.session_id == participants.c.session_id))
                 .where(course_classes.c.course_id == course_id, course_classes.c.phase.is_not(None),
                        course_classes.c.check_id.is_not(None), answers.c.attempt == FIRST_ATTEMPT)
                 .order_by(answers.c.id))
        with self.engine.connect() as c:
            rows = c.execute(query).all()
        return [CourseAnswerRow(int(r.student_id), r.phase, r.check_id, r.form, r.lesson_id, r.question_id,
                                float(r.earned), int(r.possible), r.response, r.confidence, _utc(r.submitted_at))
                for r in rows]


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time in the app is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _answer(r: Row[Any]) -> AnswerRow:
    return AnswerRow(participant_id=r.participant_id, lesson_id=r.lesson_id, lesson_hash=r.lesson_hash,
                     attempt=r.attempt, question_id=r.question_id, response=r.response, earned=r.earned,
                     possible=r.possible, verdict=r.verdict, confidence=r.confidence, time_taken_ms=r.time_taken_ms,
                     submitted_at=_utc(r.submitted_at), stored_at=_utc(r.stored_at))


def _session(r: Row[Any], now: datetime) -> ClassSessionRow:
    """A class past its closing time reads as closed (since then), whatever its row still says."""
    closes_at = _utc(r.closes_at)
    over = r.status == "open" and closes_at is not None and closes_at <= now
    return ClassSessionRow(r.id, r.code, r.lesson_id, r.lesson_hash, r.pacing, bool(r.show_names),
                           "closed" if over else r.status, r.current_index, bool(r.on_screen_revealed), r.state_version,
                           _utc(r.created_at) or datetime.now(UTC), closes_at if over else _utc(r.closed_at),
                           closes_at, r.max_students, r.timer_seconds)


def _participant(r: Row[Any]) -> ParticipantRow:
    return ParticipantRow(r.id, r.session_id, r.token, r.display_name, _utc(r.joined_at) or datetime.now(UTC),
                          r.removed_at is not None)


def _course(r: Row[Any]) -> CourseRow:
    return CourseRow(r.id, r.name, _utc(r.created_at) or _now(), _utc(r.retention_until) or _now(), r.booster_days)
