"""A table as the teacher pages show it: its title, the frame with column names for people, its CSV, and which
columns are shares (drawn as percentages). Built once here, so a view only draws it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from sourcecheck.analytics.csv import COLUMN_NAMES, for_people, to_csv_bytes

__all__ = ["HIDDEN_COLUMNS", "Table", "table"]

HIDDEN_COLUMNS = ("participant_id", "question_id")  # in the CSV, for a spreadsheet's lookups; not on screen


@dataclass(frozen=True, eq=False)
class Table:
    title: str
    shown: pd.DataFrame  # column names for people, the id columns dropped: hand it to st.dataframe as it is
    csv: bytes  # every column, spreadsheet-safe (analytics.csv.to_csv_bytes)
    slug: str  # the CSV's file name without ".csv", and the download button's key
    percent: tuple[str, ...] = ()  # names of shown columns that are shares
    note: str | None = None

    @property
    def rows(self) -> int:
        return len(self.shown)


def table(title: str, frame: pd.DataFrame, slug: str, *, percent: Sequence[str] = (),
          note: str | None = None) -> Table:
    shown = frame.drop(columns=[c for c in HIDDEN_COLUMNS if c in frame.columns])
    return Table(title, for_people(shown), to_csv_bytes(frame), slug,
                 tuple(COLUMN_NAMES.get(c, c) for c in percent if c in shown.columns), note)
