"""Issue 21 in real Chromium, on SQLite and PostgreSQL: pages follow the class by push, fall back to polling, and
catch up after the event stream drops.

- Push: a projector and three phones; Start, Reveal and Next reach every phone, and the projector's "N of M
  answered" follows the answers. Each phone holds an open socket to the event route that has delivered frames.
- Fallback: a phone whose event socket is refused (closed at once, as a proxy that cannot pass it would) still
  follows the teacher by polling, and is told nothing about it.
- Reconnection: every event socket is cut after its first frame while the teacher moves on (the server's poll
  interval set to 10 s, so following within it is the reconnection's doing): each phone reconnects, catches up,
  and never stays on an old question.
- The phone's question page with the subscriber mounted: axe-clean, the subscriber takes no height; screenshots
  at 390x844 (phone) and 1920x1080 (projector) in test-artifacts/live-*.png.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import app_server, each_database, settle, sign_in
from conftest import ARTIFACTS
from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from bench.server import Server
from sourcecheck.db import open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.models import SingleQuestion, TrueFalseQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.classes import start_class

pytestmark = pytest.mark.browser

LESSON = "raqqa-who-says"
PASSCODE = "live-push-passcode-2121"
PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1920, "height": 1080}
EVENTS = re.compile(r"/_sc/events\?t=")
REVEALED = "The answers have been shown"
SUBSCRIBER = '[class*="st-key-sc-live-"]'
# Words a page could use to tell a student about the event stream or its fallback: none may appear.
PLUMBING = ("websocket", "socket", "polling", "reconnect", "connection", "offline", "stream")


@pytest.fixture(scope="module")
def lesson() -> LoadedLesson:
    found = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert found is not None
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return each_database(request, tmp_path, "live")


def serve(database: str, tmp_path: Path, **env: str) -> Server:
    server = app_server(database, tmp_path, PASSCODE)
    server.env.update(env)
    return server.start().wait_ready(60)


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[Server]:
    running = serve(database, tmp_path)
    yield running
    running.stop()


class Sockets:
    """The event sockets a page opened, and the frames each received (Playwright's websocket events)."""

    def __init__(self, page: Page) -> None:
        self.opened: list[Any] = []
        self.frames: list[str] = []
        page.on("websocket", self._opened)

    def _opened(self, ws: Any) -> None:
        if EVENTS.search(ws.url):
            self.opened.append(ws)
            ws.on("framereceived", lambda payload: self.frames.append(str(payload)))


def a_class(database: str, lesson: LoadedLesson) -> tuple[int, str]:
    session = start_class(open_store(database), lesson, pacing="teacher")
    return session.id, session.code


def projector(browser: Browser, server: Server, session_id: int) -> Page:
    page = browser.new_context(viewport=SCREEN).new_page()
    sign_in(page, f"{server.url}/projector?session={session_id}", PASSCODE)
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible(timeout=30_000)
    return page


def phone(browser: Browser, server: Server, code: str, name: str, route: Any = None) -> tuple[Page, Sockets]:
    context = browser.new_context(viewport=PHONE)
    if route is not None:
        context.route_web_socket(EVENTS, route)
    page = context.new_page()
    sockets = Sockets(page)
    page.goto(f"{server.url}/join?code={code}")
    settle(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You are in")).to_be_visible(timeout=30_000)
    return page, sockets


def click(teacher: Page, name: str) -> None:
    settle(teacher)
    teacher.get_by_role("button", name=name, exact=True).click()


def on_question(page: Page, number: int, total: int) -> None:
    expect(page.get_by_text(f"Question {number} of {total}", exact=True)).to_be_visible()


def answer_first(page: Page, lesson: LoadedLesson) -> None:
    """Answer question 1 (a choice) with its first option."""
    question = lesson.lesson.questions[0]
    assert isinstance(question, SingleQuestion | TrueFalseQuestion)
    expect(page.get_by_role("button", name="Submit answer")).to_be_visible()
    page.locator('[data-testid="stRadioOption"]').first.click()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_text("Your answer is saved")).to_be_visible()


def told_nothing(page: Page) -> None:
    text = page.locator('[data-testid="stMain"]').inner_text().lower()
    for word in PLUMBING:
        assert word not in text, f"the phone says {word!r}: {text[:300]}"


def test_push_reaches_every_phone_and_the_count(browser: Browser, server: Server, database: str,
                                                lesson: LoadedLesson) -> None:
    session_id, code = a_class(database, lesson)
    teacher = projector(browser, server, session_id)
    phones = [phone(browser, server, code, name) for name in ("Ana", "Ben", "Chloé")]
    total = len(lesson.lesson.questions)
    expect(teacher.get_by_text("3 joined")).to_be_visible()  # the lobby's count, pushed by the joins
    click(teacher, "Start")
    for page, _ in phones:
        on_question(page, 1, total)
    expect(teacher.get_by_text("0 of 3 answered")).to_be_visible()
    answer_first(phones[0][0], lesson)
    expect(teacher.get_by_text("1 of 3 answered")).to_be_visible()
    answer_first(phones[1][0], lesson)
    expect(teacher.get_by_text("2 of 3 answered")).to_be_visible()
    click(teacher, "Reveal the answers")
    expect(phones[2][0].get_by_text(REVEALED)).to_be_visible()  # not answered: the question is closed
    for page, _ in phones[:2]:
        expect(page.get_by_text("Your answer is saved")).to_have_count(0)
    click(teacher, "Next question")
    for page, sockets in phones:
        on_question(page, 2, total)
        assert sockets.opened and not sockets.opened[-1].is_closed(), "no open event socket: the phone polled"
        assert sockets.frames and all(re.fullmatch(r"[0-9]+", f) for f in sockets.frames), sockets.frames
        told_nothing(page)


def test_a_refused_event_socket_falls_back_to_polling(browser: Browser, server: Server, database: str,
                                                      lesson: LoadedLesson) -> None:
    refused: list[str] = []

    def refuse(ws: WebSocketRoute) -> None:  # a proxy that cannot pass the route: the socket closes at once
        refused.append(ws.url)
        ws.close()

    session_id, code = a_class(database, lesson)
    teacher = projector(browser, server, session_id)
    student, sockets = phone(browser, server, code, "Dev", route=refuse)
    total = len(lesson.lesson.questions)
    click(teacher, "Start")
    on_question(student, 1, total)
    click(teacher, "Reveal the answers")
    expect(student.get_by_text(REVEALED)).to_be_visible()
    click(teacher, "Next question")
    on_question(student, 2, total)
    assert refused, "the phone never tried the event route"
    assert not sockets.frames  # it followed by polling alone
    told_nothing(student)
    expect(student.locator('[data-testid="stAlert"]', has_text=re.compile("connect|live", re.I))).to_have_count(0)


def test_a_cut_stream_reconnects_and_catches_up(browser: Browser, database: str, tmp_path: Path,
                                                lesson: LoadedLesson) -> None:
    """Every event socket is cut after its first frame: the page can learn of a change only by reconnecting (the
    poll fallback is 10 s here, longer than Playwright's 15 s wait leaves after two moves)."""
    slow = serve(database, tmp_path, SOURCECHECK_POLL_SECONDS="10")
    try:
        cuts: list[str] = []

        def cut_after_first_frame(ws: WebSocketRoute) -> None:
            upstream = ws.connect_to_server()

            def forward(message: str | bytes) -> None:
                ws.send(message)
                cuts.append(str(message))
                upstream.close()
                ws.close()

            upstream.on_message(forward)

        session_id, code = a_class(database, lesson)
        teacher = projector(browser, slow, session_id)
        student, _ = phone(browser, slow, code, "Eli", route=cut_after_first_frame)
        total = len(lesson.lesson.questions)
        for step, (button, shown) in enumerate([("Start", "Question 1"), ("Reveal the answers", REVEALED),
                                                ("Next question", "Question 2"), ("Previous", "Question 1")]):
            click(teacher, button)
            if shown.startswith("Question"):
                on_question(student, int(shown.split()[1]), total)
            else:
                expect(student.get_by_text(shown)).to_be_visible()
            assert len(cuts) >= step + 1
        assert REVEALED in student.locator('[data-testid="stMain"]').inner_text()  # back on the revealed question 1
        told_nothing(student)
    finally:
        slow.stop()


def test_the_subscriber_takes_no_space_and_is_axe_clean(browser: Browser, server: Server, database: str,
                                                        lesson: LoadedLesson) -> None:
    if not database.startswith("sqlite"):
        pytest.skip("the page's markup does not depend on the database")
    session_id, code = a_class(database, lesson)
    teacher = projector(browser, server, session_id)
    student, sockets = phone(browser, server, code, "Fay")
    click(teacher, "Start")
    on_question(student, 1, len(lesson.lesson.questions))
    settle(student)
    settle(teacher)
    ARTIFACTS.mkdir(exist_ok=True)
    student.screenshot(path=str(ARTIFACTS / "live-phone-question.png"), full_page=True)
    teacher.screenshot(path=str(ARTIFACTS / "live-projector-question.png"))
    for page in (student, teacher):
        shown = page.locator(SUBSCRIBER).evaluate_all(
            "els => els.map(e => [getComputedStyle(e).display, e.getBoundingClientRect().height])")
        assert shown, "no subscriber mounted"
        assert all(display == "none" and height == 0 for display, height in shown), shown  # not even a gap
    student.evaluate(AXE_SCRIPT)
    result = student.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    (ARTIFACTS / "axe").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe" / "live-phone-question.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    assert [(v["id"], v["impact"]) for v in result["violations"]] == []
