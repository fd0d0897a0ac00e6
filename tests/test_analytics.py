"""Dashboard statistics against values worked out by hand on a small class (the arithmetic is in the comments).

Four students, four questions; a fifth student joined and answered nothing.
  q1 single, right option 1, strong sourcing, skill claim-and-source
  q2 true-false, answer True, weak, hedges
  q3 multi (right 0 and 1), 2 points, strong, hedges: (right picks - wrong picks) / 2
  q4 single, right option 0, weak, claim-and-source, asked "how sure are you?"
Points:  s1 = 1+1+2+1 = 5   s2 = 1+0+1+1 = 3   s3 = 0+1+0+0 = 1   s4 = 0+1+(no q3)+0 = 1
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcecheck.analytics.csv import raw_answers, to_csv_bytes
from sourcecheck.analytics.frames import answers_frame, items_frame
from sourcecheck.analytics.items import distractors, item_stats
from sourcecheck.analytics.students import (
    calibration,
    calibration_bins,
    discernment,
    per_student,
    score_distribution,
    skill_mastery,
)
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.store import AnswerRow, SessionAnswerRow

ITEMS = pd.DataFrame([
    {"question_id": "q1", "position": 1, "type": "single", "prompt": "Who?", "skill": "claim-and-source",
     "sourcing": "strong", "options": ["A", "B", "C"], "correct_options": [1],
     "option_feedback": ["A is the author", "Right", None], "points": 1},
    {"question_id": "q2", "position": 2, "type": "true-false", "prompt": "Hedged?", "skill": "hedges",
     "sourcing": "weak", "options": ["True", "False"], "correct_options": [0], "option_feedback": [None, None],
     "points": 1},
    {"question_id": "q3", "position": 3, "type": "multi", "prompt": "Which?", "skill": "hedges", "sourcing": "strong",
     "options": ["W", "X", "Y", "Z"], "correct_options": [0, 1], "option_feedback": [None] * 4, "points": 2},
    {"question_id": "q4", "position": 4, "type": "single", "prompt": "Cited?", "skill": "claim-and-source",
     "sourcing": "weak", "options": ["Yes", "No"], "correct_options": [0], "option_feedback": [None, None],
     "points": 1},
])

# (student, question, response, earned, possible, verdict, confidence)
GIVEN = [
    (1, "q1", 1, 1, 1, "correct", None), (2, "q1", 1, 1, 1, "correct", None),
    (3, "q1", 0, 0, 1, "incorrect", None), (4, "q1", 2, 0, 1, "incorrect", None),
    (1, "q2", True, 1, 1, "correct", None), (2, "q2", False, 0, 1, "incorrect", None),
    (3, "q2", True, 1, 1, "correct", None), (4, "q2", True, 1, 1, "correct", None),
    (1, "q3", [0, 1], 2, 2, "correct", None), (2, "q3", [0], 1, 2, "partial", None),
    (3, "q3", [0, 2], 0, 2, "incorrect", None),
    (1, "q4", 0, 1, 1, "correct", 90), (2, "q4", 0, 1, 1, "correct", 60),
    (3, "q4", 1, 0, 1, "incorrect", 80), (4, "q4", 1, 0, 1, "incorrect", 50),
]
NAMES = {1: "Ana", 2: "Ben", 3: "=cmd|' /C calc'!A0", 4: "Dee", 5: "Eli"}


def rows() -> list[SessionAnswerRow]:
    return [SessionAnswerRow(AnswerRow(participant_id=s, lesson_id="lesson", lesson_hash="h" * 64, attempt=1,
                                       question_id=q, response=r, earned=e, possible=p, verdict=v, confidence=c,
                                       time_taken_ms=10_000, submitted_at=datetime.now(UTC)),
                             NAMES[s], 7) for s, q, r, e, p, v, c in GIVEN]


@pytest.fixture
def answers() -> pd.DataFrame:
    retry = SessionAnswerRow(AnswerRow(participant_id=3, lesson_id="lesson", lesson_hash="h" * 64, attempt=2,
                                       question_id="q1", response=1, earned=1, possible=1, verdict="correct"),
                             NAMES[3], 7)
    return answers_frame([*rows(), retry])  # the retry must count nowhere


STUDENTS = pd.DataFrame({"participant_id": list(NAMES), "display_name": list(NAMES.values()), "session_id": 7})


def test_facility_is_the_mean_share_of_points(answers: pd.DataFrame) -> None:
    stats = item_stats(answers, ITEMS).set_index("question_id")
    # q1 (1+1+0+0)/4, q2 3/4, q3 (2/2 + 1/2 + 0/2)/3, q4 2/4
    assert stats["facility"].to_dict() == pytest.approx({"q1": 0.5, "q2": 0.75, "q3": 0.5, "q4": 0.5})
    assert stats["answered"].to_dict() == {"q1": 4, "q2": 4, "q3": 3, "q4": 4}
    assert stats["mean_time_s"].to_dict() == pytest.approx({q: 10.0 for q in ("q1", "q2", "q3", "q4")})


def test_discrimination_is_the_correlation_with_the_rest_of_the_test(answers: pd.DataFrame) -> None:
    d = item_stats(answers, ITEMS).set_index("question_id")["discrimination"]
    # q1: x = 1,1,0,0  rest = 5-1, 3-1, 1-0, 1-0 = 4,2,1,1: cov 2, Sxx 1, Srr 6 -> 2/sqrt(6)
    assert d["q1"] == pytest.approx(2 / math.sqrt(6))
    # q2: x = 1,0,1,1  rest = 4,3,0,0: cov -1.25, Sxx 0.75, Srr 12.75 -> -1.25/sqrt(9.5625)
    assert d["q2"] == pytest.approx(-1.25 / math.sqrt(0.75 * 12.75))
    # q3: x = 2,1,0  rest = 3,2,1 (s4 did not answer it): a straight line -> 1
    assert d["q3"] == pytest.approx(1.0)
    assert d["q4"] == pytest.approx(2 / math.sqrt(6))  # same pattern as q1


def test_discrimination_is_undefined_not_an_error_when_everyone_scores_the_same() -> None:
    same = answers_frame([SessionAnswerRow(AnswerRow(participant_id=s, lesson_id="l", lesson_hash="h", attempt=1,
                                                     question_id="q1", response=1, earned=1, possible=1,
                                                     verdict="correct"), "x", 1)
                          for s in (1, 2, 3)])
    assert math.isnan(item_stats(same, ITEMS).set_index("question_id").loc["q1", "discrimination"])
    empty = item_stats(answers_frame([]), ITEMS)
    assert empty["answered"].tolist() == [0, 0, 0, 0] and empty["facility"].isna().all()


def test_distractor_table_counts_each_option_with_its_feedback(answers: pd.DataFrame) -> None:
    table = distractors(answers, ITEMS)
    q1 = table[table["question_id"] == "q1"]
    assert q1[["text", "chosen", "right_option"]].values.tolist() == [["A", 1, False], ["B", 2, True], ["C", 1, False]]
    assert q1["share"].tolist() == pytest.approx([0.25, 0.5, 0.25])
    assert q1["feedback"].tolist() == ["A is the author", "Right", ""]
    q3 = table[table["question_id"] == "q3"]
    assert q3["chosen"].tolist() == [3, 1, 1, 0]  # W by s1 s2 s3, X by s1, Y by s3, Z by nobody
    q2 = table[table["question_id"] == "q2"]
    assert q2[["text", "chosen"]].values.tolist() == [["True", 3], ["False", 1]]


def test_calibration_and_brier(answers: pd.DataFrame) -> None:
    per, whole = calibration(answers)
    # q4 only: sure 90 60 80 50 (percent, as the student gave it), right 1 1 0 0
    assert whole.loc[0, "confidence"] == pytest.approx(70)
    assert whole.loc[0, "accuracy"] == pytest.approx(0.5)
    assert whole.loc[0, "overconfidence"] == pytest.approx(20)  # percentage points: 70 - 50
    # ((.9-1)^2 + (.6-1)^2 + (.8-0)^2 + (.5-0)^2) / 4 = (.01 + .16 + .64 + .25) / 4
    assert whole.loc[0, "brier"] == pytest.approx(1.06 / 4)
    third = per.set_index("participant_id").loc[3]
    assert (third["confidence"], third["accuracy"], third["brier"]) == pytest.approx((80, 0.0, 0.64))
    bins = calibration_bins(answers).set_index("sure")
    assert bins["answers"].tolist() == [1, 1, 0, 1, 1]  # 50-59, 60-69, 70-79, 80-89, 90-100
    assert bins.loc["90-100 %", "accuracy"] == 1.0 and bins.loc["80-89 %", "accuracy"] == 0.0


def test_discernment_separates_spotting_weak_sourcing_from_distrusting_everything(answers: pd.DataFrame) -> None:
    per, whole = discernment(answers, ITEMS)
    per = per.set_index("participant_id")
    # strong = q1, q3; weak = q2, q4; "right" = fully right
    assert per.loc[1, ["strong", "weak", "gap"]].tolist() == pytest.approx([1.0, 1.0, 0.0])
    assert per.loc[2, ["strong", "weak"]].tolist() == pytest.approx([0.5, 0.5])  # q3 only partly right
    assert per.loc[3, ["strong", "weak", "gap"]].tolist() == pytest.approx([0.0, 0.5, -0.5])
    whole = whole.set_index("sourcing")
    assert whole.loc["strong", "accuracy"] == pytest.approx(3 / 7)  # 3 fully right of 7 answers
    assert whole.loc["weak", "accuracy"] == pytest.approx(5 / 8)


def test_mastery_per_skill(answers: pd.DataFrame) -> None:
    per, whole = skill_mastery(answers, ITEMS)
    per = per.set_index(["participant_id", "skill"])["mastery"]
    assert per[(2, "hedges")] == pytest.approx(0.25)  # q2 0, q3 1/2
    assert per[(4, "hedges")] == pytest.approx(1.0)  # q2 only
    whole = whole.set_index("skill")["mastery"]
    assert whole["claim-and-source"] == pytest.approx(0.5)
    assert whole["hedges"] == pytest.approx(4.5 / 7)  # q2 1,0,1,1 and q3 1,.5,0


def test_every_student_who_joined_is_listed(answers: pd.DataFrame) -> None:
    table = per_student(answers, STUDENTS).set_index("participant_id")
    assert table.loc[1, ["answers", "earned", "possible"]].tolist() == [4, 5, 5]
    assert table.loc[4, "score"] == pytest.approx(1 / 3)
    assert table.loc[5, "answers"] == 0 and math.isnan(table.loc[5, "score"])  # joined, answered nothing
    bands = score_distribution(table["score"]).set_index("score")["students"]
    assert bands["90-100 %"] == 1 and bands["60-69 %"] == 1 and bands["30-39 %"] == 1 and bands["20-29 %"] == 1
    assert bands.sum() == 4


def test_csv_has_plain_column_names_and_no_formulas(answers: pd.DataFrame) -> None:
    text = to_csv_bytes(per_student(answers, STUDENTS)).decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header == "Student number,Student,Answers,Points,Points possible,Seconds in all,Share of marks"
    assert "'=cmd|' /C calc'!A0" in text and "\n3,=cmd" not in text
    raw = to_csv_bytes(raw_answers(answers)).decode("utf-8-sig")
    assert raw.splitlines()[0].startswith("Class,Student number,Student,Lesson,Question,Attempt,Answer given")
    assert '"[0, 1]"' in raw  # a multi answer as JSON


def test_items_of_a_bundled_lesson(library: Library) -> None:
    lesson = library.get("raqqa-who-says")
    assert lesson is not None
    items = items_frame(lesson)
    assert items["question_id"].tolist() == [q.id for q in lesson.lesson.questions]
    assert set(items["sourcing"]) <= {"strong", "weak", "mixed", "untagged"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.sampled_from(["q1", "q2", "q4"]), st.booleans(),
                          st.integers(50, 100)), max_size=40, unique_by=lambda t: (t[0], t[1])))
def test_facility_and_brier_stay_between_0_and_1(given_rows: list[tuple[int, str, bool, int]]) -> None:
    frame = answers_frame([SessionAnswerRow(AnswerRow(participant_id=s, lesson_id="l", lesson_hash="h", attempt=1,
                                                      question_id=q, response=0, earned=float(ok), possible=1,
                                                      verdict="correct" if ok else "incorrect", confidence=c), "x", 1)
                           for s, q, ok, c in given_rows])
    facility = item_stats(frame, ITEMS)["facility"].dropna()
    assert ((facility >= 0) & (facility <= 1)).all()
    brier = calibration(frame)[1]["brier"].dropna()
    assert ((brier >= 0) & (brier <= 1)).all()
    assert not discernment(frame, ITEMS)[1]["accuracy"].dropna().gt(1).any()
