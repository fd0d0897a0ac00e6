"""The answer key stays on the server until the student submits, and lesson or document text is never markup.

The leak check reads every string the server sends for a page (what the browser receives, whether it
is displayed or not), for every question of every bundled lesson.
"""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path

import pytest
from catalog_cards import card_text, cards, open_lesson
from streamlit.testing.v1 import AppTest
from ui_helpers import (
    fill,
    html_bodies,
    next_question,
    open_quiz,
    page_text,
    progress_of,
    raw_page,
    squash,
    start_app,
    submit,
)

from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library, load_library
from sourcecheck.lessons.models import MatchQuestion, MultiQuestion, Question, SingleQuestion, TrueFalseQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT, seeds_dir

MIN_SECRET = 12  # shorter strings ("No.") could occur by chance in visible text


def secrets_of(lesson: LoadedLesson, question: Question) -> list[str]:
    """Everything only an answered question may show: explanation, feedback, notes, model answer."""
    found = [question.explanation or "", getattr(question, "model_answer", "")]
    if isinstance(question, (SingleQuestion, MultiQuestion)):
        found += [o.feedback or "" for o in question.options]
    if isinstance(question, TrueFalseQuestion):
        found += [question.feedback_true or "", question.feedback_false or ""]
    if isinstance(question, MatchQuestion):
        found += [item.feedback or "" for item in question.items]
    found += [a.annotation.note for placed in lesson.excerpts_for(question) for a in placed.annotations]
    return [squash(s) for s in found if len(s) >= MIN_SECRET]


def test_bundled_library_is_not_empty(library: Library) -> None:
    assert len(library.lessons) >= 1


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "lesson_id" in metafunc.fixturenames:
        bundled = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).lessons
        metafunc.parametrize("lesson_id", [lesson.id for lesson in bundled])


def test_no_answer_key_before_submit(library: Library, lesson_id: str) -> None:
    """Walk every question: before Submit none of its secrets (nor any annotation markup) is on the page;
    after Submit the explanation is, which shows the check would notice a leak."""
    lesson = library.get(lesson_id)
    assert lesson is not None
    at = open_quiz(lesson.id, token=f"leak-check-token-{lesson.id}"[:64])
    progress = progress_of(at, lesson.id)
    for question in lesson.lesson.questions:
        assert not at.exception
        before = page_text(at)
        for secret in secrets_of(lesson, question):
            assert secret not in before, f"{lesson.id}/{question.id} shows before submit: {secret!r}"
        raw = raw_page(at)
        assert 'class="sc-tag"' not in raw and 'class="sc-hl"' not in raw, f"{lesson.id}/{question.id}: highlights"
        fill(at, lesson, progress, question, "wrong" if question.type != "short" else "right")
        submit(at, progress, question)
        after = page_text(at)
        if question.explanation:
            assert squash(question.explanation) in after
        next_question(at, progress, question)
    assert progress.current() is None


HOSTILE_DOC = textwrap.dedent("""\
    The mayor said <script>window.__xss=1</script> nothing at all.

    Officials said <img src=x onerror="window.__xss=2"> it was fine & *bold* $x$ [link](javascript:alert(1)).
    """)

HOSTILE_CATALOG = textwrap.dedent("""\
    documents:
      - id: evil
        title: "<script>window.__xss=3</script>Evil title"
        outlet: "<img src=x onerror=\\"window.__xss=4\\">Outlet"
        kind: test
    """)

HOSTILE_LESSON = textwrap.dedent("""\
    id: hostile
    title: "<script>window.__xss=5</script>Hostile lesson"
    summary: "<img src=x onerror=\\"window.__xss=6\\"> summary with *stars* and :red[colour]"
    level: intro
    minutes: 5
    skills: [claim-and-source]
    document: evil
    excerpts:
      - id: one
        quote: "The mayor said <script>window.__xss=1</script> nothing at all."
        annotations:
          - text: "<script>window.__xss=1</script>"
            label: claim
            note: "<img src=x onerror=\\"window.__xss=7\\">note"
      - id: two
        quote: "Officials said <img src=x onerror=\\"window.__xss=2\\"> it was fine"
        annotations:
          - text: "Officials said"
            label: unnamed-source
            note: "<b>bold note</b>"
    questions:
      - id: pick
        type: single
        excerpt: one
        skill: claim-and-source
        prompt: "<img src=x onerror=\\"window.__xss=8\\">Who speaks?"
        explanation: "<script>window.__xss=9</script>Because."
        shuffle: false
        options:
          - text: "<script>window.__xss=10</script>The mayor"
            correct: true
            feedback: "<img src=x onerror=\\"window.__xss=11\\">yes"
          - text: "<b>Nobody</b> $x$"
            feedback: "<script>window.__xss=12</script>no"
      - id: sort
        type: match
        excerpt: [one, two]
        skill: claim-and-source
        prompt: "Sort <i>these</i>"
        explanation: "Sorted."
        categories: ["<script>window.__xss=13</script>named", "<b>unnamed</b>"]
        items:
          - text: "<img src=x onerror=\\"window.__xss=14\\">mayor"
            category: "<script>window.__xss=13</script>named"
          - text: "officials"
            category: "<b>unnamed</b>"
            feedback: "<script>window.__xss=15</script>"
      - id: say
        type: short
        excerpt: two
        skill: claim-and-source
        prompt: "Why?"
        model_answer: "<script>window.__xss=16</script>Model"
    """)


def write_hostile(root: Path) -> tuple[Path, Path]:
    seeds, lessons = root / "seeds", root / "lessons"
    seeds.mkdir()
    lessons.mkdir()
    (seeds / "evil.txt").write_text(HOSTILE_DOC, encoding="utf-8")
    (seeds / "catalog.yaml").write_text(HOSTILE_CATALOG, encoding="utf-8")
    (lessons / "hostile.yaml").write_text(HOSTILE_LESSON, encoding="utf-8")
    return seeds, lessons


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    seeds, lessons = write_hostile(tmp_path)
    monkeypatch.setenv("SOURCECHECK_SEEDS", str(seeds))
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(lessons))
    return lessons


# Outside st.html every string is rendered as Markdown: an unescaped tag or link there would be live.
LIVE_MARKDOWN = re.compile(r"(?<!\\)(<script|<img|<b>|<i>|\]\(javascript)", re.IGNORECASE)
# st.html bodies are our markup from highlight.py; only the lesson's or document's own tags must not survive.
LIVE_HTML = re.compile(r"(?i:<script|<img)|<b>(?:bold|Nobody|unnamed)|<i>")


def assert_no_live_markup(at: AppTest) -> None:
    """Escaped means `&lt;` in HTML, or a backslash before `<`, `[` in Markdown: shown as text, never run."""
    assert not LIVE_MARKDOWN.findall(raw_page(at, with_html=False))
    for body in html_bodies(at):
        assert not LIVE_HTML.findall(body), body


def test_hostile_strings_are_shown_as_text(hostile: Path) -> None:
    at = start_app().run()
    assert not at.exception
    assert_no_live_markup(at)
    shown = " ".join(card_text(card) for card in cards(at))  # the catalog puts each string in as text
    assert "<script>window.__xss=5</script>Hostile lesson" in shown  # visible as the characters typed
    assert "*stars* and :red[colour]" in shown

    open_lesson(at, "hostile")
    assert not at.exception
    assert_no_live_markup(at)
    raw = raw_page(at)
    assert html.escape("<script>window.__xss=1</script>", quote=False) in raw  # the excerpt, escaped
    assert "<img src=x onerror=\"window.__xss=8\">Who speaks?" in page_text(at)

    progress = progress_of(at, "hostile")
    loaded = load_library([hostile], load_catalog(seeds_dir())).lessons[0]
    for question in loaded.lesson.questions:
        fill(at, loaded, progress, question, "wrong" if question.type != "short" else "right")
        submit(at, progress, question)
        assert not at.exception
        assert_no_live_markup(at)
        assert 'class="sc-tag"' in raw_page(at)  # the annotated excerpt is there, built by highlight.py
        next_question(at, progress, question)
    assert not at.exception
    assert_no_live_markup(at)  # the summary, with every answer in words
    assert "<script>window.__xss=16</script>Model" in page_text(at)

