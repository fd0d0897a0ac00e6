"""Every mark question of the bundled lessons, answered in a real Chromium as a student on a phone would: tap the
first and last word of each phrase to find, in its category, and submit. A perfect marking must show full points
(a phrase the component cannot mark exactly would show less). Screenshots of each question before marking,
marked and after Submit at 390x844, and after Submit at 1920x1080, go to test-artifacts/mark-lessons/.

Each question is served on its own: a copy of its lesson with that one question, so it is question 1 of 1."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from browser_support import settle
from conftest import ARTIFACTS, StartServer
from marking_helpers import mark_by_hand, word
from playwright.sync_api import Browser, Page, expect

from sourcecheck.grading.marking import mark_key
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "mark-lessons"
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}


def _bundled_mark_questions() -> list[tuple[str, str]]:
    library = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds"))
    return [(x.id, q.id) for x in library.lessons for q in x.lesson.questions if q.type == "mark"]


MARKS = _bundled_mark_questions()


def one_question_id(lesson_id: str, question_id: str) -> str:
    return f"{lesson_id}--{question_id}"[:64]


@pytest.fixture(scope="module")
def lessons_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each mark question in a lesson of its own: the lesson's file with only that question (and a new id)."""
    folder = tmp_path_factory.mktemp("mark-lessons")
    for lesson_id, question_id in MARKS:
        data = yaml.safe_load((PROJECT_ROOT / "lessons" / f"{lesson_id}.yaml").read_text(encoding="utf-8"))
        data["id"] = one_question_id(lesson_id, question_id)
        data["questions"] = [q for q in data["questions"] if q["id"] == question_id]
        (folder / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                   encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def served(lessons_dir: Path) -> dict[str, LoadedLesson]:
    library = load_library([lessons_dir], load_catalog(PROJECT_ROOT / "seeds"))
    assert not library.problems, library.problems
    return {x.id: x for x in library.lessons}


@pytest.fixture(scope="module")
def url(start_server: StartServer, lessons_dir: Path) -> str:
    return start_server(SOURCECHECK_SEEDS=str(PROJECT_ROOT / "seeds"), SOURCECHECK_LESSONS=str(lessons_dir))


def shot(page: Page, name: str, *, full: bool = False) -> None:
    """The screen as the student sees it, or (full) the whole page: Streamlit scrolls an inner element, so for
    that the window is made as tall as the content for a moment."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    assert size is not None
    if full:
        tall = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(tall, 8000))})
        settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size(size)


def scroll_to(page: Page, text: str) -> None:
    page.get_by_text(text, exact=False).first.evaluate("e => e.scrollIntoView({block: 'start'})")


def test_the_mark_questions_are_played() -> None:
    assert len(MARKS) >= 5


@pytest.mark.parametrize(("lesson_id", "question_id"), MARKS, ids=[q for _, q in MARKS])
def test_a_perfect_marking_by_touch_shows_full_points(browser: Browser, url: str, served: dict[str, LoadedLesson],
                                                       lesson_id: str, question_id: str) -> None:
    lesson = served[one_question_id(lesson_id, question_id)]
    question = lesson.question(question_id)
    assert question.type == "mark"
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{url}/quiz?lesson={lesson.id}&s={question_id[:20]}-token-00001")
    settle(page)
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    expect(word(page, 0)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    name = f"{lesson_id}--{question_id}"
    scroll_to(page, "Question 1 of 1")
    shot(page, f"{name}-1-phone-before")
    mark_by_hand(page, lesson, question, "right", touch=True)  # type: ignore[arg-type]
    expect(page.locator(".mk-tag")).to_have_count(len(mark_key(lesson.bound(question_id)).targets))
    shot(page, f"{name}-2-phone-marked", full=True)
    page.get_by_role("button", name="Submit answer").tap()
    expect(page.get_by_role("button", name="See my results")).to_be_visible()  # the one question is the last
    settle(page)
    verdict = page.locator('[data-testid="stAlert"] [data-testid="stMarkdownContainer"]').first.inner_text().strip()
    assert verdict == f"Correct: {question.points} of {question.points} point{'s' if question.points > 1 else ''}"
    expect(page.locator("blockquote.sc-review .sc-tag", has_text="✗")).to_have_count(0)  # no mark outside a target
    shot(page, f"{name}-3-phone-after", full=True)
    page.set_viewport_size(PROJECTOR)
    settle(page)
    scroll_to(page, "Question 1 of 1")
    shot(page, f"{name}-4-projector-after")
    context.close()
