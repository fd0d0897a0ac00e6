"""Classroom: lesson versions, class sessions, participants, attempts, answers and moves.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lesson_versions",
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("lesson_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("hash", name="pk_lesson_versions"),
    )
    op.create_table(
        "class_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("lesson_id", sa.String(64), nullable=False),
        sa.Column("lesson_hash", sa.String(64), nullable=False),
        sa.Column("pacing", sa.String(8), nullable=False),
        sa.Column("show_names", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("status", sa.String(8), server_default="open", nullable=False),
        sa.Column("current_index", sa.Integer(), server_default="-1", nullable=False),
        sa.Column("revealed", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("state_version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["lesson_hash"], ["lesson_versions.hash"],
                                name="fk_class_sessions_lesson_hash_lesson_versions"),
        sa.PrimaryKeyConstraint("id", name="pk_class_sessions"),
        sa.UniqueConstraint("code", name="uq_class_sessions_code"),
    )
    op.create_index("ix_class_sessions_lesson", "class_sessions", ["lesson_id"])
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(80), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["class_sessions.id"], ondelete="CASCADE",
                                name="fk_participants_session_id_class_sessions"),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        sa.UniqueConstraint("session_id", "token", name="uq_participants_session_token"),
        sa.UniqueConstraint("session_id", "display_name", name="uq_participants_session_name"),
    )
    op.create_index("ix_participants_session", "participants", ["session_id"])
    op.create_index("uq_participants_solo_token", "participants", ["token"], unique=True,
                    sqlite_where=sa.text("session_id IS NULL"), postgresql_where=sa.text("session_id IS NULL"))
    op.create_table(
        "attempts",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE",
                                name="fk_attempts_participant_id_participants"),
        sa.PrimaryKeyConstraint("participant_id", "lesson_id", "number", name="pk_attempts"),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.String(64), nullable=False),
        sa.Column("lesson_hash", sa.String(64), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("earned", sa.Float(), nullable=False),
        sa.Column("possible", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(12), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("time_taken_ms", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stored_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE",
                                name="fk_answers_participant_id_participants"),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
        sa.UniqueConstraint("participant_id", "lesson_id", "attempt", "question_id", name="uq_answers_once"),
    )
    op.create_index("ix_answers_question", "answers", ["question_id", "attempt"])
    op.create_table(
        "moves",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.String(64), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE",
                                name="fk_moves_participant_id_participants"),
        sa.PrimaryKeyConstraint("participant_id", "lesson_id", "attempt", "question_id", name="pk_moves"),
    )


def downgrade() -> None:
    for table in ("moves", "answers", "attempts", "participants", "class_sessions", "lesson_versions"):
        op.drop_table(table)
