"""Issue 16 in real Chromium, on SQLite and PostgreSQL: the teacher's class remote on a 390x844 phone, and what a
student's phone says when the class is closed or deleted (defect 6).

The teacher opens /remote on their phone (the sign-in form first), two students join, the remote starts the class;
one answers and the remote names the other under "Not answered yet", then the list empties when they answer too.
Closed: the student's phone shows how they did, and still does after a reload. Deleted: it says the class and its
answers were deleted. Screenshots at 390x844 go to test-artifacts/remote-*.png; axe-core runs on each screen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import ARTIFACTS, IDLE, app_server, each_database, settle, start_class
from playwright.sync_api import Browser, Page, expect

from bench.server import Server
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.models import SingleQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

LESSON = "raqqa-who-says"
PASSCODE = "remote-browser-passcode"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
OPENED = """() => { const box = document.querySelector('[data-testid="stExpander"]');
    const names = box && box.querySelector('.rm-names');
    return !!names && box.getBoundingClientRect().bottom >= names.getBoundingClientRect().bottom + 8; }"""
APP_STYLED = "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('.sc-quote{'))"


@pytest.fixture(scope="module")
def lesson() -> LoadedLesson:
    found = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert found is not None
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return each_database(request, tmp_path, "remote")


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[Server]:
    running = app_server(database, tmp_path, PASSCODE).start().wait_ready(60)
    yield running
    running.stop()


def shoot_and_scan(page: Page, name: str, kind: str) -> None:
    """A 390x844 screenshot for a person to look at, and axe-core on the same screen: no violation at all."""
    ARTIFACTS.mkdir(exist_ok=True)
    settle(page)
    page.wait_for_function(APP_STYLED, timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / f"remote-{name}-{kind}.png"))
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    (ARTIFACTS / "axe").mkdir(exist_ok=True)
    (ARTIFACTS / "axe" / f"remote-{name}-{kind}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:4]) for v in result["violations"]]
    assert not found, (name, found)


def sign_in_here(page: Page, address: str) -> None:
    page.goto(address)
    settle(page)
    expect(page.get_by_role("heading", name="Teacher sign-in")).to_be_visible(timeout=15_000)
    page.get_by_label("Teacher passcode").fill(PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Teacher passcode")).to_have_count(0, timeout=15_000)
    settle(page)


def join(page: Page, url: str, code: str, name: str) -> None:
    page.goto(f"{url}/join?code={code}")
    settle(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You are in")).to_be_visible(timeout=15_000)


def answer_first(page: Page, question: SingleQuestion) -> None:
    expect(page.get_by_role("button", name="Submit answer")).to_be_visible(timeout=15_000)
    right = next(o.text for o in question.options if o.correct)
    page.locator('[data-testid="stRadioOption"]', has=page.get_by_text(right, exact=False)).first.click()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_text("Your answer is saved")).to_be_visible(timeout=15_000)


def not_answered(remote: Page) -> str:
    """The names the remote lists under "Not answered yet" (the list, or the line saying it is empty)."""
    heading = remote.get_by_role("heading", name="Not answered yet")
    expect(heading).to_be_visible(timeout=15_000)
    settle(remote)  # the run that drew the count is over: no list of the run before is left on the page
    return str(remote.locator(".rm-names, .rm-none").first.inner_text())


def test_the_remote_on_a_phone_and_the_end_states_on_a_students_phone(browser: Browser, server: Server,
                                                                       lesson: LoadedLesson, database: str) -> None:
    kind = "postgresql" if database.startswith("postgresql") else "sqlite"
    url = server.url
    first = lesson.lesson.questions[0]
    assert isinstance(first, SingleQuestion)

    laptop = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_here(laptop, f"{url}/classes")
    code = start_class(laptop, lesson.lesson.title, lesson.lesson.level)

    remote = browser.new_context(**PHONE).new_page()  # type: ignore[arg-type]
    sign_in_here(remote, f"{url}/remote")  # signed out, /remote is the passcode form; then the remote itself
    expect(remote.get_by_text(f"Class {code}")).to_be_visible(timeout=15_000)  # the one open class, found

    ana, ben = (browser.new_context(**PHONE).new_page() for _ in range(2))  # type: ignore[arg-type]
    join(ana, url, code, "Ana")
    join(ben, url, code, "Ben <i>Lee</i>")
    expect(remote.locator(".rm-count", has_text="2 joined").first).to_be_visible(timeout=15_000)  # live, no reload
    shoot_and_scan(remote, "lobby", kind)

    remote.get_by_role("button", name="Start").click()
    expect(remote.get_by_text("Question 1 of")).to_be_visible(timeout=15_000)
    expect(remote.locator(".rm-count", has_text="0 of 2 answered").first).to_be_visible(timeout=15_000)
    answer_first(ana, first)  # the students' phones followed the remote
    expect(remote.locator(".rm-count", has_text="1 of 2 answered").first).to_be_visible(timeout=15_000)
    assert not_answered(remote) == "Ben <i>Lee</i>"  # by name, as typed (escaped: no italics)
    assert remote.locator(".rm-names i").count() == 0
    shoot_and_scan(remote, "one-answered", kind)

    answer_first(ben, first)
    expect(remote.locator(".rm-count", has_text="2 of 2 answered").first).to_be_visible(timeout=15_000)
    assert not_answered(remote) == "Everyone who joined has answered."
    remote.get_by_text("Answered (2)").click()
    answered = remote.get_by_test_id("stExpander").locator(".rm-names")
    expect(answered).to_be_visible(timeout=15_000)
    expect(answered).to_have_text("AnaBen <i>Lee</i>", timeout=15_000)  # sorted by name
    remote.wait_for_function(OPENED)  # the expander's opening animation is over: its names are inside its frame
    shoot_and_scan(remote, "all-answered", kind)
    expect(remote.locator(".rm-count").first).to_have_attribute("role", "status")
    remote.get_by_role("button", name="Reveal").click()
    expect(remote.get_by_text("answers shown")).to_be_visible(timeout=15_000)
    expect(remote.get_by_role("button", name="Reveal")).to_be_disabled(timeout=15_000)
    expect(ana.get_by_text("Correct").first).to_be_visible(timeout=15_000)  # the reveal reached the phones

    laptop.get_by_role("button", name="Close the class").click()  # closed: Ana keeps her summary
    expect(ana.get_by_text("Here is how you did")).to_be_visible(timeout=15_000)
    ana.reload()
    settle(ana)
    expect(ana.get_by_text("Here is how you did")).to_be_visible(timeout=15_000)
    expect(ana.get_by_test_id("stMetric")).to_contain_text("of")
    shoot_and_scan(ana, "closed-after-reload", kind)

    code2 = start_class(laptop, lesson.lesson.title, lesson.lesson.level)  # a second class, deleted with a student
    assert code2 != code
    join(ben, url, code2, "Ben")
    laptop.get_by_text("Delete it and all its answers").click()
    settle(laptop)
    laptop.get_by_role("button", name="Delete").click()
    expect(ben.get_by_text("Your teacher has deleted this class")).to_be_visible(timeout=15_000)
    expect(ben.get_by_text("Answers you gave are saved")).to_have_count(0)
    shoot_and_scan(ben, "deleted", kind)
    assert ben.locator(IDLE).count() == 1
