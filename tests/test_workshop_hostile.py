"""Hostile input in the workshop: markup in every string field of a lesson and of a document, a hostile
upload name, anchors. Nothing from them may reach the browser as live HTML or Markdown, anywhere on the
page: problems, preview (before and after each answer), summary, save and the quote finder."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import codes, signed_in, use_passcode
from ui_helpers import alerts, fill, next_question, page_text, proto_strings, submit, tree_nodes

from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loader import load_lesson_bytes
from sourcecheck.ui import teacher_nav

DOCUMENT = textwrap.dedent("""\
    The mayor said <script>alert('doc1')</script> nothing at all, and <u>nobody</u> asked.

    Officials said <img src=x onerror=alert('doc2')> it was fine & *bold* $x$ [link](javascript:alert(3)).
    """)

CATALOG = textwrap.dedent("""\
    documents:
      - id: evil
        title: "<script>alert('cat-title')</script>Evil title"
        outlet: "<img src=x onerror=alert('cat-outlet')>Outlet"
        author: "<u>Author</u>"
        kind: test
    """)

# Every free-text field of the format carries a tag; phrases quote the document's own tags.
LESSON = textwrap.dedent("""\
    id: hostile-workshop
    title: "<script>alert('title')</script>Title"
    summary: "<img src=x onerror=alert('summary')> summary *stars* :red[colour] [x](javascript:alert(1))"
    level: intro
    minutes: 5
    skills: [claim-and-source, named-unnamed]
    document: evil
    shuffle: false
    excerpts:
      - id: one
        quote: "The mayor said <script>alert('doc1')</script> nothing at all, and <u>nobody</u> asked."
        annotations:
          - text: "<script>alert('doc1')</script>"
            label: claim
            note: "<img src=x onerror=alert('note1')>note one"
          - text: "<u>nobody</u>"
            label: vague-attribution
            note: "<script>alert('note2')</script>note two"
      - id: two
        quote: "Officials said <img src=x onerror=alert('doc2')> it was fine"
        annotations:
          - text: "Officials said"
            label: unnamed-source
            note: "<u>bold note</u> <i>it</i>"
    questions:
      - id: single
        type: single
        excerpt: one
        skill: claim-and-source
        prompt: "<img src=x onerror=alert('prompt1')>Who speaks?"
        explanation: "<script>alert('explanation1')</script>Because."
        options:
          - text: "<script>alert('option1')</script>The mayor"
            correct: true
            feedback: "<img src=x onerror=alert('feedback1')>yes"
          - text: "<u>Nobody</u> $x$"
            feedback: "<script>alert('feedback2')</script>no"
      - id: multi
        type: multi
        excerpt: [one, two]
        skill: named-unnamed
        prompt: "<script>alert('prompt2')</script>Pick"
        explanation: "<img src=x onerror=alert('explanation2')>Why"
        options:
          - text: "<img src=x onerror=alert('option2')>A"
            correct: true
          - text: "<i>B</i>"
            feedback: "<img src=x onerror=alert('feedback3')>"
      - id: truth
        type: true-false
        excerpt: two
        skill: named-unnamed
        prompt: "<u>True</u> or false?"
        explanation: "<script>alert('explanation3')</script>"
        answer: true
        feedback_true: "<script>alert('ft')</script>right"
        feedback_false: "<img src=x onerror=alert('ff')>wrong"
      - id: phrases
        type: spans
        excerpt: one
        skill: claim-and-source
        prompt: "<script>alert('prompt4')</script>Which phrases?"
        explanation: "<img src=x onerror=alert('explanation4')>"
        answers: ["<script>alert('doc1')</script>"]
        distractors: ["<u>nobody</u>"]
      - id: sort
        type: match
        excerpt: [one, two]
        skill: claim-and-source
        prompt: "Sort <i>these</i>"
        explanation: "<u>Sorted</u>"
        categories: ["<script>alert('cat1')</script>named", "<u>unnamed</u>"]
        items:
          - text: "<img src=x onerror=alert('item1')>mayor"
            category: "<script>alert('cat1')</script>named"
            feedback: "<script>alert('itemfb')</script>"
          - text: "officials"
            category: "<u>unnamed</u>"
      - id: say
        type: short
        excerpt: two
        skill: named-unnamed
        prompt: "<img src=x onerror=alert('prompt6')>Why?"
        model_answer: "<script>alert('model')</script>Model"
    """)

# Rendered as Markdown by Streamlit: a tag, or a link, not preceded by a backslash would be live.
LIVE_MARKDOWN = re.compile(r"(?<!\\)(<script|<img|<u>|<i>|\]\(javascript)", re.IGNORECASE)
# st.html bodies are markup built by highlight.py (which uses <b> itself, never <u> or <i>): no tag that
# came from the lesson or the document may survive.
LIVE_HTML = re.compile(r"<script|<img|<u>|<i>", re.IGNORECASE)
# Shown as typed, never interpreted: code blocks and the text area (the YAML itself), and options of
# a select box, which Streamlit draws as plain text.
LITERAL = {"code", "text_area"}
NOT_SHOWN = frozenset({"id"})  # a widget's id is never displayed


def assert_no_live_markup(at: AppTest) -> None:
    checked = 0
    for node in tree_nodes(at._tree):
        proto, kind = getattr(node, "proto", None), getattr(node, "type", "")
        if proto is None or not hasattr(proto, "ListFields") or kind in LITERAL:
            continue
        if kind == "html":
            if not proto.body.lstrip().startswith("<style>"):
                assert not LIVE_HTML.findall(proto.body), proto.body
            continue
        strings = [proto.label] if kind == "selectbox" else list(proto_strings(proto, skip=NOT_SHOWN))
        for text in strings:
            assert not LIVE_MARKDOWN.findall(text), (kind, text)
        checked += 1
    assert checked > 5  # the walk did see the page


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    use_passcode(monkeypatch, tmp_path)
    seeds, lessons = tmp_path / "seeds", tmp_path / "lessons"
    seeds.mkdir()
    lessons.mkdir()
    (seeds / "evil.txt").write_text(DOCUMENT, encoding="utf-8")
    (seeds / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    monkeypatch.setenv("SOURCECHECK_SEEDS", str(seeds))
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(lessons))
    return seeds


def workshop_with(text: str) -> AppTest:
    at = signed_in(teacher_nav.WORKSHOP)
    at.text_area(key="ws-text").input(text).run()
    assert not at.exception
    return at


def test_the_hostile_lesson_is_valid(hostile: Path) -> None:
    """Otherwise the walk below would only see a problem list."""
    loaded = load_lesson_bytes(LESSON.encode(), load_catalog(hostile), name="x")
    assert len(loaded.lesson.questions) == 6


def test_preview_of_a_hostile_lesson_shows_its_tags_as_text(hostile: Path) -> None:
    loaded = load_lesson_bytes(LESSON.encode(), load_catalog(hostile), name="x")
    at = workshop_with(LESSON)
    assert_no_live_markup(at)
    assert "“<script>alert('title')</script>Title”, 6 questions" in alerts(at)  # the characters, as typed
    progress = at.session_state["ws-progress-view"]
    for question in loaded.lesson.questions:
        fill(at, loaded, progress, question, "wrong" if question.type != "short" else "right")
        submit(at, progress, question)
        assert not at.exception
        assert_no_live_markup(at)
        bodies = [h.proto.body for h in at.get("html")]
        assert any('class="sc-tag"' in b for b in bodies), question.id  # annotated excerpt is there
        next_question(at, progress, question)
    assert_no_live_markup(at)  # the summary
    shown = page_text(at)
    assert "<script>alert('model')</script>Model" in shown
    assert "<img src=x onerror=alert('option2')>A" in shown


def test_save_tab_and_download_of_a_hostile_lesson(hostile: Path) -> None:
    at = workshop_with(LESSON)
    at.button(key="ws-save").click().run()
    assert not at.exception
    assert_no_live_markup(at)
    assert (hostile.parent / "lessons" / "hostile-workshop.yaml").read_text(encoding="utf-8") == LESSON


def test_problems_in_a_hostile_lesson_are_code_not_markup(hostile: Path) -> None:
    broken = LESSON.replace("level: intro", "level: <script>alert('level')</script>")
    at = workshop_with(broken)
    assert_no_live_markup(at)
    assert any("level: <script>alert('level')</script>" in c for c in codes(at))


def test_hostile_upload_name(hostile: Path) -> None:
    at = signed_in(teacher_nav.WORKSHOP)
    name = "<img src=x onerror=alert('name')>.yaml"
    at.file_uploader(key="ws-upload").upload(name, b"\xff\xfe not utf-8").run()
    assert not at.exception
    assert_no_live_markup(at)
    assert f"{name} is not UTF-8 text" in alerts(at)


def test_quote_finder_on_a_hostile_document(hostile: Path) -> None:
    at = signed_in(teacher_nav.WORKSHOP)
    at.text_input(key="ws-words").input("<script>").run()
    assert not at.exception
    assert_no_live_markup(at)
    assert codes(at) == ["quote: The mayor said <script>alert('doc1')</script> nothing at all, and <u>nobody</u> "
                         "asked."]


def test_the_check_would_notice_live_markup() -> None:
    """The walker flags an unescaped tag in a Markdown element and in an st.html body."""
    live = AppTest.from_string("import streamlit as st\nst.markdown('<u>x</u>')").run()
    with pytest.raises(AssertionError):
        assert_no_live_markup(live)
    live = AppTest.from_string("import streamlit as st\n" + "st.caption('ok')\n" * 6 + "st.html('<img src=x>')").run()
    with pytest.raises(AssertionError):
        assert_no_live_markup(live)
