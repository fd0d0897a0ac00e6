"""The exports page: a chosen lesson as four downloads (GIFT, QTI zip, worksheet, answer key) with the notes
the command line prints, built by the same core functions."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from teacher_helpers import signed_in, use_passcode
from ui_helpers import alerts, page_text

from sourcecheck.export import export
from sourcecheck.lessons.loader import Library
from sourcecheck.ui import teacher_nav

LESSON = "raqqa-who-says"


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, tuple[bytes, str]]:
    """What each download button hands the browser, by file name: (bytes, media type)."""
    use_passcode(monkeypatch, tmp_path)
    seen: dict[str, tuple[bytes, str]] = {}
    original = MediaFileManager.add

    def spy(self: MediaFileManager, data: Any, mimetype: str, coordinates: str, file_name: str | None = None,
            is_for_static_download: bool = False) -> str:
        if file_name:
            seen[file_name] = (data.encode() if isinstance(data, str) else bytes(data), mimetype)
        return original(self, data, mimetype, coordinates, file_name, is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add", spy)
    return seen


def test_exports_ask_for_a_lesson_first(downloads: dict[str, tuple[bytes, str]]) -> None:
    at = signed_in(teacher_nav.EXPORTS)
    assert not at.exception
    assert "Choose a lesson to export." in alerts(at)
    assert not at.get("download_button")


def test_every_export_of_a_lesson_downloads_a_real_file(downloads: dict[str, tuple[bytes, str]],
                                                       library: Library) -> None:
    at = signed_in(teacher_nav.EXPORTS)
    at.selectbox(key="ex-lesson").set_value(LESSON).run()
    assert not at.exception
    assert [b.label for b in at.get("download_button")] == [
        f"Download {LESSON}.gift.txt", f"Download {LESSON}.zip",
        f"Download {LESSON}-worksheet.html", f"Download {LESSON}-answer-key.html"]
    assert set(downloads) == {f"{LESSON}.gift.txt", f"{LESSON}.zip", f"{LESSON}-worksheet.html",
                              f"{LESSON}-answer-key.html"}
    assert all(len(data) > 1000 for data, _ in downloads.values())

    gift, media = downloads[f"{LESSON}.gift.txt"]
    assert media == "text/plain"
    lesson = library.get(LESSON)
    assert lesson is not None
    assert gift.decode() == export("gift", [lesson]).data  # the core's file, unchanged
    assert gift.decode().count(f"::{LESSON}/") == len(lesson.lesson.questions)

    with zipfile.ZipFile(io.BytesIO(downloads[f"{LESSON}.zip"][0])) as qti:
        assert qti.testzip() is None
        assert any(name.endswith(".xml") for name in qti.namelist())

    sheet = downloads[f"{LESSON}-worksheet.html"][0].decode()
    key = downloads[f"{LESSON}-answer-key.html"][0].decode()
    assert 'class="sc-tag"' not in sheet and 'class="sc-tag"' in key  # the key has the annotated passages


def test_the_notes_the_cli_prints_are_shown(downloads: dict[str, tuple[bytes, str]], library: Library) -> None:
    at = signed_in(teacher_nav.EXPORTS)
    at.selectbox(key="ex-lesson").set_value(LESSON).run()
    shown = page_text(at)
    lesson = library.get(LESSON)
    assert lesson is not None
    notes = [note for fmt, part in (("gift", "both"), ("qti", "both"), ("worksheet", "worksheet"))
             for note in export(fmt, [lesson], part=part).notes]
    assert any("mark question exported as" in note for note in notes)  # raqqa's phrases are marked in the text
    for note in notes:
        assert note in shown
