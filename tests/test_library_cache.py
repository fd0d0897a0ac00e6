"""The app's lesson cache parses a file only when it changes, and a broken edit never loses the rest."""

from __future__ import annotations

import os
from pathlib import Path

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loader import LibraryCache


def _bump(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_reloads_only_what_changed(catalog: Catalog, lesson_dir: Path, minimal_text: str) -> None:
    a, b = lesson_dir / "a.yaml", lesson_dir / "b.yaml"
    a.write_text(minimal_text, encoding="utf-8")
    b.write_text(minimal_text.replace("id: minimal", "id: second"), encoding="utf-8")
    cache = LibraryCache(lesson_dir, catalog)
    first = cache.get()
    assert [x.id for x in first.lessons] == ["minimal", "second"] and cache.parses == 2
    assert cache.get() is first and cache.parses == 2          # nothing changed: nothing parsed

    _bump(b, minimal_text.replace("id: minimal", "id: second").replace("title: Minimal lesson", "title: Edited"))
    edited = cache.get()
    assert cache.parses == 3                                    # only b was read again
    assert edited.get("second").lesson.title == "Edited"


def test_broken_edit_keeps_the_other_lessons_and_reports(catalog: Catalog, lesson_dir: Path,
                                                          minimal_text: str) -> None:
    a, b = lesson_dir / "a.yaml", lesson_dir / "b.yaml"
    a.write_text(minimal_text, encoding="utf-8")
    b.write_text(minimal_text.replace("id: minimal", "id: second"), encoding="utf-8")
    cache = LibraryCache(lesson_dir, catalog)
    cache.get()
    _bump(b, minimal_text.replace("id: minimal", "id: second").replace("minutes: 2", "minutes: [2]"))
    library = cache.get()
    assert [x.id for x in library.lessons] == ["minimal"]
    assert [(p.line, p.message) for p in library.problems] == [(6, "minutes must be a whole number, not a list")]


def test_deleted_file_disappears(catalog: Catalog, lesson_dir: Path, minimal_text: str) -> None:
    a = lesson_dir / "a.yaml"
    a.write_text(minimal_text, encoding="utf-8")
    cache = LibraryCache(lesson_dir, catalog)
    assert len(cache.get().lessons) == 1
    a.unlink()
    assert cache.get().lessons == []
