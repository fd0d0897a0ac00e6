"""Courses (issue 18) in real Chromium, on SQLite and PostgreSQL: a student opens their course home with the
personal code from their card (typed in lower case, with a space), sees their own name, class and skills and
nobody else's, and a second tab of the same browser (the sc_device cookie) asks "Are you Ana?", then opens the
course's class without the code; the teacher's Courses page adds a name and offers the cards. Screenshots at
390x844 and 1366x768 go to test-artifacts/; axe-core finds nothing on either page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import ARTIFACTS, IDLE, app_server, each_database, settle, sign_in
from playwright.sync_api import Browser, Page, expect

from bench.server import Server
from sourcecheck.db import open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions import courses
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.store import AnswerRow
from sourcecheck.ui.browser import DEVICE_COOKIE

pytestmark = pytest.mark.browser

PASSCODE = "course-browser-passcode"
LESSON = "raqqa-who-says"
COURSE = "Year 10 · Period 3"
SIZES = [(390, 844), (1366, 768)]
APP_STYLED = "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('.sc-quote{'))"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return each_database(request, tmp_path, "course")


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[Server]:
    running = app_server(database, tmp_path, PASSCODE).start().wait_ready(60)
    yield running
    running.stop()


def seed(database: str) -> tuple[str, str]:
    """A course with Ana and Ben, a homework class of the course, and Ana's first answers in it: Ana's code, and
    the class code."""
    db = open_store(database)
    try:
        lesson = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
        assert lesson is not None
        now = datetime.now(UTC)
        course = courses.create_course(db, COURSE, now, "seed")
        (ana, code), (ben, _) = courses.add_students(db, course, ["Ana", "Ben"], now)
        earlier = start_class(db, lesson, pacing="self", submission="earlier")  # ended: its answers count
        db.link_class(earlier.id, course.id)
        seat = courses.seat(db, earlier, ana)
        for question, earned in zip(lesson.lesson.questions[:2], (1.0, 0.0), strict=True):
            db.record_answer(AnswerRow(participant_id=seat.id, lesson_id=lesson.id, lesson_hash=earlier.lesson_hash,
                                       attempt=1, question_id=question.id, response=None, earned=earned, possible=1,
                                       verdict="correct" if earned else "incorrect", submitted_at=now))
        db.close_session(earlier.id)
        session = start_class(db, lesson, pacing="self", submission="open")
        db.link_class(session.id, course.id)
        assert ben.display_name == "Ben"
        return code, session.code
    finally:
        db.engine.dispose()


def shoot(page: Page, name: str, width: int, height: int) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    settle(page)
    path = ARTIFACTS / f"issue18-{name}-{width}x{height}.png"
    page.screenshot(path=str(path))
    return path


def axe(page: Page) -> list[str]:
    page.wait_for_selector(IDLE, timeout=30_000)
    page.wait_for_function(APP_STYLED, timeout=30_000)
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def test_a_student_opens_their_course_home_and_a_second_tab_is_recognised(browser: Browser, server: Server,
                                                                          database: str) -> None:
    code, class_code = seed(database)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": DEVICE_COOKIE, "value": uuid.uuid4().hex + uuid.uuid4().hex[:11],
                          "url": server.url}])
    page = context.new_page()
    page.goto(f"{server.url}/course")
    settle(page)
    typed = f"{code[:4].lower()} {code[4:].lower()}"
    page.get_by_label("Personal code").fill(typed)
    page.get_by_role("button", name="Open my course").click()
    expect(page.get_by_role("heading", name="My skills")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d+ of \d+ points?")).first).to_be_visible()  # drawn after the heading
    settle(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert COURSE in text and f"class {class_code}" in text and "Ben" not in text
    assert len(re.findall(r"\d+ of \d+ points?", text)) >= 1  # her own skills, from her two answers
    for width, height in SIZES:
        shoot(page, "course-home", width, height)
    assert axe(page) == []
    second = context.new_page()  # the same browser: recognised by its device cookie, no code typed...
    second.goto(f"{server.url}/course")
    settle(second)
    expect(second.get_by_role("heading", name="Are you Ana?")).to_be_visible()  # ...but asked (a shared laptop)
    assert "My skills" not in second.locator('[data-testid="stMain"]').inner_text()
    for width, height in SIZES:
        shoot(second, "course-are-you", width, height)
    assert axe(second) == []
    second.get_by_role("button", name="Continue as Ana").click()
    expect(second.get_by_text("Ana", exact=True)).to_be_visible()
    second.get_by_role("button", name="Open").click()
    expect(second.get_by_text("Question 1 of")).to_be_visible(timeout=30_000)
    assert "/class" in second.url
    context.close()


def test_a_course_class_is_joined_with_the_personal_code(browser: Browser, server: Server, database: str) -> None:
    """The join page: a course's class code asks for the personal code instead of a name, then opens the class."""
    code, class_code = seed(database)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{server.url}/join?code={class_code}")
    settle(page)
    page.get_by_role("button", name="Join").click()
    field = page.get_by_label("Your personal code (on your card)")
    expect(field).to_be_visible()
    shoot(page, "join-personal-code", 390, 844)
    assert axe(page) == []
    field.fill(courses.format_code(code))
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible(timeout=30_000)
    assert "/class" in page.url
    context.close()


def test_the_teachers_course_page(browser: Browser, server: Server, database: str) -> None:
    seed(database)
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in(page, f"{server.url}/courses", PASSCODE)
    expect(page.get_by_role("heading", name="Roster (2)")).to_be_visible()
    page.get_by_role("textbox", name="Names to add, one a line").fill("Cleo")
    page.get_by_role("button", name="Add to the roster").click()
    expect(page.get_by_text("1 new personal code to print")).to_be_visible()
    expect(page.get_by_role("button", name="Print the cards (HTML page)")).to_be_visible()
    for width, height in reversed(SIZES):
        shoot(page, "teacher-courses", width, height)
    assert axe(page) == []
    page.context.close()


def test_the_cards_page_prints_one_card_a_student_unsplit(browser: Browser) -> None:
    """The cards' HTML as printed (print media, A4): every card whole on its page, the code on one line."""
    from sourcecheck.render.cards import cards_html

    names = ["Ana", "Ben", "Chloé", "Dmitri Alexandrovich Vasilyev-Petrov", "Eve", "Finn", "Gus"]
    page = browser.new_context(viewport={"width": 794, "height": 1123}).new_page()  # A4 at 96 dpi
    page.set_content(cards_html(COURSE, [(n, courses.format_code(courses.new_personal_code())) for n in names],
                                home_url="http://school.example/course"))
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "issue18-cards-print.png"), full_page=True)
    cards = page.locator(".card")
    assert cards.count() == len(names)
    for i in range(len(names)):
        code = cards.nth(i).locator(".code")
        box = code.bounding_box()
        assert box is not None and box["height"] < 60, box  # one line of 30 pt
    assert page.locator(".hint").is_hidden()  # the screen hint is not printed
    for count, pages in ((6, 1), (7, 2), (30, 5)):  # six cards to an A4 page
        page.set_content(cards_html(COURSE, [(f"Student {i}", "ACDE-FH34") for i in range(count)],
                                    home_url="http://school.example/course"))
        pdf = page.pdf(format="A4")
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == pages, count
    page.context.close()
