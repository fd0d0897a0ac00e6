"""Helpers shared by the commands: loading the catalog with a clean error instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import click

from sourcecheck.cli.errors import CommandFailed
from sourcecheck.lessons.catalog import Catalog, load_catalog
from sourcecheck.lessons.paths import seeds_dir
from sourcecheck.lessons.problems import LessonProblems

__all__ = ["catalog_or_exit", "seeds_option"]

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
