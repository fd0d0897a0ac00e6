"""One teacher and three students in real Chromium run a teacher-paced class on one server, on SQLite and on
PostgreSQL: join by code, answer, the projector counts to 3, reveal, a server restart in the middle loses
nothing, the results page and its CSV match. Screenshots of the join screen, the projector (before and after a
reveal, and a spans heat map) and the results at 390x844 and 1920x1080 go to test-artifacts/."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import app_server, each_database, settle, start_class
from conftest import ARTIFACTS
from marking_helpers import mark_by_hand
from playwright.sync_api import Browser, Page, expect

from bench.server import Server
from sourcecheck.analytics.options import listed
from sourcecheck.db import open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.models import MarkQuestion, SingleQuestion, SpansQuestion, TrueFalseQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

LESSON = "raqqa-who-says"
PASSCODE = "browser-class-passcode"
SIZES = {"phone": (390, 844), "projector": (1920, 1080)}


@pytest.fixture(scope="module")
def lesson() -> LoadedLesson:
    found = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert found is not None
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return each_database(request, tmp_path, "class")


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[Server]:
    running = app_server(database, tmp_path, PASSCODE).start().wait_ready(60)
    yield running
    running.stop()


@pytest.fixture
def projector_server(database: str, server: Server, tmp_path: Path) -> Iterator[Server]:
    """On PostgreSQL the projector runs on a second server process: the scale-out path, where the database is
    the only state the processes share. On SQLite (one machine, one process) it is the same server."""
    if not database.startswith("postgresql"):
        yield server
        return
    second = app_server(database, tmp_path, PASSCODE).start().wait_ready(60)
    yield second
    second.stop()


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"class-{size}-{name}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def open_teacher_page(page: Page, address: str, heading: str) -> None:
    """A teacher URL opened directly shows the passcode form; once signed in, the same URL shows the page. A
    browser that signed in before (the teacher cookie, for 12 hours) goes straight to the page."""
    page.goto(address)
    form, shown = page.get_by_label("Teacher passcode"), page.get_by_role("heading", name=heading).or_(
        page.get_by_text(heading))
    expect(form.or_(shown).first).to_be_visible(timeout=15_000)
    if form.count():
        form.fill(PASSCODE)
        page.get_by_role("button", name="Sign in").click()
    expect(shown.first).to_be_visible(timeout=15_000)


def join(page: Page, url: str, code: str, name: str) -> None:
    page.goto(f"{url}/join?code={code}")
    settle(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You are in")).to_be_visible(timeout=15_000)


def lettered(text: str) -> re.Pattern[str]:
    """An option's label on a phone: "B. text" in a teacher-paced class (the projector's letter)."""
    return re.compile(rf"^(?:[A-Z]\. )?{re.escape(text)}$")


def answer(page: Page, lesson: LoadedLesson, question_id: str, right: bool) -> None:
    question = lesson.question(question_id)
    expect(page.get_by_role("button", name="Submit answer")).to_be_visible(timeout=15_000)
    if isinstance(question, SingleQuestion):
        text = next(o.text for o in question.options if o.correct == right)
        page.locator('[data-testid="stRadioOption"]', has=page.get_by_text(lettered(text))).click()
    elif isinstance(question, TrueFalseQuestion):
        label = "True" if question.answer == right else "False"
        page.locator('[data-testid="stRadioOption"]', has=page.get_by_text(lettered(label))).click()
    elif isinstance(question, MarkQuestion):
        mark_by_hand(page, lesson, question, "right" if right else "wrong", touch=True)
    elif isinstance(question, SpansQuestion):
        for c in lesson.bound(question.id).candidates:
            if c.correct == right:
                page.locator('[data-testid="stCheckbox"]', has=page.get_by_text(f"“{c.text}”", exact=True)).click()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_text("Your answer is saved")).to_be_visible(timeout=15_000)


def projector_shows(page: Page, text: str) -> None:
    expect(page.locator('[data-testid="stHtml"]', has_text=text).first).to_be_visible(timeout=15_000)


def test_a_class_of_three_browsers(browser: Browser, server: Server, projector_server: Server, lesson: LoadedLesson,
                                   database: str) -> None:
    url, screen_url = server.url, projector_server.url
    teacher = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    open_teacher_page(teacher, f"{url}/classes", "Classes")
    code = start_class(teacher, lesson.lesson.title, lesson.lesson.level)
    assert len(code) == 6
    shoot(teacher, "classes")

    students = [browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
                for _ in range(3)]
    students[0].goto(f"{url}/join?code={code}")
    expect(students[0].get_by_label("Your name")).to_be_visible()
    expect(students[0].get_by_label("Class code")).to_have_value(code)  # the QR code's link fills it in
    shoot(students[0], "join")
    for page, name in zip(students, ["Ana", "Ben", "<b>Cy</b>"], strict=True):
        join(page, url, code, name)

    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    store = open_store(database)
    session = store.session_by_code(code)
    assert session is not None
    open_teacher_page(projector, f"{screen_url}/projector?session={session.id}", "Join the class")
    projector_shows(projector, "3 joined")
    shoot(projector, "projector-lobby")

    questions = [q.id for q in lesson.lesson.questions]
    plan = {questions[0]: [True, True, False], questions[1]: [True, False, False]}  # q1 2 of 3 right, q2 1 of 3
    spans = next(q.id for q in lesson.lesson.questions if q.type in ("spans", "mark"))  # revealed as a heat map
    plan[spans] = [True, False, True]

    projector.get_by_role("button", name="Start").click()
    for index, question_id in enumerate(questions):
        projector_shows(projector, f"Question {index + 1} of {len(questions)}")
        if question_id in plan:
            for page, right in zip(students, plan[question_id], strict=True):
                answer(page, lesson, question_id, right)
            projector_shows(projector, "3 of 3 answered")
            if index == 0:
                shoot(projector, "projector-question")
                server.stop()  # the server dies in the middle of the class...
                server.start().wait_ready(60)  # ...and comes back on the same address
                if projector_server is server:  # the projector's own server was restarted too: sign in again
                    open_teacher_page(projector, f"{url}/projector?session={session.id}", "3 of 3 answered")
                projector_shows(projector, "3 of 3 answered")  # nothing lost
                for page in students:
                    expect(page.get_by_text("Your answer is saved")).to_be_visible(timeout=30_000)
            projector.get_by_role("button", name="Reveal the answers").click()
            projector_shows(projector, "3 answered")
            # every type shows its counts as a ranked list ("How many chose each:", "... picked each phrase:")
            expect(projector.locator(".pj-sub", has_text="How many").first).to_be_visible(timeout=15_000)
            if index == 0:
                shoot(projector, "projector-reveal")
                expect(students[0].locator('[data-testid="stAlert"]').first).to_contain_text("Correct", timeout=15_000)
                shoot(students[0], "student-after-reveal")
            if question_id == spans:  # a spans question's heat map; a mark question's phrases, most found first
                where = (".sc-heat .sc-count" if lesson.question(spans).type == "spans" else
                         ".pj-sub:has-text('found all of each phrase')")
                expect(projector.locator(where).first).to_be_visible()
                shoot(projector, "projector-heatmap")
        projector.get_by_role("button", name="Finish" if index == len(questions) - 1 else "Next question").click()
    projector_shows(projector, "The lesson is over.")
    expect(students[1].get_by_text("That was the last question")).to_be_visible(timeout=15_000)

    rows = store.session_answers(session.id)
    assert len(rows) == 9 and {r.display_name for r in rows} == {"Ana", "Ben", "<b>Cy</b>"}
    assert not students[2].locator("b", has_text="Cy").count()  # a name with markup is shown as text

    open_teacher_page(teacher, f"{url}/dashboard?session={session.id}", "Results")
    expect(teacher.get_by_role("tab", name="Questions")).to_be_visible(timeout=15_000)
    shoot(teacher, "dashboard")
    teacher.get_by_role("tab", name="Questions").click()
    with teacher.expect_download() as download:
        teacher.get_by_role("button", name="Download “Per question” (CSV)").click()
    table = csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig")))
    facility = {row["Question number"]: row["Mean score"] for row in table}
    assert float(facility["1"]) == pytest.approx(2 / 3)
    assert float(facility["2"]) == pytest.approx(1 / 3)
    teacher.get_by_role("tab", name="Students").click()
    with teacher.expect_download() as raw:
        teacher.get_by_role("button", name="Download every answer (CSV)").click()
    answers = list(csv.DictReader(io.StringIO(Path(raw.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(answers) == 9
    assert sorted((a["Student"], a["Question"]) for a in answers) == sorted(
        (r.display_name, r.answer.question_id) for r in rows)
    store.engine.dispose()


def test_a_reveal_is_one_way(browser: Browser, server: Server, lesson: LoadedLesson, database: str) -> None:
    """Issue 16: reveal question 1, Next, Previous: the projector shows question 1 revealed (chart, explanation,
    Reveal off); a phone that had not answered sees it closed and cannot answer; the count does not move. The
    phones letter the options A, B, C... in the projector's order (defect 8)."""
    url = server.url
    teacher = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    open_teacher_page(teacher, f"{url}/classes", "Classes")
    code = start_class(teacher, lesson.lesson.title, lesson.lesson.level)
    phones = [browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
              for _ in range(2)]
    for page, name in zip(phones, ["Ana", "Ben"], strict=True):
        join(page, url, code, name)
    store = open_store(database)
    session = store.session_by_code(code)
    assert session is not None
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    open_teacher_page(projector, f"{url}/projector?session={session.id}", "Join the class")
    projector.get_by_role("button", name="Start").click()
    first = lesson.lesson.questions[0]
    assert isinstance(first, SingleQuestion)
    projector_shows(projector, f"Question 1 of {len(lesson.lesson.questions)}")

    # the same letters in the same order on the projector and on a phone
    on_projector = [f"{c.letter}. {c.text}" for c in listed(first)]
    expect(projector.locator(".pj-options li")).to_have_text(on_projector)
    expect(phones[1].locator('[data-testid="stRadioOption"]')).to_have_text(on_projector, timeout=15_000)
    shoot_as(phones[1], "reveal-phone-letters", "phone")
    shoot_as(projector, "reveal-projector-letters", "projector")

    answer(phones[0], lesson, first.id, True)  # Ana answers; Ben does not
    projector_shows(projector, "1 of 2 answered")
    projector.get_by_role("button", name="Reveal the answers").click()
    projector_shows(projector, "1 answered")
    projector.get_by_role("button", name="Next question").click()
    projector_shows(projector, "Question 2 of")
    expect(projector.get_by_role("button", name="Reveal the answers")).to_be_enabled()
    projector.get_by_role("button", name="Previous").click()

    projector_shows(projector, "Question 1 of")
    projector_shows(projector, "1 answered")
    expect(projector.locator(".pj-sub", has_text="How many").first).to_be_visible(timeout=15_000)
    expect(projector.get_by_role("button", name="Reveal the answers")).to_be_disabled()
    if first.explanation:
        expect(projector.get_by_text("Why:")).to_be_visible()
    shoot_as(projector, "reveal-projector-after-previous", "projector")

    expect(phones[1].get_by_text("The answers have been shown, so this question is closed.")).to_be_visible(
        timeout=15_000)
    expect(phones[1].get_by_role("button", name="Submit answer")).to_have_count(0)
    expect(phones[0].locator('[data-testid="stAlert"]').first).to_contain_text("Correct", timeout=15_000)
    shoot_as(phones[1], "reveal-phone-closed", "phone")
    assert store.question_count(session.id, first.id).answered == 1  # the count did not change
    store.engine.dispose()


def shoot_as(page: Page, name: str, size: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / f"class-{size}-{name}.png"))
