"""A student answers the two-category marking question of docs/examples/type-mark.yaml in a real Chromium against
a real server: with the mouse (clicks and a drag), with touch on a 390x844 phone, and with the keyboard alone;
each time the shown score is the one docs/lesson-format.md's rule gives. Nothing of the answer key reaches the
browser before Submit (every websocket frame and the whole DOM, shadow roots included, are read); markup in a
passage or a category name stays text; axe-core finds no serious or critical problem in the component.
Screenshots before and after Submit at 390x844 and 1920x1080 go to test-artifacts/."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import settle
from conftest import ARTIFACTS, StartServer
from mark_lessons import write_mark_library
from marking_helpers import mark_by_hand, word
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from test_classroom_browser import PASSCODE, join, open_teacher_page, projector_shows
from test_classroom_browser import shoot as class_shoot
from test_student_browser import shoot
from test_ui_mark import HOSTILE_MARK
from test_ui_security import write_hostile
from ui_helpers import proto_strings

from bench.server import Server
from sourcecheck.db import open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.models import MarkQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

LESSON = "example-mark"
QUESTION = "mark-hedges-and-speakers"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Words of the passage (see tests/test_marking.py): 0 Supporters 1 say 2 the ... 4 may 5 improve 6 attendance
# 7 Critics 8 say ... 11 too 12 early 13 to 14 know 15 The 16 board ... 23 year.
EXACT = "Correct: 1 of 1 point"
WORKED_B = "Partly correct: 0.79 of 1 point"  # docs/lesson-format.md, the second worked example


@pytest.fixture(scope="module")
def library_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_mark_library(tmp_path_factory.mktemp("marking"))


@pytest.fixture(scope="module")
def url(start_server: StartServer, library_dirs: tuple[Path, Path]) -> str:
    seeds, lessons = library_dirs
    return start_server(SOURCECHECK_SEEDS=str(seeds), SOURCECHECK_LESSONS=str(lessons))


@pytest.fixture(scope="module")
def lesson(library_dirs: tuple[Path, Path]) -> LoadedLesson:
    seeds, lessons = library_dirs
    found = load_library([lessons], load_catalog(seeds)).get(LESSON)
    assert found is not None
    return found


def open_question(page: Page, url: str, token: str) -> None:
    page.goto(f"{url}/quiz?lesson={LESSON}&s={token}")
    settle(page)
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
    expect(word(page, 0)).to_be_visible()


def category(page: Page, title: str) -> Locator:
    return page.locator(".mk-cat", has_text=title)


def drag(page: Page, a: int, b: int) -> None:
    start, end = word(page, a).bounding_box(), word(page, b).bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=6)
    page.mouse.up()


def submit_and_read(page: Page) -> str:
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("button", name="Next question")).to_be_visible()
    settle(page)
    return verdict(page)


def verdict(page: Page) -> str:
    """The verdict line as a student reads it (the alert's text, without its icon's ligature name)."""
    return page.locator('[data-testid="stAlert"] [data-testid="stMarkdownContainer"]').first.inner_text().strip()


def expect_marked(page: Page, i: int, label: str | None) -> None:
    """What a screen reader hears for word i: selected or not, and the category in its name."""
    expect(word(page, i)).to_have_attribute("aria-selected", "true" if label else "false")
    if label:
        expect(word(page, i)).to_have_attribute("aria-label", f"{word(page, i).inner_text()}, marked {label}")


def test_mouse_clicks_and_a_drag_on_two_categories(browser: Browser, url: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    open_question(page, url, "mark-mouse-token-000001")
    shoot(page, "mark-question", top=page.get_by_text("Question 1 of 2"))
    word(page, 4).click()
    expect(page.locator(".mk-status")).to_contain_text("Started a mark at “may”")
    word(page, 5).click()  # first and last word: "may improve"
    expect_marked(page, 4, "hedge")
    drag(page, 11, 14)  # "too early to know"
    expect_marked(page, 12, "hedge")
    category(page, "Vague attribution").click()
    drag(page, 0, 1)
    word(page, 7).click()
    word(page, 8).click()
    word(page, 16).click()
    word(page, 16).click()  # one word: "board"
    expect(page.locator(".mk-tag", has_text="vague attribution")).to_have_count(3)
    word(page, 16).click()  # a click on a mark removes it
    expect_marked(page, 16, None)
    expect(page.locator(".mk-status")).to_contain_text("Removed the vague attribution mark “board”")
    expect(page.locator(".mk-tag")).to_have_count(4)
    expect_marked(page, 0, "vague attribution")
    shoot(page, "mark-question-marked", top=page.get_by_text("Question 1 of 2"))
    assert submit_and_read(page) == EXACT
    expect(page.locator("blockquote.sc-review mark")).to_have_count(4)
    expect(page.locator("blockquote.sc-review .sc-tag", has_text="✓")).to_have_count(4)
    shoot(page, "mark-feedback", top=page.get_by_role("heading", name="Mark every hedge"))
    page.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    yield context
    context.close()


def test_touch_on_a_phone_scores_the_documented_worked_example(phone: BrowserContext, url: str) -> None:
    page = phone.new_page()
    open_question(page, url, "mark-touch-token-000001")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    for a, b in ((4, 6), (11, 14)):  # "may improve attendance" (one word too many), "too early to know"
        word(page, a).tap()
        word(page, b).tap()
    category(page, "Vague attribution").tap()
    word(page, 0).tap()
    word(page, 2).tap()  # "Supporters say the": a function word too many, which counts for nothing
    expect_marked(page, 2, "vague attribution")
    for i in (4, 5):
        box = word(page, i).bounding_box()
        assert box and box["height"] >= 24  # a thumb can hit it (WCAG 2.5.8's 24 px)
    page.screenshot(path=str(ARTIFACTS / "phone-mark-touch.png"))
    page.get_by_role("button", name="Submit answer").tap()
    expect(page.get_by_role("button", name="Next question")).to_be_visible()
    settle(page)
    assert verdict(page) == WORKED_B
    expect(page.locator("blockquote.sc-review")).to_contain_text("→ missed vague attribution")
    page.screenshot(path=str(ARTIFACTS / "phone-mark-touch-feedback.png"), full_page=True)


def focused(page: Page) -> str:
    """The id of the focused element inside the component, or the focused element of the page."""
    return page.evaluate("""() => {
        let a = document.activeElement;
        while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
        return a ? (a.id || a.getAttribute('aria-label') || a.textContent || a.tagName).trim() : '';
    }""")


def press(page: Page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def test_the_keyboard_alone(browser: Browser, url: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    open_question(page, url, "mark-keys-token-0000001")
    for _ in range(40):  # Tab from the top of the page: the passage is one stop, its first word
        press(page, "Tab")
        if focused(page) == "mk-w-0":
            break
    assert focused(page) == "mk-w-0"
    press(page, "ArrowRight", 4)
    assert focused(page) == "mk-w-4"
    press(page, "Space")
    expect(word(page, 4)).to_have_attribute("aria-label", "may, start of your new mark")
    press(page, "ArrowRight")
    press(page, "Enter")  # "may improve"
    expect_marked(page, 5, "hedge")
    press(page, "ArrowRight", 6)
    press(page, "Space")
    press(page, "ArrowRight", 3)
    press(page, "Space")  # "too early to know"
    press(page, "c")  # the next category
    expect(page.locator(".mk-status")).to_have_text("Marking as vague attribution.")
    press(page, "Home")
    press(page, "Space")
    press(page, "ArrowRight")
    press(page, "Space")  # "Supporters say"
    press(page, "ArrowRight", 6)
    press(page, "Space")
    press(page, "ArrowRight")
    press(page, "Space")  # "Critics say"
    press(page, "End")
    press(page, "Space")
    press(page, "Escape")  # a started mark, cancelled
    expect(page.locator(".mk-status")).to_have_text("Mark cancelled.")
    press(page, "ArrowLeft", 7)
    press(page, "Space")
    press(page, "Space")  # "board", then removed with Delete
    press(page, "Delete")
    expect_marked(page, 16, None)
    expect(page.locator(".mk-tag")).to_have_count(4)
    press(page, "Tab")
    expect(page.get_by_role("button", name="Submit answer")).to_be_focused()
    press(page, "Enter")
    expect(page.get_by_role("button", name="Next question")).to_be_visible()
    settle(page)
    assert verdict(page) == EXACT
    page.close()


def submitted_marks(frame: bytes) -> list[list[object]]:
    """The marks a browser message carries: it must be a button's rerun (the Submit) with the marking component's
    state in it."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.ParseFromString(frame)
    assert msg.WhichOneof("type") == "rerun_script", msg.WhichOneof("type")
    assert any(w.trigger_value for w in msg.rerun_script.widget_states.widgets), "not a button's rerun"
    states = [json.loads(w.json_value) for w in msg.rerun_script.widget_states.widgets if w.json_value]
    marks = [s["marks"] for s in states if isinstance(s, dict) and "marks" in s]
    assert len(marks) == 1, states
    return sorted(marks[0])


def forward_strings(frames: list[bytes]) -> tuple[str, list[dict[str, Any]]]:
    """Every string in the server's messages, and the data given to each marking component."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    strings, data = [], []
    for frame in frames:
        msg = ForwardMsg()
        msg.ParseFromString(frame)
        strings += list(proto_strings(msg, skip=frozenset({"js_content", "css_content", "html_content"})))
        data += [json.loads(c.json) for c in _bidi(msg) if c.component_name == "sourcecheck_mark"]
    return "\n".join(strings), data


def _bidi(message: Any) -> Iterator[Any]:
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for v in values:
            if hasattr(v, "ListFields"):
                if type(v).__name__ == "BidiComponent":
                    yield v
                else:
                    yield from _bidi(v)


DOM_TEXT = """() => {
    const out = [];
    const walk = (node) => {
        for (const el of node.querySelectorAll('*')) {
            for (const a of el.attributes) out.push(a.value);
            if (el.shadowRoot) { out.push(el.shadowRoot.textContent); walk(el.shadowRoot); }
        }
    };
    out.push(document.documentElement.outerHTML);
    walk(document);
    return out.join('\\n');
}"""


def test_no_key_reaches_the_browser_before_submit(browser: Browser, url: str, lesson: LoadedLesson) -> None:
    page = browser.new_page(viewport=DESKTOP)
    frames: list[bytes] = []
    # Each message the browser sends, with how many the server had sent by then (Playwright delivers the
    # socket's events in the order they happened).
    backs: list[tuple[bytes, int]] = []

    def watch(ws: Any) -> None:
        ws.on("framereceived", lambda f: frames.append(f) if isinstance(f, bytes) else None)
        ws.on("framesent", lambda f: backs.append((f, len(frames))) if isinstance(f, bytes) else None)

    page.on("websocket", watch)
    open_question(page, url, "mark-leak-token-0000001")
    question = lesson.question(QUESTION)
    secrets = [question.explanation, *(a.annotation.note for a in lesson.excerpts["ending"].annotations)]
    word(page, 4).click()
    word(page, 5).click()
    before, backs_before = len(frames), len(backs)
    drag(page, 11, 14)
    expect_marked(page, 14, "hedge")  # the drag is done: the component has drawn the mark and saved its state
    dom = page.evaluate(DOM_TEXT)
    submit_and_read(page)
    # The event that ends the wait: the Submit's rerun. Messages on one socket keep their order, so anything
    # the marking had sent would be before it, and anything the server answered would be counted by then.
    submitted, received = backs[backs_before]
    assert submitted_marks(submitted) == [["hedge", 4, 5], ["hedge", 11, 14]]
    assert received == before  # marking sends nothing and reruns nothing: the marks wait for Submit
    sent, data = forward_strings(frames[:before])
    for secret in secrets:
        assert secret not in sent and secret not in dom, secret
    assert data and all(set(d) == {"words", "gaps", "categories", "label"} for d in data)
    assert all(isinstance(v, str) for d in data for v in d["words"] + d["gaps"])  # no positions of any kind
    after, _ = forward_strings(frames)
    assert question.explanation.split(".")[0] in after  # the same check sees the key once it may be sent
    page.close()


def test_markup_in_a_passage_is_shown_as_text(browser: Browser, start_server: StartServer, tmp_path: Path) -> None:
    seeds, lessons = write_hostile(tmp_path)
    (lessons / "hostile-mark.yaml").write_text(HOSTILE_MARK, encoding="utf-8")
    hostile = start_server(SOURCECHECK_SEEDS=str(seeds), SOURCECHECK_LESSONS=str(lessons))
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{hostile}/quiz?lesson=hostile-mark&s=mark-xss-token-00000001")
    settle(page)
    text = page.locator(".mk-text")
    expect(text).to_contain_text('Officials said <img src=x onerror="window.__xss=2"> it was fine & *bold* $x$')
    assert page.locator(".mk-text img, .mk-text b, .mk-text script").count() == 0
    word(page, 0).click()
    word(page, 1).click()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("button", name="See my results")).to_be_visible()  # its one question
    settle(page)
    review = page.locator("blockquote.sc-review")
    expect(review).to_contain_text('<img src=x onerror="window.__xss=2')  # the target, tagged "missed claim"
    expect(review).to_contain_text('"> it was fine & *bold* $x$')
    assert review.locator("img, b, script").count() == 0
    assert page.evaluate("window.__xss") is None
    page.close()


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """tests/e2e/mark_page.py: the component alone, given markup as words, gaps and category names."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
    server = Server(Path(__file__).with_name("mark_page.py"), PROJECT_ROOT, ["--server.fileWatcherType=none"],
                    base_env=base, log_dir=tmp_path_factory.mktemp("mark-page"))
    try:
        yield server.start().wait_ready(60).url
    finally:
        server.stop()


def test_markup_in_words_and_category_names_stays_text(browser: Browser, hostile_page: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(hostile_page)
    settle(page)
    expect(page.locator(".mk-cat").first).to_contain_text('<img src=x onerror="window.__xss=1">Hedge')
    expect(page.locator(".mk-cat").nth(1)).to_contain_text("<svg onload=window.__xss=4>Claim")
    expect(page.locator(".mk-text")).to_contain_text("<b>Officials <img src=x onerror=")
    expect(word(page, 3)).to_have_text("<script>window.__xss=2</script>")
    word(page, 0).click()
    word(page, 3).click()
    expect(page.locator(".mk-tag")).to_have_text('<img src=x onerror="window.__xss=1">hedge')
    inside = page.evaluate("""() => [...document.querySelectorAll('*')].filter(e => e.shadowRoot)
        .map(e => e.shadowRoot.querySelectorAll('img, script, svg, iframe, b, i').length)""")
    assert inside == [0]
    assert page.evaluate("window.__xss") is None
    page.get_by_role("button", name="Submit answer").click()
    settle(page)
    expect(page.get_by_text("Marks sent:")).to_be_visible()
    expect(page.get_by_text('"hedge"')).to_be_visible()  # the marks reached the server with Submit
    page.close()


def serious(results: Any) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_problem_in_the_component(browser: Browser, url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page(viewport=DESKTOP)
    open_question(page, url, "mark-axe-token-00000001")
    scan = lambda where: axe.run(page, context=where, options={"resultTypes": ["violations", "passes"]})
    found = {"unmarked": scan(".stBidiComponent")}
    word(page, 4).click()
    word(page, 5).click()
    category(page, "Vague attribution").click()
    word(page, 0).click()  # a mark started, not finished
    found["marked"] = scan(".stBidiComponent")
    word(page, 1).click()
    submit_and_read(page)
    found["checked after submit"] = scan("blockquote.sc-review")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-mark.json").write_text(json.dumps(
        {state: {"violations": [(v["id"], v["impact"], len(v["nodes"])) for v in r.response["violations"]],
                 "passes": [v["id"] for v in r.response["passes"]]} for state, r in found.items()}, indent=1),
        encoding="utf-8")
    for state, results in found.items():
        assert results.response["passes"], f"{state}: axe checked nothing (is the context right?)"
        assert not serious(results), f"{state}: {serious(results)}"
    page.close()


@pytest.fixture
def class_server(library_dirs: tuple[Path, Path], tmp_path: Path) -> Iterator[tuple[Server, str]]:
    seeds, lessons = library_dirs
    database = f"sqlite:///{tmp_path / 'class.db'}"
    env = {"DATABASE_URL": database, "SOURCECHECK_TEACHER_PASSCODE": PASSCODE,
           "SOURCECHECK_STATE": str(tmp_path / "state"), "SOURCECHECK_SEEDS": str(seeds),
           "SOURCECHECK_LESSONS": str(lessons)}
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCECHECK_", "DATABASE_URL"))}
    server = Server(PROJECT_ROOT / "app.py", PROJECT_ROOT, ["--server.fileWatcherType=none"], env=env, base_env=base,
                    log_dir=tmp_path).start().wait_ready(60)
    yield server, database
    server.stop()


def test_a_class_marks_and_the_projector_shows_where(browser: Browser, class_server: tuple[Server, str],
                                                     lesson: LoadedLesson) -> None:
    """Two phones mark the passage; the projector's reveal and the results page draw a heat map per category."""
    url = class_server[0].url
    teacher = browser.new_page(viewport=DESKTOP)
    open_teacher_page(teacher, f"{url}/classes", "Classes")
    teacher.get_by_role("combobox", name="Lesson").click()
    teacher.get_by_role("option", name=f"{lesson.lesson.title} ({lesson.lesson.level})").click()
    teacher.get_by_role("button", name="Start the class").click()
    code = teacher.locator('[data-testid="stMarkdown"]', has_text="Join code").locator("code").inner_text()
    phones = [browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page() for _ in range(2)]
    for page, name in zip(phones, ["Ana", "Ben"], strict=True):
        join(page, url, code, name)
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    store = open_store(class_server[1])
    session = store.session_by_code(code)
    store.engine.dispose()
    assert session is not None
    open_teacher_page(projector, f"{url}/projector?session={session.id}", "Join the class")
    projector_shows(projector, "2 joined")
    projector.get_by_role("button", name="Start").click()
    projector_shows(projector, "Mark in the passage: hedge, vague attribution")
    question = lesson.question(QUESTION)
    assert isinstance(question, MarkQuestion)
    for page, how in zip(phones, ["right", "partial"], strict=True):
        expect(word(page, 0)).to_be_visible(timeout=15_000)
        mark_by_hand(page, lesson, question, how, touch=True)
        page.get_by_role("button", name="Submit answer").tap()
        expect(page.get_by_text("Your answer is saved")).to_be_visible(timeout=15_000)
    projector_shows(projector, "2 of 2 answered")
    projector.get_by_role("button", name="Reveal the answers").click()
    projector_shows(projector, "How many found all of each phrase to mark")  # one view: the phrases, most found first
    expect(projector.locator(".sc-markheat")).to_have_count(0)  # no stacked heat maps below the fold (issue 16)
    class_shoot(projector, "projector-mark-heatmap")
    open_teacher_page(teacher, f"{url}/dashboard?session={session.id}", "Results")
    teacher.get_by_role("tab", name="Questions").click()
    expect(teacher.locator(".sc-markheat").first).to_be_visible(timeout=15_000)
    teacher.locator(".sc-markheat").first.scroll_into_view_if_needed()
    class_shoot(teacher, "dashboard-mark-heatmap")
