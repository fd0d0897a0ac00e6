"""A reveal is one-way (issue 16): every question a teacher revealed in a class is stored, so moving back to it
shows it revealed and no answer to it is taken.

- reveals: one row per class and revealed question, deleted with the class.
- class_sessions.current_question: the id of the question on screen, which a reveal records and the live state
  looks up in reveals. NULL in the lobby, at the end, and for classes from before (their next move sets it).

class_sessions.revealed stays, unused: dropping it would rebuild the table on SQLite.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reveals",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("revealed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["class_sessions.id"], name="fk_reveals_session_id_class_sessions",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "question_id", name="pk_reveals"),
    )
    # Plain ADD COLUMN, which SQLite does in place: a batch rebuild could lose what 0002 built (AUTOINCREMENT).
    op.add_column("class_sessions", sa.Column("current_question", sa.String(64), nullable=True))
    # A class left open across the upgrade loses the reveal of the question it is on (its id is in the lesson's
    # text, not here): the teacher reveals it again; its next move sets current_question.


def downgrade() -> None:
    """Not run by the app. On SQLite run it with foreign keys off, as db/migrate.py runs upgrades."""
    with op.batch_alter_table("class_sessions") as batch:
        batch.drop_column("current_question")
    op.drop_table("reveals")
