"""Written answers that count (issue 19): a teacher's scores of written answers, kept append-only.

- written_scores: one row per save (answer, role first|second, scorer, the level per criterion, comment,
  request key, time). The latest row of a role is its current score; the answer row keeps the first scorer's.

A new table only: nothing existing changes.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "written_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("scorer", sa.String(40), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("request_key", sa.String(64), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"], name="fk_written_scores_answer_id_answers",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_written_scores"),
        sa.UniqueConstraint("request_key", name="uq_written_scores_request_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_written_scores_answer", "written_scores", ["answer_id", "role", "id"])


def downgrade() -> None:
    """Not run by the app."""
    op.drop_table("written_scores")
