"""Issue 16, the results in real Chromium on SQLite and PostgreSQL: the Reteach list comes first; no table on any tab
of the Results page scrolls sideways at 1366x768 (a laptop) or 1920x1080 (a projector); a Reteach row opens its
question on the reteach page, without names. axe-core runs on each, and screenshots go to test-artifacts/ for a
person to look at (issue16-results-<tab>-<size>.png, issue16-reteach-1920x1080.png)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, StartServer, settle, sign_in
from pg_server import PostgresServer
from playwright.sync_api import Browser, Page, expect
from test_accessibility import Scanner
from test_reteach import LESSON, SINGLE, record

from sourcecheck.db import open_store
from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.models import MultiQuestion, SingleQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.store import AnswerRow

pytestmark = pytest.mark.browser

PASSCODE = "issue16-reteach-passcode"
SIZES = [(1366, 768), (1920, 1080)]
TABS = ["Reteach", "Overview", "Questions", "Skills", "Calibration", "Discernment", "Students"]
NAMES = ("Ana", "Ben", "Cai", "Dee", "Eve")

# Each data frame's scrolling box (Glide's .dvn-scroller): how much wider its content is than the box.
OVERFLOW = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
  .filter(frame => frame.offsetParent !== null)
  .map(frame => {
    const box = frame.querySelector('.dvn-scroller');
    const title = frame.closest('[data-testid="stVerticalBlock"]')?.querySelector('h2')?.innerText ?? '';
    return {label: frame.querySelector('[aria-label]')?.getAttribute('aria-label') ?? title,
            scroll: box ? box.scrollWidth : -1, client: box ? box.clientWidth : -1,
            frame: Math.round(frame.getBoundingClientRect().width)};
  })"""


@pytest.fixture(scope="module")
def lesson() -> LoadedLesson:
    found = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert found is not None
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reteach.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database(f"reteach_{os.getpid()}_{uuid.uuid4().hex[:12]}")


def fill_class(database: str, lesson: LoadedLesson) -> int:
    """The hand-worked class of tests/test_reteach.py, and a fifth student who answers, rightly, only the choice
    questions asked with "how sure are you?" (so the calibration tables are there to measure, and the Reteach
    list's head stays as worked out by hand)."""
    store = open_store(database)
    session = start_class(store, lesson, pacing="self")
    record(store, session, lesson)
    eve = store.join(session.id, "reteach-token-eve".ljust(24, "x"), "Eve")
    for question in lesson.lesson.questions:
        if not isinstance(question, (SingleQuestion, MultiQuestion)) or not question.confidence:
            continue
        right = [i for i, o in enumerate(question.options) if o.correct]
        response = right[0] if isinstance(question, SingleQuestion) else right
        score = score_question(lesson.bound(question.id), response)
        store.record_answer(AnswerRow(participant_id=eve.id, lesson_id=LESSON, lesson_hash=session.lesson_hash,
                                      attempt=1, question_id=question.id, response=response, earned=score.earned,
                                      possible=score.possible, verdict=score.verdict,
                                      confidence=80, time_taken_ms=9000))
    store.engine.dispose()
    return session.id


def shoot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    settle(page)
    page.wait_for_timeout(300)  # a data frame's canvas and a chart draw just after the run ends
    size = page.viewport_size
    assert size is not None
    path = ARTIFACTS / f"issue16-{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path))
    return path


def test_reteach_first_no_table_scrolls_sideways_and_the_projector_page(
        browser: Browser, start_server: StartServer, database: str, lesson: LoadedLesson, tmp_path: Path) -> None:
    session_id = fill_class(database, lesson)
    url = start_server(DATABASE_URL=database, SOURCECHECK_TEACHER_PASSCODE=PASSCODE,
                       SOURCECHECK_STATE=str(tmp_path / "state"))
    scanner = Scanner()
    context = scanner.context(browser, viewport={"width": SIZES[0][0], "height": SIZES[0][1]})
    page = context.new_page()
    sign_in(page, f"{url}/dashboard?session={session_id}", PASSCODE)
    expect(page.get_by_role("tab", name="Reteach")).to_be_visible(timeout=15_000)
    assert page.get_by_role("tab").all_inner_texts() == TABS

    overflowing: list[tuple[str, int, str]] = []
    measured = 0
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for tab in TABS:
            page.get_by_role("tab", name=tab).click()
            settle(page)
            if tab != "Reteach":
                frames = page.locator('[data-testid="stDataFrame"]:visible')
                expect(frames.first).to_be_visible(timeout=15_000)
                page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stDataFrame\"]')]"
                                       ".filter(f => f.offsetParent !== null)"
                                       ".every(f => f.querySelector('.dvn-scroller'))", timeout=15_000)
            for table in page.evaluate(OVERFLOW):
                measured += 1
                if table["scroll"] > table["client"] + 1:
                    overflowing.append((tab, width, f"{table['label']}: {table['scroll']} > {table['client']}"))
            if tab in ("Reteach", "Questions", "Skills"):
                if tab != "Reteach":
                    page.locator('[data-testid="stDataFrame"]:visible').first.scroll_into_view_if_needed()
                shoot(page, f"results-{tab.lower()}")
            if width == 1366:
                scanner.scan(page, f"issue16-results-{tab.lower()}")
    assert measured >= 2 * 9, measured  # every tab's tables were found and measured
    assert not overflowing, "\n".join(map(str, overflowing))

    # Reteach first: Question 5 (25 % fully right, before Question 10 by lesson order) heads the list
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.get_by_role("tab", name="Reteach").click()
    first_card = page.locator(".st-key-db-reteach-1")
    expect(first_card).to_contain_text("Question 5 · 25% fully right (4 answered)")
    expect(first_card).to_contain_text("Most common wrong answer: Chose “the US had allowed Daesh to grow")
    first_card.get_by_role("link", name="Show question 5 on the projector").click()
    expect(page.get_by_text("Question 5 of 12")).to_be_visible(timeout=15_000)
    settle(page)
    assert f"question={SINGLE}" in page.url and f"session={session_id}" in page.url
    expect(page.locator(".vega-embed").first).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Why:")).to_be_visible()
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert not any(name in body for name in NAMES), body
    prompt = page.locator(".rt-big").first
    assert float(prompt.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 36  # projector-size type
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shoot(page, "reteach")
    scanner.scan(page, "issue16-reteach")
    scanner.save_summary()
    assert not scanner.outside, scanner.outside
    assert not scanner.blocking(), scanner.blocking()
    context.close()
