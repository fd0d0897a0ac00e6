"""The lesson catalog: cards in curriculum order, broken files named with FILE:LINE:COL, lessons read once
per file change, and `preview FILE` opening its lesson directly."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import pytest
from ui_helpers import alerts, page_text, squash, start_app

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.curriculum import curriculum_order
from sourcecheck.lessons.loader import Library, load_library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.skills import SKILLS, skill_rank
from sourcecheck.ui import state

RAQQA = PROJECT_ROOT / "lessons" / "raqqa-who-says.yaml"
BROKEN = Path(__file__).parent / "fixtures" / "bad" / "unknown-key.yaml"


@pytest.fixture
def lessons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(folder))
    return folder


def card_titles(at) -> list[str]:  # type: ignore[no-untyped-def]
    """Each card's heading, read from the card markup the way a browser shows it."""
    cards = [e.proto.body for e in at.main if type(e).__name__ == "Html" and 'class="sc-card"' in e.proto.body]
    return [html.unescape(re.search(r"<h2>(.*?)</h2>", body).group(1)) for body in cards]


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
    shown = page_text(at)
    for lesson in library.lessons:
        info = catalog.entries[lesson.lesson.document]
        assert f"{lesson.lesson.minutes} min" in shown
        assert squash(lesson.lesson.summary) in shown
        assert info.display_title in shown
        if info.outlet:
            assert info.outlet in shown
        for skill in lesson.lesson.skills:
            assert SKILLS[skill] in shown
    assert "Intro" in shown
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
    at.button(key="open-raqqa-who-says").click().run()
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
