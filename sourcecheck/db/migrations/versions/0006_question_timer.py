"""An optional soft timer per question (issue 16): the teacher picks seconds per question on the projector; the
projector and the phones show the time left. Never scored, and nothing closes at zero.

- class_sessions.timer_seconds: seconds per question, NULL when the timer is off (every class before this).
- class_sessions.timer_ends_at: when the question on screen runs out of time; NULL when no timer runs.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, which SQLite does in place: a batch rebuild could lose what 0002 built (AUTOINCREMENT).
    op.add_column("class_sessions", sa.Column("timer_seconds", sa.Integer(), nullable=True))
    op.add_column("class_sessions", sa.Column("timer_ends_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Not run by the app. On SQLite run it with foreign keys off, as db/migrate.py runs upgrades."""
    with op.batch_alter_table("class_sessions") as batch:
        batch.drop_column("timer_ends_at")
        batch.drop_column("timer_seconds")
