"""Issue 16, defect 9: the home page opens with a "Join a class" box; the Classes page's lesson picker lists the
lessons as the catalog does; documents are credited by a title a person can read, never a file id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import page_text, start_app

from sourcecheck.lessons.catalog import Catalog, DocumentInfo
from sourcecheck.lessons.curriculum import curriculum_order
from sourcecheck.lessons.loader import Library
from sourcecheck.render.highlight import source_line
from sourcecheck.ui import teacher_nav

FILE_ID = re.compile(r"\d{3}_[0-9a-f]{16}")


def test_the_join_box_comes_first_and_opens_the_join_page_with_the_code() -> None:
    at = start_app().run()
    assert not at.exception
    order = [type(e).__name__ for e in at.main]
    headings = [e.value for e in at.main if type(e).__name__ in ("Subheader", "Header", "Title")]
    assert headings[:2] == ["SourceCheck", "Join a class"]
    first_card = next(i for i, e in enumerate(at.main) if getattr(e, "type", "") == "bidi_component")  # the cards
    box = next(i for i, e in enumerate(at.main) if getattr(e, "key", None) == "home-join-code")
    assert box < first_card, order
    field = at.text_input(key="home-join-code")
    assert field.label == "Class code"
    field.input("k7m2qx")
    at.button(key="home-join-submit").click().run()
    assert not at.exception
    assert at.query_params["code"] == "k7m2qx"
    assert at.text_input(key="join-code").value == "k7m2qx"  # the join page, the code filled in
    assert at.text_input(key="join-name").value == ""  # the student adds a name there


def test_join_without_a_code_says_what_to_type() -> None:
    at = start_app().run()
    at.button(key="home-join-submit").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Type the code your teacher shows first."]
    assert at.text_input(key="home-join-code").value == ""  # still on the home page


def test_the_lesson_picker_lists_lessons_as_the_catalog_does(library: Library, monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)
    at = signed_in(teacher_nav.CLASSES)
    assert not at.exception
    picker = at.selectbox(key="cls-lesson")
    catalog_order = [x.id for x in curriculum_order(library.lessons)]
    assert picker.options == [f"{x.lesson.title} ({x.lesson.level})" for x in curriculum_order(library.lessons)]
    assert catalog_order != [x.id for x in library.lessons]  # the library's own order is another one
    assert picker.value == catalog_order[0]


def test_no_document_is_credited_by_its_file_id(catalog: Catalog, library: Library) -> None:
    for info in catalog.entries.values():
        assert not FILE_ID.search(info.credit), info.credit
        assert "Untitled" not in info.credit
    untitled = catalog.entries["002_a512e606a65f4a3d"]
    assert untitled.title is None  # the catalog states no title the document does not state
    assert untitled.credit == "an untitled scholarly blog"
    assert source_line(catalog.get(untitled.id)) == "From an untitled scholarly blog"
    assert DocumentInfo(id="x").credit == "an untitled document"
    at = start_app().run()
    shown = page_text(at)
    assert "an untitled scholarly blog" in shown
    assert not FILE_ID.search(shown) and "Untitled" not in shown

