"""A student on a 390x844 phone answers a short question with a rubric: no rubric before answering; after it,
the model answer and then the rubric, readable without scrolling sideways, and no axe-core violation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import ARTIFACTS, app_server, each_database, settle
from playwright.sync_api import Browser, Page, expect
from test_student_browser import answer
from ui_helpers import plan

from bench.server import Server
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

LESSON = "raqqa-who-says"
PASSCODE = "rubric-browser-passcode-7731"
PHONE = {"width": 390, "height": 844}
APP_STYLED = "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('.sc-quote{'))"


@pytest.fixture(scope="module")
def lesson() -> LoadedLesson:
    found = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert found is not None
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return each_database(request, tmp_path, "rubric")


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[Server]:
    running = app_server(database, tmp_path, PASSCODE).start().wait_ready(60)
    yield running
    running.stop()


def shoot_and_scan(page: Page, name: str) -> None:
    """The screen as the student sees it, the whole page, and axe-core on it: no violation at all."""
    ARTIFACTS.mkdir(exist_ok=True)
    settle(page)
    page.wait_for_function(APP_STYLED, timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / f"rubric-{name}.png"))
    tall = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": PHONE["width"], "height": max(PHONE["height"], min(tall, 8000))})
    settle(page)  # Streamlit scrolls an inner element: the whole page needs a window as tall as the content
    page.screenshot(path=str(ARTIFACTS / f"rubric-{name}-full.png"))
    page.set_viewport_size(PHONE)
    settle(page)
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    (ARTIFACTS / "axe").mkdir(exist_ok=True)
    (ARTIFACTS / "axe" / f"rubric-{name}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:4]) for v in result["violations"]]
    assert not found, (name, found)


def test_the_rubric_shows_after_answering_on_a_phone(browser: Browser, server: Server, lesson: LoadedLesson,
                                                     database: str) -> None:
    kind = database.split(":", 1)[0].split("+", 1)[0]
    page = browser.new_page(viewport=PHONE)
    page.goto(server.url)
    settle(page)
    page.locator(f'.cc-card[data-lesson="{LESSON}"]').get_by_role("button", name="Open lesson").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    how = plan(lesson)
    questions = lesson.lesson.questions
    short = next(q for q in questions if isinstance(q, ShortQuestion) and q.rubric)
    assert short.rubric is not None
    first = short.rubric[0].levels[-1].descriptor
    for n, question in enumerate(questions, start=1):
        expect(page.get_by_text(f"Question {n} of {len(questions)}")).to_be_visible()
        if question is short:
            break
        answer(page, lesson, question, how[question.id])
        page.get_by_role("button", name="Submit answer").click()
        page.get_by_role("button", name="Next question").click()
    settle(page)
    assert page.locator(".sc-rubric").count() == 0
    expect(page.get_by_text(first)).to_have_count(0)
    shoot_and_scan(page, f"before-{kind}")

    answer(page, lesson, short, "right")
    page.get_by_role("button", name="Submit answer").click()
    rubric = page.locator(".sc-rubric")
    expect(rubric).to_be_visible()
    expect(page.get_by_text("Not scored yet: your teacher will score this answer")).to_be_visible()
    expect(rubric.get_by_text(first)).to_be_visible()
    model = page.get_by_text("A model answer:")
    assert model.bounding_box()["y"] < rubric.bounding_box()["y"]  # type: ignore[index]
    # Readable on the phone: nothing in the rubric is wider than the screen, and its text is not tiny.
    widest = rubric.evaluate("e => Math.max(...[e, ...e.querySelectorAll('*')].map(x => x.getBoundingClientRect()"
                             ".right))")
    assert widest <= PHONE["width"], widest
    size = rubric.locator(".sc-rubric-levels p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 14, size
    rubric.evaluate("e => e.scrollIntoView({block: 'start'})")
    shoot_and_scan(page, f"after-{kind}")
