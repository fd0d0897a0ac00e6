"""The two frames every statistic starts from: answers (one row per stored answer) and items (one per question)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

import numpy as np
import pandas as pd

from sourcecheck.analytics.options import choices
from sourcecheck.authoring.quality import question_sourcing
from sourcecheck.grading.written import rubric_max
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.lessons.skills import SKILLS
from sourcecheck.sessions.store import FIRST_ATTEMPT, ParticipantRow, SessionAnswerRow

__all__ = ["ANSWER_COLUMNS", "answers_frame", "first_attempts", "items_frame", "points", "students_frame",
           "teacher_scored"]

ANSWER_COLUMNS = ["session_id", "participant_id", "display_name", "lesson_id", "question_id", "attempt", "response",
                  "earned", "possible", "score", "correct", "verdict", "confidence", "time_taken_s", "submitted_at"]


def answers_frame(rows: Sequence[SessionAnswerRow]) -> pd.DataFrame:
    frame = pd.DataFrame({
        "session_id": [r.session_id for r in rows],
        "participant_id": [r.answer.participant_id for r in rows],
        "display_name": [r.display_name or "" for r in rows],
        "lesson_id": [r.answer.lesson_id for r in rows],
        "question_id": [r.answer.question_id for r in rows],
        "attempt": [r.answer.attempt for r in rows],
        "response": [r.answer.response for r in rows],
        "earned": pd.array([r.answer.earned for r in rows], dtype="float64"),
        "possible": pd.array([r.answer.possible for r in rows], dtype="int64"),
        "verdict": [r.answer.verdict for r in rows],
        "confidence": pd.array([r.answer.confidence for r in rows], dtype="Float64"),
        "time_taken_s": pd.array([None if r.answer.time_taken_ms is None else r.answer.time_taken_ms / 1000
                                  for r in rows], dtype="Float64"),
        "submitted_at": [r.answer.submitted_at for r in rows],
    })
    return with_scores(frame)


def with_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """score: share of the points earned (NaN for an unscored written answer: a reflection, or one a teacher has not
    scored yet); correct: fully right. A written answer the first scorer scored has its points on its row, so it
    counts here like any other."""
    possible = frame["possible"].astype("float64")
    frame["score"] = np.where(possible > 0, frame["earned"] / possible.where(possible > 0, 1.0), np.nan)
    frame["correct"] = (frame["verdict"] == "correct").astype("float64").where(possible > 0)
    return frame


def first_attempts(answers: pd.DataFrame) -> pd.DataFrame:
    """The answers every statistic counts (sessions.store.FIRST_ATTEMPT says why)."""
    return answers[answers["attempt"] == FIRST_ATTEMPT]


def items_frame(lesson: LoadedLesson) -> pd.DataFrame:
    """One row per question; `skill` is the skill's name as the library writes it (a teacher reads names, not
    ids), `skill_id` the id."""
    rows = []
    for position, q in enumerate(lesson.lesson.questions, start=1):
        picks = choices(q)
        rows.append({"question_id": q.id, "position": position, "type": q.type, "prompt": q.prompt,
                     "skill": SKILLS.get(q.skill, q.skill), "skill_id": q.skill,
                     "sourcing": question_sourcing(lesson, q), "options": [c.text for c in picks],
                     "correct_options": [i for i, c in enumerate(picks) if c.correct],
                     "option_feedback": [c.feedback for c in picks], "points": points(q)})
    return pd.DataFrame(rows)


def points(question: Question) -> int:
    """What a question is worth: a written answer with a rubric its rubric's most (a teacher scores it later; until
    then its answers are "unscored" and no figure counts them); without one, nothing: a reflection is never
    scored."""
    match question:
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | SpansQuestion() | MarkQuestion() \
                | MatchQuestion():
            return question.points
        case ShortQuestion():
            return rubric_max(question.rubric) if question.rubric else 0
        case _:
            assert_never(question)


def teacher_scored(question: Question) -> bool:
    """Whether a teacher scores the question's answers after the class (a written answer): until then they are
    stored "unscored", worth nothing yet, and a figure that counts the question's points waits for the score."""
    match question:
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | SpansQuestion() | MarkQuestion() \
                | MatchQuestion():
            return False
        case ShortQuestion():
            return True
        case _:
            assert_never(question)


def students_frame(participants: Sequence[ParticipantRow]) -> pd.DataFrame:
    return pd.DataFrame({"participant_id": [p.id for p in participants],
                         "display_name": [p.display_name or "" for p in participants],
                         "session_id": [p.session_id for p in participants]})
