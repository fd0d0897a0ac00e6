"""Boosters (issue 18): how many days after a student's post-check their booster opens, per course.

- courses.booster_days: whole days, 7 unless the teacher picks another number on the Courses page.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, which SQLite does in place: a batch rebuild could lose what 0002 built (AUTOINCREMENT).
    op.add_column("courses", sa.Column("booster_days", sa.Integer(), nullable=False, server_default="7"))


def downgrade() -> None:
    """Not run by the app. On SQLite run it with foreign keys off, as db/migrate.py runs upgrades."""
    with op.batch_alter_table("courses") as batch:
        batch.drop_column("booster_days")
