"""`export`: lessons as a Moodle GIFT file, a Canvas QTI zip or a printable worksheet."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sourcecheck.cli.common import catalog_or_exit, seeds_option
from sourcecheck.cli.errors import CommandFailed
from sourcecheck.export import FORMATS, ExportError, export
from sourcecheck.lessons.loader import display_path, load_library


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True,
              help="gift (Moodle), qti (Canvas) or worksheet (printable HTML).")
@click.argument("lessons", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write (default: standard output; a QTI zip needs -o when output is a terminal).")
@click.option("--part", type=click.Choice(["both", "worksheet", "key"]), default="both", show_default=True,
              help="Worksheet only: the student sheets, the answer key, or both.")
@seeds_option
def export_command(fmt: str, lessons: tuple[Path, ...], out: Path | None, part: str, seeds: Path | None) -> None:
    """Export lessons for Moodle (GIFT), Canvas (QTI zip) or paper (HTML worksheet).

    LESSONS are lesson files or folders; every one must be valid. What a format cannot
    express is converted to the nearest thing it can, and a note on standard error says
    so: spans questions become tick-all-that-apply lists of their phrases, mark questions
    (in GIFT and QTI) tick-all-that-apply lists of their passage's annotated phrases, and for
    QTI a match question becomes one multiple-choice question per item.

    \b
    Examples:
      python -m sourcecheck export --format gift lessons/ -o sourcecheck.gift.txt
      python -m sourcecheck export --format qti lessons/raqqa-who-says.yaml -o raqqa.zip
      python -m sourcecheck export --format worksheet lessons/raqqa-who-says.yaml -o raqqa.html
    """
    if part != "both" and fmt != "worksheet":
        raise click.UsageError("--part is only for --format worksheet")
    if fmt == "qti" and out is None and sys.stdout.isatty():
        raise click.UsageError("a QTI export is a zip file: give -o FILE.zip")
    library = load_library(lessons, catalog_or_exit(seeds))
    if library.problems:
        raise CommandFailed("fix these problems first; nothing was exported", library.problems)
    try:
        result = export(fmt, library.lessons, part=part)
    except ExportError as e:
        raise CommandFailed(str(e)) from e
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    data = result.data.encode("utf-8") if isinstance(result.data, str) else result.data
    if out is None:
        click.echo(data, nl=False)  # click writes bytes to the binary stream under stdout
        return
    out.write_bytes(data)
    count = sum(len(x.lesson.questions) for x in library.lessons)
    click.echo(f"wrote {display_path(out)}: {count} question{'s' if count != 1 else ''} from "
               f"{len(library.lessons)} lesson{'s' if len(library.lessons) != 1 else ''}", err=True)
