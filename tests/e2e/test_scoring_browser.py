"""Issue 19 in real Chromium, on SQLite and PostgreSQL: a teacher scores a class of 30 written answers by keyboard
only, to "30 of 30 scored", and Results then counts those scores; a second scorer scores the blind sample and sees
κ. Screenshots at 1366x768, 1920x1080 and 390x844 go to test-artifacts/ (issue19-scoring-*.png) for a person to
look at; axe-core scans the page with the desk in use and the second scorer's agreement."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, StartServer, settle, sign_in
from pg_server import PostgresServer
from playwright.sync_api import Browser, Page, expect
from test_accessibility import Scanner
from written_seed import ANSWERS, QUESTION, class_with_answers

from sourcecheck.db import open_store

pytestmark = pytest.mark.browser

PASSCODE = "issue19-scoring-passcode"
DESK = ".sk-answer"
# Every width the page's main column had, frame by frame: a rerun must not flip it between layouts (it did while
# the page asked for layout="wide" after app.py's "centered": each key's rerun narrowed it for a moment)
WATCH_WIDTH = """() => { window.scWidths = new Set(); const main = '[data-testid="stMainBlockContainer"]';
  const f = () => { const e = document.querySelector(main); if (e) window.scWidths.add(Math.round(
    e.getBoundingClientRect().width)); requestAnimationFrame(f); }; f(); }"""


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'scoring.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database(f"scoring_{os.getpid()}_{uuid.uuid4().hex[:12]}")


def level_for(text: str) -> int:
    """How this walk's teacher scores an answer: two things named 2, one 1, nothing (or nothing checkable) 0."""
    words = text.lower()
    if len(words.strip()) < 12 or "believe" in words or "trust" in words:
        return 0
    return 2 if " and " in words or ", and" in words or "another" in words else 1


def shoot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    settle(page)
    size = page.viewport_size
    assert size is not None
    path = ARTIFACTS / f"issue19-scoring-{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path))
    return path


def focused_answer(page: Page) -> int:
    label = page.locator(".sk-label").inner_text()
    found = re.match(r"Answer (\d+)", label)
    assert found, label
    return int(found.group(1))


def tab_to_desk(page: Page) -> None:
    """From the "Scoring as" box, Tab until the desk's answer has the focus, as a keyboard user would."""
    for _ in range(40):
        if page.evaluate("() => { const h = document.querySelector('.sk-answer') ? null : "
                         "[...document.querySelectorAll('*')].find(e => e.shadowRoot && "
                         "e.shadowRoot.querySelector('.sk-answer')); const root = h ? h.shadowRoot : document; "
                         "return root.activeElement === root.querySelector('.sk-answer'); }"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("Tab never reached the scoring desk")


def pick_first_scorer_by_keyboard(page: Page) -> None:
    """From the "Scoring as" box, Tab to the Role (no option picked: nothing of the answers is drawn yet) and
    Space, which picks its first option, First scorer. (The run after signing in drew the page one element lower,
    the cookie's: wait for that first drawing of the Role to go.)"""
    expect(page.get_by_text("Type your initials or name in “Scoring as”")).to_have_count(0)  # the name's run is over
    settle(page)
    expect(page.get_by_test_id("stRadio")).to_have_count(1)
    seen: list[str] = []
    for _ in range(3):  # a rerun that draws the box anew drops the focus to the page's top: start from the box again
        page.get_by_label("Scoring as (your initials or name)").focus()  # where the teacher typed
        for _ in range(10):
            page.keyboard.press("Tab")
            seen.append(page.evaluate(
                "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ''"))
            if page.evaluate("() => document.activeElement && document.activeElement.type === 'radio'"):
                break
        else:
            settle(page)
            continue
        break
    else:
        raise AssertionError(f"Tab never reached the Role: {seen}")
    page.keyboard.press("Space")
    settle(page)
    expect(page.get_by_role("radio", name="First scorer")).to_be_checked()


def test_a_class_of_30_scored_by_keyboard_then_a_blind_second_scorer(
        browser: Browser, start_server: StartServer, database: str, tmp_path: Path) -> None:
    store = open_store(database)
    session_id = class_with_answers(store)
    store.engine.dispose()
    url = start_server(DATABASE_URL=database, SOURCECHECK_TEACHER_PASSCODE=PASSCODE,
                       SOURCECHECK_STATE=str(tmp_path / "state"))
    scanner = Scanner()
    context = scanner.context(browser, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, f"{url}/scoring?session={session_id}&question={QUESTION}", PASSCODE)
    expect(page.get_by_role("heading", name="Score written answers")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Pick your role to see the answers.")).to_be_visible()
    assert "Answer 1" not in page.locator('[data-testid="stMain"]').inner_text()  # no role: no answer yet
    shoot(page, "no-role")

    name_box = page.get_by_label("Scoring as (your initials or name)")
    name_box.focus()
    page.keyboard.type("A. B.")
    page.keyboard.press("Enter")
    settle(page)
    pick_first_scorer_by_keyboard(page)
    expect(page.get_by_text("Answer 30", exact=False).first).to_be_visible()
    assert "Student 1" not in page.locator('[data-testid="stMain"]').inner_text()  # no names by default
    progress = page.locator(".sk-progress")
    # the desk has the name (the run after signing in drew the page one element lower, the cookie's: wait for that
    # first drawing of the desk to go)
    expect(page.locator(".sk-who")).to_have_count(1)
    expect(page.locator(".sk-who")).to_have_text("Scoring as A. B., first scorer")
    expect(progress).to_have_text("0 of 30 scored")
    page.locator(".st-key-sc-group-1").evaluate("e => e.scrollIntoView({block: 'start'})")  # moves no focus
    shoot(page, "groups")
    name_box.focus()  # back where the teacher typed their name (the screenshot's scrolling is the test's own)
    tab_to_desk(page)
    page.evaluate(WATCH_WIDTH)

    given: dict[int, int] = {}
    for n in range(30):
        number = focused_answer(page)
        assert number not in given, f"Answer {number} came round again"
        given[number] = level_for(ANSWERS[number - 1])
        page.keyboard.press(str(given[number]))
        expect(progress).to_have_text(f"{n + 1} of 30 scored")  # shown once the store has it
        if n == 0:
            shoot(page, "desk")
            scanner.scan(page, "issue19-scoring-desk")
    assert sorted(given) == list(range(1, 31))
    widths = page.evaluate("() => [...window.scWidths]")
    assert len(widths) == 1, widths  # the page never jumped between layouts while scoring
    expect(page.locator(".sk-status")).to_contain_text("saved")

    # a comment by keyboard on the answer in the desk: C, type, Enter
    page.keyboard.press("ArrowUp")
    number = focused_answer(page)
    page.keyboard.press("c")
    page.keyboard.type("Say how each would show it.")
    page.keyboard.press("Enter")
    expect(page.locator(f".st-key-sc-answer-{number}")).to_contain_text("Say how each would show it.")

    page.set_viewport_size({"width": 1920, "height": 1080})
    shoot(page, "scored")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "phone")
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    page.set_viewport_size({"width": 1366, "height": 768})

    # Results counts the scores: the question's share fully right is the share scored 2
    full = sum(level == 2 for level in given.values())
    page.goto(f"{url}/dashboard?session={session_id}")
    settle(page)
    expect(page.get_by_role("link", name=re.compile("Score written answers: question"))).to_contain_text(
        "30 of 30 scored")
    card = page.locator("[class*='st-key-db-reteach-']").filter(has_text="(30 answered)")
    expect(card).to_contain_text(f"{round(100 * full / 30)}% fully right (30 answered)")

    # the second scorer, blind: only the sample, and agreement once it is scored
    page.goto(f"{url}/scoring?session={session_id}&question={QUESTION}")
    settle(page)
    page.get_by_test_id("stRadio").get_by_text("Second scorer").click()
    settle(page)
    page.get_by_label("Scoring as (your initials or name)").fill("C. D.")
    page.keyboard.press("Enter")
    settle(page)
    expect(page.locator(".sk-who")).to_have_text("Scoring as C. D., second scorer")
    expect(progress).to_have_text("0 of 5 scored")
    assert "A. B." not in page.locator('[data-testid="stMain"]').inner_text()  # blind to the first scores
    page.locator(DESK).focus()
    for n in range(5):
        number = focused_answer(page)
        mine = given[number] if n else (given[number] + 1) % 3  # one disagreement
        page.keyboard.press(str(mine))
        expect(progress).to_have_text(f"{n + 1} of 5 scored")
    expect(page.get_by_text("5 answers scored by both.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Cohen's κ -?\d\.\d\d"))).to_be_visible()
    expect(page.get_by_text("Scored differently (1)")).to_be_visible()
    page.get_by_role("heading", name="Agreement between the two scorers").scroll_into_view_if_needed()
    shoot(page, "second")
    scanner.scan(page, "issue19-scoring-second")
    assert not scanner.outside, scanner.outside
    assert not scanner.blocking(), scanner.blocking()
    context.close()


def test_two_criteria_by_keyboard_one_key_each_and_esc_leaves_a_comment_unsaved(
        browser: Browser, start_server: StartServer, database: str, tmp_path: Path) -> None:
    store = open_store(database)
    session_id = class_with_answers(store, ["A named source.", "Proof.", "Another outlet's report."],
                                    two_criteria=True)
    store.engine.dispose()
    url = start_server(DATABASE_URL=database, SOURCECHECK_TEACHER_PASSCODE=PASSCODE,
                       SOURCECHECK_STATE=str(tmp_path / "state"))
    scanner = Scanner()
    context = scanner.context(browser, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, f"{url}/scoring?session={session_id}&question={QUESTION}", PASSCODE)
    name_box = page.get_by_label("Scoring as (your initials or name)")
    name_box.fill("A. B.")
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_test_id("stRadio").get_by_text("First scorer").click()
    settle(page)
    expect(page.locator(".sk-who")).to_have_count(1)
    expect(page.locator(".sk-who")).to_have_text("Scoring as A. B., first scorer")
    name_box.focus()
    tab_to_desk(page)
    number = focused_answer(page)
    page.keyboard.press("2")  # the first criterion; the desk moves to the second and saves nothing yet
    expect(page.locator(".sk-status")).to_have_text(
        "Names what would have to be checked: 2. Now Says why the column alone is not enough.")
    expect(page.locator(".sk-progress")).to_have_text("0 of 3 scored")
    page.keyboard.press("1")
    expect(page.locator(".sk-progress")).to_have_text("1 of 3 scored")
    expect(page.locator(f".st-key-sc-answer-{number}")).to_contain_text("3 of 3 (2 + 1) by A. B.")
    page.keyboard.press("Home")  # back to the answer just scored: the first of the list, then down
    for _ in range(3):
        if focused_answer(page) == number:
            break
        page.keyboard.press("ArrowDown")
    assert focused_answer(page) == number
    page.keyboard.press("c")
    page.keyboard.type("Not kept")
    page.keyboard.press("Escape")
    expect(page.locator(".sk-status")).to_have_text("Comment left unsaved.")
    page.keyboard.press("9")  # no such level: said, nothing saved
    expect(page.locator(".sk-status")).to_contain_text("has no level 9")
    settle(page)
    assert "Not kept" not in page.locator(f".st-key-sc-answer-{number}").inner_text()
    scanner.scan(page, "issue19-scoring-two-criteria")
    assert not scanner.blocking(), scanner.blocking()
    context.close()
