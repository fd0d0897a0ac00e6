"""Display names that students choose when they join a class: tidy, short, and never markup.

Names are stored as typed (after tidying) and escaped wherever they are shown; the rules here
only keep them readable on a projector and in a spreadsheet.
"""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_NAME", "NameRejected", "clean_display_name"]

MAX_NAME = 40


class NameRejected(ValueError):
    """A name that cannot be shown; the message tells the student what to type instead."""


def clean_display_name(text: str) -> str:
    """Collapse spaces, drop control and invisible characters, and refuse an empty or overlong name."""
    visible = "".join(" " if ch.isspace() else ch for ch in text
                      if ch.isspace() or unicodedata.category(ch)[0] != "C")
    name = " ".join(visible.split())
    if not name:
        raise NameRejected("Type a name for the class to see, for example your first name.")
    if len(name) > MAX_NAME:
        raise NameRejected(f"That name is {len(name)} characters long; use at most {MAX_NAME}.")
    return name
