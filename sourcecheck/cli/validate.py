"""`validate` and `schema`: the two commands a teacher runs while writing a lesson."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from sourcecheck.cli.common import seeds_option
from sourcecheck.lessons.catalog import Catalog, load_catalog
from sourcecheck.lessons.loader import Library, lesson_files, load_library
from sourcecheck.lessons.models import Lesson
from sourcecheck.lessons.paths import lessons_dir, seeds_dir
from sourcecheck.lessons.problems import LessonError, LessonProblems, format_problem

__all__ = ["check_once", "snapshot", "watch_loop"]

Stamps = dict[Path, tuple[int, int]]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: a list of problems (path, line, column, message) and a summary, for editors and scripts.")
@click.option("--watch", is_flag=True, help="Validate again each time a lesson file or the catalog is saved; "
                                            "stop with Ctrl-C.")
@seeds_option
def validate(paths: tuple[Path, ...], fmt: str, watch: bool, seeds: Path | None) -> None:
    """Check lesson files and print every problem as FILE:LINE:COL: message.

    PATHS are lesson files or folders (default: lessons/). Exits 1 if any file
    is invalid, 0 otherwise.

    \b
    Examples:
      python -m sourcecheck validate lessons/ my-draft.yaml
      python -m sourcecheck validate --format json lessons/
      python -m sourcecheck validate --watch my-draft.yaml
    """
    targets = list(paths) or [lessons_dir()]
    if not watch:
        if check_once(targets, seeds, fmt):
            raise click.exceptions.Exit(1)  # the report above, on standard output, is the message
        return
    watch_folder = seeds or seeds_dir()
    click.echo(f"watching {len(lesson_files(targets))} lesson file(s); Ctrl-C to stop", err=True)
    try:
        watch_loop(targets, lambda: check_once(targets, seeds, fmt), extra=[watch_folder / "catalog.yaml"])
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)


def check_once(targets: Sequence[Path], seeds: Path | None, fmt: str) -> int:
    """Validate once and print the result; the exit code the command would give (0 or 1)."""
    try:
        catalog = load_catalog(seeds or seeds_dir())
    except LessonProblems as e:
        return _report(targets, Library(problems=e.errors), fmt)
    except OSError as e:
        problem = LessonError(str(seeds or seeds_dir()), 0, 0, f"cannot read the document catalog: {e.strerror}")
        return _report(targets, Library(problems=[problem]), fmt)
    return _report(targets, _with_the_library(targets, catalog), fmt)


def _with_the_library(targets: Sequence[Path], catalog: Catalog) -> Library:
    """Check the targets as the app will see them: beside every lesson in lessons/, so a copied lesson that kept
    its original's id is caught here (the newer of the two files is the one refused), not first in the app.
    Only the targets' own problems and lessons are reported."""
    mine = {p.resolve() for p in lesson_files(targets)}
    others = [p for p in lesson_files([lessons_dir()]) if p.resolve() not in mine] if lessons_dir().is_dir() else []
    library = load_library([*lesson_files(targets), *others], catalog)

    def in_targets(path: str | Path) -> bool:
        return Path(path).resolve() in mine

    return Library([x for x in library.lessons if in_targets(x.path)],
                   [e for e in library.problems if in_targets(e.path)])


def _report(targets: Sequence[Path], library: Library, fmt: str) -> int:
    """Problems fail the check (exit 1); warnings are printed but do not: the lesson works as written."""
    files = len(lesson_files(targets))
    broken = len(library.broken_files)
    questions = sum(len(lesson.lesson.questions) for lesson in library.lessons)
    warnings = library.warnings
    if fmt == "json":
        summary = {"files": files, "invalid_files": broken, "problems": len(library.problems),
                   "warnings": len(warnings), "questions": questions, "valid": not library.problems}
        click.echo(json.dumps({"problems": [p.to_dict() for p in library.problems],
                               "warnings": [w.to_dict() for w in warnings], "summary": summary},
                              indent=2, ensure_ascii=False))
        return 1 if library.problems else 0
    for problem in library.problems:
        click.echo(format_problem(problem))
    for warning in warnings:
        click.echo(format_problem(replace(warning, message=f"warning: {warning.message}")))
    noted = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
    if library.problems:
        click.echo(f"{broken} of {files} lesson file{'s' if files != 1 else ''} invalid, "
                   f"{len(library.problems)} problem{'s' if len(library.problems) != 1 else ''}{noted}")
        return 1
    click.echo(f"{files} lesson file{'s' if files != 1 else ''} valid, {questions} questions{noted}")
    return 0


def snapshot(targets: Sequence[Path], extra: Sequence[Path] = ()) -> Stamps:
    """Modification time and size of every watched file; a new, removed or saved file changes it."""
    stamps: Stamps = {}
    for path in [*lesson_files(targets), *extra]:
        try:
            st = path.stat()
        except OSError:
            continue
        stamps[path] = (st.st_mtime_ns, st.st_size)
    return stamps


def watch_loop(targets: Sequence[Path], check: Callable[[], int], *, extra: Sequence[Path] = (),
          interval: float = 0.5, sleep: Callable[[float], None] | None = None) -> None:
    """Run `check` now and after every change, polling file stamps; ends only by an exception (Ctrl-C).

    Polling (rather than watchfiles, which is not installed) keeps this dependency-free and
    works on every file system; half a second is quick enough for someone saving a file.
    """
    sleep = sleep or time.sleep
    check()
    seen = snapshot(targets, extra)
    while True:
        sleep(interval)
        now = snapshot(targets, extra)
        if now != seen:
            seen = now
            click.echo(f"\n--- {datetime.now():%H:%M:%S} changed; validating again", err=True)
            check()


@click.command()
def schema() -> None:
    """Print the lesson format as JSON Schema, for editors and the YAML language server.

    \b
    Example:
      python -m sourcecheck schema > docs/lesson.schema.json
    """
    click.echo(json.dumps(schema_document(), indent=2, ensure_ascii=False))


def schema_document() -> dict[str, object]:
    document = Lesson.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "SourceCheck lesson (format version 1)"
    return document
