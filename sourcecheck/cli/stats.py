"""`stats`: coverage of a lesson library, as plain-text tables."""

from __future__ import annotations

from pathlib import Path

import click

from sourcecheck.authoring.stats import library_stats
from sourcecheck.cli.common import catalog_or_exit, seeds_option
from sourcecheck.cli.errors import CommandFailed
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.paths import lessons_dir
from sourcecheck.lessons.skills import SKILLS


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@seeds_option
def stats(paths: tuple[Path, ...], seeds: Path | None) -> None:
    """Print coverage tables for a lesson library: lessons, the texts they quote (texts invented for practice
    marked), questions by type, skill and document, labels used, sourcing mix, and questions that lack
    per-option feedback or give the answer away by length.

    \b
    Example:
      python -m sourcecheck stats lessons/
    """
    library = load_library(list(paths) or [lessons_dir()], catalog_or_exit(seeds))
    s = library_stats(library.lessons)
    sections = [
        (f"Lessons ({len(s.lessons)}), in catalog order", s.lessons.to_string(index=False)),
        (f"Texts quoted ({len(s.texts)}; invented: written for practice)", s.texts.to_string(index=False)),
        (f"Questions by type ({s.question_count} in all)", s.by_type.to_string()),
        ("Questions by skill, in the order of the progression",
         s.by_skill.rename(index=lambda name: f"{name}: {SKILLS[name]}").to_string()),
        ("Questions by document (first excerpt)", s.by_document.to_string()),
        ("Questions by sourcing of their excerpts", s.by_sourcing.to_string()),
        ("Labels used (annotations)", s.labels.to_string()),
        ("Position of the right option in single questions (0 = first)", s.positions.to_string()),
        (f"Questions with no per-option feedback ({len(s.no_feedback)})",
         s.no_feedback.to_string(index=False) if len(s.no_feedback) else "none"),
        (f"Questions whose right option is the longest ({len(s.longest_correct)})",
         s.longest_correct.to_string(index=False) if len(s.longest_correct) else "none"),
    ]
    for title, body in sections:
        click.echo(f"\n{title}\n{'-' * len(title)}\n{body}")
    if library.problems:
        raise CommandFailed("these lesson files are left out of the tables above", library.problems, caret=False)
