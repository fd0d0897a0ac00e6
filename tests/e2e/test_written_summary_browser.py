"""Issue 19, the student's side, in real Chromium on SQLite and PostgreSQL: a closed class's summary on a phone
(390x844) says "Waiting for your teacher's score" under a written answer; once the teacher scored it, the same link
shows the points, the level on each criterion and the comment, with the comment's markup shown as text (no element
made from it). Screenshots of both, scanned with axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import app_server, each_database, settle
from conftest import ARTIFACTS
from playwright.sync_api import Browser, Page, expect
from test_accessibility import Scanner
from test_classroom_browser import PASSCODE
from written_lesson import written_lesson

from bench.server import Server
from sourcecheck.db import open_store
from sourcecheck.grading.raw import Written
from sourcecheck.grading.responses import read_response
from sourcecheck.grading.written import written_score
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.progress import Progress

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TOKEN = "token-written-browser-0001"
COMMENT = "Good: you said the officials are unnamed.\n<img src=x onerror=alert(1)> <b>not bold</b>"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return each_database(request, tmp_path, "written")


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[Server]:
    running = app_server(database, tmp_path, PASSCODE).start().wait_ready(60)
    yield running
    running.stop()


def shoot(page: Page, name: str, scanner: Scanner) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / f"written-phone-{name}.png"), full_page=True)
    scanner.scan(page, f"written-{name}")


def test_the_summary_on_a_phone_waits_then_shows_the_teachers_score(browser: Browser, server: Server,
                                                                    database: str, tmp_path: Path) -> None:
    lesson = written_lesson(tmp_path, load_catalog(PROJECT_ROOT / "seeds"))
    db = open_store(database)
    session = start_class(db, lesson, pacing="self")
    pid = db.join(session.id, TOKEN, "Ana").id
    progress = Progress.load(db, lesson, pid, TOKEN, retries=False)
    answer = read_response(lesson.bound("why"), Written("Officials said it, but they are not named."))
    for question_id, response in (("who", 0), ("tf", False), ("why", answer)):
        assert progress.submit(question_id, response) and progress.move_on(question_id)
    assert db.close_session(session.id)

    scanner = Scanner()
    page = scanner.context(browser, **PHONE).new_page()
    page.goto(f"{server.url}/class?c={session.code}&s={TOKEN}")
    expect(page.get_by_text("Waiting for your teacher's score.")).to_be_visible()
    expect(page.get_by_text("2 of 2 points (100 %)")).to_be_visible()
    page.get_by_text("Waiting for your teacher's score.").scroll_into_view_if_needed()
    shoot(page, "waiting", scanner)

    question = lesson.question("why")
    assert isinstance(question, ShortQuestion) and question.rubric
    [row] = db.written_answers([session.id], "why")
    db.save_written_score(row.answer_id, "first", "MK", [1, 0], COMMENT, written_score(question.rubric, [1, 0]),
                          None, "browser-key")
    db.engine.dispose()

    page.reload()
    expect(page.get_by_text("3 of 4 points (75 %)")).to_be_visible()
    expect(page.get_by_text("Your teacher's score: 1 of 2 points")).to_be_visible()
    expect(page.get_by_text("Says who is behind the claim: 1 of 1. Says the officials are unnamed")).to_be_visible()
    expect(page.get_by_text("<img src=x onerror=alert(1)> <b>not bold</b>")).to_be_visible()
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("b", has_text="not bold").count() == 0
    expect(page.get_by_text("Waiting for your teacher's score.")).to_have_count(0)
    page.get_by_text("Your teacher's score: 1 of 2 points").scroll_into_view_if_needed()
    shoot(page, "scored", scanner)
    assert scanner.blocking() == [], scanner.blocking()
