"""A library with a question of every type, for the browser walks that must meet them all (keyboard, axe-core):
the bundled lessons and documents, plus the mark example and its document while no bundled lesson has a mark
question."""

from __future__ import annotations

import shutil
import typing
from pathlib import Path

from mark_lessons import write_mark_library

from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.models import Question
from sourcecheck.lessons.paths import PROJECT_ROOT

__all__ = ["PREFERRED", "lessons_meeting_every_type", "question_types", "write_every_type_library"]

PREFERRED = "raqqa-who-says"  # chosen first when it meets as many types as any other


def question_types() -> set[str]:
    union = typing.get_args(typing.get_args(Question)[0])
    return {typing.get_args(cls.model_fields["type"].annotation)[0] for cls in union}


def write_every_type_library(root: Path) -> tuple[Path, Path]:
    """seeds/ and lessons/ under root: copies of the bundled ones, with the mark example's document and lesson."""
    mark_seeds, mark_lessons = write_mark_library(root / "mark")
    seeds = Path(shutil.copytree(PROJECT_ROOT / "seeds", root / "seeds"))
    lessons = Path(shutil.copytree(PROJECT_ROOT / "lessons", root / "lessons"))
    for path in mark_seeds.glob("*.txt"):
        shutil.copy(path, seeds)
    catalog = seeds / "catalog.yaml"
    entries = (mark_seeds / "catalog.yaml").read_text(encoding="utf-8").split("documents:\n", 1)[1]
    catalog.write_text(catalog.read_text(encoding="utf-8") + entries, encoding="utf-8")
    for path in mark_lessons.glob("*.yaml"):
        shutil.copy(path, lessons)
    return seeds, lessons


def lessons_meeting_every_type(seeds: Path, lessons: Path) -> list[LoadedLesson]:
    """Fewest lessons (greedily) that between them have a question of every type."""
    library = load_library([lessons], load_catalog(seeds)).lessons
    missing, chosen = question_types(), []
    while missing:
        best = max(library, key=lambda x: (len(missing & {q.type for q in x.lesson.questions}), x.id == PREFERRED))
        met = missing & {q.type for q in best.lesson.questions}
        assert met, f"no lesson has a question of type {sorted(missing)}"
        chosen.append(best)
        missing -= met
    return chosen
