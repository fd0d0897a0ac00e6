"""The schema, as SQLAlchemy Core tables: what the store queries and what Alembic's migrations must match.

Uniqueness is the database's job: one answer per participant, lesson, attempt and question; one
participant per class and token; display names unique among a class's students not removed; one solo record
per token; one class per request to start one.

Class and participant ids are never used twice, even after a delete: a projector link names a class
by its id, so an old link must find nothing rather than a newer class. PostgreSQL's sequences never go
back; SQLite reuses the largest rowid after a delete unless the table is AUTOINCREMENT.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)

__all__ = ["answers", "attempts", "class_sessions", "join_guesses", "lesson_versions", "metadata", "moves",
           "participants", "reveals"]

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s",
})

Id = String(64)  # lesson and question ids (slugs of at most 64 characters)

lesson_versions = Table(
    "lesson_versions", metadata,
    Column("hash", String(64), primary_key=True),  # sha256 of the lesson file's bytes
    Column("lesson_id", Id, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

class_sessions = Table(
    "class_sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(6), nullable=False, unique=True),
    Column("lesson_id", Id, nullable=False),
    Column("lesson_hash", String(64), ForeignKey("lesson_versions.hash"), nullable=False),
    Column("pacing", String(8), nullable=False),
    Column("show_names", Boolean, nullable=False, server_default=text("false")),
    Column("status", String(8), nullable=False, server_default="open"),
    Column("current_index", Integer, nullable=False, server_default="-1"),
    # Unused since 0004 (`reveals` holds every question ever revealed); dropping it would rebuild the table on SQLite.
    Column("revealed", Boolean, nullable=False, server_default=text("false")),
    Column("state_version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("closed_at", DateTime(timezone=True)),
    # made once per "Start the class" submission by the caller: a retry or a double click finds the class
    Column("request_key", String(64), unique=True),
    Column("closes_at", DateTime(timezone=True)),  # a forgotten class closes by itself then; NULL: only by hand
    Column("max_students", Integer, nullable=False, server_default="60"),  # the teacher can raise it
    # the id of the question at current_index (NULL in the lobby and at the end): what a reveal records
    Column("current_question", Id),
    # The teacher's optional soft timer (0006): seconds per question, NULL when off; when the question on screen
    # runs out of time (NULL: no timer running). Never scored, nothing closes at zero: it is only shown.
    Column("timer_seconds", Integer),
    Column("timer_ends_at", DateTime(timezone=True)),
    sqlite_autoincrement=True,
)

participants = Table(
    "participants", metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("class_sessions.id", ondelete="CASCADE")),  # NULL: a solo student
    Column("token", String(64), nullable=False),
    Column("display_name", String(80)),
    Column("joined_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("name_key", String(80)),  # the display name folded for comparison (sessions/names.py); NULL: older rows
    # A seat found again (sessions/seats.py): sha256 hex of the browser's device cookie and of the seat code,
    # never the values themselves; NULL for seats from before, and once the teacher removed the student.
    Column("device_hash", String(64)),
    Column("seat_hash", String(64)),
    Column("removed_at", DateTime(timezone=True)),  # the teacher removed the student; answers stay unless deleted
    UniqueConstraint("session_id", "token", name="uq_participants_session_token"),
    # Names are unique among the students still in the class: a removed student's name may be taken again.
    Index("uq_participants_session_name", "session_id", "display_name", unique=True,
          sqlite_where=text("removed_at IS NULL"), postgresql_where=text("removed_at IS NULL")),
    Index("uq_participants_session_name_key", "session_id", "name_key", unique=True,
          sqlite_where=text("removed_at IS NULL"), postgresql_where=text("removed_at IS NULL")),
    # NULLs never collide in a unique constraint, so solo students get a partial index of their own
    Index("uq_participants_solo_token", "token", unique=True,
          sqlite_where=text("session_id IS NULL"), postgresql_where=text("session_id IS NULL")),
    sqlite_autoincrement=True,  # answers name participants by id
)

attempts = Table(
    "attempts", metadata,
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("lesson_id", Id, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("question_ids", JSON, nullable=False),
)

answers = Table(
    "answers", metadata,
    Column("id", Integer, primary_key=True),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("lesson_id", Id, nullable=False),
    Column("lesson_hash", String(64), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("question_id", Id, nullable=False),
    Column("response", JSON),
    Column("earned", Float, nullable=False),
    Column("possible", Integer, nullable=False),
    Column("verdict", String(12), nullable=False),
    Column("confidence", Integer),
    Column("time_taken_ms", Integer),
    Column("submitted_at", DateTime(timezone=True)),
    Column("stored_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("participant_id", "lesson_id", "attempt", "question_id", name="uq_answers_once"),
)

# One row per wrong join code, keyed by who guessed; shared by every process (sessions/guesses.py).
join_guesses = Table(
    "join_guesses", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,
)

moves = Table(
    "moves", metadata,
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("lesson_id", Id, primary_key=True),
    Column("attempt", Integer, primary_key=True),
    Column("question_id", Id, primary_key=True),
)

# Every question the teacher revealed in a class: a reveal is one-way, so moving back to a question shows it revealed
# and no answer to it is taken (sessions/store.py). The primary key makes a repeated reveal store nothing.
reveals = Table(
    "reveals", metadata,
    Column("session_id", Integer, ForeignKey("class_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", Id, primary_key=True),
    Column("revealed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

Index("ix_participants_session", participants.c.session_id)
Index("ix_participants_device", participants.c.session_id, participants.c.device_hash)
Index("ix_participants_seat", participants.c.session_id, participants.c.seat_hash)
Index("ix_answers_question", answers.c.question_id, answers.c.attempt)
Index("ix_answers_lesson", answers.c.lesson_id)  # a lesson's results across classes (SqlStore.lesson_answers)
Index("ix_class_sessions_lesson", class_sessions.c.lesson_id)
Index("ix_class_sessions_closes_at", class_sessions.c.closes_at)
Index("ix_join_guesses_key", join_guesses.c.key, join_guesses.c.at)
Index("ix_join_guesses_at", join_guesses.c.at)
