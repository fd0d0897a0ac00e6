"""Issue 20, "Balance": the catalog says, on the cards of the lessons built on invented texts of the other
direction, why the real texts fall as they do (a lesson's `teacher_note`). It is on the card, as text (never
markup), and only where a lesson has one; the lesson itself does not show it. A card's text is read from the
catalog component's data (tests/catalog_cards.py), which the component puts into the page with textContent."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalog_cards import card_text, cards
from streamlit.testing.v1 import AppTest
from ui_helpers import APP, TIMEOUT, open_quiz, page_text, squash

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.paths import PROJECT_ROOT

PAIRED = ("officials-said-news-report", "campaign-post-same-tests", "traced-ammunition-report")


def _cards(at: AppTest) -> dict[str, str]:
    return {card["title"]: card_text(card) for card in cards(at)}


def test_the_paired_lessons_say_why_the_real_texts_fall_as_they_do(library: Library, catalog: Catalog) -> None:
    cards = _cards(AppTest.from_file(APP, default_timeout=TIMEOUT).run())
    for lesson_id in PAIRED:
        lesson = library.get(lesson_id)
        assert lesson is not None and lesson.lesson.teacher_note, lesson_id
        card = squash(cards[lesson.lesson.title])
        assert f"For teachers: {squash(lesson.lesson.teacher_note)}" in card
        for words in ("what the bundle happened to hold", "same standard", "not a finding about either side"):
            assert words in lesson.lesson.teacher_note, (lesson_id, words)
        assert catalog.entries[lesson.lesson.document].invented  # and its card credits the text as invented
    for other in library.lessons:  # a note only where the lesson has one
        assert ("For teachers:" in cards[other.lesson.title]) == bool(other.lesson.teacher_note), other.id


def test_the_lesson_itself_does_not_show_the_note(library: Library) -> None:
    lesson = library.get(PAIRED[0])
    assert lesson is not None and lesson.lesson.teacher_note
    at = open_quiz(lesson.id, token="teacher-note-student-01")
    assert not at.exception
    assert "For teachers" not in page_text(at) and "not a finding about either side" not in page_text(at)


def test_the_note_is_text_on_the_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    text = (PROJECT_ROOT / "lessons" / f"{PAIRED[0]}.yaml").read_text(encoding="utf-8")
    start = text.index("teacher_note: >-\n")
    end = text.index("\nlevel:", start)
    (folder / "hostile.yaml").write_text(
        text[:start] + 'teacher_note: "<img src=x onerror=alert(1)> Read first."' + text[end:], encoding="utf-8")
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(folder))
    [card] = cards(AppTest.from_file(APP, default_timeout=TIMEOUT).run())
    assert card["teacher_note"] == "<img src=x onerror=alert(1)> Read first."  # the characters, put in as text
    # (the component's script writes every string with textContent: tests/test_ui_catalog.py checks it, and
    # tests/security/test_xss_browser.py that a browser shows such a string as the characters typed)
