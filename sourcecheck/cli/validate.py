"""`validate` and `schema`: the two commands a teacher runs while writing a lesson."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from sourcecheck.authoring.workshop import WorkshopError, plan_save
from sourcecheck.cli.common import seeds_option
from sourcecheck.lessons.catalog import Catalog, load_catalog
from sourcecheck.lessons.check_forms import CheckLibrary, is_check_file, read_checks
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library, display_path, lesson_files, load_library
from sourcecheck.lessons.models import Lesson
from sourcecheck.lessons.paths import checks_dir, lessons_dir, seeds_dir
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
    """Check lesson and check files and print every problem as FILE:LINE:COL: message.

    PATHS are lesson or check files or folders (default: lessons/ and checks/);
    a file with a top-level 'forms:' key is a check (docs/checks.md). Exits 1 if
    any file is invalid, 0 otherwise.

    \b
    Examples:
      python -m sourcecheck validate lessons/ my-draft.yaml
      python -m sourcecheck validate --format json lessons/
      python -m sourcecheck validate --watch my-draft.yaml
    """
    targets = list(paths) or [lessons_dir(), *([checks_dir()] if checks_dir().is_dir() else [])]
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
    files = lesson_files(targets)
    check_files = [p for p in files if is_check_file(p)]
    lesson_targets = [p for p in files if p not in check_files]
    try:
        catalog = load_catalog(seeds or seeds_dir())
    except LessonProblems as e:
        return _report(lesson_targets, Library(problems=e.errors), fmt)
    except OSError as e:
        problem = LessonError(str(seeds or seeds_dir()), 0, 0, f"cannot read the document catalog: {e.strerror}")
        return _report(lesson_targets, Library(problems=[problem]), fmt)
    library, every_lesson = _with_the_library(lesson_targets, catalog)
    checks = read_checks(check_files, catalog, every_lesson) if check_files else None
    return _report(lesson_targets, library, fmt, checks, len(check_files))


def _with_the_library(targets: Sequence[Path], catalog: Catalog) -> tuple[Library, list[LoadedLesson]]:
    """Check the targets as the app will see them: beside every lesson in lessons/, so a copied lesson in
    lessons/ that kept its original's id is caught here (the newer of the two files is the one refused), not
    first in the app. A draft outside lessons/ is not in the app yet: one with a lesson's id gets the workshop's
    answer, that saving it replaces that file, whichever of the two was saved last. Only the targets' own
    problems and lessons are reported; every lesson loaded is returned beside them, the passages a check may
    not quote."""
    mine = {p.resolve() for p in lesson_files(targets)}
    folder = lessons_dir()
    in_folder = folder.is_dir()
    drafts = [p for p in lesson_files(targets) if not (in_folder and p.resolve().parent == folder.resolve())]
    others = [p for p in lesson_files([folder]) if p.resolve() not in mine and not is_check_file(p)] \
        if in_folder else []
    library = load_library([p for p in lesson_files(targets) if p not in drafts] + others, catalog)
    draft_library = load_library(drafts, catalog)
    if in_folder:
        draft_library.lessons = [_replacing(draft, folder, library) for draft in draft_library.lessons]

    def in_targets(path: str | Path) -> bool:
        return Path(path).resolve() in mine

    return (Library([x for x in [*library.lessons, *draft_library.lessons] if in_targets(x.path)],
                    [e for e in [*library.problems, *draft_library.problems] if in_targets(e.path)]),
            [*library.lessons, *draft_library.lessons])


def _replacing(draft: LoadedLesson, folder: Path, library: Library) -> LoadedLesson:
    """The draft with a warning when saving it into lessons/ (the workshop's Save, or a copy) replaces a file."""
    try:
        plan = plan_save(folder, draft.id, {lesson.id: lesson.path for lesson in library.lessons})
    except WorkshopError:
        return draft
    if plan.conflict is None:
        return draft
    holder = library.get(draft.id)
    why = (f"lesson id '{draft.id}' is already used by {display_path(plan.target)}" if holder is not None
           else f"{display_path(plan.target)} already exists")
    where = draft.origin
    warning = LessonError(display_path(draft.path), where.id_line, where.id_column,
                          f"{why}: this replaces {display_path(plan.target)} when saved into "
                          f"{display_path(folder)}/ (as the workshop's Save does); to add a new lesson instead, give "
                          "this one its own id", where.id_text)
    return replace(draft, warnings=(warning, *draft.warnings))


def _report(targets: Sequence[Path], library: Library, fmt: str, checks: CheckLibrary | None = None,
            check_files: int = 0) -> int:
    """Problems fail the check (exit 1); warnings are printed but do not: the lesson works as written."""
    checks = checks or CheckLibrary()
    files = len(lesson_files(targets))
    problems = [*library.problems, *checks.problems]
    check_line = _check_summary(checks, check_files)
    broken = len(library.broken_files)
    questions = sum(len(lesson.lesson.questions) for lesson in library.lessons)
    warnings = library.warnings
    if fmt == "json":
        summary = {"files": files, "invalid_files": broken, "problems": len(problems),
                   "warnings": len(warnings), "questions": questions, "valid": not problems}
        if check_files:
            summary |= {"check_files": check_files, "invalid_check_files": len(checks.broken_files)}
        click.echo(json.dumps({"problems": [p.to_dict() for p in problems],
                               "warnings": [w.to_dict() for w in warnings], "summary": summary},
                              indent=2, ensure_ascii=False))
        return 1 if problems else 0
    for problem in problems:
        click.echo(format_problem(problem))
    for warning in warnings:
        click.echo(format_problem(replace(warning, message=f"warning: {warning.message}")))
    noted = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
    if files or not check_files:
        if library.problems:
            click.echo(f"{broken} of {files} lesson file{'s' if files != 1 else ''} invalid, "
                       f"{len(library.problems)} problem{'s' if len(library.problems) != 1 else ''}{noted}")
        else:
            click.echo(f"{files} lesson file{'s' if files != 1 else ''} valid, {questions} questions{noted}")
    if check_line:
        click.echo(check_line)
    return 1 if problems else 0


def _check_summary(checks: CheckLibrary, count: int) -> str:
    if not count:
        return ""
    files = f"check file{'s' if count != 1 else ''}"
    if checks.problems:
        return (f"{len(checks.broken_files)} of {count} {files} invalid, "
                f"{len(checks.problems)} problem{'s' if len(checks.problems) != 1 else ''}")
    forms = sum(len(c.forms) for c in checks.checks)
    items = sum(len(f.lesson.questions) for c in checks.checks for f in c.forms.values())
    return f"{count} {files} valid, {forms} forms, {items} questions"


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
