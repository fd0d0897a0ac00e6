"""Shared fixtures: the real catalog, temporary lesson folders, the bundled library."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from sourcecheck.lessons.catalog import Catalog, load_catalog
from sourcecheck.lessons.loader import Library, load_library
from sourcecheck.lessons.paths import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"

# Every test run gets its own SQLite file: never a developer's data/ folder or their DATABASE_URL.
TEST_DATA = Path(tempfile.mkdtemp(prefix="sourcecheck-tests-"))
os.environ["DATABASE_URL"] = f"sqlite:///{TEST_DATA / 'app.db'}"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(PROJECT_ROOT / "seeds")


@pytest.fixture(scope="session")
def library(catalog: Catalog) -> Library:
    return load_library([PROJECT_ROOT / "lessons"], catalog)


@pytest.fixture
def lesson_dir(tmp_path: Path) -> Path:
    """An empty lessons folder; copy fixtures into it with `shutil.copy`."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    return folder


@pytest.fixture
def minimal_text() -> str:
    return (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")


def copy_fixture(name: str, folder: Path) -> Path:
    return Path(shutil.copy(FIXTURES / name, folder))


@pytest.fixture
def progress_store() -> object:
    from sourcecheck.sessions.scratch import ScratchStore

    return ScratchStore()
