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
import secrets
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, Row, Table, and_, bindparam, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import BindParameter

from sourcecheck.db.codes import new_code, normalise_code
from sourcecheck.db.tables import answers, attempts, class_sessions, lesson_versions, moves, participants
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
    SessionAnswerRow,
    StoreUnavailable,
)

__all__ = ["SqlStore"]

_CODE_TRIES = 20

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

# A join (SqlStore.join), statement by statement: built once.
_SESSION: BindParameter[int] = bindparam("session")
_LOCK_CLASS = (update(class_sessions).where(class_sessions.c.id == _SESSION, class_sessions.c.status == "open")
               .values(max_students=class_sessions.c.max_students).returning(class_sessions.c.max_students))
_BY_TOKEN = select(participants).where(participants.c.session_id == _SESSION,
                                       participants.c.token == bindparam("token"))
_JOINED = select(func.count()).select_from(participants).where(participants.c.session_id == _SESSION)
_NAMESAKES = (select(participants.c.name_key)
              .where(participants.c.session_id == _SESSION,
                     or_(participants.c.name_key == bindparam("key"),
                         participants.c.name_key.like(bindparam("prefix"), escape="\\"))))
_NAME_TRIES = 20


def _like_prefix(text: str) -> str:
    """A LIKE pattern for names starting with `text`, its own % and _ taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


RETRY_SECONDS = 10.0  # a restart of PostgreSQL takes a few seconds; longer, and the page says so itself
_P = ParamSpec("_P")
_R = TypeVar("_R")
_S = TypeVar("_S", bound="SqlStore")


def retrying(method: Callable[Concatenate[_S, _P], _R]) -> Callable[Concatenate[_S, _P], _R]:
    """Run one store call again while the database cannot be reached, then raise StoreUnavailable.

    Only for calls that may run twice: reads, and writes whose repeat stores nothing new (a unique
    constraint, a request key, an UPDATE to the same values). A connection that drops after COMMIT
    leaves the caller not knowing whether the write happened, and the retry is what finds out.
    """

    @functools.wraps(method)
    def call(store: _S, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        deadline = time.monotonic() + store.retry_seconds
        for attempt in range(1, 10_000):
            try:
                return method(store, *args, **kwargs)
            except (OperationalError, InterfaceError) as e:  # connection refused, reset, server shut down
                if time.monotonic() >= deadline:
                    raise StoreUnavailable(f"the database did not answer for {store.retry_seconds:.0f} s") from e
                if store.on_retry is not None:
                    store.on_retry(attempt)
                time.sleep(min(1.0, 0.1 * 2 ** attempt))
        raise AssertionError("unreachable")

    return call


def new_request_key() -> str:
    """A key for one request to start a class: random, so two requests never share one by accident."""
    return secrets.token_urlsafe(24)


class SqlStore:
    def __init__(self, engine: Engine, *, retry_seconds: float = RETRY_SECONDS) -> None:
        self.engine = engine
        self.retry_seconds = retry_seconds
        self.on_retry: Callable[[int], None] | None = None  # told before each retry (the attempt number)
        self._inserts: dict[tuple[str, tuple[str, ...]], Insert] = {}

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
            answers, participant_id=answer.participant_id, lesson_id=answer.lesson_id,
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
                       request_key: str | None = None) -> ClassSessionRow:
        """A new open class, or the class this request key already started (a retry, a double click, a rerun
        of the same form submission): never two. Without a key, one is made here, before the retries
        start, so that a retry still finds the class it made."""
        return self._create_session(lesson_id, lesson_hash, pacing, show_names, request_key or new_request_key())

    @retrying  # the request key is unique in the table: a repeat finds the class it made
    def _create_session(self, lesson_id: str, lesson_hash: str, pacing: Pacing, show_names: bool,
                        request_key: str) -> ClassSessionRow:
        for _ in range(_CODE_TRIES):
            code = new_code()
            if self._insert(class_sessions, code=code, request_key=request_key, lesson_id=lesson_id,
                            lesson_hash=lesson_hash, pacing=pacing, show_names=show_names, status="open",
                            current_index=-1, revealed=False, state_version=1):
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
        return self._session_where(class_sessions.c.code == normalise_code(code), class_sessions.c.status == "open")

    @retrying
    def session(self, session_id: int) -> ClassSessionRow | None:
        return self._session_where(class_sessions.c.id == session_id)

    @retrying
    def sessions(self, lesson_id: str | None = None) -> list[ClassSessionRow]:
        query = select(class_sessions).order_by(class_sessions.c.id.desc())
        if lesson_id is not None:
            query = query.where(class_sessions.c.lesson_id == lesson_id)
        with self.engine.connect() as c:
            return [_session(r) for r in c.execute(query).all()]

    @retrying  # only an open class closes: a repeat changes nothing
    def close_session(self, session_id: int) -> bool:
        return self._update_open(session_id, status="closed", closed_at=datetime.now(UTC))

    @retrying  # a repeat finds nothing to delete
    def delete_session(self, session_id: int) -> bool:
        with self.engine.begin() as c:
            return c.execute(delete(class_sessions).where(class_sessions.c.id == session_id)).rowcount == 1

    @retrying  # unique (class, token): a repeat finds the participant it made
    def join(self, session_id: int, token: str, display_name: str) -> ParticipantRow:
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
        time of a join is a fixed handful of statements, whatever the number of namesakes."""
        existing = self._find_participant(session_id, token)  # a refresh or a second tab: no lock needed
        if existing is not None:
            return existing
        key = name_key(display_name)
        with self.engine.begin() as c:
            limit = c.execute(_LOCK_CLASS, {"session": session_id}).scalar()
            if limit is None:
                raise LookupError(f"class {session_id} is not there")
            row = c.execute(_BY_TOKEN, {"session": session_id, "token": token}).first()
            if row is not None:  # joined from another tab while this one waited for the lock
                return _participant(row)
            if c.execute(_JOINED, {"session": session_id}).scalar_one() >= limit:
                raise ClassFull(int(limit))
            taken = set(c.execute(_NAMESAKES, {"session": session_id, "key": key,
                                               "prefix": _like_prefix(key + " (")}).scalars())
            tried: set[int] = set()
            for _ in range(_NAME_TRIES):
                n = next(n for n in itertools.count(1) if n not in tried and suffixed(key, n) not in taken)
                row = c.execute(self._join_insert(), {"session": session_id, "token": token,
                                        "name": suffixed(display_name, n), "key": suffixed(key, n)}).first()
                if row is not None:
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
        with self.engine.connect() as c:
            row = c.execute(select(class_sessions.c.state_version, class_sessions.c.current_index,
                                   class_sessions.c.revealed, class_sessions.c.status)
                            .where(class_sessions.c.id == session_id)).first()
        return LiveState(row.state_version, row.current_index, bool(row.revealed), row.status) if row else None

    @retrying  # a repeat writes the same position; only the version moves again (one more redraw)
    def set_position(self, session_id: int, index: int) -> bool:
        return self._update_open(session_id, current_index=index, revealed=False)

    @retrying  # only an unrevealed question is revealed: a repeat changes nothing
    def reveal(self, session_id: int) -> bool:
        return self._update_open(session_id, class_sessions.c.revealed.is_(False), revealed=True)

    @retrying
    def answer_count(self, session_id: int, question_id: str, attempt: int = 1) -> int:
        query = (select(func.count()).select_from(answers.join(participants))
                 .where(participants.c.session_id == session_id, answers.c.question_id == question_id,
                        answers.c.attempt == attempt))
        with self.engine.connect() as c:
            return int(c.execute(query).scalar_one())

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
                        name_key=bindparam("key"))
                .returning(*participants.c))
        return query

    def _insert_once(self, table: Table) -> Insert:
        """INSERT that does nothing when a unique constraint says the row is already there."""
        if self.engine.dialect.name == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing()
        return sqlite.insert(table).on_conflict_do_nothing()

    def _insert(self, table: Table, **values: Any) -> bool:
        """True only when this call stored the row: RETURNING gives a row exactly then (rowcount is not
        reliable for INSERT ... ON CONFLICT on every driver). One statement per table and set of columns,
        built once: the values travel as parameters."""
        key = (table.name, tuple(values))
        query = self._inserts.get(key)
        if query is None:
            query = self._inserts[key] = (self._insert_once(table).values({k: bindparam(k) for k in values})
                                          .returning(*table.primary_key.columns))
        try:
            with self.engine.begin() as c:
                return c.execute(query, values).first() is not None
        except IntegrityError:  # a foreign key (the class was deleted meanwhile): nothing stored
            return False

    def _update_open(self, session_id: int, *conditions: Any, **values: Any) -> bool:
        """Change a class that is still open, and bump the version every student's screen compares."""
        query = (update(class_sessions)
                 .where(class_sessions.c.id == session_id, class_sessions.c.status == "open", *conditions)
                 .values(state_version=class_sessions.c.state_version + 1, **values))
        with self.engine.begin() as c:
            return c.execute(query).rowcount == 1

    def _session_where(self, *conditions: Any) -> ClassSessionRow | None:
        with self.engine.connect() as c:
            row = c.execute(select(class_sessions).where(*conditions)).first()
        return _session(row) if row else None

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
                  .where(participants.c.session_id.is_not(None)).group_by(participants.c.session_id).subquery())
        given = (select(participants.c.session_id, func.count().label("answers"))
                 .select_from(answers.join(participants)).where(participants.c.session_id.is_not(None))
                 .group_by(participants.c.session_id).subquery())
        query = (select(class_sessions, func.coalesce(people.c.students, 0).label("students"),
                        func.coalesce(given.c.answers, 0).label("answers"))
                 .select_from(class_sessions.outerjoin(people, people.c.session_id == class_sessions.c.id)
                              .outerjoin(given, given.c.session_id == class_sessions.c.id))
                 .order_by(class_sessions.c.id.desc()))
        with self.engine.connect() as c:
            rows = c.execute(query).all()
        return [ClassSummaryRow(_session(r), int(r.students), int(r.answers)) for r in rows]

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
        projector's poll runs it every second."""
        first = and_(answers.c.participant_id == participants.c.id, answers.c.question_id == question_id,
                     answers.c.attempt == FIRST_ATTEMPT)
        query = (select(func.count(participants.c.id).label("joined"), func.count(answers.c.id).label("answered"))
                 .select_from(participants.outerjoin(answers, first)).where(participants.c.session_id == session_id))
        with self.engine.connect() as c:
            row = c.execute(query).one()
        return QuestionCount(int(row.joined), int(row.answered))

    @retrying
    def first_answers(self, session_id: int, question_id: str) -> list[FirstAnswerRow]:
        """Each student's first answer to one question, with their name, in the order they came: one statement
        for the reveal's counts and the names on the projector, where reading the whole class's answers and
        filtering them here was one per poll."""
        query = (select(participants.c.display_name, answers.c.response)
                 .select_from(answers.join(participants))
                 .where(participants.c.session_id == session_id, answers.c.question_id == question_id,
                        answers.c.attempt == FIRST_ATTEMPT)
                 .order_by(answers.c.id))
        with self.engine.connect() as c:
            return [FirstAnswerRow(r.display_name, r.response) for r in c.execute(query).all()]

    # -- names and class size (issue 17, finding 5) --------------------------------------------------------
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


def _session(r: Row[Any]) -> ClassSessionRow:
    return ClassSessionRow(r.id, r.code, r.lesson_id, r.lesson_hash, r.pacing, bool(r.show_names), r.status,
                           r.current_index, bool(r.revealed), r.state_version,
                           _utc(r.created_at) or datetime.now(UTC), _utc(r.closed_at), r.max_students)


def _participant(r: Row[Any]) -> ParticipantRow:
    return ParticipantRow(r.id, r.session_id, r.token, r.display_name, _utc(r.joined_at) or datetime.now(UTC))
