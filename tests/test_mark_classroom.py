"""A mark question in a teacher-paced class, in AppTest: two students mark the passage, the projector's reveal
is a heat map per category (how many marked each word, the phrases to find outlined), and the dashboard shows
the same map with its numbers in a table."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mark_lessons import write_mark_library
from teacher_helpers import signed_in, use_passcode
from test_classroom_pages import projector
from ui_helpers import alerts, html_bodies, join_as, progress_of, submit

from sourcecheck.db import SqlStore, open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.ui import teacher_nav
from sourcecheck.ui.question_view import key

LESSON = "example-mark"
QUESTION = "mark-hedges-and-speakers"


@pytest.fixture(autouse=True)
def lesson(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> LoadedLesson:
    use_passcode(monkeypatch, tmp_path)
    seeds, lessons = write_mark_library(tmp_path / "library")
    monkeypatch.setenv("SOURCECHECK_SEEDS", str(seeds))
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(lessons))
    found = load_library([lessons], load_catalog(seeds)).get(LESSON)
    assert found is not None
    return found


@pytest.fixture
def db() -> SqlStore:
    return open_store(os.environ["DATABASE_URL"])


def test_the_reveal_and_the_dashboard_show_where_the_class_marked(db: SqlStore, lesson: LoadedLesson) -> None:
    teacher = signed_in(teacher_nav.CLASSES)
    teacher.selectbox(key="cls-lesson").set_value(LESSON)
    teacher.button(key="cls-start").click().run()
    code = next(m.value for m in teacher.markdown if m.value.startswith("### Join code")).split("`")[1]
    screen = projector(db, code)
    screen.button(key="pj-next").click().run()
    assert any("Mark in the passage: hedge, vague attribution" in body for body in html_bodies(screen))

    marks = {"Ana": [["hedge", 4, 5], ["vague-attribution", 0, 1]],  # "may improve", "Supporters say"
             "Ben": [["hedge", 4, 6], ["hedge", 11, 14]]}  # "may improve attendance", "too early to know"
    for n, (name, marked) in enumerate(marks.items()):
        at = join_as(code, name, f"mark-class-token-{n:06d}")
        progress = progress_of(at, LESSON)
        at.session_state[key(progress, QUESTION, "marks")] = {"marks": marked}
        submit(at, progress, lesson.question(QUESTION))
        assert not at.exception
        assert "Your answer is saved" in alerts(at)

    screen.button(key="pj-reveal").click().run()
    assert not screen.exception
    # one list beside the passage (issue 16, defect 8): the phrases to find, most found first, then the words
    # marked most that were not to be marked
    [found] = [b for b in html_bodies(screen) if "How many found all of each phrase to mark" in b]
    assert '<span class="pj-n">2</span><span><b>Hedge:</b> “may improve”</span>' in found
    assert '<span class="pj-n">1</span><span><b>Hedge:</b> “too early to know”</span>' in found
    assert '<span class="pj-n">0</span><span><b>Vague attribution:</b> “Critics say”</span>' in found
    assert found.index("“may improve”") < found.index("“too early to know”") < found.index("“Critics say”")
    also = found[found.index("Also marked, but not a phrase to mark"):]
    assert '<span class="pj-n">1</span><span><b>Hedge?</b> “attendance”</span>' in also  # Ben's mark ran on

    session = db.session_by_code(code)
    assert session is not None
    results = signed_in(teacher_nav.DASHBOARD)
    results.query_params["session"] = str(session.id)
    results.run()
    assert not results.exception
    assert any('class="sc-markheat"' in b and "2 of 2, target" in b for b in html_bodies(results))
    table = next(d.value for d in results.dataframe if "Word" in d.value.columns)
    may = table[(table["Word"] == "may") & (table["Category"] == "Hedge")].iloc[0]
    assert (may["Students who marked it"], bool(may["A word to find"]), may["Students who answered"]) == (2, True, 2)
    critics = table[(table["Word"] == "Critics")].iloc[0]
    assert (critics["Category"], critics["Students who marked it"]) == ("Vague attribution", 0)
