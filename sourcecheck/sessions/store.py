"""What the sessions layer needs from storage, and the plain records that cross that boundary.

The database package implements `Store` (it is the only package that imports SQLAlchemy); the
sessions layer and the views only see these frozen records, never an ORM object or a connection.
Every write is one transaction, and every write is safe to repeat: a rerun, a double click, two tabs
or the store's retry after a dropped network (which cannot tell whether a COMMIT arrived) leave the
database as one call would. How, write by write:
- a unique constraint turns the repeat into a no-op that returns False (or finds the existing row):
  `save_lesson_version` (the text's hash), `solo_participant` (one solo record per token),
  `start_attempt`, `record_answer` (one answer per participant, lesson, attempt and question),
  `mark_moved_on`, and `join` (one participant per class and token: the repeat gets the same one);
- `create_session` carries a request key, unique among classes: the same key gets the class it
  started. The caller makes one key per request (one "Start the class" form submission); without
  one the store makes a key per call, which covers its own retries but not a double click;
- `reveal` records the question on screen in the class's reveals, keyed by class and question: a repeat stores
  nothing and moves no version. A reveal is one-way: `set_position` never un-reveals, and a question revealed
  before is revealed again when the class comes back to it (`LiveState.revealed`), so no answer to it is taken;
- an UPDATE or DELETE that a repeat cannot take further: `close_session` (only an open class), `delete_session`
  and `purge_solo` (nothing left to delete), `set_position` (the same position again; only the state version
  moves once more, so screens redraw once more, and a running timer starts again),
  `set_max_students` (the same limit again), `set_timer` (the same seconds again; the clock starts again),
  `reclaim_seat` (the same device again) and `remove_participant` (only a student still in the class is
  removed; a deleted one is gone);
- `extend_timer` names the state version the teacher saw and moves it on: a repeat finds another version and
  adds nothing;
- `save_written_score` carries a request key, unique among written scores: the same key finds the score it
  stored and returns the same SavedScore, and changes nothing more.
A repeat may return False where the first call, whose answer was lost, would have said True.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal, Protocol, runtime_checkable

from sourcecheck.grading.responses import Response
from sourcecheck.grading.scoring import Score, Verdict

__all__ = [
    "FIRST_ATTEMPT", "AnswerRow", "AttemptRow", "ClassSessionRow", "ClassSummaryRow", "FirstAnswerRow", "LiveState",
    "Pacing", "ParticipantRow", "ProgressRows", "ProgressStore", "QuestionCount", "RollCallRow", "SessionAnswerRow",
    "Store", "StoreUnavailable",
    "ClassFull", "MAX_SCORE_COMMENT", "MAX_SCORER", "SavedScore", "ScorerRole", "WrittenAnswerRow",
    "WrittenFeedbackStore",
    "WrittenScoreRow",
]

Pacing = Literal["teacher", "self"]


class StoreUnavailable(RuntimeError):
    """The database stopped answering mid-class (a restart, a dropped network) and kept silent for longer than
    the store's retries wait. Nothing was half-written: every write is one transaction, and a retried one is
    idempotent. The views show a "reconnecting" message and try again (ui/reconnect.py)."""


class ClassFull(Exception):
    """A join beyond the class's `max_students`: nothing was stored. A student already in the class is never
    refused (the same token gets its participant back first)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the class is full ({limit} students)")
        self.limit = limit


@dataclass(frozen=True)
class AttemptRow:
    number: int
    question_ids: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class AnswerRow:
    """One stored answer, with the score computed once when it was stored (sessions/progress.py).

    The one record of an answer: the student's feedback and summary, and the teacher's pages, all show this
    score, never one computed again. Built by keyword only: thirteen fields in a row are easy to misplace.
    """

    participant_id: int
    lesson_id: str
    lesson_hash: str
    attempt: int
    question_id: str
    response: Response
    earned: float
    possible: int
    verdict: Verdict
    confidence: int | None = None
    time_taken_ms: int | None = None
    submitted_at: datetime | None = None
    stored_at: datetime | None = None

    @property
    def score(self) -> Score:
        """The stored score, as grading's record: what the feedback and the summary show."""
        return Score(earned=self.earned, possible=self.possible, verdict=self.verdict)


@dataclass(frozen=True)
class ClassSessionRow:
    id: int
    code: str
    lesson_id: str
    lesson_hash: str
    pacing: Pacing
    show_names: bool
    status: Literal["open", "closed"]
    current_index: int
    revealed: bool
    state_version: int
    created_at: datetime
    closed_at: datetime | None = None
    closes_at: datetime | None = None  # a forgotten class closes by itself then (sessions/classes.py); None: by hand
    max_students: int = 60  # how many may join; the teacher can raise it (Classes page)
    timer_seconds: int | None = None  # the soft timer per question (sessions/timer.py); None: off


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    session_id: int | None
    token: str
    display_name: str | None
    joined_at: datetime
    removed: bool = False  # the teacher removed the student from the class (their answers may remain)


@dataclass(frozen=True)
class LiveState:
    """The one small row every student's screen polls: it changes only when the teacher acts."""

    version: int
    current_index: int
    revealed: bool  # the question on screen was revealed, now or before (a reveal is one-way)
    status: Literal["open", "closed"]
    timer_ends_at: datetime | None = None  # when the question on screen runs out of time; None: no timer runs


@dataclass(frozen=True)
class ProgressRows:
    attempts: list[AttemptRow]
    answers: list[AnswerRow]
    moved_on: set[tuple[int, str]]


@dataclass(frozen=True)
class SessionAnswerRow:
    answer: AnswerRow
    display_name: str | None
    session_id: int | None = None


FIRST_ATTEMPT: Final = 1
"""The attempt a class's statistics and the projector count: a retry is practice, and counting it would make a
question look easier than it was for the class. The one place the rule is written (the store's queries and
analytics.frames.first_attempts use it)."""


@dataclass(frozen=True)
class ClassSummaryRow:
    """A class with how many joined and how many answers it holds: the teacher's class list, read in one query.
    The counts only grow while a class runs, so with `session.state_version` they key the teacher's caches."""

    session: ClassSessionRow
    students: int
    answers: int


@dataclass(frozen=True)
class QuestionCount:
    """How many of those who joined have answered one question (first attempts): the projector's live count.
    Students the teacher removed count in neither; `removed` says how many there are (it keys the caches)."""

    joined: int
    answered: int
    removed: int = 0


@dataclass(frozen=True)
class FirstAnswerRow:
    """One student's first answer to one question, with their name: what the projector's reveal and names read."""

    display_name: str | None
    response: Response


@dataclass(frozen=True)
class RollCallRow:
    """One student of a class and whether they have answered one question (a first attempt): the teacher's remote
    names who has not answered yet."""

    display_name: str | None
    answered: bool


ScorerRole = Literal["first", "second"]
MAX_SCORER: Final = 40  # characters of a scorer's initials or name
MAX_SCORE_COMMENT: Final = 2000  # characters of a scorer's comment to the student


@dataclass(frozen=True)
class WrittenScoreRow:
    """One save of a teacher's score of a written answer (issue 19). Rows are never overwritten: the latest of a
    role is that role's current score. `levels`: the points picked per criterion, in the rubric's order."""

    id: int
    answer_id: int
    role: ScorerRole
    scorer: str
    levels: tuple[int, ...]
    comment: str
    scored_at: datetime


@dataclass(frozen=True)
class WrittenAnswerRow:
    """One student's written answer to one question (the first attempt, the one the class's figures count) with
    each role's current score: what the scoring page reads."""

    answer_id: int
    participant_id: int
    display_name: str
    text: str
    submitted_at: datetime | None
    first: WrittenScoreRow | None
    second: WrittenScoreRow | None


@dataclass(frozen=True)
class SavedScore:
    """What a save stored, and the role's current score it replaced when that was not the one the teacher had seen
    (another teacher saved in between: the later save wins, and the page names the earlier scorer and score)."""

    saved: WrittenScoreRow
    replaced: WrittenScoreRow | None


@runtime_checkable
class WrittenFeedbackStore(Protocol):
    """A store that keeps teachers' scores of written answers (the database; not the workshop's scratch store, whose
    drafts no teacher scores): what a student's summary reads them from (sessions/progress.py)."""

    def written_feedback(self, participant_id: int, lesson_id: str, attempt: int) -> dict[str, WrittenScoreRow]: ...


class ProgressStore(Protocol):
    """One student's way through a lesson: all that a Progress reads and writes."""

    def solo_participant(self, token: str) -> int: ...
    def attempts(self, participant_id: int, lesson_id: str) -> list[AttemptRow]: ...
    def start_attempt(self, participant_id: int, lesson_id: str, number: int,
                      question_ids: Sequence[str]) -> bool: ...
    def record_answer(self, answer: AnswerRow) -> bool: ...
    def answers(self, participant_id: int, lesson_id: str) -> list[AnswerRow]: ...
    def mark_moved_on(self, participant_id: int, lesson_id: str, attempt: int, question_id: str) -> bool: ...
    def moved_on(self, participant_id: int, lesson_id: str) -> set[tuple[int, str]]: ...
    def progress(self, participant_id: int, lesson_id: str) -> ProgressRows: ...

    # -- disk (issue 17, finding 4): solo rows made at the first answer ---------------------------------------
    def find_solo_participant(self, token: str) -> int | None: ...  # a read: None until the token's first answer


class Store(ProgressStore, Protocol):
    """The database: progress, solo students, lesson versions and class sessions."""

    # lesson versions: a class keeps running on the text it started with
    def save_lesson_version(self, lesson_id: str, text: str) -> str: ...
    def lesson_version(self, lesson_hash: str) -> tuple[str, str] | None: ...

    # class sessions
    def create_session(self, lesson_id: str, lesson_hash: str, *, pacing: Pacing, show_names: bool = False,
                       request_key: str | None = None, closes_at: datetime | None = None) -> ClassSessionRow: ...
    def session_by_code(self, code: str) -> ClassSessionRow | None: ...
    def session(self, session_id: int) -> ClassSessionRow | None: ...
    def close_session(self, session_id: int) -> bool: ...
    def delete_session(self, session_id: int) -> bool: ...
    def join(self, session_id: int, token: str, display_name: str, *,  # LookupError; ClassFull
             device_hash: str | None = None, seat_hash: str | None = None) -> ParticipantRow: ...
    def participant(self, session_id: int, token: str) -> ParticipantRow | None: ...
    def participants(self, session_id: int) -> list[ParticipantRow]: ...
    def live_state(self, session_id: int) -> LiveState | None: ...
    def set_position(self, session_id: int, index: int, question_id: str | None) -> bool: ...  # sessions.classes.move
    def reveal(self, session_id: int) -> bool: ...
    def session_answers(self, session_id: int) -> list[SessionAnswerRow]: ...
    def lesson_answers(self, lesson_id: str) -> list[SessionAnswerRow]: ...

    # the teacher's reads (sourcecheck/classroom/): one set-based query each, whatever the number of classes
    def class_summaries(self) -> list[ClassSummaryRow]: ...
    def lesson_participants(self, lesson_id: str) -> list[ParticipantRow]: ...
    def question_count(self, session_id: int, question_id: str) -> QuestionCount: ...
    def first_answers(self, session_id: int, question_id: str) -> list[FirstAnswerRow]: ...
    def roll_call(self, session_id: int, question_id: str) -> list[RollCallRow]: ...  # the remote's names
    # the class this token joined under this code, open or closed: a student's summary after the class closed
    def joined_class(self, code: str, token: str) -> ClassSessionRow | None: ...

    # wrong join codes (sessions/guesses.py): rows every process shares, expired a bounded batch at a time
    def record_guesses(self, keys: Sequence[str], at: datetime) -> None: ...
    def guess_counts(self, since: Sequence[tuple[str, datetime]]) -> list[int]: ...
    def prune_guesses(self, before: datetime, limit: int) -> int: ...

    # is any class on this lesson open? (sessions/solo.py)
    def lesson_has_open_class(self, lesson_id: str) -> bool: ...

    # solo data expires (sessions/progress.py stores a visitor's rows only with the first answer)
    def purge_solo(self, now: datetime) -> int: ...  # solo students idle for the retention period: how many went
    def purge_solo_if_due(self) -> int | None: ...  # at most once a day per process; None: not due

    # names and class size: the teacher's side of the cap (SqlStore.join applies it)
    def set_max_students(self, session_id: int, limit: int) -> bool: ...

    # seats found again, and students removed (sessions/seats.py)
    def device_seat(self, code: str, device_hash: str) -> ParticipantRow | None: ...
    def reclaim_seat(self, session_id: int, seat_hash: str, device_hash: str | None) -> ParticipantRow | None: ...
    def remove_participant(self, session_id: int, participant_id: int, *, delete_answers: bool = False) -> bool: ...

    # the soft timer per question (sessions/timer.py): shown only, never scored, nothing closes at zero
    def set_timer(self, session_id: int, seconds: int | None) -> bool: ...
    def extend_timer(self, session_id: int, version: int, seconds: int) -> bool: ...

    # written answers scored by a teacher (issue 19; db/written.py): append-only, keyed by a request key
    def written_answers(self, session_ids: Sequence[int], question_id: str) -> list[WrittenAnswerRow]: ...
    def save_written_score(self, answer_id: int, role: ScorerRole, scorer: str, levels: Sequence[int],  # LookupError
                           comment: str, score: Score, seen_id: int | None, request_key: str) -> SavedScore: ...
    def written_feedback(self, participant_id: int, lesson_id: str, attempt: int) -> dict[str, WrittenScoreRow]: ...
