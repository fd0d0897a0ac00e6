"""Review 19's findings on the scoring page, each as a teacher would notice it (AppTest and the page's own
functions on SQLite and PostgreSQL):

- H3: the role has no default; nothing of the answers nor any first score is drawn until a role is picked; a
  first scorer about to replace another scorer's first scores is warned, by name, before saving, and told after.
- M1: a save the store cannot take (the database not answering, the answer deleted meanwhile) says "Not saved: …"
  instead of breaking the page, on the Adjust form, the group form and the keyboard desk (which always gets a reply).
- M2: the desk's request key fits the store's 64 characters whatever the question id and class.
- M4: a second scorer who finished the sample before the first scorer scored it is not told they agreed.
- L5: a re-score before the first is read back does not name the teacher's own save as replaced.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import alerts, page_text
from written_seed import QUESTION, class_with_answers, lesson_of

from sourcecheck.classroom.scoring import desk_request_key, read_scoring, replaced_notice, save_group, save_score
from sourcecheck.db import SqlStore, open_store
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.sessions.store import StoreUnavailable
from sourcecheck.ui import scoring_view, teacher_nav


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture
def db() -> SqlStore:
    return open_store(os.environ["DATABASE_URL"])


def opened(session_id: int, scorer: str = "") -> AppTest:
    at = signed_in(teacher_nav.SCORING)
    at.query_params["session"] = str(session_id)
    at.query_params["question"] = QUESTION
    at.run()
    assert not at.exception, at.exception
    if scorer:
        at.text_input(key="sc-scorer").input(scorer).run()
    return at


def first_scored_by_zed(db: SqlStore, sid: int, catalog: Catalog) -> None:
    read = read_scoring(db, sid, lesson_of(db, sid, catalog), QUESTION, "first")
    for answer in read.answers:
        save_score(db, read.rubric, answer.answer_id, "first", "Zed Q.", [2], "SECRET-FIRST", None,
                   f"zed-{answer.answer_id}")


# H3 ------------------------------------------------------------------------------------------------------------


def test_on_arrival_no_role_is_picked_and_nothing_of_the_answers_is_drawn(db: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(db)
    first_scored_by_zed(db, sid, catalog)
    at = opened(sid, "C. D.")
    assert at.radio(key="sc-role").value is None
    text = page_text(at)
    assert "Zed Q." not in text and "SECRET-FIRST" not in text  # no first score, nor its scorer, nor comment
    assert "Answer 1" not in text and "Score by keyboard" not in text  # no answer, no desk
    assert "Pick your role to see the answers." in alerts(at)
    at.radio(key="sc-role").set_value("second").run()
    assert "0 of 5 scored" in page_text(at) and "Zed Q." not in page_text(at)  # blind, as before


def test_the_role_picked_is_kept_for_the_session(db: SqlStore) -> None:
    sid = class_with_answers(db, ["A source.", "Proof."])
    at = opened(sid, "C. D.")
    at.radio(key="sc-role").set_value("second").run()
    at.switch_page(teacher_nav.DASHBOARD).run()
    at.switch_page(teacher_nav.SCORING).run()
    assert not at.exception
    assert at.radio(key="sc-role").value == "second"


def test_a_first_scorer_is_warned_by_name_before_replacing_anothers_scores_and_told_after(
        db: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(db, ["A source.", "Proof.", "Photos."])
    first_scored_by_zed(db, sid, catalog)
    at = opened(sid, "C. D.")
    at.radio(key="sc-role").set_value("first").run()
    warned = alerts(at)
    assert "First scores by Zed Q. (3 answers) are on these answers." in warned
    assert "pick **Second scorer** instead" in warned
    one = read_scoring(db, sid, lesson_of(db, sid, catalog), QUESTION, "first").answers[0]
    at.radio(key=f"sc-a{one.answer_id}-c0").set_value(1)
    at.button(key=f"sc-a{one.answer_id}-save").click().run()
    assert not at.exception
    assert f"You replaced Zed Q.'s score of Answer {one.number} (2) with your 1, as first scorer." in alerts(at)


def test_the_same_scorer_is_not_warned_about_their_own_scores(db: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(db, ["A source.", "Proof."])
    first_scored_by_zed(db, sid, catalog)
    at = opened(sid, "zed  q.")  # the same name, in other case and spacing
    at.radio(key="sc-role").set_value("first").run()
    assert "First scores by" not in alerts(at)


# M1 ------------------------------------------------------------------------------------------------------------


def test_an_adjust_save_to_a_deleted_answer_says_not_saved(db: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(db, ["A source.", "Proof."])
    at = opened(sid, "A. B.")
    at.radio(key="sc-role").set_value("first").run()
    one = read_scoring(db, sid, lesson_of(db, sid, catalog), QUESTION, "first").answers[0]
    rows = db.written_answers([sid], QUESTION)
    db.remove_participant(sid, next(r.participant_id for r in rows if r.answer_id == one.answer_id),
                          delete_answers=True)  # a co-teacher removes the student while the page is open
    at.radio(key=f"sc-a{one.answer_id}-c0").set_value(1)
    at.button(key=f"sc-a{one.answer_id}-save").click().run()
    assert not at.exception
    assert f"Not saved: Answer {one.number} is no longer stored (its student or class was deleted)." in alerts(at)


def test_an_adjust_save_when_the_database_is_down_says_not_saved(db: SqlStore, catalog: Catalog,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    sid = class_with_answers(db, ["A source.", "Proof."])
    at = opened(sid, "A. B.")
    at.radio(key="sc-role").set_value("first").run()
    one = read_scoring(db, sid, lesson_of(db, sid, catalog), QUESTION, "first").answers[0]

    def down(*_: object, **__: object) -> None:
        raise StoreUnavailable("the database is not answering")

    monkeypatch.setattr(scoring_view, "save_score", down)
    at.radio(key=f"sc-a{one.answer_id}-c0").set_value(1)
    at.button(key=f"sc-a{one.answer_id}-save").click().run()
    assert not at.exception
    assert "Not saved: the database is not answering." in alerts(at)


@pytest.mark.parametrize("failure", [StoreUnavailable("down"), LookupError("answer 1 is not stored")])
def test_a_group_save_that_fails_says_so(db: SqlStore, monkeypatch: pytest.MonkeyPatch,
                                         failure: Exception) -> None:
    sid = class_with_answers(db, ["A source.", "A source.", "a source", "Proof."])
    at = opened(sid, "A. B.")
    at.radio(key="sc-role").set_value("first").run()

    def fails(*_: object, **__: object) -> None:
        raise failure

    monkeypatch.setattr(scoring_view, "save_group", fails)
    at.selectbox(key="sc-g1-c0").set_value(2)
    at.button(key="sc-group-save-1").click().run()
    assert not at.exception
    assert "Group 1 not all saved:" in alerts(at)


@pytest.fixture
def bare_state() -> Iterator[None]:
    """st.session_state outside a script run (bare mode), emptied before and after."""
    for key in list(st.session_state):
        del st.session_state[key]
    yield
    for key in list(st.session_state):
        del st.session_state[key]


def _press(answer_id: int, levels: list[int], nonce: str = "1765000000000-1") -> None:
    st.session_state["sc-desk"] = {"save": {"answer_id": answer_id, "levels": levels, "comment": "",
                                            "seen_id": None, "nonce": nonce}}


@pytest.mark.parametrize("failure", [StoreUnavailable("down"), LookupError("answer 1 is not stored")])
def test_the_desk_always_gets_a_reply_when_a_save_fails(store: SqlStore, catalog: Catalog, bare_state: None,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        failure: Exception) -> None:
    sid = class_with_answers(store, ["A source."])
    read = read_scoring(store, sid, lesson_of(store, sid, catalog), QUESTION, "first")
    one = read.answers[0]

    def fails(*_: object, **__: object) -> None:
        raise failure

    monkeypatch.setattr(scoring_view, "save_score", fails)
    _press(one.answer_id, [1])
    scoring_view._on_desk_save(store, sid, read.rubric, "first", "A. B.", {one.answer_id: (one.number, None)})
    done = st.session_state["sc-done"]
    assert done["nonce"] == "1765000000000-1"  # the desk stops showing "saving…"
    assert done["message"].startswith("Not saved: ")


# M2 ------------------------------------------------------------------------------------------------------------


def test_a_desk_save_fits_the_request_key_with_a_64_character_question_id_and_a_large_class(
        store: SqlStore, catalog: Catalog, bare_state: None) -> None:
    sid = class_with_answers(store, ["A source."])
    read = read_scoring(store, sid, lesson_of(store, sid, catalog), QUESTION, "first")
    one = read.answers[0]
    question_id = "q" * 64  # SLUG_MAX: the old key, desk:{class}:{question}:{nonce}, was 90 characters
    key = desk_request_key(10**9, one.answer_id, "1765000000000-123456")
    assert len(key) <= 64 and len(f"desk:{10**9}:{question_id}:1765000000000-123456") > 64
    assert desk_request_key(10**9, one.answer_id + 1, "1765000000000-123456") != key  # another answer, another key
    _press(one.answer_id, [2], nonce="1765000000000-" + "9" * 26)  # the longest nonce the desk's reply keeps
    scoring_view._on_desk_save(store, sid, read.rubric, "first", "A. B.", {one.answer_id: (one.number, None)})
    assert st.session_state["sc-done"]["message"] == f"Answer {one.number} saved: 2."
    assert read_scoring(store, sid, lesson_of(store, sid, catalog), QUESTION, "first").scored == 1


# M4 ------------------------------------------------------------------------------------------------------------


def test_a_sample_scored_before_the_first_scorer_does_not_say_they_agreed(db: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(db)
    blind = read_scoring(db, sid, lesson_of(db, sid, catalog), QUESTION, "second")
    for group in blind.groups:
        save_group(db, blind.rubric, group, "second", "C. D.", [1], f"second-{group.answers[0].number}")
    at = opened(sid, "C. D.")
    at.radio(key="sc-role").set_value("second").run()
    said = alerts(at)
    assert "same levels" not in said and "scored by both" not in page_text(at)
    assert "Agreement appears once both of you have scored them." in said


# L5 ------------------------------------------------------------------------------------------------------------


def test_a_rescore_before_the_first_save_is_read_back_names_no_replacement(store: SqlStore,
                                                                          catalog: Catalog) -> None:
    sid = class_with_answers(store, ["A source."])
    read = read_scoring(store, sid, lesson_of(store, sid, catalog), QUESTION, "first")
    one = read.answers[0]
    mine = save_score(store, read.rubric, one.answer_id, "first", "A. B.", [1], "", None, "k-1")
    again = save_score(store, read.rubric, one.answer_id, "first", "A. B.", [2], "", None, "k-2")  # the stale id
    assert again.replaced is not None  # the store reports the row in between, as it should for another teacher
    assert replaced_notice(again, one.number, None, {mine.saved.id}) is None  # but it was this teacher's own
    other = save_score(store, read.rubric, one.answer_id, "first", "E. F.", [0], "", None, "k-3")
    assert replaced_notice(other, one.number, None, set()) is not None  # another teacher's is still named


# L9 ------------------------------------------------------------------------------------------------------------


def test_the_rubric_questions_counts_are_read_once_per_class_state(store: SqlStore, catalog: Catalog,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from sourcecheck.classroom.cache import clear_all
    from sourcecheck.classroom.class_list import class_list
    from sourcecheck.classroom.scoring import class_state_key, rubric_questions
    from sourcecheck.sessions.store import ClassSummaryRow

    clear_all()  # the memo is the process's: the other database's class 1 must not answer for this one
    sid = class_with_answers(store, ["A source.", "Proof."])
    lesson = lesson_of(store, sid, catalog)
    reads: list[int] = []
    real = store.written_answers

    def counted(session_ids: list[int], question_id: str) -> object:
        reads.append(1)
        return real(session_ids, question_id)

    monkeypatch.setattr(store, "written_answers", counted)

    def summary() -> ClassSummaryRow:
        return next(c for c in class_list(store) if c.session.id == sid)

    for _ in range(3):  # three reruns of Results with nothing changed: one read
        [q] = rubric_questions(store, sid, lesson, class_state_key(summary()))
    assert len(reads) == 1 and (q.answers, q.scored_first) == (2, 0)
    read = read_scoring(store, sid, lesson, QUESTION, "first")
    save_score(store, read.rubric, read.answers[0].answer_id, "first", "A. B.", [2], "", None, "l9")
    [q] = rubric_questions(store, sid, lesson, class_state_key(summary()))
    assert q.scored_first == 1  # a first score moves the class's state: read again
