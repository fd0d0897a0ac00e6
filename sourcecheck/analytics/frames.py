"""The two frames every statistic starts from: answers (one row per stored answer) and items (one per question)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sourcecheck.authoring.quality import question_sourcing
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import MultiQuestion, SingleQuestion, TrueFalseQuestion
from sourcecheck.sessions.store import ParticipantRow, SessionAnswerRow

__all__ = ["ANSWER_COLUMNS", "answers_frame", "first_attempts", "items_frame", "students_frame"]

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
    """score: share of the points earned (NaN for unscored short answers); correct: fully right."""
    possible = frame["possible"].astype("float64")
    frame["score"] = np.where(possible > 0, frame["earned"] / possible.where(possible > 0, 1.0), np.nan)
    frame["correct"] = (frame["verdict"] == "correct").astype("float64").where(possible > 0)
    return frame


def first_attempts(answers: pd.DataFrame) -> pd.DataFrame:
    return answers[answers["attempt"] == 1]


def items_frame(lesson: LoadedLesson) -> pd.DataFrame:
    rows = []
    for position, q in enumerate(lesson.lesson.questions, start=1):
        if isinstance(q, (SingleQuestion, MultiQuestion)):
            options = [o.text for o in q.options]
            correct = [i for i, o in enumerate(q.options) if o.correct]
            feedback = [o.feedback for o in q.options]
        elif isinstance(q, TrueFalseQuestion):
            options, correct = ["True", "False"], [0 if q.answer else 1]
            feedback = [q.feedback_true, q.feedback_false]
        else:
            options, correct, feedback = [], [], []
        rows.append({"question_id": q.id, "position": position, "type": q.type, "prompt": q.prompt,
                     "skill": q.skill, "sourcing": question_sourcing(lesson, q), "options": options,
                     "correct_options": correct, "option_feedback": feedback,
                     "points": 0 if q.type == "short" else getattr(q, "points", 1)})
    return pd.DataFrame(rows)


def students_frame(participants: Sequence[ParticipantRow]) -> pd.DataFrame:
    return pd.DataFrame({"participant_id": [p.id for p in participants],
                         "display_name": [p.display_name or "" for p in participants],
                         "session_id": [p.session_id for p in participants]})
