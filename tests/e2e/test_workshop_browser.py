"""A teacher in a real Chromium against a real server: the workshop URL asks for the passcode, a pasted
lesson with a mistake shows the problem at its line with a caret, the fixed lesson previews as a student
sees it (feedback and annotated excerpt after answering). Screenshots at phone (390x844) and projector
(1920x1080) size go to test-artifacts/ for a human to look at."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from browser_support import event_handlers, settle
from conftest import ARTIFACTS, StartServer
from playwright.sync_api import Browser, Page, expect
from test_workshop_hostile import CATALOG, DOCUMENT, LESSON

from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

PASSCODE = "browser-passcode-7310"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
MINIMAL = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
TYPO = MINIMAL.replace("    options:\n", "    optoins:\n")
SIZES = {"phone": (390, 844), "desktop": (1920, 1080)}
WORKING_SIZE = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def server(start_server: StartServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The app on a copy of the bundled lessons, so a save in this test never touches lessons/."""
    root = tmp_path_factory.mktemp("teacher")
    lessons = Path(shutil.copytree(PROJECT_ROOT / "lessons", root / "lessons"))
    url = start_server(SOURCECHECK_TEACHER_PASSCODE=PASSCODE, SOURCECHECK_LESSONS=str(lessons),
                       SOURCECHECK_STATE=str(root / "state"))
    return url, lessons


@pytest.fixture
def page(browser: Browser) -> Page:
    context = browser.new_context(viewport=WORKING_SIZE)
    yield context.new_page()
    context.close()


def shoot(page: Page, name: str) -> None:
    """The first screen at phone and projector size, and the whole page (made as tall as its content)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"workshop-{size}-{name}.png"))
        tall = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
        page.set_viewport_size({"width": width, "height": max(height, min(tall, 8000))})
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"workshop-{size}-{name}-full.png"))
    page.set_viewport_size(WORKING_SIZE)
    settle(page)


def paste(page: Page, text: str) -> None:
    """Type into the editor and apply it as a teacher does (Ctrl+Enter), then wait for the rerun."""
    box = page.get_by_role("textbox", name="Lesson YAML")
    box.fill(text)
    box.press("Control+Enter")
    box.blur()  # also applies it, should the key press have come before the editor noticed the change
    expect(page.get_by_test_id("InputInstructions")).to_have_count(0)
    settle(page)


def sign_in(page: Page, passcode: str) -> None:
    page.get_by_label("Teacher passcode").fill(passcode)
    page.get_by_role("button", name="Sign in").click()
    settle(page)


def test_teacher_checks_fixes_and_previews_a_lesson(page: Page, server: tuple[str, Path]) -> None:
    url, _ = server
    page.goto(f"{url}/workshop")
    settle(page)
    expect(page.get_by_role("heading", name="Teacher sign-in")).to_be_visible()
    expect(page.get_by_role("heading", name="Lesson workshop")).to_have_count(0)
    shoot(page, "1-sign-in")

    sign_in(page, "not-the-passcode")
    expect(page.get_by_text("That passcode is not right")).to_be_visible()
    expect(page.get_by_label("Teacher passcode")).to_have_value("")  # the form forgets what was typed
    sign_in(page, PASSCODE)
    expect(page.get_by_role("heading", name="Lesson workshop")).to_be_visible()
    assert page.url.rstrip("/").endswith("/workshop")

    paste(page, TYPO)
    problem = page.get_by_test_id("stCode").filter(has_text="pasted-lesson.yaml:23:5:")
    expect(problem).to_contain_text("unknown key 'optoins' (did you mean 'options'?)")
    lines = problem.inner_text().splitlines()
    assert lines[1:3] == ["        optoins:", "        ^"], lines  # the line itself, a caret under column 5
    expect(page.get_by_text("1 problem to fix")).to_be_visible()
    numbered = page.get_by_test_id("stExpander").filter(has_text="The lesson with line numbers (26 lines)")
    expect(numbered.get_by_test_id("stCode")).to_be_visible()  # open beside the problem
    line_23 = numbered.locator(".linenumber").filter(has_text=re.compile(r"^23$"))
    expect(line_23).to_have_count(1)
    assert "optoins:" in line_23.locator("xpath=..").inner_text()  # the line the message names, numbered 23
    shoot(page, "2-problem")

    paste(page, MINIMAL)
    expect(page.get_by_text("No problems: “Minimal lesson”, 1 question.")).to_be_visible()
    expect(page.get_by_test_id("stCode").filter(has_text="pasted-lesson.yaml")).to_have_count(0)
    preview = page.locator(".st-key-ws-preview")  # the student views, inside the workshop
    expect(preview.get_by_role("heading", name="Who gave the information?")).to_be_visible()
    expect(preview.locator(".sc-tag")).to_have_count(0)  # no highlight gives the answer away
    shoot(page, "3-preview")

    preview.locator('[data-testid="stRadioOption"]', has=page.get_by_text("The President", exact=True)).click()
    preview.get_by_role("button", name="Submit answer").click()
    settle(page)
    expect(preview.get_by_text("Incorrect: 0 of 1 point")).to_be_visible()
    expect(preview.get_by_text("The officials are not named.")).to_be_visible()
    expect(preview.locator(".sc-tag").first).to_contain_text("unnamed source")  # the annotated excerpt
    expect(preview.get_by_text("No names are given.")).to_be_visible()
    shoot(page, "4-feedback")


def test_quote_finder_and_save(page: Page, server: tuple[str, Path]) -> None:
    url, lessons = server
    page.goto(f"{url}/teacher")
    settle(page)
    sign_in(page, PASSCODE)
    page.get_by_role("link", name="Workshop").first.click()
    settle(page)
    page.get_by_test_id("stExpander").get_by_text("Find a quote in a document").click()
    words = page.get_by_label("Words from the passage")
    words.fill("intelligence partner")
    words.press("Enter")
    settle(page)
    expect(page.get_by_test_id("stExpander").get_by_test_id("stCode")).to_contain_text(
        "quote: “Most alarmingly, officials said, Trump revealed the city")
    shoot(page, "5-quote-finder")

    paste(page, MINIMAL.replace("id: minimal\n", "id: saved-in-browser\n", 1))
    page.get_by_role("tab", name="Save or download").click()
    page.get_by_role("button", name="Save into").click()
    settle(page)
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="Saved")).to_contain_text(
        "saved-in-browser.yaml")
    assert (lessons / "saved-in-browser.yaml").is_file()


def test_exports_download_in_the_browser(page: Page, server: tuple[str, Path]) -> None:
    url, _ = server
    page.goto(f"{url}/exports")
    settle(page)
    sign_in(page, PASSCODE)
    expect(page.get_by_role("heading", name="Exports")).to_be_visible()
    page.get_by_role("combobox", name="Lesson").click()
    page.get_by_role("option", name="(raqqa-who-says)").click()
    settle(page)
    expect(page.get_by_text("mark question exported as").first).to_be_visible()
    shoot(page, "6-exports")
    for name in ("raqqa-who-says.gift.txt", "raqqa-who-says.zip", "raqqa-who-says-worksheet.html",
                 "raqqa-who-says-answer-key.html"):
        with page.expect_download() as info:
            page.get_by_role("button", name=f"Download {name}").click()
        download = info.value
        assert download.suggested_filename == name
        assert Path(download.path()).stat().st_size > 1000


def test_a_hostile_lesson_runs_nothing_in_the_browser(page: Page, start_server: StartServer,
                                                       tmp_path_factory: pytest.TempPathFactory) -> None:
    """Markup in every field of a pasted lesson and of its document: no dialog opens, no element is made."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "seeds").mkdir()
    (root / "lessons").mkdir()
    (root / "seeds" / "evil.txt").write_text(DOCUMENT, encoding="utf-8")
    (root / "seeds" / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    url = start_server(SOURCECHECK_TEACHER_PASSCODE=PASSCODE, SOURCECHECK_SEEDS=str(root / "seeds"),
                       SOURCECHECK_LESSONS=str(root / "lessons"), SOURCECHECK_STATE=str(root / "state"))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{url}/workshop")
    settle(page)
    sign_in(page, PASSCODE)
    paste(page, LESSON)
    preview = page.locator(".st-key-ws-preview")
    expect(preview.get_by_role("heading").filter(has_text="Who speaks?")).to_be_visible()
    preview.locator('[data-testid="stRadioOption"]').first.click()
    preview.get_by_role("button", name="Submit answer").click()
    settle(page)
    expect(preview.locator(".sc-tag").first).to_be_visible()
    expect(preview.get_by_text("<img src=x onerror=alert('note1')>note one")).to_be_visible()  # shown as text
    assert event_handlers(page) == []  # so nothing on the page can still open a dialog
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("u, i").filter(has_text="nobody").count() == 0
