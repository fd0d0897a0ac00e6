"""Lesson files in, validated lessons or located problems out.

One bad file never hides the others: `load_library` returns the good lessons and the
problems side by side, and the app shows both.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.checks import place_lesson
from sourcecheck.lessons.loaded import LoadedLesson, Origin
from sourcecheck.lessons.models import Lesson
from sourcecheck.lessons.problems import LessonError, LessonProblems, Problem, ProblemCollector
from sourcecheck.lessons.rules import too_big
from sourcecheck.lessons.schema_errors import translate
from sourcecheck.lessons.yaml_reader import SourceError, YamlSource, parse_yaml

__all__ = [
    "Library", "LibraryCache", "display_path", "lesson_files", "load_lesson", "load_lesson_bytes", "load_library",
]


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def load_lesson(path: Path, catalog: Catalog) -> LoadedLesson:
    """Parse, validate and place one lesson file; raise LessonProblems listing everything wrong with it."""
    name = display_path(path)
    try:
        if (message := too_big(path.stat().st_size)) is not None:
            raise LessonProblems([LessonError(name, 0, 0, message)])
        raw = path.read_bytes()
        modified = path.stat().st_mtime_ns
    except OSError as e:
        raise LessonProblems([LessonError(name, 0, 0, f"cannot read file: {e.strerror}")]) from e
    loaded = load_lesson_bytes(raw, catalog, name=name, path=path)
    return replace(loaded, origin=replace(loaded.origin, modified_ns=modified))


def load_lesson_bytes(raw: bytes, catalog: Catalog, *, name: str, path: Path | None = None) -> LoadedLesson:
    """The same checks for a lesson that is not (yet) a file: pasted or uploaded in the workshop."""
    try:
        source = parse_yaml(raw)
    except SourceError as e:
        raise LessonProblems([LessonError(name, e.line, e.column, e.message, _line(raw, e.line))]) from e
    if not isinstance(source.data, dict):
        raise LessonProblems([_at(name, source, Problem((), "a lesson file must be a mapping of keys, starting "
                                                          "with 'id:', 'title:' and so on"))])
    try:
        lesson = Lesson.model_validate(source.data)
    except ValidationError as e:
        raise LessonProblems([_at(name, source, item) for item in translate(e)]) from e
    warnings = ProblemCollector()
    loaded, problems = place_lesson(lesson, catalog, path or Path(name), warnings)
    if loaded is None:
        raise LessonProblems([_at(name, source, item) for item in problems])
    line, column = source.position(("id",))
    return replace(loaded, origin=Origin(line, column, source.line_text(line), sha256=hashlib.sha256(raw).hexdigest()),
                   warnings=tuple(_at(name, source, w) for w in warnings
                                  if not w.flow_list_only or source.in_flow_list(w.loc)))


def _at(name: str, source: YamlSource, problem: Problem) -> LessonError:
    line, column = source.position(problem.loc, at_key=problem.at_key, word=problem.word)
    return LessonError(name, line, column, problem.message, source.line_text(line))


def _line(raw: bytes, line: int) -> str | None:
    if line < 1:
        return None
    lines = raw.decode("utf-8", errors="replace").splitlines()
    return lines[line - 1] if line <= len(lines) else None


def lesson_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to their *.yaml / *.yml files, sorted; files are kept as given."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            out.append(path)
    return out


@dataclass
class Library:
    lessons: list[LoadedLesson] = field(default_factory=list)
    problems: list[LessonError] = field(default_factory=list)

    @property
    def broken_files(self) -> list[str]:
        return sorted({p.path for p in self.problems})

    @property
    def warnings(self) -> list[LessonError]:
        return [w for lesson in self.lessons for w in lesson.warnings]

    def get(self, lesson_id: str) -> LoadedLesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)


def load_library(paths: Iterable[Path], catalog: Catalog) -> Library:
    return _assemble([_load_one(path, catalog) for path in lesson_files(paths)])


def _load_one(path: Path, catalog: Catalog) -> LoadedLesson | list[LessonError]:
    try:
        return load_lesson(path, catalog)
    except LessonProblems as e:
        return e.errors


def _assemble(results: Iterable[LoadedLesson | list[LessonError]]) -> Library:
    """A new library from per-file results; nothing is read from disk here (the cache calls this under its lock)."""
    results = list(results)
    loaded = [r for r in results if isinstance(r, LoadedLesson)]
    problems = [e for r in results if not isinstance(r, LoadedLesson) for e in r]
    first: dict[str, LoadedLesson] = {}
    for lesson in sorted(loaded, key=lambda x: (x.origin.modified_ns, str(x.path))):
        first.setdefault(lesson.id, lesson)
    keep = [lesson for lesson in loaded if first[lesson.id] is lesson]
    problems += [_duplicate_id(lesson, first[lesson.id]) for lesson in loaded if first[lesson.id] is not lesson]
    return Library(keep, problems)


def _duplicate_id(copy: LoadedLesson, original: LoadedLesson) -> LessonError:
    """Lesson ids key answers and links. The newer file is the copy (a teacher copies a lesson to start
    another), so it is the one refused and the original keeps playing."""
    where = copy.origin
    return LessonError(display_path(copy.path), where.id_line, where.id_column,
                       f"lesson id '{copy.id}' is already used by {display_path(original.path)}; "
                       "give this lesson its own id", where.id_text)


class LibraryCache:
    """Re-read a lesson file only when its modification time or size changes.

    One instance is shared by every session of the app, so it is locked; the per-file results
    are kept, and the library is reassembled (cheaply) only when some file changed.
    """

    def __init__(self, folder: Path, catalog: Catalog) -> None:
        self.folder, self.catalog = folder, catalog
        self._lock = threading.Lock()
        self._stamps: dict[str, tuple[int, int]] = {}
        self._results: dict[str, LoadedLesson | list[LessonError]] = {}
        self._library = Library()
        self.parses = 0  # files actually read: for tests and benchmarks

    def get(self) -> Library:
        stamps = self._scan()
        with self._lock:
            if stamps != self._stamps:
                for name, stamp in stamps.items():
                    if self._stamps.get(name) != stamp:
                        self._results[name] = _load_one(Path(name), self.catalog)
                        self.parses += 1
                self._results = {name: self._results[name] for name in sorted(stamps)}
                self._stamps = stamps
                self._library = _assemble(self._results.values())
            return self._library

    def _scan(self) -> dict[str, tuple[int, int]]:
        """One directory scan and one stat per file, nothing else: this runs on every rerun of every session."""
        if not self.folder.is_dir():
            st = _stat(self.folder)
            return {str(self.folder): (st.st_mtime_ns, st.st_size)} if st else {}
        stamps = {}
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.endswith((".yaml", ".yml")) and entry.is_file():
                    st = entry.stat()
                    stamps[entry.path] = (st.st_mtime_ns, st.st_size)
        return stamps


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None
