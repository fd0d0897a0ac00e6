"""A student takes raqqa-who-says in a real Chromium against a real server, answering some questions
right and some wrong, and sees verdicts, feedback, annotation tags and the summary score. Screenshots at
phone (390x844) and projector (1920x1080) size go to test-artifacts/ for a human to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import settle
from conftest import ARTIFACTS, StartServer
from marking_helpers import mark_by_hand
from playwright.sync_api import Browser, Locator, Page, expect
from test_ui_security import write_hostile
from ui_helpers import How, expected_points, plan

from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

LESSON = "raqqa-who-says"
SIZES = {"phone": (390, 844), "desktop": (1920, 1080)}
WORKING_SIZE = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def lesson() -> LoadedLesson:
    library = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds"))
    found = library.get(LESSON)
    assert found is not None
    return found


def shoot(page: Page, name: str, top: Locator | None = None) -> None:
    """Screenshots at phone and projector size: the screen as the student sees it (scrolled so that `top`
    is at the top), and the whole page (Streamlit scrolls an inner element, so for that the window is
    made as tall as the content)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        if top is not None:
            top.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(ARTIFACTS / f"{size}-{name}.png"))
        tall = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
        page.set_viewport_size({"width": width, "height": max(height, min(tall, 8000))})
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"{size}-{name}-full.png"))
    page.set_viewport_size(WORKING_SIZE)


def snippet(text: str, words: int = 8) -> str:
    return " ".join(text.split()[:words])


def choose(page: Page, text: str) -> None:
    page.locator('[data-testid="stRadioOption"]', has=page.get_by_text(text, exact=True)).click()


def tick(page: Page, text: str) -> None:
    page.locator('[data-testid="stCheckbox"]', has=page.get_by_text(text, exact=True)).click()


def pick_category(page: Page, item: str, category: str) -> None:
    box = page.get_by_role("combobox", name=item, exact=True)
    box.evaluate("e => e.scrollIntoView({block: 'center'})")  # a list opened at the window's edge closes again
    box.click()
    page.get_by_role("option", name=category, exact=True).click()


def answer(page: Page, lesson: LoadedLesson, question: Question, how: How) -> None:
    """Pick answers by what the student reads (the option texts), never by position: options are shuffled."""
    if isinstance(question, SingleQuestion):
        option = next(o for o in question.options if o.correct == (how == "right"))
        choose(page, option.text)
    elif isinstance(question, TrueFalseQuestion):
        choose(page, "True" if question.answer == (how == "right") else "False")
    elif isinstance(question, MultiQuestion):
        picks = [o.text for o in question.options if o.correct == (how != "wrong")]
        for text in picks[:1] if how == "partial" else picks:
            tick(page, text)
    elif isinstance(question, SpansQuestion):
        picks = [c.text for c in lesson.candidates[question.id] if c.correct == (how != "wrong")]
        for text in picks[:1] if how == "partial" else picks:
            tick(page, f"“{text}”")
    elif isinstance(question, MarkQuestion):
        mark_by_hand(page, lesson, question, how)
    elif isinstance(question, MatchQuestion):
        for j, item in enumerate(question.items):
            good = how == "right" or (how == "partial" and j == 0)
            pick_category(page, item.text, item.category if good else
                          next(c for c in question.categories if c != item.category))
    elif isinstance(question, ShortQuestion):
        page.get_by_label("Your answer").fill("I would look for a named source and a link to the report.")
    if question.confidence:  # nothing is chosen until the student picks
        sure = page.locator('[data-testid="stRadio"]', has_text="How sure are you?")
        sure.get_by_text("90 %", exact=True).click()
        expect(sure.get_by_role("radio", name="90 %")).to_be_checked()


def answer_by_keyboard(page: Page, text: str) -> None:
    """Keyboard only: Space picks the focused option, arrows move the choice, Tab reaches Submit, Enter sends."""
    options = page.locator('[data-testid="stRadioOption"]')
    target = [t.strip() for t in options.all_inner_texts()].index(text)
    options.first.locator("input").focus()
    page.keyboard.press("Space")
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    expect(options.nth(target).locator("input")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit answer")).to_be_focused()
    page.keyboard.press("Enter")


def test_student_takes_the_lesson(browser: Browser, start_server: StartServer, lesson: LoadedLesson) -> None:
    url = start_server()
    page = browser.new_page(viewport=WORKING_SIZE)
    page.goto(url)
    settle(page)
    expect(page.get_by_role("heading", name="SourceCheck")).to_be_visible()
    expect(page.get_by_role("heading", name=lesson.lesson.title)).to_be_visible()
    shoot(page, "catalog")
    page.locator(f'.cc-card[data-lesson="{LESSON}"]').get_by_role("button", name="Open lesson").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    settle(page)
    assert f"lesson={LESSON}" in page.url and re.search(r"[?&]s=[\w-]{16,}", page.url)

    how_for = plan(lesson)
    questions = lesson.lesson.questions
    for n, question in enumerate(questions, start=1):
        how = how_for[question.id]
        expect(page.get_by_text(f"Question {n} of {len(questions)}")).to_be_visible()
        expect(page.locator(".sc-tag")).to_have_count(0)  # no highlight gives the answer away
        secret = question.explanation or getattr(question, "model_answer", "")
        assert snippet(secret) not in page.content(), f"{question.id}: answer key in the page before submit"
        if n == 1:
            shoot(page, "question")
        if isinstance(question, MatchQuestion):
            shoot(page, "question-compare", top=page.get_by_text(f"Question {n} of"))

        if question.type in ("single", "true-false"):  # Submit with nothing chosen: a warning, nothing recorded
            page.get_by_role("button", name="Submit answer").click()
            expect(page.get_by_text("then press Submit")).to_be_visible()
            settle(page)
        if n == 1 and isinstance(question, SingleQuestion):
            answer_by_keyboard(page, next(o for o in question.options if o.correct == (how == "right")).text)
        else:
            answer(page, lesson, question, how)
            page.get_by_role("button", name="Submit answer").click()
        button = "See my results" if n == len(questions) else "Next question"
        expect(page.get_by_role("button", name=button)).to_be_visible()
        settle(page)

        alerts = page.locator('[data-testid="stAlert"]')
        if isinstance(question, ShortQuestion):
            expect(alerts.first).to_contain_text("Not scored")
            expect(page.get_by_text(snippet(question.model_answer))).to_be_visible()
        else:
            verdict = {"right": "Correct:", "wrong": "Incorrect:", "partial": "Partly correct:"}[how]
            expect(alerts.first).to_contain_text(verdict)
            expect(page.get_by_text(snippet(question.explanation))).to_be_visible()
        if isinstance(question, SingleQuestion):
            chosen = next(o for o in question.options if o.correct == (how == "right"))
            if chosen.feedback:
                expect(page.get_by_text(snippet(chosen.feedback, 6)).first).to_be_visible()
        tags = page.locator("blockquote.sc-quote .sc-tag")  # the annotated passage's numbered tags
        assert tags.count() > 0
        assert re.fullmatch(r"\d+ [a-z -]+", tags.first.inner_text().strip())
        expect(page.locator(".sc-legend")).to_be_visible()
        if isinstance(question, SpansQuestion):
            shoot(page, "explanation", top=page.get_by_role("heading", name=question.prompt))
            shoot(page, "explanation-excerpt", top=page.locator("blockquote.sc-quote").first)
            page.get_by_text("Read in context").click()
            expect(page.locator(".sc-context mark")).to_be_visible()
        page.get_by_role("button", name=button).click()
        if n < len(questions):
            expect(page.get_by_text(f"Question {n + 1} of")).to_be_visible()
        settle(page)

    total = sum(expected_points(lesson, q, how_for[q.id]) for q in questions)
    possible = sum(getattr(q, "points", 0) for q in questions if not isinstance(q, ShortQuestion))
    expect(page.get_by_test_id("stMetricValue")).to_contain_text(f"{round(total, 2):g} of {possible} points")
    expect(page.get_by_test_id("stTable")).to_contain_text("Hedges and what they admit")
    expect(page.get_by_text("Your answer:")).to_have_count(len(questions))
    shoot(page, "summary", top=page.get_by_role("heading", name="Your results"))

    page.reload()  # a refresh keeps everything: same student, same results
    settle(page)
    expect(page.get_by_test_id("stMetricValue")).to_contain_text(f"{round(total, 2):g} of {possible} points")
    missed = sum(1 for h in how_for.values() if h in ("wrong", "partial"))
    page.get_by_role("button", name=re.compile("Retry the ones I missed")).click()
    expect(page.get_by_text(f"Retry 1 · Question 1 of {missed}")).to_be_visible()
    settle(page)
    page.close()


def test_hostile_lesson_text_is_shown_not_run(browser: Browser, start_server: StartServer, tmp_path: Path) -> None:
    seeds, lessons = write_hostile(tmp_path)
    url = start_server(SOURCECHECK_SEEDS=str(seeds), SOURCECHECK_LESSONS=str(lessons))
    page = browser.new_page(viewport=WORKING_SIZE)
    page.goto(url)
    settle(page)
    expect(page.get_by_text("<script>window.__xss=5</script>Hostile lesson")).to_be_visible()
    page.get_by_role("button", name="Open lesson").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    settle(page)
    expect(page.locator("blockquote.sc-quote")).to_contain_text("<script>window.__xss=1</script>")
    choose(page, "<b>Nobody</b> $x$")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("button", name="Next question")).to_be_visible()
    settle(page)
    expect(page.get_by_text('<img src=x onerror="window.__xss=7">note')).to_be_visible()
    assert page.evaluate("window.__xss") is None  # no payload ran
    assert page.locator("img[src='x'], b:text('bold note'), b:text('Nobody')").count() == 0
    page.close()
