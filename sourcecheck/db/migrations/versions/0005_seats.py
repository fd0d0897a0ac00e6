"""A student finds their seat again, and a teacher can remove one (issue 16, "A live class that holds up").

- participants.device_hash: sha256 of the browser's device cookie, indexed with the class: the same browser
  (a QR code scanned again, a closed tab reopened) returns to its seat.
- participants.seat_hash: sha256 of the student's personal seat code (sessions/seats.py), for coming back
  from another device.
- participants.removed_at: the teacher removed the student; their answers stay unless deleted too.
- Display names (and their folded keys) are unique among the students still in the class, so a removed
  student's name can be taken again: the unique constraint and index become partial indexes
  (WHERE removed_at IS NULL). PostgreSQL drops and creates them in place. SQLite cannot drop a constraint from
  CREATE TABLE: participants is rebuilt (Alembic batch mode, as 0002 did) with every row, id, index and foreign
  key kept and AUTOINCREMENT kept; sourcecheck.db.migrate switches foreign keys off around it, or dropping the
  old table would cascade to every answer.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_LIVE = sa.text("removed_at IS NULL")


def _participants_at_0004() -> sa.Table:
    """participants exactly as 0001 to 0004 left it, for batch mode to copy (not reflected: a reflection could
    miss the partial index's WHERE, and this file must not follow later changes to tables.py)."""
    meta = sa.MetaData()
    sa.Table("class_sessions", meta, sa.Column("id", sa.Integer(), primary_key=True))
    return sa.Table(
        "participants", meta,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(80), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["class_sessions.id"], ondelete="CASCADE",
                                name="fk_participants_session_id_class_sessions"),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        sa.UniqueConstraint("session_id", "token", name="uq_participants_session_token"),
        sa.UniqueConstraint("session_id", "display_name", name="uq_participants_session_name"),
        sa.Index("ix_participants_session", "session_id"),
        sa.Index("uq_participants_solo_token", "token", unique=True, sqlite_where=sa.text("session_id IS NULL")),
        sa.Index("uq_participants_session_name_key", "session_id", "name_key", unique=True),
        sqlite_autoincrement=True,
    )


def _new_columns() -> list[sa.Column[object]]:
    return [sa.Column("device_hash", sa.String(64), nullable=True),
            sa.Column("seat_hash", sa.String(64), nullable=True),
            sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True)]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("participants", copy_from=_participants_at_0004(), recreate="always",
                                  table_kwargs={"sqlite_autoincrement": True}) as batch:
            for column in _new_columns():
                batch.add_column(column)
            batch.drop_constraint("uq_participants_session_name", type_="unique")
            batch.drop_index("uq_participants_session_name_key")
    else:
        for column in _new_columns():
            op.add_column("participants", column)
        op.drop_constraint("uq_participants_session_name", "participants", type_="unique")
        op.drop_index("uq_participants_session_name_key", table_name="participants")
    op.create_index("uq_participants_session_name", "participants", ["session_id", "display_name"], unique=True,
                    sqlite_where=_LIVE, postgresql_where=_LIVE)
    op.create_index("uq_participants_session_name_key", "participants", ["session_id", "name_key"], unique=True,
                    sqlite_where=_LIVE, postgresql_where=_LIVE)
    op.create_index("ix_participants_device", "participants", ["session_id", "device_hash"])
    op.create_index("ix_participants_seat", "participants", ["session_id", "seat_hash"])


def downgrade() -> None:
    """Not run by the app. On SQLite run it with foreign keys off, as db/migrate.py runs upgrades. Fails if a
    removed student's name was taken again (the old constraint cannot hold both)."""
    for name in ("ix_participants_seat", "ix_participants_device", "uq_participants_session_name_key",
                 "uq_participants_session_name"):
        op.drop_index(name, table_name="participants")
    if op.get_bind().dialect.name == "sqlite":
        table = _participants_at_0004()
        for column in _new_columns():
            table.append_column(column)
        with op.batch_alter_table("participants", copy_from=table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": True}) as batch:
            for column in _new_columns():
                batch.drop_column(column.name)
        return
    op.create_unique_constraint("uq_participants_session_name", "participants", ["session_id", "display_name"])
    op.create_index("uq_participants_session_name_key", "participants", ["session_id", "name_key"], unique=True)
    for column in _new_columns():
        op.drop_column("participants", column.name)
