"""Alembic migrations, applied when the app starts: a class's data survives upgrades."""
