"""The order the catalog shows lessons in: the skill progression, then level, then title.

A lesson's first listed skill is its focus (the lesson format documents this), so a teacher
places a lesson in the progression by the order of its `skills:` list.
"""

from __future__ import annotations

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.skills import skill_rank

__all__ = ["curriculum_order", "focus_skill"]

_LEVELS = {"intro": 0, "core": 1, "advanced": 2}


def focus_skill(lesson: LoadedLesson) -> str:
    return lesson.lesson.skills[0]


def curriculum_order(lessons: list[LoadedLesson]) -> list[LoadedLesson]:
    return sorted(lessons, key=lambda x: (skill_rank(focus_skill(x)), _LEVELS[x.lesson.level], x.lesson.title))
