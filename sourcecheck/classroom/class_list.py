"""The teacher's classes with their counts: one store query for the Classes page's table and every chooser."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sourcecheck.sessions.store import ClassSummaryRow, Pacing, Store

__all__ = ["PACING", "class_list", "classes_frame"]

PACING: dict[Pacing, str] = {"teacher": "Teacher-paced", "self": "Self-paced"}


def class_list(db: Store) -> list[ClassSummaryRow]:
    """Every class, newest first, with how many joined and how many answers it holds (one query)."""
    return db.class_summaries()


def classes_frame(classes: Sequence[ClassSummaryRow]) -> pd.DataFrame:
    """The Classes page's table: code, lesson, pacing, open or closed, students who joined, when it started."""
    rows = [(c.session.code, c.session.lesson_id, PACING[c.session.pacing],
             "open" if c.session.status == "open" else "closed", c.students,
             c.session.created_at.strftime("%Y-%m-%d %H:%M")) for c in classes]
    return pd.DataFrame(rows, columns=["Code", "Lesson", "Pacing", "Status", "Students", "Started"])
