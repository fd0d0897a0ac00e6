"""What the hardening needs: wrong join codes counted across processes, classes that close themselves, a cap on
a class's size, and display names compared as people read them.

- join_guesses: one row per wrong join code, keyed by who guessed (a browser session, a client address) or
  by a shared bucket; every process reads and writes the same rows, so a second process is no way around a
  limit. Rows older than the longest window are deleted as new ones come in: the table stays small.
- class_sessions.closes_at: when a forgotten class closes by itself (NULL: only by hand), so the number of
  open codes a guesser could hit stays small.
- class_sessions.max_students: how many may join a class (the teacher can raise it).
- participants.name_key: the display name folded for comparison (NFKC, case, look-alike letters), unique within
  a class: "Ana" and "Аna" with a Cyrillic A are one name there. NULL for rows from before; NULLs never collide.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "join_guesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_join_guesses"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_join_guesses_key", "join_guesses", ["key", "at"])
    op.create_index("ix_join_guesses_at", "join_guesses", ["at"])
    # Plain ADD COLUMN and CREATE INDEX, which SQLite does in place: a batch rebuild here could lose what 0002
    # built (AUTOINCREMENT, the partial index's WHERE).
    op.add_column("class_sessions", sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("class_sessions", sa.Column("max_students", sa.Integer(), nullable=False, server_default="60"))
    op.add_column("participants", sa.Column("name_key", sa.String(80), nullable=True))
    op.create_index("uq_participants_session_name_key", "participants", ["session_id", "name_key"], unique=True)
    op.create_index("ix_class_sessions_closes_at", "class_sessions", ["closes_at"])


def downgrade() -> None:
    """Not run by the app. On SQLite run it with foreign keys off, as db/migrate.py runs upgrades."""
    op.drop_index("ix_class_sessions_closes_at", table_name="class_sessions")
    op.drop_index("uq_participants_session_name_key", table_name="participants")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("name_key")
    with op.batch_alter_table("class_sessions") as batch:
        batch.drop_column("max_students")
        batch.drop_column("closes_at")
    op.drop_index("ix_join_guesses_at", table_name="join_guesses")
    op.drop_index("ix_join_guesses_key", table_name="join_guesses")
    op.drop_table("join_guesses")
