"""The teacher's classes with their counts: one store query for the Classes page's table and every chooser."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from sourcecheck.sessions.store import ClassSummaryRow, Pacing, Store

__all__ = ["PACING", "class_list", "classes_frame"]

PACING: dict[Pacing, str] = {"teacher": "Teacher-paced", "self": "Self-paced"}


def class_list(db: Store) -> list[ClassSummaryRow]:
    """Every class, newest first, with how many joined and how many answers it holds (one query)."""
    return db.class_summaries()


def classes_frame(classes: Sequence[ClassSummaryRow]) -> pd.DataFrame:
    """The Classes page's table: code, lesson, open or closed, students who joined, when an open class closes by
    itself, pacing and when it started (times in the server's time zone). What a teacher scans for comes first:
    a phone shows the first columns without scrolling."""
    rows = [(c.session.code, c.session.lesson_id, "open" if c.session.status == "open" else "closed", c.students,
             _when(c.session.closes_at) if c.session.status == "open" else "", PACING[c.session.pacing],
             _when(c.session.created_at)) for c in classes]
    return pd.DataFrame(rows, columns=["Code", "Lesson", "Status", "Students", "Closes", "Pacing", "Started"])


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else ""
