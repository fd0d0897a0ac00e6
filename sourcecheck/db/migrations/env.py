"""Alembic's environment: always given a live connection by sourcecheck.db.migrate (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from sourcecheck.db.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  compare_server_default=False)
with context.begin_transaction():
    context.run_migrations()
