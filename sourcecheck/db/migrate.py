"""Bring a database's schema up to date when the app starts; safe when several processes start at once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

__all__ = ["HEAD", "upgrade"]

HEAD = "0001"
_LOCK = 731_942_001  # a PostgreSQL advisory lock id of our own: one process migrates, the others wait


def upgrade(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
