"""The lesson catalog: cards in curriculum order, broken files named with FILE:LINE:COL, lessons read once
per file change, and `preview FILE` opening its lesson directly. The cards are one component (ui/catalog_cards/):
what a card shows is read from the data it is given (tests/catalog_cards.py), and a card's "Open lesson" is the
component's trigger, sent as the browser sends it; clicking the real button is tests/e2e/test_catalog_cards.py."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from catalog_cards import card_text, card_titles, cards, catalog_component, open_lesson, openable
from component_html import parsed
from ui_helpers import alerts, squash, start_app

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.curriculum import curriculum_order
from sourcecheck.lessons.loader import Library, load_library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.skills import SKILLS, skill_rank
from sourcecheck.sessions.solo import PAUSED
from sourcecheck.ui import catalog_view, nav, state

RAQQA = PROJECT_ROOT / "lessons" / "raqqa-who-says.yaml"
BROKEN = Path(__file__).parent / "fixtures" / "bad" / "unknown-key.yaml"


@pytest.fixture
def lessons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(folder))
    return folder


CARDS = Path(catalog_view.__file__).parent / "catalog_cards"


def test_cards_in_curriculum_order_with_their_details(library: Library, catalog: Catalog) -> None:
    at = start_app().run()
    assert not at.exception
    titles = card_titles(at)
    by_title = {lesson.lesson.title: lesson for lesson in library.lessons}
    assert sorted(titles) == sorted(by_title)  # every bundled lesson, once
    levels = {"intro": 0, "core": 1, "advanced": 2}
    ranks = [(levels[by_title[t].lesson.level], skill_rank(by_title[t].lesson.skills[0])) for t in titles]
    assert ranks == sorted(ranks)  # level first, then the skill progression by each lesson's focus (first) skill
    skill_first = sorted(titles, key=lambda t: (skill_rank(by_title[t].lesson.skills[0]),
                                                levels[by_title[t].lesson.level], t))
    assert titles != skill_first  # the bundled library has lessons the old skill-first order put elsewhere
    assert titles == [x.lesson.title for x in curriculum_order(library.lessons)]
    by_id = {card["id"]: card_text(card) for card in cards(at)}
    for lesson in library.lessons:
        shown = by_id[lesson.id]
        info = catalog.entries[lesson.lesson.document]
        assert f"{lesson.lesson.minutes} min" in shown
        assert squash(lesson.lesson.summary) in shown
        assert info.display_title in shown
        if info.outlet:
            assert info.outlet in shown
        for skill in lesson.lesson.skills:
            assert SKILLS[skill] in shown
        assert ("(invented for practice)" in shown) == any(  # every document read, credited, invented ones said
            catalog.entries[d].invented for d in {lesson.lesson.document} | {
                p.document.info.id for p in lesson.excerpts.values()})
    assert any(card["meta"].startswith("Intro · ") for card in cards(at))
    assert openable(at) == [card["id"] for card in cards(at)]  # no class open: every lesson opens
    assert not at.warning  # nothing broken in the bundled library


def test_broken_lesson_is_named_with_line_and_column_and_the_good_one_still_works(
        lessons: Path, catalog: Catalog) -> None:
    shutil.copy(RAQQA, lessons)
    shutil.copy(BROKEN, lessons)
    expected = load_library([lessons], catalog).problems
    assert expected, "the fixture must be broken"
    at = start_app().run()
    assert not at.exception
    assert "could not be loaded" not in alerts(at)  # students are not shown the teacher's problems
    at.session_state["teacher:signed-in"] = True
    at.run()
    notice = alerts(at)
    assert re.search(r"unknown-key\.yaml:\d+:\d+: ", notice), notice
    for problem in expected:
        assert f"{problem.path}:{problem.line}:{problem.column}" in notice
    assert "1 lesson file could not be loaded" in notice
    assert len(card_titles(at)) == 1
    open_lesson(at, "raqqa-who-says")
    assert not at.exception
    assert "Question 1 of" in at.get("progress")[0].proto.text


def test_lessons_are_parsed_once_per_file_change(lessons: Path, catalog: Catalog) -> None:
    copy = Path(shutil.copy(RAQQA, lessons))
    at = start_app().run()
    for _ in range(3):
        at.run()
    cache = state._library_cache(str(lessons), str(state.seeds_dir()))
    assert cache.parses == 1  # three reruns, no re-parse

    text = copy.read_text(encoding="utf-8").replace('title: "Who says so?', 'title: "Renamed: who says so?', 1)
    copy.write_text(text, encoding="utf-8")
    os.utime(copy, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 10_000_000))
    at.run()
    assert not at.exception
    assert cache.parses == 2
    assert card_titles(at)[0].startswith("Renamed: who says so?")


def test_preview_of_one_file_opens_that_lesson(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(RAQQA))
    at = start_app().run()
    assert not at.exception
    assert at.query_params["lesson"] == "raqqa-who-says"
    assert "Question 1 of" in at.get("progress")[0].proto.text
    at.switch_page("sourcecheck/ui/pages/catalog.py").run()  # "All lessons" still reaches the catalog
    assert not at.exception
    assert len(card_titles(at)) == 1


def test_empty_folder_says_there_are_no_lessons(lessons: Path) -> None:
    at = start_app().run()
    assert not at.exception
    assert "There are no lessons yet" in alerts(at)


# -- the catalog as one element (issue 21) -----------------------------------------------------------------------


def test_the_lessons_are_one_element_however_many_there_are(library: Library) -> None:
    """18 lessons were ~50 elements (a container, the text and a button each), each paid on every rerun."""
    at = start_app().run()
    assert not at.exception
    assert len(cards(at)) == len(library.lessons) >= 15
    assert all('class="sc-card"' not in h.proto.body for h in at.get("html"))  # no card drawn by st.html
    assert [b.key for b in at.button] == ["home-join-submit"]  # the join box's Join; the lessons open in the cards
    assert len(at.main.children) <= 8, [type(e).__name__ for e in at.main]


def test_open_lesson_opens_the_quiz_in_the_app_as_the_button_did() -> None:
    at = start_app().run()
    student = at.query_params["s"]
    open_lesson(at, "raqqa-who-says")
    assert not at.exception
    assert at.query_params["lesson"] == "raqqa-who-says"
    assert at.query_params["s"] == student  # the same student, as the button kept them
    assert at.session_state["lesson_id"] == "raqqa-who-says"
    assert "Question 1 of" in at.get("progress")[0].proto.text
    assert catalog_component(at) is None  # on the quiz page now
    at.switch_page(nav.CATALOG).run()  # "All lessons", the way back
    assert not at.exception and len(card_titles(at)) >= 15 and at.query_params["s"] == student


@pytest.mark.parametrize("sent", ["no-such-lesson", "", None, 7, ["raqqa-who-says"], "raqqa-who-says\n"])
def test_a_forged_open_is_ignored_and_the_catalog_stays(sent: object) -> None:
    at = start_app().run()
    open_lesson(at, sent)
    assert not at.exception
    assert catalog_component(at) is not None and "lesson" not in at.query_params
    assert "lesson_id" not in at.session_state


def test_a_lesson_a_class_is_using_says_so_on_its_card_and_does_not_open(library: Library,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from sourcecheck.sessions import solo

    monkeypatch.setattr(solo.LIVE_LESSONS, "in_class", lambda store, lesson_id: lesson_id == "raqqa-who-says")
    at = start_app().run()
    assert not at.exception
    [card] = [c for c in cards(at) if c["id"] == "raqqa-who-says"]
    assert card["paused"] and catalog_component(at) is not None
    assert "raqqa-who-says" not in openable(at) and len(openable(at)) == len(library.lessons) - 1
    assert f"{PAUSED}." in catalog_component(at).json  # the notice the card shows instead of the button
    open_lesson(at, "raqqa-who-says")  # a tab drawn before the class opened, or a forged message
    assert not at.exception and "lesson" not in at.query_params and catalog_component(at) is not None


@pytest.fixture
def bare_state() -> None:
    for key in list(st.session_state):
        del st.session_state[key]


def test_the_callback_takes_only_a_listed_lesson_that_is_not_paused(bare_state: None) -> None:
    """The component's state as the browser's trigger leaves it, read by the callback before the page reruns."""
    listed, shut = frozenset({"a-lesson", "paused-one"}), frozenset({"paused-one"})
    for sent, chosen in (("a-lesson", "a-lesson"), ("paused-one", None), ("other", None), (3, None)):
        st.session_state.pop(catalog_view.CHOSEN, None)
        st.session_state[catalog_view.KEY] = {"open": sent}
        catalog_view._on_open(listed, shut)
        assert st.session_state.get(catalog_view.CHOSEN) == chosen, sent


def test_yaml_text_reaches_the_component_only_as_data_put_in_as_text(lessons: Path, catalog: Catalog) -> None:
    """The html the component is registered with is static; every YAML string is in `data`, and the script puts
    strings into the page with textContent only."""
    text = RAQQA.read_text(encoding="utf-8").replace('title: "Who says so?', 'title: "<img src=x onerror=alert(1)>', 1)
    (lessons / "raqqa-who-says.yaml").write_text(text, encoding="utf-8")
    at = start_app().run()
    proto = catalog_component(at)
    assert proto is not None
    assert proto.html_content == (CARDS / "cards.html").read_text(encoding="utf-8")
    assert card_titles(at)[0].startswith("<img src=x onerror=alert(1)>")  # the characters, as data
    script = (CARDS / "cards.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser", "eval("):
        assert sink not in script, sink


def test_the_static_markup_is_a_labelled_list() -> None:
    page = parsed(CARDS / "cards.html")
    [(tag, attrs)] = [(t, a) for t, a in page.elements if t == "ul"]
    assert attrs["role"] == "list" and attrs["aria-label"] == "Lessons"  # list-style:none keeps list semantics
    script = (CARDS / "cards.js").read_text(encoding="utf-8")
    assert 'el("button", "cc-open")' in script and 'button.type = "button"' in script
    assert re.search(r'aria-labelledby", `cc-open-\$\{i\} cc-title-\$\{i\}`', script)  # "Open lesson" + title
    assert re.search(r'aria-describedby", `cc-summary-\$\{i\}`', script)  # then the summary

