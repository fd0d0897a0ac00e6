"""The teacher's course report in real Chromium (issue 18), on SQLite and PostgreSQL: four students' pre- and
post-check answers (tests/course_seed.py), the report's three tables each fit the page without a sideways scroll at
1366 px and at 1920 px, the flag reads in words, the CSVs are offered, and axe-core finds nothing. Screenshots of
the report at 1366x768 and 1920x1080 go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import ARTIFACTS, IDLE, app_server, each_database, settle, sign_in
from course_seed import seed_report
from playwright.sync_api import Browser, Page, expect

from bench.server import Server
from sourcecheck.db import open_store

pytestmark = pytest.mark.browser

PASSCODE = "course-report-passcode"
COURSE = "Year 10 · Period 3"
SIZES = [(1366, 768), (1920, 1080)]
# A dataframe scrolls sideways when its grid's scroller is wider inside than out.
SIDEWAYS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(frame => {
  const scroller = frame.querySelector('.dvn-scroller');
  return scroller ? scroller.scrollWidth - scroller.clientWidth : -1;
})"""


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return each_database(request, tmp_path, "report")


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[Server]:
    db = open_store(database)  # migrated and seeded before the app starts
    try:
        seed_report(db, ["Ana", "Ben", "Cai", "Dee"], datetime.now(UTC), name=COURSE)
    finally:
        db.engine.dispose()
    running = app_server(database, tmp_path, PASSCODE).start().wait_ready(60)
    yield running
    running.stop()


def axe(page: Page) -> list[str]:
    page.wait_for_selector(IDLE, timeout=30_000)
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def shoot(page: Page, name: str, width: int, height: int, heading: str) -> Path:
    """A screenshot with `heading` at the top of the window."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    settle(page)
    page.get_by_role("heading", name=heading).evaluate("h => h.scrollIntoView({block: 'start'})")
    settle(page)
    path = ARTIFACTS / f"issue18-{name}-{width}x{height}.png"
    page.screenshot(path=str(path))
    return path


def test_the_teacher_reads_the_course_report(browser: Browser, server: Server) -> None:
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in(page, f"{server.url}/courses", PASSCODE)
    expect(page.get_by_role("heading", name="Report")).to_be_visible()
    for title in ("The class on each check", "Changes between checks", "Each student"):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        expect(page.get_by_role("button", name=f"Download “{title}” (CSV)")).to_be_visible()
    expect(page.get_by_text("Pre to post: more sceptical, not better at telling")).to_be_visible()
    page.get_by_text("What these mean").click()
    expect(page.get_by_text("Students changed how readily they trust, not how well they judge.")).to_be_visible()
    for width, height in SIZES:
        shoot(page, "course-report", width, height, "The class on each check")
        shoot(page, "course-report-students", width, height, "Changes between checks")
        overflow = page.evaluate(SIDEWAYS)
        assert len(overflow) == 3 and all(0 <= px <= 1 for px in overflow), (width, overflow)
    page.set_viewport_size({"width": 1366, "height": 768})
    assert axe(page) == []
    page.context.close()
