"""Marking a passage in the browser as a student does: tap or click the first and the last word of each phrase,
picking its category first when the question asks for several."""

from __future__ import annotations

from playwright.sync_api import Locator, Page
from ui_helpers import How, mark_answer

from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import MarkQuestion

__all__ = ["mark_by_hand", "word"]


def word(page: Page, i: int) -> Locator:
    return page.locator(f"#mk-w-{i}")  # Playwright's selectors reach into the component's open shadow root


def mark_by_hand(page: Page, lesson: LoadedLesson, question: MarkQuestion, how: How, *, touch: bool = False) -> None:
    """The marks ui_helpers.mark_answer describes (every target, the first only, or a wrong word), made with the
    component: a tap (or click) on the first word and one on the last."""
    hit = (lambda loc: loc.tap()) if touch else (lambda loc: loc.click())
    for label, first, last in mark_answer(lesson, question, how):
        if len(question.labels) > 1:
            hit(page.locator(".mk-cat", has_text=LABELS[str(label)].title))
        hit(word(page, int(first)))
        hit(word(page, int(last)))
