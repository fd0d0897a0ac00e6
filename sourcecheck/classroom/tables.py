"""A table as the teacher pages show it: its title, the frame with column names for people, its CSV, which
columns are shares (drawn as percentages), what an empty cell says, and which columns hold long text (given a
fixed width, so the table fits the screen and the text is cut rather than the table scrolling sideways). Built
once here, so a view only draws it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from sourcecheck.analytics.csv import COLUMN_NAMES, for_people, to_csv_bytes

__all__ = ["HIDDEN_COLUMNS", "NO_VALUE", "Table", "table"]

HIDDEN_COLUMNS = ("participant_id", "question_id")  # in the CSV, for a spreadsheet's lookups; not on screen
LONG_TEXT = ("prompt", "skill", "text", "feedback", "wrong_answer")  # text columns of sentences
NO_VALUE = "—"  # an empty cell: nobody answered, or the figure is undefined (never "None")


@dataclass(frozen=True, eq=False)
class Table:
    title: str
    shown: pd.DataFrame  # column names for people, the id columns dropped: hand it to st.dataframe as it is
    csv: bytes  # every column, spreadsheet-safe (analytics.csv.to_csv_bytes)
    slug: str  # the CSV's file name without ".csv", and the download button's key
    percent: tuple[str, ...] = ()  # names of shown columns that are shares
    note: str | None = None
    missing: str = NO_VALUE  # what an empty cell shows
    long_text: tuple[str, ...] = ()  # names of shown columns of long text

    @property
    def rows(self) -> int:
        return len(self.shown)


def table(title: str, frame: pd.DataFrame, slug: str, *, percent: Sequence[str] = (),
          note: str | None = None, missing: str = NO_VALUE) -> Table:
    shown = frame.drop(columns=[c for c in HIDDEN_COLUMNS if c in frame.columns])
    return Table(title, for_people(shown), to_csv_bytes(frame), slug,
                 tuple(COLUMN_NAMES.get(c, c) for c in percent if c in shown.columns), note, missing,
                 tuple(COLUMN_NAMES[c] for c in LONG_TEXT if c in shown.columns))
