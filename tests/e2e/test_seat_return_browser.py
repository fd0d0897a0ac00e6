"""Issue 16, defect 2, in real Chromium on SQLite and PostgreSQL: a student who closes the tab gets their seat back.

Ana-María joins and answers; her tab is closed; the join link opened again in the same browser welcomes her
back to the same seat with her answer, and the projector still counts "1 of 1". From a second browser her seat
code brings her back to the same seat. The teacher removes Ben on the Classes page: his tab says so and the
projector's count drops back to everyone still in the class. The device cookie is set here as the app's
middleware sets it (`sc_device`, 43 characters), so the walk holds with or without that middleware. Screenshots
at 390x844 of the welcome-back screen, the seat code on the class page and the seat-code form, each scanned
with axe-core.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import app_server, each_database, settle, start_class
from conftest import ARTIFACTS
from playwright.sync_api import Browser, BrowserContext, Page, expect
from test_accessibility import Scanner
from test_classroom_browser import PASSCODE, answer, join, open_teacher_page, projector_shows

from bench.server import Server
from sourcecheck.db import open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.ui.browser import DEVICE_COOKIE

pytestmark = pytest.mark.browser

LESSON = "raqqa-who-says"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def lesson() -> LoadedLesson:
    found = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert found is not None
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return each_database(request, tmp_path, "seats")


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[Server]:
    running = app_server(database, tmp_path, PASSCODE).start().wait_ready(60)
    yield running
    running.stop()


def a_browser(browser: Browser, url: str, **options: object) -> BrowserContext:
    """A browser of its own: its own device cookie, as the app's middleware would have set it."""
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.add_cookies([{"name": DEVICE_COOKIE, "value": secrets.token_urlsafe(32), "url": url}])
    return context


def shoot(page: Page, name: str, scanner: Scanner) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / f"seat-phone-{name}.png"), full_page=True)
    scanner.scan(page, f"seat-{name}")


def seat_code_on(page: Page) -> str:
    line = page.locator('[data-testid="stCaptionContainer"]', has_text="Your seat code").first
    expect(line).to_be_visible(timeout=15_000)
    found = re.search(r"Your seat code: ([A-Z0-9]{6})", line.inner_text())
    assert found, line.inner_text()
    return found.group(1)


def test_a_closed_tab_gets_its_seat_back(browser: Browser, server: Server, lesson: LoadedLesson,
                                         database: str) -> None:
    url = server.url
    scanner = Scanner()
    teacher = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    open_teacher_page(teacher, f"{url}/classes", "Classes")
    code = start_class(teacher, lesson.lesson.title, lesson.lesson.level)
    store = open_store(database)
    session = store.session_by_code(code)
    assert session is not None

    phone = a_browser(browser, url, **PHONE)
    ana = phone.new_page()
    join(ana, url, code, "Ana-María")
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    open_teacher_page(projector, f"{url}/projector?session={session.id}", "Join the class")
    projector_shows(projector, "1 joined")
    projector.get_by_role("button", name="Start").click()
    first = lesson.lesson.questions[0].id
    answer(ana, lesson, first, True)
    projector_shows(projector, "1 of 1 answered")

    # The tab is closed; the join link (or the QR code) is opened again in the same browser.
    ana.close()
    ana = phone.new_page()
    ana.goto(f"{url}/join?code={code}")
    expect(ana.get_by_role("heading", name="Welcome back, Ana-María")).to_be_visible(timeout=15_000)
    expect(ana.get_by_role("button", name="Not Ana-María? Join with your own name")).to_be_visible()
    expect(ana.get_by_label("Your name")).to_have_count(0)
    shoot(ana, "welcome-back", scanner)
    ana.get_by_role("button", name="Continue as Ana-María").click()
    expect(ana.get_by_text("Your answer is saved")).to_be_visible(timeout=15_000)  # her seat, her answer
    expect(ana.get_by_text("you are Ana-María")).to_be_visible()
    projector_shows(projector, "1 of 1 answered")  # not "1 of 2": no second Ana-María
    assert [p.display_name for p in store.participants(session.id)] == ["Ana-María"]
    shown = seat_code_on(ana)
    shoot(ana, "seat-code-on-class-page", scanner)

    # Another device: the seat code brings her back to the same seat.
    laptop = a_browser(browser, url, **PHONE).new_page()
    laptop.goto(f"{url}/join?code={code}")
    expect(laptop.get_by_role("textbox", name="Seat code (optional)")).to_be_visible(timeout=15_000)
    laptop.get_by_role("textbox", name="Seat code (optional)").fill(shown)
    shoot(laptop, "seat-code-form", scanner)
    laptop.get_by_role("button", name="Join").click()
    expect(laptop.get_by_text("Your answer is saved")).to_be_visible(timeout=15_000)
    expect(laptop.get_by_text("you are Ana-María")).to_be_visible()
    assert [p.display_name for p in store.participants(session.id)] == ["Ana-María"]

    # Ben joins; the teacher removes him: his tab says so, and the count reaches everyone present again.
    ben = a_browser(browser, url, **PHONE).new_page()
    ben.goto(f"{url}/join?code={code}")
    settle(ben)
    ben.get_by_label("Your name").fill("Ben")
    ben.get_by_role("button", name="Join").click()
    expect(ben.get_by_role("button", name="Submit answer")).to_be_visible(timeout=15_000)
    projector_shows(projector, "1 of 2 answered")
    open_teacher_page(teacher, f"{url}/classes", "Classes")  # a reload: the passcode again, then the page
    teacher.get_by_text("Students (2)").click()
    row = teacher.locator('[class*="st-key-cls-student-"]', has_text="Ben")
    row.get_by_role("button", name="Remove").click()
    expect(teacher.get_by_text("Remove Ben from class")).to_be_visible(timeout=15_000)
    teacher.get_by_text("Remove Ben from class").scroll_into_view_if_needed()
    teacher.screenshot(path=str(ARTIFACTS / "seat-laptop-remove-confirm.png"))
    scanner.scan(teacher, "seat-remove-confirm")
    teacher.locator('[class*="st-key-cls-rm-yes-"]').get_by_role("button", name="Remove").click()
    expect(ben.get_by_text("Your teacher removed you from this class.")).to_be_visible(timeout=15_000)
    expect(ben.get_by_role("button", name="Submit answer")).to_have_count(0)
    shoot(ben, "removed", scanner)
    projector_shows(projector, "1 of 1 answered")
    expect(teacher.get_by_text("Students (1)")).to_be_visible(timeout=15_000)
    store.engine.dispose()
    assert scanner.blocking() == [], scanner.blocking()
