"""The scoring page in AppTest: signed out it is the passcode form; names hidden until asked for; "Scoring as"
required; a group scored at once and an answer adjusted; the later-save-wins notice; the blind second scorer;
a class whose lesson has no rubric question says so; Results links to the page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, alerts, page_text
from written_seed import LESSON, QUESTION, class_with_answers, lesson_of, plain_text

from sourcecheck.classroom.scoring import read_scoring, save_group, save_score
from sourcecheck.db import SqlStore, open_store
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.ui import teacher_nav


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture
def db() -> SqlStore:
    return open_store(os.environ["DATABASE_URL"])


def scoring(session_id: int, scorer: str = "", role: str = "first") -> AppTest:
    at = signed_in(teacher_nav.SCORING)
    at.query_params["session"] = str(session_id)
    at.query_params["question"] = QUESTION
    at.run()
    assert not at.exception, at.exception
    if scorer:
        at.text_input(key="sc-scorer").input(scorer).run()
    if role and any(r.key == "sc-role" for r in at.radio):  # no default role: the teacher picks one
        at.radio(key="sc-role").set_value(role).run()
    assert not at.exception, at.exception
    return at


def test_signed_out_the_scoring_url_shows_the_passcode_form() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(teacher_nav.SIGN_IN)  # what /scoring runs when signed out
    at.run()
    assert "scoring" in teacher_nav._TEACHER_PATHS
    assert [t.label for t in at.text_input] == ["Teacher passcode"]
    assert "Score written answers" not in page_text(at)


def test_names_are_hidden_until_the_teacher_shows_them(db: SqlStore) -> None:
    sid = class_with_answers(db, names="Pupil")
    at = scoring(sid, "A. B.")
    text = page_text(at)
    assert "Answer 1" in text and "Answer 30" in text
    assert "Pupil" not in text  # not on the page, nor in the keyboard desk's data
    at.toggle(key="sc-names").set_value(True).run()
    assert "Pupil 1" in page_text(at)


def test_scoring_needs_a_name_first(db: SqlStore) -> None:
    sid = class_with_answers(db)
    at = scoring(sid)
    assert "Type your initials or name" in alerts(at)
    assert all(b.disabled for b in at.button if b.key and b.key.startswith(("sc-group-save", "sc-a")))


def test_a_group_scored_at_once_then_one_answer_adjusted(db: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(db)
    at = scoring(sid, "A. B.")
    assert "0 of 30 scored" in page_text(at)
    read = read_scoring(db, sid, lesson_of(db, sid, catalog), QUESTION, "first")
    size = len(read.groups[0].answers)
    at.selectbox(key="sc-g1-c0").set_value(2)
    at.button(key="sc-group-save-1").click().run()
    assert not at.exception
    assert f"{size} of 30 scored" in page_text(at)
    one = read.groups[0].answers[0]
    at.radio(key=f"sc-a{one.answer_id}-c0").set_value(1)
    at.text_area(key=f"sc-a{one.answer_id}-comment").input("Names one thing; say how it would show it.")
    at.button(key=f"sc-a{one.answer_id}-save").click().run()
    assert not at.exception
    after = read_scoring(db, sid, lesson_of(db, sid, catalog), QUESTION, "first")
    mine = next(a for a in after.answers if a.answer_id == one.answer_id)
    assert mine.score is not None and mine.score.levels == (1,) and mine.score.scorer == "A. B."
    assert "Names one thing; say how it would show it." in page_text(at)
    assert not alerts(at).count("replaces")  # their own score: no notice


def test_the_later_save_wins_with_a_notice_naming_the_earlier_score(db: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(db)
    at = scoring(sid, "C. D.")
    read = read_scoring(db, sid, lesson_of(db, sid, catalog), QUESTION, "first")
    one = read.answers[0]
    save_score(db, read.rubric, one.answer_id, "first", "A. B.", [1], "", None, "other-teacher")  # meanwhile
    at.radio(key=f"sc-a{one.answer_id}-c0").set_value(2)
    at.button(key=f"sc-a{one.answer_id}-save").click().run()
    assert not at.exception
    said = alerts(at)
    assert f"A. B. had scored Answer {one.number} 1 at " in said
    assert "your 2 replaces it. Theirs is kept." in said


def test_the_second_scorer_is_blind_to_the_first_scores(db: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(db)
    lesson = lesson_of(db, sid, catalog)
    read = read_scoring(db, sid, lesson, QUESTION, "first")
    for group in read.groups:
        save_group(db, read.rubric, group, "first", "Zed Q.", [2], f"g-{group.answers[0].number}")
    at = scoring(sid, "C. D.", role="second")
    text = page_text(at)
    assert "0 of 5 scored" in text
    assert "Zed Q." not in text  # no first score, no first scorer
    blind = read_scoring(db, sid, lesson, QUESTION, "second")
    assert len(blind.answers) == 5
    assert "Agreement appears once you have scored the whole sample" in alerts(at)
    for answer in blind.answers:
        at.radio(key=f"sc-a{answer.answer_id}-c0").set_value(2 if answer.number != blind.answers[0].number else 0)
        at.button(key=f"sc-a{answer.answer_id}-save").click().run()
        assert not at.exception
    text = page_text(at)
    assert "5 of 5 scored" in text
    assert "5 answers scored by both." in text
    assert "Scored differently (1)" in text and "Zed Q." in text  # now, side by side


def test_a_class_without_rubric_questions_says_so_plainly(db: SqlStore) -> None:
    session = db.create_session(LESSON, db.save_lesson_version(LESSON, plain_text()), pacing="self")
    at = scoring(session.id)
    assert "has no written question with a rubric, so there is nothing to score here" in alerts(at)


def test_results_links_each_rubric_question_to_the_scoring_page(db: SqlStore) -> None:
    sid = class_with_answers(db, ["A named source."])
    at = signed_in(teacher_nav.DASHBOARD)
    at.query_params["session"] = str(sid)
    at.run()
    assert not at.exception
    links = [p for p in at.get("page_link") if "Score written answers" in p.proto.label]
    assert len(links) == 1
    assert links[0].proto.page.endswith("scoring") or "scoring" in links[0].proto.page


def test_a_two_criterion_group_needs_a_level_for_each(db: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(db, ["A source.", "A source.", "a source", "Proof."], two_criteria=True)
    at = scoring(sid, "A. B.")
    at.selectbox(key="sc-g1-c0").set_value(1)
    at.button(key="sc-group-save-1").click().run()
    assert "Pick a level for every criterion to score the group." in alerts(at)
    assert "0 of 4 scored" in page_text(at)
    at.selectbox(key="sc-g1-c0").set_value(1)
    at.selectbox(key="sc-g1-c1").set_value(0)
    at.button(key="sc-group-save-1").click().run()
    assert not at.exception
    read = read_scoring(db, sid, lesson_of(db, sid, catalog), QUESTION, "first")
    assert read.progress == "3 of 4 scored"
    assert {a.score.levels for a in read.groups[0].answers if a.score is not None} == {(1, 0)}
    assert "1 of 3" in page_text(at) and "(1 + 0)" in page_text(at)
