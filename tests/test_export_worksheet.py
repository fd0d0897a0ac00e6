"""Worksheet export: structure a teacher relies on when printing, and escaping of every lesson string."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mark_lessons import load_mark_lesson
from test_export_common import EVIL, load_every_type, real_lessons

from sourcecheck.export.worksheet import to_worksheet
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import LoadedLesson


@pytest.fixture
def every_type(tmp_path: Path) -> LoadedLesson:
    return load_every_type(tmp_path)


class Page(HTMLParser):
    """Tags, classes and visible text of a page, split into its <section>s."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.sections: list[dict[str, object]] = []
        self._in_style = False
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        classes = (dict(attrs).get("class") or "").split()
        self._in_style = tag == "style"
        if tag == "section":
            self.sections.append({"classes": classes, "text": [], "tags": []})
        elif self.sections:
            self.sections[-1]["tags"].append((tag, classes))  # type: ignore[union-attr]

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self.sections and not self._in_style:
            self.sections[-1]["text"].append(data)  # type: ignore[union-attr]

    def text(self, index: int) -> str:
        return " ".join(" ".join(self.sections[index]["text"]).split())  # type: ignore[arg-type]

    def count(self, index: int, cls: str) -> int:
        return sum(cls in classes for _, classes in self.sections[index]["tags"])  # type: ignore[union-attr]


def test_one_sheet_and_one_key_per_lesson_each_on_its_own_page() -> None:
    lessons = real_lessons()
    markup = to_worksheet(lessons).data
    page = Page(markup)
    kinds = [("ws-sheet" in s["classes"], "ws-key" in s["classes"]) for s in page.sections]
    assert kinds == [(True, False)] * len(lessons) + [(False, True)] * len(lessons)
    assert re.search(r"@media print\{[^@]*\.ws-lesson\{page-break-before:always;break-before:page\}", markup)


def test_the_sheet_has_every_question_and_no_answers(every_type: LoadedLesson) -> None:
    page = Page(to_worksheet([every_type]).data)
    sheet = page.text(0)
    for question in every_type.lesson.questions:
        assert " ".join(question.prompt.split()) in sheet
    assert "Passage 1" in sheet and "Passage 2" in sheet and "Passages 1 and 2" in sheet
    assert page.count(0, "sc-hl") == 0 and page.count(0, "sc-tag") == 0  # no highlights before answering
    assert "✓" not in sheet and "Model answer" not in sheet and "Explanation" not in sheet
    assert page.count(0, "ws-lines") == 1  # space to write for the short question
    assert "“much speculation”" in sheet and "“but little concrete facts”" in sheet  # spans as a tick list
    assert "Tick one box in each row." in sheet


def test_the_key_has_annotations_answers_and_explanations(every_type: LoadedLesson) -> None:
    page = Page(to_worksheet([every_type]).data)
    key = page.text(1)
    assert page.count(1, "sc-hl") == 4 and page.count(1, "sc-legend") == 1
    assert f"Note {EVIL}" in key
    assert f"[markdown] starts with a bracket (✓ right) Right {EVIL}" in key
    assert "Answer: False" in key and f"If “True”: Look again {EVIL}" in key
    assert f"Model answer: Model {EVIL}" in key
    assert f"Explanation {EVIL}" in key
    assert f"Israeli sources {EVIL} unnamed {EVIL} Item {EVIL}" in key


def test_sheet_and_key_list_options_in_the_same_shuffled_order(every_type: LoadedLesson) -> None:
    page = Page(to_worksheet([every_type]).data)
    options = ["An outlet", "A nationality", "A link", "A date", "A quote"]

    def order(text: str) -> list[str]:
        return sorted(options, key=lambda o: re.search(rf"[A-E]\. {o}\b", text).start())  # type: ignore[union-attr]

    assert order(page.text(0)) == order(page.text(1))
    assert order(page.text(0)) != options  # the right answers are not simply listed first


def test_every_lesson_string_is_escaped(every_type: LoadedLesson) -> None:
    markup = to_worksheet([every_type]).data
    page = Page(markup)
    assert "script" not in page.tags and "img" not in page.tags
    assert page.tags.count("style") == 1
    assert f"Title {EVIL}" in page.text(0) and f"Summary {EVIL}" in page.text(0)
    assert "&lt;script&gt;" in markup


@pytest.mark.parametrize(("part", "sheets", "keys"), [("worksheet", 1, 0), ("key", 0, 1), ("both", 1, 1)])
def test_parts(every_type: LoadedLesson, part: str, sheets: int, keys: int) -> None:
    result = to_worksheet([every_type], part=part)  # type: ignore[arg-type]
    page = Page(result.data)
    assert sum("ws-sheet" in s["classes"] for s in page.sections) == sheets
    assert sum("ws-key" in s["classes"] for s in page.sections) == keys
    assert [n for n in result.notes if "spans question" in n] == [
        "every-type/hedges: spans question exported as a tick list over its 2 candidate phrases (students tick "
        "phrases instead of selecting them in the passage)"]


def test_a_mark_question_prints_its_passage_to_underline_and_its_categories(every_type: LoadedLesson) -> None:
    page = Page(to_worksheet([every_type]).data)
    sheet = page.text(0)
    passage = " ".join(every_type.excerpts["confirms"].text.split())
    assert "Underline every phrase of these kinds, and write its number above it:" in sheet
    assert (f"Outlet : {LABELS['outlet'].definition} Unnamed source : {LABELS['unnamed-source'].definition}"
            in sheet)  # the categories, numbered
    assert page.count(0, "ws-markable") == 1 and passage in sheet
    assert page.count(0, "sc-review") == 0  # no answer on the sheet
    key = page.text(1)
    assert page.count(1, "sc-review") == 1  # the targets, drawn as the app draws a right answer
    assert "The New York Times now confirms ✓ outlet" in key and "Israeli sources ✓ unnamed source" in key
    assert f"Outlet: “The New York Times now confirms” Note {EVIL}" in key


def test_a_mark_question_on_one_category_says_what_to_underline(tmp_path: Path) -> None:
    lesson = load_mark_lesson(tmp_path)
    sheet = Page(to_worksheet([lesson], part="worksheet").data).text(0)
    assert f"Underline every unnamed source in the passage: {LABELS['unnamed-source'].definition}" in sheet


def test_the_confidence_scale_is_the_one_the_app_shows() -> None:
    """The sheet asks "How sure are you?" with the options the question page offers, in the words it uses."""
    from sourcecheck.ui.question_view import CONFIDENCE, confidence_label

    lesson = next(x for x in real_lessons() if any(q.confidence for q in x.lesson.questions))
    page = Page(to_worksheet([lesson], part="worksheet").data)
    sheet = page.text(0)
    app_scale = "How sure are you? " + " ".join(confidence_label(v) for v in CONFIDENCE)
    assert app_scale == "How sure are you? 50 % 60 % 70 % 80 % 90 % 100 %"
    assert sheet.count(app_scale) == sum(q.confidence for q in lesson.lesson.questions)
    assert "Guessing" not in sheet and "Fairly sure" not in sheet
    assert page.count(0, "ws-box") >= len(CONFIDENCE)
