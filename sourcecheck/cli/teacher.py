"""`passcode`: tell the teacher the passcode for the app's teacher pages."""

from __future__ import annotations

import os

import click

from sourcecheck.sessions.passcode import ENV, passcode_file, teacher_passcode


@click.command()
def passcode() -> None:
    """Print the passcode that opens the app's teacher pages.

    It comes from the environment variable SOURCECHECK_TEACHER_PASSCODE, or is generated once and kept
    in .sourcecheck/teacher-passcode.

    \b
    Example:
      python -m sourcecheck passcode
    """
    code = teacher_passcode()
    click.echo(code)
    where = f"from ${ENV}" if os.environ.get(ENV, "").strip() else f"kept in {passcode_file()}"
    click.echo(f"({where})", err=True)
