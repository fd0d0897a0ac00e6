"""axe-core in Chromium on every page a student or a teacher opens: the catalog, each question type before and
after answering (mark questions from the mark example), the summary, joining a class and the class page, the
projector (lobby, question, reveal, heat map), the results, the teacher's sign-in, classes, workshop and exports.

No violation of any impact may remain in what the project renders. The few that come from Streamlit
itself and that the app cannot change are listed in EXEMPT (and in docs/accessibility.md) with the upstream
issue; only those rules on those elements are left out. axe.js comes inside axe-playwright-python: the pages
are served from loopback and any request elsewhere is refused and fails the test. Every page's full axe result
is saved to test-artifacts/axe/<page>.json, and a table of what was found to test-artifacts/axe/summary.json.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import lock_sqlite, settle, sign_in, start_class, unlock_sqlite
from conftest import ARTIFACTS, IDLE, StartServer
from every_type import write_every_type_library
from marking_helpers import mark_by_hand
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route, expect
from test_classroom_browser import answer as class_answer
from test_student_browser import answer
from ui_helpers import plan

from sourcecheck.db import open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.models import MarkQuestion, Question
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.classes import start_class as start_class_in_db
from sourcecheck.sessions.solo import PAUSED
from sourcecheck.ui.db_notice import NOT_SAVED
from sourcecheck.ui.held_view import HELD

pytestmark = pytest.mark.browser

LESSON = "raqqa-who-says"
MARK_LESSON = "example-mark"  # no bundled lesson has a mark question yet
PASSCODE = "axe-scan-passcode-5120"
OUT = ARTIFACTS / "axe"
APP_STYLED = "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('.sc-quote{'))"


@dataclass(frozen=True)
class Exempt:
    """A violation that Streamlit's own markup causes and the app cannot change (docs/accessibility.md)."""

    rule: str
    selector: str  # only nodes whose axe target matches this CSS selector are left out
    upstream: str
    reason: str


EXEMPT: tuple[Exempt, ...] = (
    Exempt("presentation-role-conflict", '[data-testid="stFileUploader"]', "streamlit/streamlit#15921",
           "the uploader's drop area is a labelled role=presentation section with tabindex=-1 (minor)"),
)


@pytest.fixture(scope="module")
def lesson() -> LoadedLesson:
    found = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def library_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_every_type_library(tmp_path_factory.mktemp("axe-library"))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("axe")


@pytest.fixture(scope="module")
def url(start_server: StartServer, root: Path, library_dirs: tuple[Path, Path]) -> str:
    """The bundled lessons and the mark example."""
    seeds, lessons = library_dirs
    return start_server(SOURCECHECK_TEACHER_PASSCODE=PASSCODE, SOURCECHECK_STATE=str(root / "state"),
                        DATABASE_URL=f"sqlite:///{root / 'axe.db'}", SOURCECHECK_SEEDS=str(seeds),
                        SOURCECHECK_LESSONS=str(lessons))


class Scanner:
    """Runs axe on a page, saves the result, and keeps every violation for the summary and the verdict."""

    def __init__(self) -> None:
        self.found: list[dict[str, object]] = []
        self.pages: list[str] = []
        self.outside: list[str] = []
        OUT.mkdir(parents=True, exist_ok=True)

    def context(self, browser: Browser, **options: object) -> BrowserContext:
        context = browser.new_context(**options)  # type: ignore[arg-type]
        context.route("**/*", self._only_loopback)
        return context

    def _only_loopback(self, route: Route) -> None:
        address = route.request.url
        if address.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(address)
            route.abort()

    def scan(self, page: Page, name: str) -> None:
        """The page at rest: the script done and the app's style sheet in place (on a tab's first page it
        arrives a moment after the elements)."""
        page.wait_for_selector(IDLE, timeout=30_000)
        page.wait_for_function(APP_STYLED, timeout=30_000)
        page.evaluate(AXE_SCRIPT)
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        self.pages.append(name)
        (OUT / f"{name}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        for violation in result["violations"]:
            nodes = violation["nodes"]
            kept = [n for n in nodes if not self._exempt(page, violation["id"], n)]
            self.found.append({"page": name, "rule": violation["id"], "impact": violation["impact"],
                               "count": len(nodes), "exempt": len(nodes) - len(kept),
                               "targets": [" ".join(map(str, n["target"])) for n in kept][:8],
                               "summary": kept[0]["failureSummary"] if kept else "", "help": violation["help"]})

    @staticmethod
    def _exempt(page: Page, rule: str, node: dict[str, object]) -> bool:
        target = node["target"]
        assert isinstance(target, list)
        for exempt in EXEMPT:
            if exempt.rule == rule and page.evaluate(
                    "([t, s]) => { const e = document.querySelector(t); return !!e && !!e.closest(s); }",
                    [str(target[-1]), exempt.selector]):
                return True
        return False

    def blocking(self) -> list[dict[str, object]]:
        return [f for f in self.found if f["count"] != f["exempt"]]

    def save_summary(self) -> None:
        (OUT / "summary.json").write_text(json.dumps(self.found, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def scanner() -> Iterator[Scanner]:
    found = Scanner()
    yield found
    found.save_summary()


def labels_are_text(page: Page, lesson: LoadedLesson, question: Question) -> None:
    """Every highlight in the browser is followed by its number and label in words, and the legend names each
    label: colour is never the only cue (axe's colour-contrast rule checks the colours themselves)."""
    shown = [q.locator(".sc-tag").all_inner_texts() for q in page.locator("blockquote.sc-quote").all()]
    wanted = [[f"{i} {LABELS[a.annotation.label].title.lower()}" for i, a in
               sorted(enumerate(placed.annotations, start=1), key=lambda ia: (ia[1].end, ia[0]))]
              for placed in lesson.excerpts_for(question)]
    assert [[t.strip() for t in tags] for tags in shown] == wanted
    assert page.locator("blockquote.sc-quote mark.sc-hl").count() >= sum(map(len, wanted)) > 0
    legend = page.locator("ul.sc-legend").inner_text()
    for placed in lesson.excerpts_for(question):
        for a in placed.annotations:
            assert LABELS[a.annotation.label].title in legend


def test_student_pages(browser: Browser, url: str, lesson: LoadedLesson, scanner: Scanner,
                       library_dirs: tuple[Path, Path]) -> None:
    context = scanner.context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    settle(page)
    scanner.scan(page, "catalog")
    page.locator(f'.cc-card[data-lesson="{LESSON}"]').get_by_role("button", name="Open lesson").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    how_for = plan(lesson)
    questions = lesson.lesson.questions
    for n, question in enumerate(questions, start=1):
        expect(page.get_by_text(f"Question {n} of {len(questions)}")).to_be_visible()
        scanner.scan(page, f"question-{n}-{question.type}-before")
        answer(page, lesson, question, how_for[question.id])
        page.get_by_role("button", name="Submit answer").click()
        button = "See my results" if n == len(questions) else "Next question"
        expect(page.get_by_role("button", name=button)).to_be_visible()
        # open "Read in context", so that the expander's content is scanned too
        page.get_by_text(re.compile(r"^Read (passage \d )?in context$")).first.click()
        scanner.scan(page, f"question-{n}-{question.type}-after")
        labels_are_text(page, lesson, question)
        page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    scanner.scan(page, "summary")

    seeds, lessons = library_dirs
    marking = load_library([lessons], load_catalog(seeds)).get(MARK_LESSON)
    assert marking is not None
    page.goto(f"{url}/quiz?lesson={MARK_LESSON}")
    for n, question in enumerate(marking.lesson.questions, start=1):
        assert isinstance(question, MarkQuestion)
        expect(page.get_by_text(f"Question {n} of")).to_be_visible()
        expect(page.locator("#mk-w-0")).to_be_visible()
        scanner.scan(page, f"mark-{n}-before")
        mark_by_hand(page, marking, question, "partial")
        page.get_by_role("button", name="Submit answer").click()
        button = "See my results" if n == len(marking.lesson.questions) else "Next question"
        expect(page.get_by_role("button", name=button)).to_be_visible()
        scanner.scan(page, f"mark-{n}-after")
        page.get_by_role("button", name=button).click()
    context.close()


def test_class_and_teacher_pages(browser: Browser, url: str, lesson: LoadedLesson, scanner: Scanner) -> None:
    teacher = scanner.context(browser, viewport={"width": 1280, "height": 900}).new_page()
    teacher.goto(f"{url}/teacher")
    settle(teacher)
    scanner.scan(teacher, "teacher-sign-in")
    sign_in(teacher, f"{url}/teacher", PASSCODE)
    scanner.scan(teacher, "teacher-home")
    teacher.get_by_role("link", name="Classes").first.click()
    code = start_class(teacher, lesson.lesson.title, lesson.lesson.level)
    scanner.scan(teacher, "classes")

    student = scanner.context(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True).new_page()
    student.goto(f"{url}/join?code={code}")
    settle(student)
    scanner.scan(student, "join")
    student.get_by_label("Your name").fill("Ana")
    student.get_by_role("button", name="Join").click()
    expect(student.get_by_text("You are in")).to_be_visible(timeout=15_000)
    scanner.scan(student, "class-lobby")

    screen = scanner.context(browser, viewport={"width": 1920, "height": 1080}).new_page()
    with teacher.context.expect_page() as opened:  # a new tab, signed in by the teacher cookie
        teacher.get_by_role("link", name="Open the projector view").click()
    opened.value.wait_for_url(re.compile(r"/projector\?session=\d+"), timeout=15_000)
    projector_url = opened.value.url
    opened.value.close()
    sign_in(screen, projector_url, PASSCODE)
    expect(screen.get_by_text("1 joined")).to_be_visible(timeout=15_000)
    scanner.scan(screen, "projector-lobby")

    questions = [q.id for q in lesson.lesson.questions]
    spans = next(n for n, q in enumerate(lesson.lesson.questions) if q.type in ("spans", "mark"))  # a heat map
    screen.get_by_role("button", name="Start").click()
    for index, question_id in enumerate(questions[:spans + 1]):
        expect(screen.get_by_text(f"Question {index + 1} of {len(questions)}").first).to_be_visible(timeout=15_000)
        if index in (0, spans):
            if index == 0:
                scanner.scan(screen, "projector-question")
                scanner.scan(student, "class-question")
            class_answer(student, lesson, question_id, right=True)
            if index == 0:
                scanner.scan(student, "class-answered")
            expect(screen.get_by_text("1 of 1 answered")).to_be_visible(timeout=15_000)
            screen.get_by_role("button", name="Reveal the answers").click()
            expect(screen.get_by_text("1 answered", exact=True)).to_be_visible(timeout=15_000)
            if index == 0:
                expect(screen.locator(".pj-sub", has_text="How many").first).to_be_visible(timeout=15_000)
                scanner.scan(screen, "projector-reveal")
                expect(student.locator('[data-testid="stAlert"]').first).to_contain_text("orrect", timeout=15_000)
                scanner.scan(student, "class-revealed")
            else:  # a spans question's heat map, or a mark question's phrases, most found first
                where = (".sc-heat .sc-count" if lesson.lesson.questions[spans].type == "spans" else
                         ".pj-sub:has-text('found all of each phrase')")
                expect(screen.locator(where).first).to_be_visible()
                scanner.scan(screen, "projector-heatmap")
        screen.get_by_role("button", name="Next question").click()

    teacher.goto(f"{url}/dashboard")
    settle(teacher)
    sign_in(teacher, f"{url}/dashboard", PASSCODE)
    expect(teacher.get_by_role("tab", name="Questions")).to_be_visible(timeout=15_000)
    scanner.scan(teacher, "dashboard-overview")
    for tab in ("Questions", "Students"):
        teacher.get_by_role("tab", name=tab).click()
        settle(teacher)
        scanner.scan(teacher, f"dashboard-{tab.lower()}")

    teacher.get_by_role("link", name="Workshop").click()
    expect(teacher.get_by_role("heading", name="Lesson workshop")).to_be_visible(timeout=15_000)
    scanner.scan(teacher, "workshop")
    box = teacher.get_by_role("textbox", name="Lesson YAML")
    box.fill((PROJECT_ROOT / "tests" / "fixtures" / "good" / "minimal.yaml").read_text(encoding="utf-8"))
    box.press("Control+Enter")
    expect(teacher.get_by_text("No problems")).to_be_visible(timeout=15_000)
    scanner.scan(teacher, "workshop-preview")
    box.fill("id: broken\ntitle: [unclosed\n")
    box.press("Control+Enter")
    expect(teacher.get_by_text("to fix")).to_be_visible(timeout=15_000)
    scanner.scan(teacher, "workshop-problems")

    teacher.get_by_role("link", name="Exports").click()
    expect(teacher.get_by_role("heading", name="Exports")).to_be_visible(timeout=15_000)
    teacher.get_by_role("combobox", name="Lesson").click()
    teacher.get_by_role("option", name=f"{lesson.lesson.title} ({lesson.id})").click()
    expect(teacher.get_by_role("button", name=f"Download {lesson.id}.gift")).to_be_visible(timeout=15_000)
    scanner.scan(teacher, "exports")


SHOTS = ARTIFACTS / "a11y"
SIZES = ((390, 844), (1920, 1080))  # a student's phone, the classroom projector
HOMEWORK = "projector-quick-check"  # single and true-false only; no other class in this module uses it
TALL = "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def shoot(page: Page, name: str, *, near: str | None = None) -> None:
    """Screenshots at phone and projector size (named by the window's size), to read by eye: the whole page,
    or (`near`, a selector) the window scrolled to that element."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate(FRAMES)
        if near is not None:
            page.locator(near).scroll_into_view_if_needed()
            page.evaluate(FRAMES)
        else:  # the page scrolls inside stMain, not the document: grow the window to show all of it
            page.set_viewport_size({"width": width, "height": max(height, page.evaluate(TALL))})
            page.evaluate(FRAMES)
        page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}.png"))
    if before is not None:
        page.set_viewport_size(before)
        page.evaluate(FRAMES)


def until_shown(page: Page, address: str, wanted: Locator, seconds: float = 15) -> None:
    """Reload until `wanted` shows: each server process remembers "a class is open" for up to 1.5 s."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto(address)
        settle(page)
        if wanted.count() or time.monotonic() > deadline:
            break
    expect(wanted.first).to_be_visible()


def test_new_screens(browser: Browser, url: str, root: Path, scanner: Scanner) -> None:
    """The screens added since the walks above: a lesson paused while a class uses it (catalog and quiz page), a
    self-paced class's held answer and summary and its full summary once closed, the join page refusing a code,
    the Classes page's start form and table, and "Not saved yet" while the SQLite file is locked (last: the
    lock holds up the whole server). The write budget's "Slow down" is not here: its limits are not settings,
    and 30 answers in a browser would cost a minute (tests/security/test_disk.py checks it with AppTest)."""
    homework_lesson = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(HOMEWORK)
    assert homework_lesson is not None
    db = open_store(f"sqlite:///{root / 'axe.db'}")
    try:
        homework = start_class_in_db(db, homework_lesson, pacing="self")
        phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

        solo = scanner.context(browser, **phone).new_page()
        card = f'.cc-card[data-lesson="{HOMEWORK}"]'
        until_shown(solo, url, solo.locator(card).get_by_text(PAUSED))
        expect(solo.locator(card).get_by_role("button", name="Open lesson")).to_have_count(0)
        scanner.scan(solo, "catalog-paused")
        shoot(solo, "catalog-paused", near=card)
        solo.goto(f"{url}/quiz?lesson={HOMEWORK}")
        settle(solo)
        expect(solo.get_by_text(PAUSED)).to_be_visible()
        scanner.scan(solo, "quiz-paused")
        shoot(solo, "quiz-paused")

        seat = scanner.context(browser, **phone).new_page()
        seat.goto(f"{url}/join?code={homework.code}")
        settle(seat)
        seat.get_by_label("Your name").fill("Ana")
        seat.get_by_role("button", name="Join").click()
        questions = homework_lesson.lesson.questions
        for n, question in enumerate(questions, start=1):
            expect(seat.get_by_role("button", name="Submit answer")).to_be_visible(timeout=15_000)
            answer(seat, homework_lesson, question, "right" if n % 2 else "wrong")
            seat.get_by_role("button", name="Submit answer").click()
            expect(seat.get_by_text(HELD)).to_be_visible(timeout=15_000)
            if n == 1:
                scanner.scan(seat, "class-held-answer")
                shoot(seat, "class-held-answer")
            seat.get_by_role("button", name="Finish" if n == len(questions) else "Next question").click()
        expect(seat.get_by_role("heading", name="Your answers")).to_be_visible(timeout=15_000)
        scanner.scan(seat, "class-held-summary")
        shoot(seat, "class-held-summary")
        teacher = scanner.context(browser, viewport={"width": 1280, "height": 900}).new_page()
        sign_in(teacher, f"{url}/classes", PASSCODE)
        teacher.get_by_text("Start a class").click()
        expect(teacher.get_by_role("combobox", name="A self-paced class stays open for")).to_be_visible(timeout=15_000)
        settle(teacher)
        scanner.scan(teacher, "classes-start-form")
        shoot(teacher, "classes-start-form")
        teacher.context.close()  # the table's Closes column has the open class's date
        db.close_session(homework.id)
        # the tab that joined follows the class and shows the summary by itself (a reload would not:
        # ui/pages/class_room.py)
        expect(seat.get_by_text("Here is how you did")).to_be_visible(timeout=20_000)
        scanner.scan(seat, "class-closed-summary")
        shoot(seat, "class-closed-summary")

        seat.goto(f"{url}/join?code=QQQQQQ")
        settle(seat)
        seat.get_by_label("Your name").fill("Ana")
        seat.get_by_role("button", name="Join").click()
        expect(seat.get_by_text("There is no open class with that code")).to_be_visible(timeout=15_000)
        scanner.scan(seat, "join-refused")
        shoot(seat, "join-refused")
        seat.context.close()

        until_shown(solo, f"{url}/quiz?lesson={HOMEWORK}", solo.get_by_role("button", name="Submit answer"))
        answer(solo, homework_lesson, questions[0], "right")
        held = lock_sqlite(root / "axe.db")
        try:
            solo.get_by_role("button", name="Submit answer").click()
            expect(solo.get_by_text(NOT_SAVED)).to_be_visible(timeout=60_000)
            scanner.scan(solo, "not-saved")
            shoot(solo, "not-saved")
        finally:
            unlock_sqlite(held)
        expect(solo.get_by_text("Correct:")).to_be_visible(timeout=60_000)  # stored once the lock is gone
        solo.context.close()
    finally:
        db.engine.dispose()


def test_no_violation_and_nothing_fetched(scanner: Scanner) -> None:
    """After the walks above: the verdict, with every remaining violation listed."""
    assert len(scanner.pages) >= 46, scanner.pages  # both walks ran (this test alone would fail here)
    assert not scanner.outside, scanner.outside
    problems = scanner.blocking()
    assert not problems, json.dumps(problems, indent=1)


def test_every_exemption_is_documented() -> None:
    doc = (PROJECT_ROOT / "docs" / "accessibility.md").read_text(encoding="utf-8") if EXEMPT else ""
    for exempt in EXEMPT:
        assert exempt.upstream in doc and f"`{exempt.rule}`" in doc, exempt

