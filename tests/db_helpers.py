"""What tests of the database share and that is no fixture (tests/conftest.py holds the fixtures)."""

from __future__ import annotations

from sourcecheck.lessons.paths import PROJECT_ROOT


def migration_head() -> str:
    """The newest migration's revision, read from the migrations folder (a new migration needs no test edit)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "sourcecheck" / "db" / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head
