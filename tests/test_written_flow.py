"""A written answer the first scorer scored counts in every figure, and one not scored yet in none (issue 19).

A class of four is built through the real store and the real submit path (sessions/progress.py), on a lesson with
two machine-scored questions and one written question with a rubric (two criteria, 0-1 each, so 2 points):
            who (single)  tf (true-false)  why (written, scored by the teacher)
  Ana       1             1                [1, 1] = 2 of 2
  Ben       1             0                [1, 1] = 2 of 2
  Cy        0             1                [1, 0] = 1 of 2
  Dee       0             0                not scored yet
Each figure is checked before the teacher scores (the written answers count nowhere) and after, against the
arithmetic in its test.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from written_lesson import written_lesson

from sourcecheck.analytics.csv import raw_answers, to_csv_bytes, written_frame
from sourcecheck.analytics.frames import answers_frame, items_frame, students_frame
from sourcecheck.analytics.items import item_stats
from sourcecheck.analytics.students import per_student, skill_mastery
from sourcecheck.classroom.course_results import course_results
from sourcecheck.db import SqlStore
from sourcecheck.grading.results import summarise
from sourcecheck.grading.written import written_score
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.sessions import courses
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.progress import Progress

WHO = {"Ana": 0, "Ben": 0, "Cy": 1, "Dee": 1}  # option 0 is right
TF = {"Ana": False, "Ben": True, "Cy": False, "Dee": True}  # False is right
LEVELS = {"Ana": [1, 1], "Ben": [1, 1], "Cy": [1, 0]}  # Dee's answer is not scored
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def lesson(tmp_path: Path, catalog: Catalog) -> LoadedLesson:
    return written_lesson(tmp_path, catalog)


def take(store: SqlStore, lesson: LoadedLesson, participant_id: int, token: str, name: str) -> None:
    """The student's three answers, through the submit path the pages use."""
    progress = Progress.load(store, lesson, participant_id, token, retries=False)
    assert progress.submit("who", WHO[name]) and progress.move_on("who")
    assert progress.submit("tf", TF[name]) and progress.move_on("tf")
    assert progress.submit("why", f"{name} wrote: the officials are not named.") and progress.move_on("why")


def a_class(store: SqlStore, lesson: LoadedLesson) -> tuple[int, dict[str, int]]:
    session = start_class(store, lesson, pacing="self")
    pids = {}
    for name in WHO:
        token = f"token-{name}-000000000000"
        pids[name] = store.join(session.id, token, name).id
        take(store, lesson, pids[name], token, name)
    return session.id, pids


def score_all(store: SqlStore, lesson: LoadedLesson, session_id: int) -> None:
    question = lesson.question("why")
    assert isinstance(question, ShortQuestion) and question.rubric
    for row in store.written_answers([session_id], "why"):
        if row.display_name in LEVELS:
            levels = LEVELS[row.display_name]
            store.save_written_score(row.answer_id, "first", "MK", levels, f"Comment for {row.display_name}",
                                     written_score(question.rubric, levels), None, f"key-{row.answer_id}")


def frames(store: SqlStore, lesson: LoadedLesson, session_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    return answers_frame(store.session_answers(session_id)), items_frame(lesson)


def by_question(stats: pd.DataFrame, question: str) -> pd.Series:
    return stats.set_index("question_id").loc[question]


def test_facility_counts_a_scored_written_answer_and_not_an_unscored_one(store: SqlStore,
                                                                          lesson: LoadedLesson) -> None:
    sid, _ = a_class(store, lesson)
    before = by_question(item_stats(*frames(store, lesson, sid)), "why")
    # the four answers show as answered before any is scored (review 19 L8), and count in no figure yet
    assert before["answered"] == len(WHO) == 4 and before["scored"] == 0 and math.isnan(before["facility"])
    score_all(store, lesson, sid)
    after = by_question(item_stats(*frames(store, lesson, sid)), "why")
    # three scored (Dee's waits): shares 1, 1, 0.5 -> mean 5/6; fully right 2 of 3
    assert after["scored"] == 3 and after["answered"] == 4
    assert after["facility"] == pytest.approx(5 / 6)
    assert after["fully_right"] == pytest.approx(2 / 3)


def test_discrimination_counts_a_scored_written_answer(store: SqlStore, lesson: LoadedLesson) -> None:
    sid, _ = a_class(store, lesson)
    before = item_stats(*frames(store, lesson, sid))
    # who: x = 1,1,0,0 against the rest (tf only) 1,0,1,0: uncorrelated
    assert by_question(before, "who")["discrimination"] == pytest.approx(0.0)
    assert math.isnan(by_question(before, "why")["discrimination"])
    score_all(store, lesson, sid)
    after = item_stats(*frames(store, lesson, sid))
    # why: x = 2,2,1 (Ana, Ben, Cy) against the rest 2,1,1: deviations (1/3,1/3,-2/3) and (2/3,-1/3,-1/3),
    # covariance sum 1/3, each variance sum 2/3 -> r = 0.5
    assert by_question(after, "why")["discrimination"] == pytest.approx(0.5)
    # who: the rest is now tf + why = 3, 2, 2, 0 -> r = 1.5 / sqrt(1 x 4.75)
    assert by_question(after, "who")["discrimination"] == pytest.approx(1.5 / math.sqrt(4.75))


def test_mastery_per_skill_counts_a_scored_written_answer(store: SqlStore, lesson: LoadedLesson) -> None:
    sid, _ = a_class(store, lesson)
    answers, items = frames(store, lesson, sid)
    per, whole = skill_mastery(answers, items)
    assert whole["mastery"].iloc[0] == pytest.approx(4 / 8) and whole["answers"].iloc[0] == 8
    score_all(store, lesson, sid)
    answers, items = frames(store, lesson, sid)
    per, whole = skill_mastery(answers, items)
    # eight machine-scored shares summing to 4, plus 1 + 1 + 0.5: 6.5 over 11 answers
    assert whole["mastery"].iloc[0] == pytest.approx(6.5 / 11) and whole["answers"].iloc[0] == 11
    ben = per.set_index("display_name").loc["Ben", "mastery"]
    assert ben == pytest.approx(2 / 3)  # 1 + 0 + 1 over three answers
    dee = per.set_index("display_name").loc["Dee", "mastery"]
    assert dee == pytest.approx(0.0)  # two answers wrong; the written one waits and counts nowhere


def test_the_per_student_table_counts_a_scored_written_answer(store: SqlStore, lesson: LoadedLesson) -> None:
    sid, _ = a_class(store, lesson)
    score_all(store, lesson, sid)
    answers, _ = frames(store, lesson, sid)
    table = per_student(answers, students_frame(store.participants(sid))).set_index("display_name")
    assert (table.loc["Ben", "earned"], table.loc["Ben", "possible"]) == (3.0, 4)  # 1 + 0 + 2 of 1 + 1 + 2
    assert (table.loc["Dee", "earned"], table.loc["Dee", "possible"]) == (0.0, 2)  # the unscored answer: 0 of 0


def test_the_students_summary_counts_the_score_with_its_levels_and_comment(store: SqlStore,
                                                                           lesson: LoadedLesson) -> None:
    sid, pids = a_class(store, lesson)
    progress = Progress.load(store, lesson, pids["Cy"], "token-Cy-000000000000", retries=False)
    before = summarise(lesson, progress.attempt.answers.values(), progress.teacher_scores())
    assert (before.earned, before.possible) == (1.0, 2)  # tf right; the written answer waits
    why = next(r for r in before.results if r.question_id == "why")
    assert why.written is not None and why.written.waiting
    score_all(store, lesson, sid)
    progress = Progress.load(store, lesson, pids["Cy"], "token-Cy-000000000000", retries=False)
    after = summarise(lesson, progress.attempt.answers.values(), progress.teacher_scores())
    assert (after.earned, after.possible) == (2.0, 4)  # 0 + 1 + 1 of 1 + 1 + 2
    assert [(s.earned, s.possible) for s in after.skills] == [(2.0, 4)]
    why = next(r for r in after.results if r.question_id == "why")
    assert why.written is not None and not why.written.waiting
    assert [(lv.criterion, lv.points, lv.most, lv.descriptor) for lv in why.written.levels] == [
        ("Says who is behind the claim", 1, 1, "Says the officials are unnamed"),
        ("Says what that means for trust", 0, 1, "Draws no conclusion")]
    assert why.written.comment == "Comment for Cy"
    assert "why" not in after.missed  # a retry of a written answer would be scored by nobody


def test_the_results_csv_has_the_written_score_the_scorer_and_a_neutralised_comment(store: SqlStore,
                                                                                    lesson: LoadedLesson) -> None:
    sid, _ = a_class(store, lesson)
    score_all(store, lesson, sid)
    ana = next(r for r in store.written_answers([sid], "why") if r.display_name == "Ana")
    question = lesson.question("why")
    assert isinstance(question, ShortQuestion) and question.rubric
    store.save_written_score(ana.answer_id, "first", "-JL", [1, 1], '=HYPERLINK("http://x","y")',
                             written_score(question.rubric, [1, 1]), ana.first.id if ana.first else None, "again")
    answers, _ = frames(store, lesson, sid)
    written = written_frame({"why": store.written_answers([sid], "why")})
    text = to_csv_bytes(raw_answers(answers, written)).decode("utf-8-sig")
    rows = {(r["Student"], r["Question"]): r for r in csv.DictReader(io.StringIO(text))}
    assert (rows["Ana", "why"]["Points"], rows["Ana", "why"]["Points possible"], rows["Ana", "why"]["Result"]) == (
        "2.0", "2", "correct")
    assert rows["Ana", "why"]["Teacher's comment"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert rows["Ana", "why"]["Scored by"] == "'-JL"
    assert rows["Ana", "why"]["Levels per criterion"] == "1 + 1"
    assert (rows["Cy", "why"]["Points"], rows["Cy", "why"]["Levels per criterion"]) == ("1.0", "1 + 0")
    assert (rows["Dee", "why"]["Points"], rows["Dee", "why"]["Points possible"], rows["Dee", "why"]["Result"],
            rows["Dee", "why"]["Teacher's comment"]) == ("0.0", "0", "unscored", "")
    assert rows["Ana", "who"]["Teacher's comment"] == ""
    for row in rows.values():
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())


def test_the_course_report_counts_a_scored_written_answer(store: SqlStore, lesson: LoadedLesson) -> None:
    course = courses.create_course(store, "Year 9", T0, "written-flow")
    (ana, _), = courses.add_students(store, course, ["Ana"], T0)
    session, seat = courses.start_booster(store, ana, lesson, T0)
    take(store, lesson, seat.id, seat.token, "Cy")  # Cy's answers: who wrong, tf right, why scored 1 of 2
    before = course_results(store, course, {}, {lesson.id: lesson}).report
    booster = before.students[0].phases["booster"]
    assert (booster.earned, booster.possible) == (1.0, 2)
    [row] = store.written_answers([session.id], "why")
    question = lesson.question("why")
    assert isinstance(question, ShortQuestion) and question.rubric
    store.save_written_score(row.answer_id, "first", "MK", [1, 0], "", written_score(question.rubric, [1, 0]),
                             None, "course-key")
    after = course_results(store, course, {}, {lesson.id: lesson}).report
    booster = after.students[0].phases["booster"]
    assert (booster.earned, booster.possible, booster.score) == (2.0, 4, 0.5)


def test_a_first_score_moves_the_class_version_that_keys_the_teachers_caches(store: SqlStore,
                                                                             lesson: LoadedLesson) -> None:
    sid, _ = a_class(store, lesson)
    live = store.live_state(sid)
    assert live is not None
    score_all(store, lesson, sid)  # three first scores
    after = store.live_state(sid)
    assert after is not None and after.version == live.version + 3
    row = store.written_answers([sid], "why")[0]
    question = lesson.question("why")
    assert isinstance(question, ShortQuestion) and question.rubric
    store.save_written_score(row.answer_id, "second", "JL", [0, 0], "", written_score(question.rubric, [0, 0]),
                             None, "second-key")
    still = store.live_state(sid)
    assert still is not None and still.version == after.version  # a second score changes no figure


def test_the_results_page_refreshes_after_a_score_and_its_csv_carries_it(store: SqlStore,
                                                                         lesson: LoadedLesson) -> None:
    """The Results page's figures are cached per class state: a first score moves the state, so the page counts it
    (without that, the cached figures would show the written answers unscored until another answer came)."""
    from sourcecheck.classroom.class_list import class_list
    from sourcecheck.classroom.results import results, scope

    sid, _ = a_class(store, lesson)

    def page():  # type: ignore[no-untyped-def]
        chosen = next(c for c in class_list(store) if c.session.id == sid)
        return results(store, scope(class_list(store), chosen, lesson, whole=False), lesson)

    before = page().per_question.shown.set_index("Question number")
    assert (before.loc[3, "Students who answered"], before.loc[3, "Scored"]) == (4, 0)  # review 19 L8
    waiting = next(r for r in page().reteach_rows if r.question_id == "why")
    assert (waiting.answered, waiting.waiting, waiting.fully_right) == (0, 4, None)
    score_all(store, lesson, sid)
    after = page()
    shown = after.per_question.shown.set_index("Question number")
    assert (shown.loc[3, "Students who answered"], shown.loc[3, "Scored"]) == (4, 3)
    why = next(r for r in after.reteach_rows if r.question_id == "why")
    assert (why.answered, why.waiting) == (3, 1)  # Dee's waits
    assert (why.wrong_answer, why.wrong_students) == ("Below full marks on the rubric", 1)  # Cy's 1 of 2
    text = after.raw_csv.decode("utf-8-sig")
    rows = {(r["Student"], r["Question"]): r for r in csv.DictReader(io.StringIO(text))}
    assert (rows["Cy", "why"]["Points"], rows["Cy", "why"]["Teacher's comment"]) == ("1.0", "Comment for Cy")


def test_a_class_with_no_answers_yet_gets_the_written_columns_empty() -> None:
    """A new class (no answers) on a lesson with a rubric question: the Results page's CSV must still build
    (pandas refuses to join an empty frame's object keys to integer ones; the page showed an error)."""
    empty = answers_frame([])
    out = raw_answers(empty, written_frame({"q": []}))
    assert out.empty
    assert list(out.columns[-3:]) == ["scored_by", "levels", "teacher_comment"]
