"""Issue 17, finding 3 in real Chromium: a student in an open class cannot read the lesson's key in another tab.

A student in a teacher-paced class opens solo practice of the same lesson (the catalog, and the quiz page by URL),
and a second seat joins a self-paced class under another name and answers: neither shows a right answer, an
explanation or an annotated excerpt before the class is closed, and the class's own answers are scored as given.
Screenshots go to test-artifacts/security/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import settle
from conftest import ARTIFACTS, StartServer
from playwright.sync_api import Browser, Page, expect

from sourcecheck.db import SqlStore, open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.models import SingleQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.solo import PAUSED
from sourcecheck.ui.held_view import HELD

pytestmark = pytest.mark.browser

LESSON = "raqqa-who-says"
KEY_WORDS = ("A right answer", "Right answer", "You chose, and it is right", "Correct:", "Incorrect:", "Why:",
             "Your results")
OUT = ARTIFACTS / "security"


@pytest.fixture(scope="module")
def lesson() -> LoadedLesson:
    found = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('keyleak') / 'key.db'}"


@pytest.fixture(scope="module")
def url(start_server: StartServer, database: str) -> str:
    return start_server(DATABASE_URL=database)


@pytest.fixture(scope="module")
def db(url: str, database: str) -> Iterator[SqlStore]:
    store = open_store(database)
    yield store
    store.engine.dispose()


def no_key(page: Page) -> None:
    text = page.locator('[data-testid="stMain"]').inner_text()
    shown = [w for w in KEY_WORDS if w in text]
    assert shown == [], shown
    assert page.locator("mark.sc-hl").count() == 0 and page.locator("ol.sc-notes").count() == 0


def join(page: Page, url: str, code: str, name: str) -> None:
    page.goto(f"{url}/join?code={code}")
    settle(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    settle(page)


def pick(page: Page, question: SingleQuestion, right: bool) -> None:
    text = next(o.text for o in question.options if o.correct == right)
    lettered = re.compile(rf"^(?:[A-Z]\. )?{re.escape(text)}$")  # a teacher-paced class letters its options
    page.locator('[data-testid="stRadioOption"]', has=page.get_by_text(lettered)).click()
    page.get_by_role("button", name="Submit answer").click()
    settle(page)


def shoot(page: Page, name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"key-leak-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_solo_practice_and_a_second_seat_show_no_key_while_the_class_is_open(
        browser: Browser, url: str, db: SqlStore, lesson: LoadedLesson) -> None:
    first = lesson.lesson.questions[0]
    assert isinstance(first, SingleQuestion)
    live = start_class(db, lesson, pacing="teacher")
    student = browser.new_context(viewport={"width": 1280, "height": 900})
    class_tab = student.new_page()
    join(class_tab, url, live.code, "Ana")
    expect(class_tab.get_by_text("You are in")).to_be_visible(timeout=15_000)
    db.set_position(live.id, 0, lesson.lesson.questions[0].id)  # the teacher shows question 1
    expect(class_tab.get_by_role("button", name="Submit answer")).to_be_visible(timeout=15_000)

    solo_tab = student.new_page()  # the same student, another tab: the catalog, then the lesson by URL
    solo_tab.goto(url)
    settle(solo_tab)
    card = solo_tab.locator(f'.cc-card[data-lesson="{LESSON}"]')
    expect(card.get_by_text(PAUSED)).to_be_visible()
    expect(card.get_by_role("button", name="Open lesson")).to_have_count(0)
    card.scroll_into_view_if_needed()
    shoot(solo_tab, "catalog")
    solo_tab.goto(f"{url}/quiz?lesson={LESSON}")
    settle(solo_tab)
    expect(solo_tab.get_by_text(PAUSED)).to_be_visible()
    expect(solo_tab.get_by_role("button", name="Submit answer")).to_have_count(0)
    no_key(solo_tab)
    shoot(solo_tab, "solo-quiz")

    pick(class_tab, first, right=False)  # the class answer is scored as given, nothing else counted
    expect(class_tab.get_by_text("Your answer is saved")).to_be_visible(timeout=15_000)
    no_key(class_tab)

    homework = start_class(db, lesson, pacing="self")
    seat = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # a fresh token: anyone
    join(seat, url, homework.code, "Second seat")
    expect(seat.get_by_role("button", name="Submit answer")).to_be_visible(timeout=15_000)
    pick(seat, first, right=True)
    expect(seat.get_by_text(HELD)).to_be_visible(timeout=15_000)
    no_key(seat)
    shoot(seat, "second-seat")

    [given] = [r.answer for r in db.session_answers(live.id)]
    assert given.verdict == "incorrect"
    [held] = [r.answer for r in db.session_answers(homework.id)]
    assert held.verdict == "correct"  # scored and stored at Submit: the teacher's results are unaffected

    settle(seat)  # the Submit's run is over: nothing of it reads the class after the close
    db.close_session(homework.id)
    db.close_session(live.id)
    seat.get_by_role("button", name="Next question").click()  # the next click after the close
    settle(seat)
    closed = seat.get_by_text("Your teacher has closed the class")
    deadline = time.monotonic() + 15  # a process reuses a class's live row for LIVE_TTL (0.3 s): a click that
    while not closed.count() and time.monotonic() < deadline:  # came sooner shows the next question; look again
        seat.reload()
        settle(seat)
    expect(closed).to_be_visible(timeout=15_000)
    expect(seat.get_by_text("Right answer").first).to_be_visible()
    shoot(seat, "after-close")
    deadline = time.monotonic() + 15  # each process holds "a class is open" for up to 1.5 s
    while True:  # practice opens again once the server sees the classes closed: reload until it does
        solo_tab.goto(f"{url}/quiz?lesson={LESSON}")
        settle(solo_tab)
        if solo_tab.get_by_role("button", name="Submit answer").count() or time.monotonic() > deadline:
            break
    expect(solo_tab.get_by_role("button", name="Submit answer")).to_be_visible()
