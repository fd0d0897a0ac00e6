"""How every command fails: one exception in click's style that owns its printing and its exit code.

Commands raise `CommandFailed` instead of printing problems and calling exit themselves, so every
failure goes to standard error, in the same form, with exit 1 (bad content; click keeps 2 for bad usage).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

import click

from sourcecheck.lessons.problems import LessonError, format_problem

__all__ = ["CommandFailed"]


class CommandFailed(click.ClickException):
    exit_code = 1

    def __init__(self, message: str = "", problems: Sequence[LessonError] = (), *, caret: bool = True) -> None:
        super().__init__(message)
        self.problems = list(problems)
        self.caret = caret

    def show(self, file: IO[Any] | None = None) -> None:
        """Every problem first (FILE:LINE:COL with the line and a caret), then what it means for the command."""
        for problem in self.problems:
            click.echo(format_problem(problem, caret=self.caret), err=True)
        if self.message:
            click.echo(f"Error: {self.format_message()}", err=True)
