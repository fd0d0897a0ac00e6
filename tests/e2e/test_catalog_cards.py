"""Issue 21: the lesson catalog as one component (ui/catalog_cards/), in Chromium on SQLite. What a student
notices: every lesson's card in curriculum order; one column on a phone with nothing wider than the screen and
no text under 16 px, a grid on a laptop and a projector; Tab reaches each card's "Open lesson" with a visible
focus ring, a screen reader hears the lesson's title and summary, Enter, Space or a click anywhere on the card
opens the lesson inside the app (no page load), "All lessons" comes back; a lesson a class is using says so
and has no button; axe finds nothing. Screenshots: test-artifacts/catalog-cards-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import ARTIFACTS, IDLE, StartServer, settle
from playwright.sync_api import Browser, Page, expect

from sourcecheck.db import open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.curriculum import curriculum_order
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.solo import PAUSED

pytestmark = pytest.mark.browser

PAUSED_LESSON = "projector-quick-check"  # a class is open on it for the whole module
SIZES = [(390, 844), (1366, 768), (1920, 1080)]
SAME_DOCUMENT = "() => window.__catalogNoReload === true"  # set once; a full page load would drop it
SMALLEST_TEXT = """(host) => { const root = host.shadowRoot || host; let least = 1e9;
  for (const e of root.querySelectorAll('*')) {
    if ([...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
      least = Math.min(least, parseFloat(getComputedStyle(e).fontSize)); }
  return least; }"""
WIDEST = """() => { let widest = document.documentElement.scrollWidth;
  for (const e of document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]'))
    widest = Math.max(widest, e.scrollWidth);
  return widest; }"""


@pytest.fixture(scope="module")
def ordered() -> list[LoadedLesson]:
    return curriculum_order(load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).lessons)


@pytest.fixture(scope="module")
def url(start_server: StartServer, tmp_path_factory: pytest.TempPathFactory, ordered: list[LoadedLesson]) -> str:
    folder = tmp_path_factory.mktemp("catalog-cards")
    database = f"sqlite:///{folder / 'app.db'}"
    db = open_store(database)
    start_class(db, next(x for x in ordered if x.id == PAUSED_LESSON), pacing="teacher")
    db.engine.dispose()
    return start_server(DATABASE_URL=database, SOURCECHECK_STATE=str(folder / "state"))


def opened(browser: Browser, url: str, width: int, height: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(url)
    settle(page)
    expect(page.locator(".cc-card").first).to_be_visible(timeout=15_000)
    page.evaluate("() => { window.__catalogNoReload = true; }")
    return page


def shoot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    assert size is not None
    page.wait_for_selector(IDLE, timeout=30_000)
    path = ARTIFACTS / f"catalog-cards-{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path))
    return path


def axe_violations(page: Page) -> list[dict[str, object]]:
    page.wait_for_selector(IDLE, timeout=30_000)
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [{"rule": v["id"], "targets": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def test_every_card_at_phone_laptop_and_projector_size(browser: Browser, url: str,
                                                       ordered: list[LoadedLesson]) -> None:
    for width, height in SIZES:
        page = opened(browser, url, width, height)
        cards = page.locator(".cc-card")
        expect(cards).to_have_count(len(ordered))
        assert [t.strip() for t in cards.locator("h2").all_inner_texts()] == [x.lesson.title for x in ordered]
        assert page.evaluate(WIDEST) <= width, f"sideways scroll at {width}"
        first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
        assert first and second
        if width < 600:  # a phone: one column, the whole width of the page's column
            assert first["x"] == second["x"] and second["y"] > first["y"] + first["height"]
            assert first["width"] >= width - 60
            host = page.locator('[data-testid="stBidiComponentIsolated"]').first
            assert host.evaluate(SMALLEST_TEXT) >= 16, "text under 16 px on a phone"
        else:  # side by side
            assert first["y"] == second["y"] and second["x"] > first["x"] + first["width"]
        paused = page.locator(f'.cc-card[data-lesson="{PAUSED_LESSON}"]')
        expect(paused.get_by_text(f"{PAUSED}.")).to_be_visible()
        expect(paused.get_by_role("button")).to_have_count(0)
        assert not axe_violations(page), axe_violations(page)
        shoot(page, "top")
        cards.nth(0).scroll_into_view_if_needed()
        shoot(page, "first")
        paused.scroll_into_view_if_needed()
        shoot(page, "paused")
        page.context.close()


def tab_to_open(page: Page, lesson_id: str, limit: int = 80) -> None:
    button = page.locator(f'.cc-card[data-lesson="{lesson_id}"] button')
    for _ in range(limit):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === b.getRootNode().activeElement"):
            return
    raise AssertionError(f"Tab never reached Open lesson on {lesson_id}")


def test_keyboard_and_screen_reader_open_a_lesson_in_the_app_and_come_back(browser: Browser, url: str,
                                                                            ordered: list[LoadedLesson]) -> None:
    page = opened(browser, url, 1366, 768)
    first, second = ordered[0], ordered[1]
    button = page.locator(f'.cc-card[data-lesson="{first.id}"]').get_by_role("button")
    expect(button).to_have_accessible_name(f"Open lesson {first.lesson.title}")
    expect(button).to_have_accessible_description(" ".join(first.lesson.summary.split()))
    tab_to_open(page, first.id)
    ring = button.evaluate("b => [getComputedStyle(b).outlineStyle, parseFloat(getComputedStyle(b).outlineWidth)]")
    assert ring[0] != "none" and ring[1] >= 2, ring  # a visible focus ring
    shoot(page, "focus")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Question 1 of {len(first.lesson.questions)}")).to_be_visible(timeout=15_000)
    assert f"lesson={first.id}" in page.url and "s=" in page.url
    assert page.evaluate(SAME_DOCUMENT), "opening a lesson loaded the page anew"
    settle(page)

    page.get_by_role("link", name="All lessons").click()  # the way back
    expect(page.locator(".cc-card").first).to_be_visible(timeout=15_000)
    settle(page)
    assert page.evaluate(SAME_DOCUMENT)
    page.get_by_label("Class code").focus()  # Tab on from the top of the page
    tab_to_open(page, second.id)
    page.keyboard.press(" ")
    expect(page.get_by_text(f"Question 1 of {len(second.lesson.questions)}")).to_be_visible(timeout=15_000)
    assert f"lesson={second.id}" in page.url and page.evaluate(SAME_DOCUMENT)
    page.context.close()


def test_a_tap_anywhere_on_a_card_opens_it_on_a_phone(browser: Browser, url: str,
                                                      ordered: list[LoadedLesson]) -> None:
    page = opened(browser, url, 390, 844)
    lesson = next(x for x in ordered[2:] if x.id != PAUSED_LESSON)
    summary = page.locator(f'.cc-card[data-lesson="{lesson.id}"] .cc-summary')
    summary.scroll_into_view_if_needed()
    box = summary.bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_text(f"Question 1 of {len(lesson.lesson.questions)}")).to_be_visible(timeout=15_000)
    assert f"lesson={lesson.id}" in page.url and page.evaluate(SAME_DOCUMENT)
    page.context.close()
