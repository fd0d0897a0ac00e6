"""A lesson with a written question scored by rubric (issue 19): two machine-scored questions and one a teacher
scores, for the tests of written scores (tests/test_written_*.py)."""

from __future__ import annotations

from pathlib import Path

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_lesson

__all__ = ["LESSON", "written_lesson"]

LESSON = """\
id: written-flow
title: Written flow
summary: Two questions a machine scores and one a teacher scores.
level: intro
minutes: 2
skills: [named-unnamed]
document: 000_7512caa2dcf887b1
excerpts:
  - id: officials
    quote: Most alarmingly, officials said, Trump revealed the city
questions:
  - id: who
    type: single
    excerpt: officials
    skill: named-unnamed
    prompt: Who gave the information?
    explanation: The officials are not named.
    options:
      - text: Unnamed officials
        correct: true
      - text: The President
  - id: tf
    type: true-false
    excerpt: officials
    skill: named-unnamed
    prompt: The officials are named.
    answer: false
    explanation: No name is given.
  - id: why
    type: short
    excerpt: officials
    skill: named-unnamed
    prompt: How much can you trust this claim, and why?
    model_answer: Not much yet; the officials are not named, so nobody can check them.
    rubric:
      - criterion: Says who is behind the claim
        levels:
          - {points: 0, descriptor: Does not say who, example: It is true.}
          - {points: 1, descriptor: Says the officials are unnamed, example: Nobody is named.}
      - criterion: Says what that means for trust
        levels:
          - {points: 0, descriptor: Draws no conclusion, example: It is in a paper.}
          - {points: 1, descriptor: Says it cannot be checked yet, example: We cannot check it.}
"""


def written_lesson(folder: Path, catalog: Catalog) -> LoadedLesson:
    """The lesson, written to a file in `folder` (a class stores the file's text) and loaded."""
    path = folder / "written-flow.yaml"
    path.write_text(LESSON, encoding="utf-8")
    return load_lesson(path, catalog)
