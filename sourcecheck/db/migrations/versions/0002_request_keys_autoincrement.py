"""Classes started once per request, ids never reused, and an index for a lesson's results.

- class_sessions.request_key (unique): the caller's key for one "Start the class" submission, so a
  retry or a double click finds the class it made instead of starting a second one.
- ix_answers_lesson: SqlStore.lesson_answers reads a lesson's answers across all classes.
- On SQLite, class_sessions and participants become AUTOINCREMENT tables. Without it SQLite gives a new
  row the largest id plus one, so deleting the newest class handed its id to the next class and an old
  projector link (?session=<id>) opened the new one. SQLite cannot change that in place: the tables are
  rebuilt (Alembic batch mode) with every row, id, index and foreign key kept. sourcecheck.db.migrate
  switches foreign keys off around this, or dropping the old class_sessions would cascade to every
  participant and answer. PostgreSQL's sequences never hand out an id twice: nothing to rebuild there.

Ids deleted before this upgrade leave no trace, so the first new class after it can still get the id of
a class deleted before it (only if that was the newest); from then on, none is reused.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _tables_at_0001() -> tuple[sa.Table, sa.Table]:
    """class_sessions and participants exactly as 0001 made them, for batch mode to copy (not reflected: a
    reflection could miss the partial index's WHERE, and this file must not follow later changes to tables.py)."""
    meta = sa.MetaData()
    sa.Table("lesson_versions", meta, sa.Column("hash", sa.String(64), primary_key=True))
    class_sessions = sa.Table(
        "class_sessions", meta,
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
        sa.Index("ix_class_sessions_lesson", "lesson_id"),
    )
    participants = sa.Table(
        "participants", meta,
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
        sa.Index("ix_participants_session", "session_id"),
        sa.Index("uq_participants_solo_token", "token", unique=True, sqlite_where=sa.text("session_id IS NULL")),
    )
    return class_sessions, participants


def upgrade() -> None:
    op.create_index("ix_answers_lesson", "answers", ["lesson_id"])
    key = sa.Column("request_key", sa.String(64), nullable=True)
    if op.get_bind().dialect.name != "sqlite":
        op.add_column("class_sessions", key)
        op.create_unique_constraint("uq_class_sessions_request_key", "class_sessions", ["request_key"])
        return
    class_sessions, participants = _tables_at_0001()
    with op.batch_alter_table("class_sessions", copy_from=class_sessions, recreate="always",
                              table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(key)
        batch.create_unique_constraint("uq_class_sessions_request_key", ["request_key"])
    with op.batch_alter_table("participants", copy_from=participants, recreate="always",
                              table_kwargs={"sqlite_autoincrement": True}):
        pass


def downgrade() -> None:
    """Not run by the app. On SQLite run it with foreign keys off, as db/migrate.py runs upgrades."""
    op.drop_index("ix_answers_lesson", table_name="answers")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("uq_class_sessions_request_key", "class_sessions", type_="unique")
        op.drop_column("class_sessions", "request_key")
        return
    class_sessions, participants = _tables_at_0001()
    class_sessions.append_column(sa.Column("request_key", sa.String(64), nullable=True))
    class_sessions.append_constraint(sa.UniqueConstraint("request_key", name="uq_class_sessions_request_key"))
    with op.batch_alter_table("class_sessions", copy_from=class_sessions, recreate="always") as batch:
        batch.drop_constraint("uq_class_sessions_request_key", type_="unique")
        batch.drop_column("request_key")
    with op.batch_alter_table("participants", copy_from=participants, recreate="always"):
        pass
