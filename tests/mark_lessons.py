"""A temp library for marking questions: the walkthrough's document and docs/examples/type-mark.yaml.

The bundled lessons have no mark questions yet, so AppTest and the browser tests serve these instead
(SOURCECHECK_SEEDS and SOURCECHECK_LESSONS point the app at the folders written here).
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.paths import PROJECT_ROOT

__all__ = ["EXAMPLE", "load_mark_lesson", "write_mark_library"]

EXAMPLE = PROJECT_ROOT / "docs" / "examples" / "type-mark.yaml"
_CATALOG = textwrap.dedent("""\
    documents:
      - id: school-board
        title: School board votes to start classes later next year
        outlet: null
        author: Dana Whitfield
        date: null
        url: null
        kind: news report
        description: A short made-up news report on a school board vote, for the walkthrough.
    """)


def write_mark_library(root: Path, lessons: dict[str, str] | None = None) -> tuple[Path, Path]:
    """seeds/ with the one document and lessons/ with the example (and any `lessons` given as name -> YAML)."""
    seeds, folder = root / "seeds", root / "lessons"
    seeds.mkdir(parents=True)
    folder.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "docs" / "examples" / "school-board.txt", seeds / "school-board.txt")
    (seeds / "catalog.yaml").write_text(_CATALOG, encoding="utf-8")
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    for name, text in (lessons or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return seeds, folder


def load_mark_lesson(root: Path, lesson_id: str = "example-mark") -> LoadedLesson:
    seeds, folder = write_mark_library(root)
    library = load_library([folder], load_catalog(seeds))
    assert not library.problems, library.problems
    found = library.get(lesson_id)
    assert found is not None
    return found
