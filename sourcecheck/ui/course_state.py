"""What the course pages share (issue 18): the store as courses see it, the library's checks, the clock.

Checks come from `sourcecheck.lessons.checks.load_checks(folder)` (forms by letter, each a playable lesson; see
sessions/courses.Check) when the library has it, read from the `checks/` folder beside `lessons/`; until then
there are none and the pages say so. Tests replace `checks` with a fake made of existing lessons.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.paths import lessons_dir
from sourcecheck.lessons.problems import LessonProblems
from sourcecheck.sessions.course_store import ClassCourseStore
from sourcecheck.sessions.courses import Check
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
    module = importlib.import_module("sourcecheck.lessons.checks")
    loader = cast(Callable[[Path], list[Check]] | None, getattr(module, "load_checks", None))
    if loader is None or not folder.is_dir():
        return {}
    try:
        return {check.id: check for check in loader(folder)}
    except LessonProblems:
        return {}


def checks() -> Mapping[str, Check]:
    """The library's checks by id, loaded once per process."""
    folder = lessons_dir().parent / "checks"
    key = str(folder)
    if key not in _CHECKS:
        with _LOCK:
            _CHECKS.setdefault(key, _load(folder))
    return _CHECKS[key]
