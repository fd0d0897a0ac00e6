"""The Reteach list (issue 16) against figures worked out by hand on a small fixed class, on SQLite and PostgreSQL;
the labels every CSV uses; and the reteach page in AppTest.

The class: four students (Ana, Ben, Cai, Dee) on "fighters-what-can-be-checked", each answering four questions
(first attempts, scored as the app scores them; Ben also retries the single question, which must not count):
  Q2 spans  "outside-the-quotes"  right phrases 2, 5, 8 ("fanatical terrorist groups", "Takfiri fundamentalist",
            "these fanatics"). Ana [2,5,8], Ben [2,5,8], Cai [2,3], Dee [3,7]; phrase 3 is "evidence to suggest".
            Fully right 2 of 4 = 50 %. Wrong: "evidence to suggest" selected by Cai and Dee (2); phrase 7 by Dee (1).
  Q5 single "kerry-or-author"     right option 0. Ana 0, Ben 1, Cai 1, Dee 2.
            Fully right 1 of 4 = 25 %. Wrong: option 1 ("the US had allowed Daesh to grow...") by Ben and Cai (2).
  Q8 match  "sort-the-chains"     Ana, Ben, Cai sort every row right; Dee puts row 0 ("it was reported that") under
            "people the text does not name" (right: "credited to no one"). Fully right 3 of 4 = 75 %.
  Q10 mark  "mark-distance-from-the-video"  Ana marks every target exactly (full marks). Ben marks words 22-23
            ("Ukrainian President") as a hedge; Cai marks the vague attribution (words 0-7) and words 22-23 as a
            hedge; Dee marks word 16 ("supposedly") as a vague attribution. Fully right 1 of 4 = 25 %.
            Wrong: "Ukrainian President" marked as a hedge by Ben and Cai (2); "supposedly" as vague attribution (1).
Order, fewest fully right first, ties in lesson order: Q5 (25 %), Q10 (25 %), Q2 (50 %), Q8 (75 %), then the
scored questions nobody answered, in lesson order.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import assert_no_leak, html_bodies, page_text

from sourcecheck.analytics.reteach import NOT_ANSWERED
from sourcecheck.classroom.cache import clear_all
from sourcecheck.classroom.class_list import class_list
from sourcecheck.classroom.results import Results, results, reteach_question, scope
from sourcecheck.db import SqlStore, open_store
from sourcecheck.grading.marking import mark_key
from sourcecheck.grading.responses import Response
from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import MatchQuestion
from sourcecheck.lessons.skills import SKILLS
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.store import AnswerRow, ClassSessionRow
from sourcecheck.ui import teacher_nav

LESSON = "fighters-what-can-be-checked"
SPANS, SINGLE, MATCH, MARK = "outside-the-quotes", "kerry-or-author", "sort-the-chains", "mark-distance-from-the-video"
US_ALLOWED = "the US had allowed Daesh to grow"  # the start of option 1 of Q5


@pytest.fixture(autouse=True)
def cold() -> None:
    clear_all()


@pytest.fixture
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def every_target(lesson: LoadedLesson) -> list[list[str | int]]:
    return [[t.label, t.first, t.last] for t in mark_key(lesson.bound(MARK)).targets]


def sorted_rows(lesson: LoadedLesson, *, wrong_first: str | None = None) -> list[str]:
    question = lesson.question(MATCH)
    assert isinstance(question, MatchQuestion)
    rows = [item.category for item in question.items]
    if wrong_first is not None:
        rows[0] = wrong_first
    return rows


def answers_of(lesson: LoadedLesson) -> dict[str, dict[str, Response]]:
    return {
        "Ana": {SPANS: [2, 5, 8], SINGLE: 0, MATCH: sorted_rows(lesson), MARK: every_target(lesson)},
        "Ben": {SPANS: [2, 5, 8], SINGLE: 1, MATCH: sorted_rows(lesson), MARK: [["hedge", 22, 23]]},
        "Cai": {SPANS: [2, 3], SINGLE: 1, MATCH: sorted_rows(lesson),
                MARK: [["vague-attribution", 0, 7], ["hedge", 22, 23]]},
        "Dee": {SPANS: [3, 7], SINGLE: 2, MATCH: sorted_rows(lesson, wrong_first="people the text does not name"),
                MARK: [["vague-attribution", 16, 16]]},
    }


def record(db: SqlStore, session: ClassSessionRow, lesson: LoadedLesson) -> None:
    for name, given in answers_of(lesson).items():
        who = db.join(session.id, f"reteach-token-{session.id}-{name}".ljust(24, "x"), name)
        for question_id, response in given.items():
            score = score_question(lesson.bound(question_id), response)
            db.record_answer(AnswerRow(participant_id=who.id, lesson_id=LESSON, lesson_hash=session.lesson_hash,
                                       attempt=1, question_id=question_id, response=response, earned=score.earned,
                                       possible=score.possible, verdict=score.verdict, time_taken_ms=4000))
        if name == "Ben":  # a retry, right this time: practice, not counted
            db.record_answer(AnswerRow(participant_id=who.id, lesson_id=LESSON, lesson_hash=session.lesson_hash,
                                       attempt=2, question_id=SINGLE, response=0, earned=1.0, possible=1,
                                       verdict="correct"))


def class_results(db: SqlStore, lesson: LoadedLesson) -> tuple[ClassSessionRow, Results]:
    session = start_class(db, lesson, pacing="self")
    record(db, session, lesson)
    chosen = next(c for c in class_list(db) if c.session.id == session.id)
    return session, results(db, scope(class_list(db), chosen, lesson, whole=False), lesson)


def test_the_scores_are_as_worked_out_by_hand(lesson: LoadedLesson) -> None:
    verdicts = {name: {q: score_question(lesson.bound(q), r).verdict for q, r in given.items()}
                for name, given in answers_of(lesson).items()}
    assert [verdicts[n][SPANS] == "correct" for n in verdicts] == [True, True, False, False]
    assert [verdicts[n][SINGLE] == "correct" for n in verdicts] == [True, False, False, False]
    assert [verdicts[n][MATCH] == "correct" for n in verdicts] == [True, True, True, False]
    assert [verdicts[n][MARK] == "correct" for n in verdicts] == [True, False, False, False]


def test_reteach_orders_by_fully_right_and_names_the_common_wrong_answer(store: SqlStore,
                                                                          lesson: LoadedLesson) -> None:
    _, found = class_results(store, lesson)
    rows = found.reteach_rows
    position = {q.id: n for n, q in enumerate(lesson.lesson.questions, start=1)}
    assert [r.question_id for r in rows[:4]] == [SINGLE, MARK, SPANS, MATCH]
    assert [r.fully_right for r in rows[:4]] == [0.25, 0.25, 0.5, 0.75]
    assert [r.answered for r in rows[:4]] == [4, 4, 4, 4]
    single, mark, spans, match = rows[:4]
    assert single.wrong_answer.startswith(f"Chose “{US_ALLOWED}") and single.wrong_students == 2
    assert spans.wrong_answer == "Selected “evidence to suggest”" and spans.wrong_students == 2
    assert mark.wrong_answer == "Marked “Ukrainian President” as hedge" and mark.wrong_students == 2
    assert match.wrong_answer == ("Put “it was reported that” under people the text does not name "
                                  "(right: credited to no one)") and match.wrong_students == 1
    assert single.skill == SKILLS["claim-and-source"] and mark.skill == SKILLS["hedges"]  # names, not ids
    assert single.position == position[SINGLE] == 5

    rest = rows[4:]  # nobody answered them: last, in lesson order, said in words
    scored = [q.id for q in lesson.lesson.questions if q.type != "short" and q.id not in {SINGLE, MARK, SPANS, MATCH}]
    assert [r.question_id for r in rest] == scored
    assert all(r.fully_right is None and r.wrong_answer == NOT_ANSWERED and r.wrong_students == 0 for r in rest)


def test_the_reteach_csv_and_the_relabelled_tables(store: SqlStore, lesson: LoadedLesson) -> None:
    _, found = class_results(store, lesson)
    table = list(csv.DictReader(io.StringIO(found.reteach.csv.decode("utf-8-sig"))))
    assert list(table[0]) == ["Question number", "Question", "Question text", "Skill", "Students who answered",
                              "Fully right", "Mean score", "Most common wrong answer", "Students who gave it"]
    assert [(row["Question number"], float(row["Fully right"])) for row in table[:4]] == [
        ("5", 0.25), ("10", 0.25), ("2", 0.5), ("8", 0.75)]
    assert table[-1]["Fully right"] == "" and table[-1]["Most common wrong answer"] == NOT_ANSWERED

    per_question = found.per_question.shown.set_index("Question number")
    assert per_question.loc[5, "Fully right"] == 0.25 and per_question.loc[5, "Skill"] == SKILLS["claim-and-source"]
    assert "Share correct" not in found.per_question.shown.columns  # it meant two things; now two names
    options = found.options.shown
    assert "Is a right option" in options.columns and "Fully right" not in options.columns
    skills = found.skills_by_student
    assert list(skills.shown.columns) == ["Student", "Skill", "Mastery (mean score)"]
    ana = skills.shown[skills.shown["Student"] == "Ana"]
    assert list(ana["Skill"]) == [SKILLS[s] for s in (  # every skill of the lesson, in the progression's order
        "claim-and-source", "named-unnamed", "what-is-cited", "hedges", "vague-attribution", "loaded-language",
        "tracing")]
    cited = ana.set_index("Skill")["Mastery (mean score)"]
    assert pd.isna(cited[SKILLS["what-is-cited"]]) and cited[SKILLS["claim-and-source"]] == 1.0  # not answered: empty
    assert skills.missing == "not answered" and found.per_question.missing == "—"
    assert list(found.skills.shown["Skill"]) == [SKILLS[s] for s in ("claim-and-source", "named-unnamed", "hedges",
                                                                      "loaded-language")]  # the progression's order


def test_the_reteach_question_counts_the_class(store: SqlStore, lesson: LoadedLesson) -> None:
    _, found = class_results(store, lesson)
    shown = reteach_question(found, lesson, SINGLE)
    assert shown is not None
    assert [bar.count for bar in shown.counts.bars] == [1, 2, 1, 0] and shown.chart is not None
    assert shown.total == len(lesson.lesson.questions) and shown.row.fully_right == 0.25
    spans = reteach_question(found, lesson, SPANS)
    assert spans is not None and spans.chart is None and spans.counts.bars[3].count == 2
    assert reteach_question(found, lesson, "no-such-question") is None


def test_confidence_is_percent_in_every_csv(store: SqlStore, lesson: LoadedLesson) -> None:
    session = start_class(store, lesson, pacing="self")
    for n, (sure, right) in enumerate([(90, True), (60, False)]):
        who = store.join(session.id, f"sure-token-{n}".ljust(24, "x"), f"S{n}")
        store.record_answer(AnswerRow(participant_id=who.id, lesson_id=LESSON, lesson_hash=session.lesson_hash,
                                      attempt=1, question_id=SINGLE, response=0 if right else 1,
                                      earned=float(right), possible=1, verdict="correct" if right else "incorrect",
                                      confidence=sure))
    chosen = next(c for c in class_list(store) if c.session.id == session.id)
    found = results(store, scope(class_list(store), chosen, lesson, whole=False), lesson)
    assert found.calibration is not None
    whole = next(csv.DictReader(io.StringIO(found.calibration.whole.csv.decode("utf-8-sig"))))
    assert float(whole["How sure (%, 50-100)"]) == 75.0 and float(whole["Fully right"]) == 0.5
    assert float(whole["How sure minus fully right (% points)"]) == 25.0
    raw = list(csv.DictReader(io.StringIO(found.raw_csv.decode("utf-8-sig"))))
    assert sorted(float(r["How sure (%, 50-100)"]) for r in raw) == [60.0, 90.0]


# The page, in AppTest, against the app's own test database


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> SqlStore:
    use_passcode(monkeypatch, tmp_path)
    return open_store(os.environ["DATABASE_URL"])


def reteach_page(session: ClassSessionRow, question: str) -> AppTest:
    at = signed_in(teacher_nav.RETEACH)
    at.query_params.update({"session": str(session.id), "question": question, "whole": "0"})
    return at.run()


def test_the_reteach_page_shows_one_question_without_names(app_db: SqlStore, lesson: LoadedLesson) -> None:
    session, _ = class_results(app_db, lesson)
    at = reteach_page(session, SINGLE)
    assert not at.exception
    bodies = "\n".join(html_bodies(at))
    text = page_text(at) + bodies
    assert "Question 5 of 12" in bodies and "25% fully right" in bodies and "4 answered" in bodies
    assert lesson.question(SINGLE).prompt.split('"')[0] in bodies
    assert "Most common wrong answer" in bodies and US_ALLOWED in bodies and "(2 of 4)" in bodies
    assert any(a.value.startswith("**Why:**") for a in at.info)  # the explanation
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    for name in ("Ana", "Ben", "Cai", "Dee"):
        assert name not in text
    assert_no_leak(text)

    mark = reteach_page(session, MARK)
    assert not mark.exception and "marked all of it" in "\n".join(html_bodies(mark))

    lost = reteach_page(session, "no-such-question")
    assert not lost.exception and "not in this lesson" in lost.warning[0].value


def test_the_dashboard_lists_reteach_first_and_links_each_question(app_db: SqlStore, lesson: LoadedLesson) -> None:
    session, _ = class_results(app_db, lesson)
    at = signed_in(teacher_nav.DASHBOARD)
    at.query_params["session"] = str(session.id)
    at.run()
    assert not at.exception
    assert [t.label for t in at.tabs][0] == "Reteach"
    cards = [m.value for m in at.markdown if m.value.startswith("**Question ")]
    assert [c.split("**")[1] for c in cards[:4]] == ["Question 5", "Question 10", "Question 2", "Question 8"]
    assert "25% fully right" in cards[0] and "Most common wrong answer: Chose “" in cards[0]
    assert "(2 students)" in cards[0] and "Find the claim and who makes it" in cards[0]
    links = [link for link in at.get("page_link") if "on the projector" in link.proto.label]
    assert len(links) == len(cards)
    first = links[0].proto
    assert first.page.endswith("reteach") or first.page_script_hash
    assert dict(pair.split("=") for pair in first.query_string.split("&")) == {
        "session": str(session.id), "question": SINGLE, "whole": "0"}
