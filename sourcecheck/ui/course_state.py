"""What the course pages share (issue 18): the store as courses see it, the library's checks, the clock.

Checks come from `sourcecheck.lessons.check_forms.load_checks` (forms by letter, each a playable lesson; see
sessions/courses.Check), read from the `checks/` folder beside `lessons/` (docs/checks.md) with the app's own
catalog; an invalid check file is left out (`python -m sourcecheck validate` names its problems). Tests may
replace `checks` with a fake made of existing lessons.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.check_forms import Check, load_checks
from sourcecheck.lessons.paths import checks_dir
from sourcecheck.sessions.course_store import ClassCourseStore
from sourcecheck.ui import state

__all__ = ["catalog", "checks", "now", "store"]

_CHECKS: dict[str, Mapping[str, Check]] = {}
_LOCK = threading.Lock()


def store() -> ClassCourseStore:
    """The app's store (db.SqlStore) implements the class and the course calls alike."""
    return cast(ClassCourseStore, state.store())


def catalog() -> Catalog:
    return state.library_cache().catalog


def now() -> datetime:
    return datetime.now(UTC)


def _load(folder: Path) -> Mapping[str, Check]:
    if not folder.is_dir():
        return {}
    return {check.id: check for check in load_checks(folder, catalog())}


def checks() -> Mapping[str, Check]:
    """The library's checks by id, loaded once per process."""
    folder = checks_dir()
    key = str(folder)
    if key not in _CHECKS:
        with _LOCK:
            _CHECKS.setdefault(key, _load(folder))
    return _CHECKS[key]
