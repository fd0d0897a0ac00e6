"""Helpers shared by the commands: loading the catalog, and reading a CSV a teacher saved, with a clean error
instead of a traceback."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from sourcecheck.cli.errors import CommandFailed
from sourcecheck.lessons.catalog import Catalog, load_catalog
from sourcecheck.lessons.paths import seeds_dir
from sourcecheck.lessons.problems import LessonProblems

__all__ = ["catalog_or_exit", "read_csv", "seeds_option"]

T = TypeVar("T")

if TYPE_CHECKING:
    from _csv import Reader

seeds_option = click.option(
    "--seeds", "seeds", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder with catalog.yaml and the documents (default: the project's seeds/).")


def catalog_or_exit(seeds: Path | None) -> Catalog:
    try:
        return load_catalog(seeds or seeds_dir())
    except LessonProblems as e:
        raise CommandFailed(problems=e.errors) from e
    except OSError as e:
        raise CommandFailed(f"cannot read the document catalog: {e}") from e


def read_csv(file: Path, header: tuple[str, ...], read: Callable[[Reader], T]) -> T:
    """The rows after `header`, handed to `read`, which returns what it made of them. A file that cannot be read,
    is not UTF-8, has another first line or stops being CSV midway ends in CommandFailed with FILE:LINE."""
    try:
        data = file.read_bytes().removeprefix(b"\xef\xbb\xbf")  # the byte-order mark Excel writes
    except OSError as e:
        raise CommandFailed(f"{file}: cannot read it: {e.strerror}") from e
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise CommandFailed(f"{file}:{line}: not UTF-8 text; save it as CSV UTF-8") from e
    expected = ",".join(header)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        first = next(reader, None)
        if first is None or not any(h.strip() for h in first):
            raise CommandFailed(f"{file}: the file is empty; the first line must be {expected}")
        if tuple(h.strip() for h in first) != header:
            raise CommandFailed(f"{file}:1: the first line must be {expected}, not {','.join(first)!r}")
        return read(reader)
    except csv.Error as e:
        raise CommandFailed(f"{file}:{reader.line_num}: not readable as CSV: {e}") from e
