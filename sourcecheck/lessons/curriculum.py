"""The order the catalog shows lessons in: level first (intro, core, advanced), then the skill progression,
then title.

Level comes first so that a student starting at the top meets every intro lesson before any core one.
Within a level, a lesson's first listed skill is its focus (the lesson format documents this), so a
teacher places a lesson in the progression by the order of its `skills:` list.
"""

from __future__ import annotations

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.skills import skill_rank

__all__ = ["curriculum_order", "focus_skill"]

_LEVELS = {"intro": 0, "core": 1, "advanced": 2}


def focus_skill(lesson: LoadedLesson) -> str:
    return lesson.lesson.skills[0]


def curriculum_order(lessons: list[LoadedLesson]) -> list[LoadedLesson]:
    return sorted(lessons, key=lambda x: (_LEVELS[x.lesson.level], skill_rank(focus_skill(x)), x.lesson.title))
