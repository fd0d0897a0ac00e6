"""One error type for every problem in a lesson or catalog file, printed the same way everywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_SHOWN = 100  # characters of a long source line printed around the caret
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

Loc = tuple[str | int, ...]  # a path in the YAML tree, as pydantic gives it: ("questions", 2, "options")


@dataclass(frozen=True)
class Problem:
    """A problem in a lesson's data, before the loader ties it to a line and column of the file."""

    loc: Loc
    message: str
    at_key: bool = False  # point at the key (``options:``) rather than its value
    flow_list_only: bool = False  # a warning that holds only for an item written inside a `[...]` list
    word: int | None = None  # point at this word (0-based) of the text value, e.g. where a quote differs


@dataclass
class ProblemCollector:
    """Every check adds here and none stops at the first problem (pypa/packaging's error collector):
    a teacher fixing a lesson wants the whole list in one run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, loc: Loc, message: str, *, at_key: bool = False, flow_list_only: bool = False,
            word: int | None = None) -> None:
        self.items.append(Problem(loc, message, at_key, flow_list_only, word))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

__all__ = ["LessonError", "LessonProblems", "Loc", "Problem", "ProblemCollector", "format_problem"]


@dataclass(frozen=True)
class LessonError:
    """A problem at a place in a file. line and column are 1-based; 0 means the whole file."""

    path: str
    line: int
    column: int
    message: str
    source_line: str | None = None  # the offending line, to print with a caret under it

    def __post_init__(self) -> None:
        """A message quotes what the file holds (a key, a value), which may hold a line break or a control
        character: written as an escape, every problem stays one FILE:LINE:COL line wherever it is printed."""
        if _CONTROL.search(self.message):
            object.__setattr__(self, "message", _CONTROL.sub(_escape, self.message))

    def headline(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "column": self.column, "message": self.message}


def format_problem(error: LessonError, *, caret: bool = True) -> str:
    """strictyaml's style: the message, then the line itself with a caret under the column.

    A very long line (a minified or hostile file) is shown as a window around the column.
    """
    if not caret or not error.source_line or error.line < 1:
        return error.headline()
    line, column = _window(error.source_line, max(error.column - 1, 0))
    return f"{error.headline()}\n    {line}\n    {' ' * column}^"


def _window(line: str, column: int, width: int = _SHOWN) -> tuple[str, int]:
    if len(line) <= width:
        return line, column
    start = min(max(column - width // 2, 0), len(line) - width)
    shown = line[start:start + width]
    if start > 0:
        shown, column = "…" + shown[1:], column - start
    else:
        column -= start
    return (shown[:-1] + "…" if start + width < len(line) else shown), column


def _escape(match: re.Match[str]) -> str:
    return match.group(0).encode("unicode_escape").decode("ascii")


class LessonProblems(Exception):
    """Raised with every problem found in one file, never just the first."""

    def __init__(self, errors: list[LessonError]) -> None:
        super().__init__("\n".join(e.headline() for e in errors))
        self.errors = errors
