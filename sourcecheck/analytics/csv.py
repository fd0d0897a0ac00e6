"""CSV for a spreadsheet user: plain column names, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import json

import pandas as pd

__all__ = ["COLUMN_NAMES", "for_people", "raw_answers", "to_csv_bytes"]

COLUMN_NAMES = {
    "session_id": "Class", "participant_id": "Student number", "display_name": "Student", "lesson_id": "Lesson",
    "question_id": "Question", "position": "Question number", "attempt": "Attempt", "response": "Answer given",
    "earned": "Points", "possible": "Points possible", "score": "Share correct", "correct": "Fully right",
    "verdict": "Result", "confidence": "How sure (%)", "time_taken_s": "Seconds taken",
    "submitted_at": "Answered at (UTC)", "type": "Question type", "skill": "Skill", "prompt": "Question text",
    "answered": "Students who answered", "joined": "Students who joined", "facility": "Share correct",
    "discrimination": "Discrimination", "mean_time_s": "Mean seconds", "option": "Option number",
    "text": "Option", "chosen": "Students who chose it", "share": "Share who chose it",
    "feedback": "Feedback for this option", "answers": "Answers", "time_s": "Seconds in all",
    "mastery": "Mastery", "accuracy": "Share fully right", "brier": "Brier score",
    "overconfidence": "Confidence minus accuracy", "strong": "Right on strong sourcing",
    "weak": "Right on weak sourcing", "gap": "Strong minus weak", "sourcing": "Sourcing", "sure": "How sure",
    "students": "Students", "category": "Category", "word_number": "Word number", "word": "Word",
    "target": "A word to find", "marked": "Students who marked it",
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns=COLUMN_NAMES)


def raw_answers(answers: pd.DataFrame) -> pd.DataFrame:
    columns = ["session_id", "participant_id", "display_name", "lesson_id", "question_id", "attempt", "response",
               "earned", "possible", "verdict", "confidence", "time_taken_s", "submitted_at"]
    out = answers[columns].copy()
    out["response"] = [json.dumps(r, ensure_ascii=False) for r in out["response"]]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads accents right); a text cell that a spreadsheet would run
    as a formula (a display name like '=HYPERLINK(...)') gets a leading apostrophe."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):  # pandas 3: str dtype
            safe[column] = safe[column].map(_defuse)
    # CRLF rows (as Excel writes them): a stray carriage return inside a cell then cannot end its row
    return for_people(safe).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _defuse(value: object) -> object:
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value
