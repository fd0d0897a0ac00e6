"""Stored XSS, checked in the real browser DOM: markup and script in every lesson field, the document text and its
catalog entry, students' display names and a short answer are shown as text on every page (catalog, each question
before and after answering, summary, join, class page, projector lobby, question and reveal, results, workshop
preview, exports) and in every export (GIFT, QTI, worksheet, answer key, CSV) opened the way its reader opens it.

On each page: no element made from a payload exists (`.xss`), no event handler or `javascript:` link was made,
no payload script ran (`window.__xss` stays empty), no dialog opened, and the payload's own characters are on
screen. Screenshots of the hostile question and of the projector go to test-artifacts/security/.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser_support import settle, sign_in
from conftest import ARTIFACTS, IDLE, StartServer
from hostile_lesson import LESSON, LESSON_ID, NAMES, SHORT_ANSWER, payload, write_hostile
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

PASSCODE = "xss-suite-passcode-2718"
SHOTS = ARTIFACTS / "security"
QUESTIONS: list[dict[str, object]] = LESSON["questions"]  # type: ignore[assignment]
# The page's document and every open shadow root in it (a components.v2 component, such as the lesson catalog's
# cards, draws inside one): markup injected there, or text shown there, counts like any other.
ROOTS = """const roots = () => { const found = [document];
  for (let i = 0; i < found.length; i++)
    for (const e of found[i].querySelectorAll('*')) if (e.shadowRoot) found.push(e.shadowRoot);
  return found; };
const every = (selector) => roots().flatMap(r => [...r.querySelectorAll(selector)]);
const shown = () => [document.body.innerText, ...roots().slice(1).flatMap(r => [...r.children]
  .filter(c => !['STYLE', 'SCRIPT'].includes(c.tagName)).map(c => c.innerText))].join(' ');"""
DIRTY = """() => { """ + ROOTS + """ return {
  injected: every('.xss').map(e => e.outerHTML.slice(0, 120)),
  handlers: every('*').flatMap(e => [...e.attributes]
      .filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name + '=' + a.value.slice(0, 60))),
  links: every('a[href]').map(a => a.getAttribute('href'))
      .filter(h => /^\\s*javascript:/i.test(h)),
  ran: window.__xss ? window.__xss.slice() : ['window.__xss is gone'],
}; }"""
SHOWN_TEXT = "() => { " + ROOTS + " return shown().trim().split(/\\s+/).join(' '); }"


# True once every literal is in the page's text (shadow roots included), whitespace runs read as one space (as
# `clean` reads it).
SHOWS_ALL = """(shows) => { """ + ROOTS + """
  const text = shown().trim().split(/\\s+/).join(' ');
  return shows.every((literal) => text.includes(literal));
}"""


class Watch:
    """A browser context in which every page starts with an empty `window.__xss` and every dialog is recorded."""

    def __init__(self, browser: Browser, **options: object) -> None:
        self.dialogs: list[str] = []
        self.context: BrowserContext = browser.new_context(**options)  # type: ignore[arg-type]
        self.context.add_init_script("window.__xss = [];")

    def page(self) -> Page:
        page = self.context.new_page()
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        return page

    def clean(self, page: Page, where: str, *, shows: list[str] = ()) -> None:  # type: ignore[assignment]
        """First the payloads' own characters on screen (widgets whose code Streamlit loads on first use take a
        moment to appear), then nothing of them as markup, script, handler, link or dialog."""
        if "://" in page.url:
            page.wait_for_selector(IDLE, timeout=30_000)
        if shows:
            with contextlib.suppress(PlaywrightTimeout):  # a timeout is reported below, with what is missing
                page.wait_for_function(SHOWS_ALL, arg=list(shows), timeout=20_000)  # the machine may be busy
        text = page.evaluate(SHOWN_TEXT)
        missing = [literal for literal in shows if literal not in text]
        if missing:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"failed-{re.sub(r'[^a-z0-9]+', '-', where)}.png"), full_page=True)
        assert not missing, (where, missing, text[:300])
        found = page.evaluate(DIRTY)
        assert found == {"injected": [], "handlers": [], "links": [], "ran": []}, (where, found)
        assert not self.dialogs, (where, self.dialogs)


@pytest.fixture(scope="module")
def server(start_server: StartServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("xss")
    seeds, lessons = write_hostile(root)
    return start_server(SOURCECHECK_SEEDS=str(seeds), SOURCECHECK_LESSONS=str(lessons),
                        SOURCECHECK_TEACHER_PASSCODE=PASSCODE, SOURCECHECK_STATE=str(root / "state"),
                        DATABASE_URL=f"sqlite:///{root / 'xss.db'}")


@pytest.fixture
def watch(browser: Browser) -> Iterator[Watch]:
    found = Watch(browser, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield found
    found.context.close()


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in {"phone": (390, 844), "projector": (1920, 1080)}.items():
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        page.screenshot(path=str(SHOTS / f"xss-{size}-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def answer_right(page: Page, question: dict[str, object]) -> None:
    """Each hostile question answered right, by what the student reads (the payload text itself)."""
    kind = question["type"]
    if kind == "single":
        page.locator('[data-testid="stRadioOption"]', has_text="option right").click()
    elif kind == "true-false":
        page.locator('[data-testid="stRadioOption"]', has_text="True").click()
    elif kind == "multi":
        page.locator('[data-testid="stCheckbox"]', has_text="multi right").click()
    elif kind == "spans":
        page.locator('[data-testid="stCheckbox"]', has_text="doc one").click()
    elif kind == "match":
        for n, item in enumerate(question["items"]):  # type: ignore[arg-type]
            box = page.get_by_role("combobox").nth(n)
            box.click()
            page.get_by_role("option", name=item["category"], exact=True).click()
    elif kind == "short":
        page.get_by_label("Your answer").fill(SHORT_ANSWER)


def test_student_pages_show_every_payload_as_text(watch: Watch, server: str) -> None:
    page = watch.page()
    page.goto(server)
    watch.clean(page, "catalog", shows=[payload("title"), payload("summary"), payload("doc title")])
    page.get_by_role("button", name="Open lesson").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    for n, question in enumerate(QUESTIONS, start=1):
        expect(page.get_by_text(f"Question {n} of {len(QUESTIONS)}")).to_be_visible()
        before = [str(question["prompt"]), payload("title")]
        if question["type"] in ("single", "multi"):
            before += [str(o["text"]) for o in question["options"]]  # type: ignore[union-attr, index]
        if question["type"] == "spans":
            before.append(f"“{payload('doc one')}”")
        if question["type"] == "match":
            before += [str(i["text"]) for i in question["items"]]  # type: ignore[union-attr, index]
        watch.clean(page, f"{question['id']} before", shows=before)
        if n == 1:
            shoot(page, "question")
        answer_right(page, question)
        page.get_by_role("button", name="Submit answer").click()
        last = n == len(QUESTIONS)
        expect(page.get_by_role("button", name="See my results" if last else "Next question")).to_be_visible()
        page.get_by_text(re.compile(r"^Read (passage \d )?in context$")).first.click()
        after = [str(question.get("explanation") or question.get("model_answer"))]
        if question["type"] == "single":
            after += [payload("feedback right"), payload("note one"), payload("doc title")]
        if question["type"] == "short":
            after += [SHORT_ANSWER, payload("model answer")]
        watch.clean(page, f"{question['id']} after", shows=after)
        if n == 1:
            shoot(page, "feedback")
        page.get_by_role("button", name="See my results" if last else "Next question").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    watch.clean(page, "summary", shows=[SHORT_ANSWER, payload("prompt match"), payload("option right")])


def test_class_projector_results_and_exports_show_every_payload_as_text(watch: Watch, browser: Browser,
                                                                        server: str, tmp_path: Path) -> None:
    teacher = watch.page()
    sign_in(teacher, f"{server}/classes", PASSCODE)
    teacher.get_by_role("combobox", name="Lesson").click()
    teacher.get_by_role("option", name=re.compile("title")).click()
    teacher.get_by_text("Show students' names on the projector").click()
    teacher.get_by_role("button", name="Start the class").click()
    code = teacher.locator('[data-testid="stMarkdown"]', has_text="Join code").locator("code").inner_text()
    watch.clean(teacher, "classes")

    students = []
    for name in NAMES:
        student = Watch(browser, viewport={"width": 390, "height": 844})
        page = student.page()
        page.goto(f"{server}/join?code={code}")
        settle(page)
        student.clean(page, "join")
        page.get_by_label("Your name").fill(name)
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_text("You are in")).to_be_visible(timeout=15_000)
        student.clean(page, "class lobby", shows=[name, payload("title")])
        students.append((student, page, name))

    screen = Watch(browser, viewport={"width": 1920, "height": 1080})
    projector = screen.page()
    with teacher.context.expect_page() as opened:  # a new tab, signed in by the teacher cookie
        teacher.get_by_role("link", name="Open the projector view").click()
    opened.value.wait_for_url(re.compile(r"/projector\?session=\d+"), timeout=15_000)
    settle(opened.value)
    sign_in(projector, opened.value.url, PASSCODE)
    opened.value.close()
    expect(projector.get_by_text(f"{len(NAMES)} joined")).to_be_visible(timeout=15_000)
    screen.clean(projector, "projector lobby", shows=NAMES)
    projector.get_by_role("button", name="Start").click()
    for index, question in enumerate(QUESTIONS):
        expect(projector.get_by_text(f"Question {index + 1} of {len(QUESTIONS)}").first).to_be_visible(
            timeout=15_000)
        if question["type"] in ("single", "short"):
            screen.clean(projector, f"projector {question['id']}", shows=[str(question["prompt"])])
            for student, page, name in students:
                expect(page.get_by_role("button", name="Submit answer")).to_be_visible(timeout=15_000)
                answer_right(page, question)
                page.get_by_role("button", name="Submit answer").click()
                expect(page.get_by_text("Your answer is saved")).to_be_visible(timeout=15_000)
                student.clean(page, f"class {question['id']} answered", shows=[payload("title"), name])
            expect(projector.get_by_text(f"{len(NAMES)} of {len(NAMES)} answered")).to_be_visible(timeout=15_000)
            screen.clean(projector, f"projector {question['id']} answered", shows=NAMES)
            projector.get_by_role("button", name="Reveal the answers").click()
            expect(projector.get_by_text(f"{len(NAMES)} answered", exact=True)).to_be_visible(timeout=15_000)
            screen.clean(projector, f"projector {question['id']} revealed",
                         shows=[str(question.get("explanation"))])
            if index == 0:
                expect(projector.locator(".pj-sub", has_text="How many").first).to_be_visible(timeout=15_000)
                shoot(projector, "projector-reveal")
                student, page, _ = students[0]
                expect(page.locator('[data-testid="stAlert"]').first).to_contain_text("Correct", timeout=15_000)
                student.clean(page, "class revealed", shows=[payload("feedback right"), payload("note one")])
        projector.get_by_role("button", name="Finish" if index == len(QUESTIONS) - 1 else "Next question").click()
    expect(projector.get_by_text("The lesson is over.")).to_be_visible(timeout=15_000)
    page = students[1][1]
    expect(page.get_by_text("That was the last question")).to_be_visible(timeout=15_000)
    students[1][0].clean(page, "class summary", shows=[SHORT_ANSWER])

    teacher.goto(f"{server}/dashboard")
    sign_in(teacher, f"{server}/dashboard", PASSCODE)
    expect(teacher.get_by_role("tab", name="Students")).to_be_visible(timeout=15_000)
    watch.clean(teacher, "results", shows=[payload("title")])
    teacher.get_by_role("tab", name="Students").click()
    with teacher.expect_download() as download:
        teacher.get_by_role("button", name="Download every answer (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert {r["Student"] for r in rows} == {NAMES[0], NAMES[1], "'" + NAMES[2]}  # a formula is defused
    assert sum(json.loads(r["Answer given"]) == SHORT_ANSWER for r in rows) == len(NAMES)
    assert not [cell for r in rows for cell in r.values() if cell[:1] in ("=", "+", "@")]

    teacher.get_by_role("link", name="Workshop").click()
    box = teacher.get_by_role("textbox", name="Lesson YAML")
    box.fill(yaml.safe_dump(LESSON, allow_unicode=True, sort_keys=False, width=10_000))
    box.press("Control+Enter")
    expect(teacher.get_by_text("No problems")).to_be_visible(timeout=15_000)
    watch.clean(teacher, "workshop preview", shows=[str(QUESTIONS[0]["prompt"]), payload("doc one")])

    teacher.get_by_role("link", name="Exports").click()
    teacher.get_by_role("combobox", name="Lesson").click()
    teacher.get_by_role("option", name=re.compile("title")).click()
    expect(teacher.get_by_role("button", name=f"Download {LESSON_ID}.gift")).to_be_visible(timeout=15_000)
    watch.clean(teacher, "exports")
    files = {}
    for name in (f"{LESSON_ID}.gift", f"{LESSON_ID}.zip", f"{LESSON_ID}-worksheet.html",
                 f"{LESSON_ID}-answer-key.html"):
        with teacher.expect_download() as download:
            teacher.get_by_role("button", name=f"Download {name}").click()
        files[name] = Path(download.value.path()).read_bytes()

    reader = watch.page()
    for name in (f"{LESSON_ID}-worksheet.html", f"{LESSON_ID}-answer-key.html"):
        reader.set_content(files[name].decode("utf-8"))
        watch.clean(reader, name, shows=[payload("title"), str(QUESTIONS[0]["prompt"]), payload("doc one")])
    reader.set_content(f"<div>{qti_html(files[f'{LESSON_ID}.zip'])}</div>")
    watch.clean(reader, "QTI as Canvas shows it", shows=[str(QUESTIONS[0]["prompt"]), payload("option right")])
    reader.set_content(f"<div>{gift_html(files[f'{LESSON_ID}.gift'].decode('utf-8'))}</div>")
    watch.clean(reader, "GIFT as Moodle shows it", shows=[str(QUESTIONS[0]["prompt"]), payload("feedback right")])


def qti_html(zipped: bytes) -> str:
    """Every text/html field of the QTI items, as Canvas renders it: the XML text unescaped once, then HTML."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        for info in archive.infolist():
            if info.filename.endswith(".xml"):
                xml = archive.read(info).decode("utf-8")
                parts += [html.unescape(m) for m in re.findall(r'<mattext texttype="text/html">(.*?)</mattext>', xml,
                                                               re.DOTALL)]
    assert len(parts) > 10
    return "<hr>".join(parts)


def gift_html(gift: str) -> str:
    """The GIFT file's [html] text as Moodle shows it: comments and category lines dropped, the right-hand side
    of matching pairs dropped (Moodle shows those as plain text), GIFT's escapes undone."""
    kept = []
    for line in gift.splitlines():
        if line.startswith(("//", "$CATEGORY")):
            continue
        kept.append(re.sub(r"(?<!\\) -> .*$", "", line))
    text = "\n".join(kept)
    return re.sub(r"\\(.)", lambda m: "<br>" if m.group(1) == "n" else m.group(1), text)


def test_the_check_notices_a_live_payload(watch: Watch) -> None:
    """The same checks on a page where a payload is live: every kind of failure is caught."""
    page = watch.page()
    page.set_content(f"<p>{payload('live')}</p>")
    page.wait_for_function("() => window.__xss.length >= 2")  # the payload's script and its image's handler ran
    found = page.evaluate(DIRTY)
    assert found["injected"] and found["handlers"] and set(found["ran"]) == {"live"}
    assert watch.dialogs == ["live"]
    with pytest.raises(AssertionError):
        watch.clean(page, "live payload")
    page.set_content("<p>plain</p>")
    watch.dialogs.clear()
    with pytest.raises(AssertionError):
        watch.clean(page, "a literal that is not there", shows=["<b>"])
