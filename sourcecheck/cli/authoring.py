"""The commands a teacher uses to write a lesson: add-document, new, quote and preview."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from sourcecheck.authoring.add_document import DocumentError, add_document, slugify
from sourcecheck.authoring.quotes import Passage, closest, find_passages, yaml_scalar
from sourcecheck.authoring.scaffold import ScaffoldError, scaffold_lesson
from sourcecheck.cli.child import run_child
from sourcecheck.cli.common import catalog_or_exit, seeds_option
from sourcecheck.cli.errors import CommandFailed
from sourcecheck.lessons.catalog import Catalog, Document, DocumentInfo
from sourcecheck.lessons.loader import display_path, load_lesson
from sourcecheck.lessons.paths import PROJECT_ROOT, lessons_dir, seeds_dir
from sourcecheck.lessons.problems import LessonProblems
from sourcecheck.lessons.rules import is_slug

__all__ = ["preview_command", "schema_hint"]

SCHEMA_FILE = PROJECT_ROOT / "docs" / "lesson.schema.json"
APP_FILE = PROJECT_ROOT / "app.py"


@click.command("add-document")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", required=True, help="The document's title, as the text gives it.")
@click.option("--outlet", help="The publication, if the text names it.")
@click.option("--author", help="The author, if the text names one.")
@click.option("--date", help="The publication date, if the text gives one (e.g. 2024-05-01).")
@click.option("--url", help="Where the text was published.")
@click.option("--kind", help="What kind of text it is: news report, opinion column, blog post...")
@click.option("--description", help="A neutral one-line summary of what kind of text it is.")
@click.option("--invented", is_flag=True,
              help="The text was written for practice (its people and places made up); the app says so.")
@click.option("--id", "doc_id", help="The document id (default: made from the title).")
@seeds_option
def add_document_command(file: Path, title: str, outlet: str | None, author: str | None, date: str | None,
                         url: str | None, kind: str | None, description: str | None, invented: bool,
                         doc_id: str | None, seeds: Path | None) -> None:
    """Add a UTF-8 text file to the documents that lessons can quote.

    The file is copied into seeds/ under a name made from the title, and an entry is
    appended to seeds/catalog.yaml (its comments are kept). Fill --outlet, --author and
    --date only where the text itself states them. Binary files, files that are not
    UTF-8, files over 2 MB and ids already in the catalog are refused.

    \b
    Example:
      python -m sourcecheck add-document board-vote.txt --title "School board approves later start" \\
          --outlet "Riverside Courier" --kind "news report"
    """
    info = DocumentInfo(id=doc_id or "", title=title, outlet=outlet, author=author, date=date, url=url, kind=kind,
                        invented=invented, description=description)
    folder = seeds or seeds_dir()
    try:
        added = add_document(folder, file, info)
    except DocumentError as e:
        raise CommandFailed(str(e)) from e
    click.echo(f"added {display_path(folder / (added.id + '.txt'))} as document '{added.id}'")
    click.echo(f"next: python -m sourcecheck new --document {added.id} --id my-lesson")


@click.command()
@click.option("--document", "doc_id", required=True, help="The id of the document the lesson quotes.")
@click.option("--id", "lesson_id", required=True, help="The new lesson's id: lowercase letters, digits and '-'.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the lesson (default: lessons/ID.yaml).")
@seeds_option
def new(doc_id: str, lesson_id: str, out: Path | None, seeds: Path | None) -> None:
    """Start a new lesson: a commented file with one example of each question type.

    The examples quote real sentences of the document, so the new file is valid as it
    is; replace them one at a time and validate after each change. An existing file is
    never overwritten.

    \b
    Example:
      python -m sourcecheck new --document 000_7512caa2dcf887b1 --id mole-sources
    """
    if not is_slug(lesson_id):
        raise click.BadParameter("use lowercase letters, digits and '-', starting with a letter or digit "
                                 f"(for example '{_suggest_slug(lesson_id)}')", param_hint="'--id'")
    document = _document_or_exit(catalog_or_exit(seeds), doc_id)
    target = out or lessons_dir() / f"{lesson_id}.yaml"
    if target.exists():
        raise CommandFailed(f"{display_path(target)} already exists; pick another --id or --out")
    try:
        text = scaffold_lesson(document, lesson_id, schema_path=schema_hint(target))
    except ScaffoldError as e:
        raise CommandFailed(str(e)) from e
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as f:
        f.write(text)
    click.echo(f"wrote {display_path(target)}")
    click.echo(f"next: python -m sourcecheck validate {display_path(target)}")


@click.command()
@click.option("--document", "doc_id", required=True, help="The id of the document to search.")
@click.argument("words", nargs=-1, required=True)
@seeds_option
def quote(doc_id: str, words: tuple[str, ...], seeds: Path | None) -> None:
    """Find a passage in a document and print it ready to paste as `quote:`.

    The search ignores case, extra spaces and line breaks, and the style of quote marks
    and dashes. The match is widened to whole sentences. "first words ... last words"
    quotes everything from the first words to the last ones. With several matches, each
    is printed with its line number in the document; with none, the closest passage is
    shown and the exit code is 1.

    \b
    Examples:
      python -m sourcecheck quote --document 000_7512caa2dcf887b1 "new york times now confirms"
      python -m sourcecheck quote --document 000_7512caa2dcf887b1 "there has been ... becomes possible"
    """
    document = _document_or_exit(catalog_or_exit(seeds), doc_id)
    wanted = " ".join(words)
    found = find_passages(document, wanted)
    if not found:
        near = closest(document, wanted)
        raise CommandFailed(f"no passage of {doc_id} contains “{' '.join(wanted.split())}”; the closest passage "
                            f"(line {near.line}) is: “{near.text(document)}”")
    if len(found) == 1:
        click.echo(_quote_line(found[0], document))
        return
    click.echo(f"{len(found)} passages of {doc_id} contain these words:", err=True)
    for passage in found:
        click.echo(f"# line {passage.line}\n{_quote_line(passage, document)}")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(1024, 65535), default=8501, show_default=True,
              help="The port the app listens on.")
@seeds_option
def preview(file: Path, port: int, seeds: Path | None) -> None:
    """Open the app on one lesson file, anywhere on disk, to try it as a student would.

    The file is validated first: if it has problems they are printed and the app is not
    started. Stop the app with Ctrl-C.

    \b
    Example:
      python -m sourcecheck preview my-draft.yaml
    """
    catalog = catalog_or_exit(seeds)
    try:
        load_lesson(file, catalog)
    except LessonProblems as e:
        raise CommandFailed("fix these problems first; the app was not started", e.errors) from e
    if not APP_FILE.is_file():
        raise CommandFailed(f"the app ({display_path(APP_FILE)}) is not there")
    argv, env = preview_command(file, port=port, seeds=seeds)
    click.echo(f"previewing {display_path(file)} at http://localhost:{port}  (Ctrl-C to stop)")
    code = run_child(argv, env, PROJECT_ROOT)
    if code:
        click.echo("stopped", err=True)
        raise click.exceptions.Exit(code)


def preview_command(file: Path, *, port: int = 8501, seeds: Path | None = None,
                    base_env: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The streamlit command and environment that open the app on `file` alone."""
    env = dict(os.environ if base_env is None else base_env)
    env["SOURCECHECK_LESSONS"] = str(file.resolve())
    if seeds is not None:
        env["SOURCECHECK_SEEDS"] = str(seeds.resolve())
    argv = [sys.executable, "-m", "streamlit", "run", str(APP_FILE), "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    return argv, env


def schema_hint(target: Path) -> str:
    """The schema's path as seen from the lesson file, for the yaml-language-server comment."""
    try:
        return Path(os.path.relpath(SCHEMA_FILE, target.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        return SCHEMA_FILE.as_uri()


def _document_or_exit(catalog: Catalog, doc_id: str) -> Document:
    try:
        return catalog.get(doc_id)
    except KeyError:
        known = ", ".join(sorted(catalog.entries)) or "none"
        raise CommandFailed(f"no document '{doc_id}' in the catalog; known documents: {known}") from None


def _quote_line(passage: Passage, document: Document) -> str:
    return f"quote: {yaml_scalar(passage.text(document))}"


def _suggest_slug(text: str) -> str:
    return slugify(text) or "my-lesson"
