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

__all__ = ["answers", "attempts", "check_schedule", "class_sessions", "course_classes", "courses", "form_rotations",
           "join_guesses", "lesson_versions", "metadata", "moves", "participants", "reveals", "student_devices",
           "student_seats", "students", "written_scores"]

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

# A teacher's score of a written answer (issue 19; sessions/store.py, db/written.py). Append-only: a new save is a new
# row and the latest row of a role is that role's current score, so two teachers saving at once lose nothing. The
# first scorer's current score is also written onto the answer row (earned, possible, verdict) in the same
# transaction, so every figure that reads answers counts it; a second scorer's never is. Deleting the answer (its
# student, its class) deletes its scores by the foreign key.
written_scores = Table(
    "written_scores", metadata,
    Column("id", Integer, primary_key=True),
    Column("answer_id", Integer, ForeignKey("answers.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(8), nullable=False),  # first | second
    Column("scorer", String(40), nullable=False),  # initials or a name the teacher typed
    Column("levels", JSON, nullable=False),  # one level's points per criterion, in the rubric's order
    Column("comment", Text, nullable=False),  # at most 2,000 characters; may be empty
    Column("request_key", String(64), nullable=False, unique=True),  # one "Save" of the page: a retry stores once
    Column("scored_at", DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,  # the latest id of a role is its current score: ids only grow
)

Index("ix_participants_session", participants.c.session_id)
Index("ix_participants_device", participants.c.session_id, participants.c.device_hash)
Index("ix_participants_seat", participants.c.session_id, participants.c.seat_hash)
Index("ix_answers_question", answers.c.question_id, answers.c.attempt)
Index("ix_answers_lesson", answers.c.lesson_id)  # a lesson's results across classes (SqlStore.lesson_answers)
Index("ix_written_scores_answer", written_scores.c.answer_id, written_scores.c.role, written_scores.c.id)
Index("ix_class_sessions_lesson", class_sessions.c.lesson_id)
Index("ix_class_sessions_closes_at", class_sessions.c.closes_at)
Index("ix_join_guesses_key", join_guesses.c.key, join_guesses.c.at)
Index("ix_join_guesses_at", join_guesses.c.at)


# -- courses: students known across weeks (issue 18; sessions/courses.py) -------------------------------------------
# Kept apart from the class tables: a one-off class has no row in any of these and works as before. Everything of a
# course hangs off its row by ON DELETE CASCADE, so the retention purge and a teacher's delete are one statement each
# (plus the course's classes, whose participants and answers go by their own cascades).

courses = Table(
    "courses", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("retention_until", DateTime(timezone=True), nullable=False),  # then the purge deletes it all
    Column("booster_days", Integer, nullable=False, server_default="7"),  # post-check to booster, in days
    Column("request_key", String(64), nullable=False, unique=True),  # one "Create" submission: one course
    sqlite_autoincrement=True,
)

students = Table(
    "students", metadata,
    Column("id", Integer, primary_key=True),
    Column("course_id", Integer, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("display_name", String(80), nullable=False),
    Column("name_key", String(80), nullable=False),  # folded (sessions/names.py): one "Sam" per course
    Column("code_hash", String(64), nullable=False, unique=True),  # scrypt of the personal code, never the code
    Column("token", String(64), nullable=False, unique=True),  # the student token their class seats use
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("course_id", "name_key", name="uq_students_course_name_key"),
    sqlite_autoincrement=True,
)

# "This browser belongs to student X": a hash of the HttpOnly device cookie (ui/browser.py), never the id itself.
student_devices = Table(
    "student_devices", metadata,
    Column("device_hash", String(64), primary_key=True),
    Column("student_id", Integer, ForeignKey("students.id", ondelete="CASCADE"), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),  # the course's retention_until
)

# Which classes belong to a course; a check's class also names the check, its phase and the form it plays.
course_classes = Table(
    "course_classes", metadata,
    Column("session_id", Integer, ForeignKey("class_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", Integer, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("check_id", Id),
    Column("phase", String(8)),  # pre | post | delayed | booster
    Column("form", String(8)),  # a check's form letter; NULL for a booster (check_id is then its lesson's id)
)

# Which course student a class participant is: their answers in that class are theirs.
student_seats = Table(
    "student_seats", metadata,
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("student_id", Integer, ForeignKey("students.id", ondelete="CASCADE"), nullable=False),
)

check_schedule = Table(
    "check_schedule", metadata,
    Column("course_id", Integer, ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("check_id", Id, primary_key=True),
    Column("phase", String(8), primary_key=True),
    Column("opens_at", DateTime(timezone=True), nullable=False),
)

# A student's counterbalancing for one check: its forms in letter order, rotated by this much (sessions/courses.py).
form_rotations = Table(
    "form_rotations", metadata,
    Column("student_id", Integer, ForeignKey("students.id", ondelete="CASCADE"), primary_key=True),
    Column("check_id", Id, primary_key=True),
    Column("rotation", Integer, nullable=False),
)

Index("ix_students_course", students.c.course_id)
Index("ix_student_devices_student", student_devices.c.student_id)
Index("ix_course_classes_course", course_classes.c.course_id)
Index("ix_student_seats_student", student_seats.c.student_id)
Index("ix_courses_retention_until", courses.c.retention_until)
