"""Issue 16 on the projector, in a real Chromium at 1920x1080, on SQLite and PostgreSQL.

- Fit (defect 8): for the longest question of each of the 7 types in lessons/ (passage, question, options and
  "Why" together), the question and its reveal fit one screen: the stage ends inside the 1080 px viewport, and the
  live count and the "Why" box are in it. A mark question's reveal is one list, its counts in 32 px type or more.
- No link to the results on the big screen.
- A closed class's projector says the class has ended and shows the end of the lesson; a deleted class's
  projector says it was deleted and shows nothing of it (defect 6), on the open tab, with no reload.
- The end of the lesson: the histogram of total scores, the question most missed, the skills by name.
- The soft timer: chosen on the projector, counted down in the browser on the projector and on a phone (no
  rerun), +30 s gives more time.

Every state is screenshot to test-artifacts/projector-*.png and scanned with axe-core (no violation of any impact).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import IDLE, app_server, each_database, settle, sign_in
from conftest import ARTIFACTS
from playwright.sync_api import Browser, Page, expect

from bench.server import Server
from sourcecheck.db import SqlStore, open_store
from sourcecheck.grading.marking import mark_key
from sourcecheck.grading.responses import Response
from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import BoundQuestion, LoadedLesson
from sourcecheck.lessons.loader import Library, load_library
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.classes import move, start_class
from sourcecheck.sessions.store import AnswerRow, ClassSessionRow

pytestmark = pytest.mark.browser

PASSCODE = "projector-fit-passcode-4417"
SCREEN = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
STUDENTS = ("Ana", "Ben", "Chloé", "Dev", "Eli")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds"))


def size(lesson: LoadedLesson, bound: BoundQuestion) -> int:
    """What must fit: the passage, the question, its options and its explanation, in characters."""
    question = bound.question
    options = sum(len(o.text) for o in getattr(question, "options", []))
    items = sum(len(i.text) + len(i.category) for i in getattr(question, "items", []))
    return (sum(len(p.text) for p in bound.excerpts) + len(question.prompt) + options + items
            + len(getattr(question, "explanation", "") or ""))


def longest(library: Library) -> dict[str, tuple[LoadedLesson, BoundQuestion]]:
    """The longest question of each type in the bundled lessons."""
    found: dict[str, tuple[int, LoadedLesson, BoundQuestion]] = {}
    for lesson in library.lessons:
        for question in lesson.lesson.questions:
            bound = lesson.bound(question.id)
            n = size(lesson, bound)
            if n > found.get(question.type, (0,))[0]:
                found[question.type] = (n, lesson, bound)
    assert len(found) == 7, sorted(found)
    return {kind: (lesson, bound) for kind, (_, lesson, bound) in sorted(found.items())}


def response(bound: BoundQuestion, right: bool) -> Response:
    """A fully right answer, or a wrong one, in the form the store keeps."""
    question = bound.question
    match question:
        case SingleQuestion():
            return next(i for i, o in enumerate(question.options) if o.correct == right)
        case MultiQuestion():
            return [i for i, o in enumerate(question.options) if o.correct] if right else \
                [next(i for i, o in enumerate(question.options) if not o.correct)]
        case TrueFalseQuestion():
            return question.answer if right else not question.answer
        case SpansQuestion():
            return [i for i, c in enumerate(bound.candidates) if c.correct] if right else \
                [next(i for i, c in enumerate(bound.candidates) if not c.correct)]
        case MatchQuestion():
            cats = question.categories
            return [i.category if right else cats[(cats.index(i.category) + 1) % len(cats)] for i in question.items]
        case MarkQuestion():
            key = mark_key(bound)
            if right:
                return [[t.label, t.first, t.last] for t in key.targets]
            inside = {i for t in key.targets for i in range(t.first, t.last + 1)}
            free = next(i for i in range(len(key.words) - 1) if i not in inside and i + 1 not in inside)
            return [[question.labels[0], free, free + 1]]  # two words that are no phrase to find
        case ShortQuestion():
            return "It depends on who is speaking and what they could know." if right else "No idea."
        case _:
            raise AssertionError(question)


def answer_all(db: SqlStore, session: ClassSessionRow, lesson: LoadedLesson, question_ids: list[str],
               students: tuple[str, ...] = STUDENTS) -> None:
    """Each student answers; the first two fully right, the others wrong (scored as the app scores)."""
    for n, name in enumerate(students):
        who = db.join(session.id, f"tok-{session.id}-{name}".ljust(20, "x"), name)  # the same student each call
        for q, question_id in enumerate(question_ids):
            bound = lesson.bound(question_id)
            picked = response(bound, right=(n + q) % 3 != 2)
            score = score_question(bound, picked)
            db.record_answer(AnswerRow(participant_id=who.id, lesson_id=lesson.id, lesson_hash=session.lesson_hash,
                                       attempt=1, question_id=question_id, response=picked, earned=score.earned,
                                       possible=score.possible, verdict=score.verdict, time_taken_ms=9000,
                                       submitted_at=datetime.now(UTC)))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return each_database(request, tmp_path, "projector")


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[Server]:
    running = app_server(database, tmp_path, PASSCODE).start().wait_ready(60)
    yield running
    running.stop()


@pytest.fixture
def db(database: str, server: Server) -> Iterator[SqlStore]:
    store = open_store(database)  # the server has migrated it
    yield store
    store.engine.dispose()


class Screen:
    """The projector tab, with what each state measured."""

    def __init__(self, page: Page, url: str, db_name: str) -> None:
        self.page, self.url, self.db_name = page, url, db_name
        self.figures: dict[str, dict[str, object]] = {}
        self.violations: list[str] = []

    def open(self, session: ClassSessionRow) -> None:
        """A new page load is a new Streamlit session, which signs in again."""
        sign_in(self.page, f"{self.url}/projector?session={session.id}", PASSCODE)

    def box(self, selector: str) -> dict[str, float]:
        found = self.page.locator(selector).last
        expect(found).to_be_visible(timeout=15_000)
        box = found.bounding_box()
        assert box is not None, selector
        return box

    def fits(self, name: str, *selectors: str) -> dict[str, object]:
        """Everything on the stage ends inside the viewport, and so does each of `selectors`; the page does not
        scroll. Saves a screenshot and runs axe-core."""
        page = self.page
        settle(page)
        page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"projector-{name}.png"))  # first: a failure below has its picture
        figures: dict[str, object] = {}
        for selector in ('[data-testid="stMainBlockContainer"] > div', *selectors):
            box = self.box(selector)
            bottom = box["y"] + box["height"]
            figures[selector] = {"top": round(box["y"]), "bottom": round(bottom)}
            assert box["y"] >= 0 and bottom <= SCREEN["height"], f"{name}: {selector} at {box}, below the fold"
            assert box["x"] >= 0 and box["x"] + box["width"] <= SCREEN["width"], f"{name}: {selector} at {box}"
        scroll = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                               " return m ? m.scrollHeight - m.clientHeight : 0; }")
        assert scroll <= 2, f"{name}: the page scrolls by {scroll} px"
        figures["font_px"] = page.evaluate(
            "() => [...document.querySelectorAll('.pj-stage, .pj-side')].map(e => getComputedStyle(e).fontSize)")
        self.figures[name] = figures
        self.axe(name)
        return figures

    def axe(self, name: str) -> None:
        page = self.page
        page.wait_for_selector(IDLE, timeout=30_000)
        page.evaluate(AXE_SCRIPT)
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        out = ARTIFACTS / "axe"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"projector-{name}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        self.violations += [f"{name}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
                            for v in result["violations"]]


# The timer's seconds left, read through the component's shadow root (a CSS query alone does not enter it).
LEFT = """() => { const find = (root) => { const t = root.querySelector('[role=timer]'); if (t) return t;
  for (const e of root.querySelectorAll('*')) { if (e.shadowRoot) { const f = find(e.shadowRoot); if (f) return f; } }
  return null; }; const t = find(document); return t ? Number(t.dataset.left) : null; }"""


def no_results_link(page: Page) -> None:
    expect(page.get_by_role("link", name="Results")).to_have_count(0)
    assert "/dashboard" not in page.content()


def test_a_closed_or_deleted_class_leaves_the_open_projector(browser: Browser, server: Server, db: SqlStore,
                                                            library: Library) -> None:
    """Defect 6: closed or deleted on the Classes page (here: in the store), the class's open projector tab stops
    showing the live question within a few seconds, with no reload."""
    lesson = library.get("raqqa-who-says")
    assert lesson is not None
    page = browser.new_context(viewport=SCREEN).new_page()
    screen = Screen(page, server.url, "")
    for ending, said in (("close", "This class has ended."), ("delete", "This class was deleted.")):
        session = start_class(db, lesson, pacing="teacher")
        move(db, session.id, lesson, 0)
        screen.open(session)
        prompt = page.get_by_text(lesson.lesson.questions[0].prompt)
        expect(prompt.first).to_be_visible(timeout=15_000)
        db.close_session(session.id) if ending == "close" else db.delete_session(session.id)
        expect(page.get_by_text(said)).to_be_visible(timeout=15_000)
        expect(prompt).to_have_count(0)
        expect(page.get_by_role("button", name="Reveal the answers")).to_have_count(0)
    assert lesson.lesson.title not in page.locator("body").inner_text()
    page.context.close()


def test_the_longest_question_of_each_type_fits_one_screen(browser: Browser, server: Server, db: SqlStore,
                                                           library: Library, database: str) -> None:
    """Defect 8: the answer count and the "Why" box stay in the 1080 px screen, before and after the reveal, for
    the longest question of each type; a mark question's reveal is one view with its counts in 32 px type."""
    page = browser.new_context(viewport=SCREEN).new_page()
    screen = Screen(page, server.url, database.split(":")[0])
    kinds = longest(library)
    # the question and its reveal, for the longest question of every type
    figures: dict[str, dict[str, object]] = {}
    for kind, (lesson, bound) in kinds.items():
        session = start_class(db, lesson, pacing="teacher")
        questions = [q.id for q in lesson.lesson.questions]
        move(db, session.id, lesson, questions.index(bound.id))
        answer_all(db, session, lesson, [bound.id])
        screen.open(session)
        expect(page.locator(".pj-count")).to_contain_text(f"{len(STUDENTS)} of", timeout=15_000)
        screen.fits(f"question-{kind}", ".pj-count", ".pj-prompt")
        no_results_link(page)
        page.get_by_role("button", name="Reveal the answers").click()
        expect(page.get_by_text(f"{len(STUDENTS)} answered", exact=True)).to_be_visible(timeout=15_000)
        why = (".pj-why",) if getattr(bound.question, "explanation", None) else ()
        figures[kind] = screen.fits(f"reveal-{kind}", ".pj-count", *why)
        if kind == "mark":  # one view, its counts readable from the back of the room
            expect(page.locator(".sc-markheat")).to_have_count(0)
            counts = page.locator(".pj-side .pj-n")
            assert counts.count() >= 1
            sizes = counts.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
            assert min(sizes) >= 32, sizes
        if kind == "mark":  # closed while its reveal is on screen: the open tab shows that it has ended
            db.close_session(session.id)
            expect(page.get_by_text("This class has ended.")).to_be_visible(timeout=15_000)
            expect(page.locator(".pj-prompt")).to_have_count(0)
        if kind == "spans":  # deleted while its reveal is on screen: the open tab says so, and nothing else
            db.delete_session(session.id)
            expect(page.get_by_text("This class was deleted.")).to_be_visible(timeout=15_000)
            assert session.code not in page.locator("body").inner_text()

    (ARTIFACTS / f"projector-fit-figures-{screen.db_name}.json").write_text(json.dumps(screen.figures, indent=1))
    assert not screen.violations, screen.violations
    page.context.close()


def test_lobby_timer_end_closed_and_deleted(browser: Browser, server: Server, db: SqlStore, library: Library,
                                            database: str) -> None:
    """The lobby; the timer chosen on the projector, counted down in the browser there and on a phone, +30 s; the
    end of the lesson; then the class closed and deleted, each seen on the open tab. No name on the big screen."""
    page = browser.new_context(viewport=SCREEN).new_page()
    screen = Screen(page, server.url, database.split(":")[0])
    kinds = longest(library)

    # the lobby, then a phone joins the class of the longest single question and the teacher picks a timer
    lesson, bound = kinds["single"]
    walk = start_class(db, lesson, pacing="teacher")
    screen.open(walk)
    expect(page.locator(".pj-code")).to_have_text(walk.code)
    no_results_link(page)
    screen.fits("lobby", ".pj-code")
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{server.url}/join?code={walk.code}")
    settle(phone)
    phone.get_by_label("Your name").fill("Fay")
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_text("You are in")).to_be_visible(timeout=15_000)

    questions = [q.id for q in lesson.lesson.questions]
    move(db, walk.id, lesson, questions.index(bound.id))  # moved elsewhere: the open projector follows
    expect(page.get_by_text(bound.question.prompt).first).to_be_visible(timeout=15_000)
    page.get_by_role("combobox", name="Timer").click()
    page.get_by_role("option", name="60 s per question").click()
    timer = page.locator("[role=timer]")
    expect(timer).to_be_visible(timeout=15_000)
    # the element is drawn before the browser has its seconds: wait for them, then read them
    expect(timer).to_have_attribute("data-left", re.compile(r"^(5[5-9]|60)$"), timeout=15_000)
    first = int(timer.get_attribute("data-left") or 0)
    page.wait_for_function(f"(n) => ({LEFT})() < n", arg=first)
    expect(page.locator(IDLE)).to_have_count(1)  # counting down needs no run of the script
    screen.fits("timer", ".pj-count", "[role=timer]")
    page.get_by_role("button", name="+30 s").click()
    page.wait_for_function(f"() => ({LEFT})() > 70")
    phone_timer = phone.locator("[role=timer]")
    expect(phone_timer).to_be_visible(timeout=15_000)
    expect(phone_timer).to_contain_text("left")
    phone.wait_for_function(f"() => ({LEFT})() > 60")  # the +30 s reached the phone
    settle(phone)
    phone.screenshot(path=str(ARTIFACTS / "projector-phone-timer-390x844.png"))
    phone.evaluate(AXE_SCRIPT)
    phone_axe = phone.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    screen.violations += [f"phone-timer: {v['id']} ({v['impact']})" for v in phone_axe["violations"]]
    phone.context.close()
    page.get_by_role("combobox", name="Timer").click()
    page.get_by_role("option", name="No timer").click()
    expect(timer).to_have_count(0, timeout=15_000)

    answer_all(db, walk, lesson, [bound.id])
    # the end of the lesson, then the class closed, then deleted, each seen on the open tab
    lesson, bound = kinds["single"]
    rest = [q.id for q in lesson.lesson.questions if q.id != bound.id]
    answer_all(db, walk, lesson, rest)
    screen.open(walk)
    move(db, walk.id, lesson, len(lesson.lesson.questions))
    expect(page.get_by_text("The lesson is over.")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name="Most missed")).to_be_visible()
    expect(page.get_by_role("heading", name="Skills")).to_be_visible()
    screen.fits("end", ".pj-hist", ".pj-missed", ".pj-skills")
    db.close_session(walk.id)
    expect(page.get_by_text("This class has ended.")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("button", name="Previous")).to_have_count(0)
    screen.fits("closed", ".pj-hist", ".pj-skills")
    for name in STUDENTS:
        assert name not in page.locator("body").inner_text()  # never a name on the end screen
    db.delete_session(walk.id)
    expect(page.get_by_text("This class was deleted.")).to_be_visible(timeout=15_000)
    body = page.locator("body").inner_text()
    assert walk.code not in body and "Total scores" not in body
    screen.fits("deleted")

    (ARTIFACTS / f"projector-figures-{screen.db_name}.json").write_text(json.dumps(screen.figures, indent=1))
    assert not screen.violations, screen.violations
    page.context.close()
