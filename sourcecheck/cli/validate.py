"""`validate` and `schema`: the two commands a teacher runs while writing a lesson."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sourcecheck.cli import main
from sourcecheck.cli.common import catalog_or_exit, seeds_option
from sourcecheck.errors import format_problem
from sourcecheck.loader import lesson_files, load_library
from sourcecheck.models import Lesson
from sourcecheck.paths import lessons_dir


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@seeds_option
def validate(paths: tuple[Path, ...], seeds: Path | None) -> None:
    """Check lesson files and print every problem as FILE:LINE:COL: message.

    PATHS are lesson files or folders (default: lessons/). Exits 1 if any file
    is invalid, 0 otherwise.

    \b
    Example:
      python -m sourcecheck validate lessons/ my-draft.yaml
    """
    catalog = catalog_or_exit(seeds)
    targets = list(paths) or [lessons_dir()]
    library = load_library(targets, catalog)
    for problem in library.problems:
        click.echo(format_problem(problem))
    files = len(lesson_files(targets))
    broken = len(library.broken_files)
    questions = sum(len(lesson.lesson.questions) for lesson in library.lessons)
    if broken:
        click.echo(f"{broken} of {files} lesson file{'s' if files != 1 else ''} invalid, "
                   f"{len(library.problems)} problem{'s' if len(library.problems) != 1 else ''}")
        raise SystemExit(1)
    click.echo(f"{files} lesson file{'s' if files != 1 else ''} valid, {questions} questions")


@main.command()
def schema() -> None:
    """Print the lesson format as JSON Schema, for editors and the YAML language server.

    \b
    Example:
      python -m sourcecheck schema > docs/lesson.schema.json
    """
    document = Lesson.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "SourceCheck lesson (format version 1)"
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
