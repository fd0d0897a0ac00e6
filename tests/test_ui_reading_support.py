"""Reading support in the app (AppTest): "Words to know" under the excerpt on screen, a lesson's content note
on its card and before the first question (alone and in a class lobby), and texts invented for practice
called that wherever they are credited."""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path

import pytest
from catalog_cards import card_text
from catalog_cards import cards as catalog_cards
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, alerts, fill, html_bodies, open_quiz, page_text, progress_of, squash, submit

from sourcecheck.db import open_store
from sourcecheck.lessons.catalog import INVENTED, Catalog
from sourcecheck.lessons.loader import Library, load_library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.ui import nav, teacher_nav

NOTED = "who-is-behind-the-source"  # a bundled lesson with a content note
SVR_LESSON = """\
id: words-to-know
title: Words to know
summary: One passage with names a student may not know.
level: intro
minutes: 2
skills: [named-unnamed]
document: 004_37a98c5e477193c4
excerpts:
  - id: svr
    quote: >-
      The foreign intelligence service of Russia (SVR RF) proclaimed that
    annotations:
      - text: The foreign intelligence service of Russia (SVR RF)
        label: named-source
        note: A named body.
questions:
  - id: who
    type: true-false
    excerpt: svr
    skill: named-unnamed
    prompt: "True or false: the passage names who made the statement."
    answer: true
    feedback_false: It does, by name and initials.
    explanation: The SVR is named.
"""


@pytest.fixture
def one_lesson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "words-to-know.yaml").write_text(SVR_LESSON, encoding="utf-8")
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(folder))
    return folder


def quote_blocks(at: AppTest) -> list[str]:
    return [body for body in html_bodies(at) if 'class="sc-quote"' in body]


def definition(catalog: Catalog, term: str) -> str:
    return next(e.definition for e in catalog.glossary.entries if e.term == term)


def test_words_to_know_sit_under_the_excerpt_before_and_after_answering(one_lesson: Path, catalog: Catalog) -> None:
    at = open_quiz("words-to-know")
    assert not at.exception
    [block] = quote_blocks(at)
    assert block.index("sc-quote") < block.index("Words to know")  # under the excerpt, in its own block
    shown = page_text(at)
    assert f"Words to know SVR {definition(catalog, 'SVR')}" in shown  # term, then its definition
    for elsewhere in ("HTS", "Daesh", "CIS"):  # in the same document, but not in the passage on screen
        assert definition(catalog, elsewhere) not in shown
    lesson = load_library([one_lesson], catalog).lessons[0]
    progress = progress_of(at, lesson.id)
    fill(at, lesson, progress, lesson.question("who"), "right")
    submit(at, progress, lesson.question("who"))
    assert not at.exception
    assert "Correct" in alerts(at)
    [block] = quote_blocks(at)
    assert "Words to know" in block and html.escape(definition(catalog, "SVR"), quote=True) in block


def test_words_to_know_under_a_passage_to_be_marked(one_lesson: Path, catalog: Catalog) -> None:
    """A mark question's passage is the marking component inside its form: the box still sits under it."""
    (one_lesson / "words-to-know.yaml").write_text(SVR_LESSON.replace("""    type: true-false
    excerpt: svr
    skill: named-unnamed
    prompt: "True or false: the passage names who made the statement."
    answer: true
    feedback_false: It does, by name and initials.
""", """    type: mark
    excerpt: svr
    skill: named-unnamed
    prompt: Mark who made the statement.
    labels: [named-source]
"""), encoding="utf-8")
    at = open_quiz("words-to-know", token="mark-glossary-student-01")
    assert not at.exception
    assert not quote_blocks(at)  # no plain excerpt: the passage is in the marking component
    [box] = [b for b in html_bodies(at) if "Words to know" in b]
    assert html.escape(definition(catalog, "SVR"), quote=True) in box


def test_a_definition_is_escaped_on_the_page(one_lesson: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = Path(shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "seeds"))
    glossary = (seeds / "glossary.yaml").read_text(encoding="utf-8")
    (seeds / "glossary.yaml").write_text(glossary.replace(
        "definition: Russia's foreign intelligence service.", "definition: <b onclick=x>Russia's</b> service."),
        encoding="utf-8")
    monkeypatch.setenv("SOURCECHECK_SEEDS", str(seeds))
    at = open_quiz("words-to-know")
    assert not at.exception
    [block] = quote_blocks(at)
    assert "<b onclick" not in block and "&lt;b onclick=x&gt;" in block
    assert "<b onclick=x>Russia's</b> service." in page_text(at)  # shown as the characters the teacher typed


def test_content_note_on_the_card_and_before_the_first_question_only(library: Library) -> None:
    lesson = library.get(NOTED)
    assert lesson is not None and lesson.lesson.content_note
    note = squash(lesson.lesson.content_note)
    catalog_page = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    cards = {card["title"]: card_text(card) for card in catalog_cards(catalog_page)}
    assert f"Content note: {note}" in cards[lesson.lesson.title]
    for other in library.lessons:  # a note only where the lesson has one
        assert ("Content note:" in cards[other.lesson.title]) == bool(other.lesson.content_note), other.id

    at = open_quiz(lesson.id, token="content-note-student-01")
    assert f"**Content note:** {note}" in alerts(at)  # bold label, the note as written
    progress = progress_of(at, lesson.id)
    first = lesson.question(progress.current())  # type: ignore[arg-type]
    fill(at, lesson, progress, first, "right")
    submit(at, progress, first)
    assert "Content note" not in alerts(at)  # answered: the lesson has started
    at = open_quiz(lesson.id, token="content-note-student-01")  # a refresh mid-lesson
    assert "Content note" not in alerts(at)
    assert "Content note" not in alerts(open_quiz("raqqa-who-says", token="content-note-student-01"))


def test_content_note_in_the_class_lobby(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, library: Library) -> None:
    use_passcode(monkeypatch, tmp_path)
    teacher = signed_in(teacher_nav.CLASSES)
    teacher.selectbox(key="cls-lesson").set_value(NOTED)
    teacher.button(key="cls-start").click().run()
    code = next(m.value for m in teacher.markdown if m.value.startswith("### Join code")).split("`")[1]
    assert open_store(os.environ["DATABASE_URL"]).session_by_code(code) is not None
    student = AppTest.from_file(APP, default_timeout=TIMEOUT)
    student.query_params["code"] = code
    student.query_params["s"] = "lobby-student-token-01"
    student.switch_page(nav.JOIN)
    student.run()
    student.text_input(key="join-name").input("Ada")
    student.button(key="join-submit").click().run()
    student.switch_page(nav.CLASS)
    student.run()
    assert not student.exception
    shown = alerts(student)
    assert "Your teacher will start the lesson soon" in shown
    assert squash(library.get(NOTED).lesson.content_note or "") in shown  # type: ignore[union-attr]


def test_invented_texts_are_called_that_on_the_card_and_above_the_excerpt(catalog: Catalog) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    by_title = {card["title"]: card_text(card) for card in catalog_cards(at)}
    card = next(text for title, text in by_title.items() if "What strong sourcing looks like" in title)
    # the lesson's two practice texts (the checks' invented texts are on no lesson card)
    invented = [catalog.entries[doc] for doc in ("005_bf63a2f7e57d997c", "006_f63b5c2ae4504653")]
    assert all(info.invented for info in invented)
    for info in invented:
        assert info.credit in card and info.credit.endswith(f"({INVENTED})")
    real = next(text for title, text in by_title.items() if "Who says so? Following the sources" in title)
    assert INVENTED not in real

    quiz = open_quiz("what-strong-sourcing-looks-like", token="invented-student-token")
    assert f"From “Route 7 buses to serve Hillcrest once an hour from September”, Kestrel Bay Weekly, Amira Doyle, " \
           f"12 June 2025 ({INVENTED})" in page_text(quiz)
    assert INVENTED not in page_text(open_quiz("raqqa-who-says", token="invented-student-token"))
