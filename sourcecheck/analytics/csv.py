"""CSV for a spreadsheet user: plain column names, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import json

import pandas as pd

__all__ = ["COLUMN_NAMES", "for_people", "raw_answers", "to_csv_bytes"]

# One meaning per name, on every screen and in every CSV (the README's "What the results' columns mean" lists
# them for teachers). Shares are 0-1 in a CSV and percentages on screen; confidence is always percent, 50-100.
COLUMN_NAMES = {
    "session_id": "Class", "participant_id": "Student number", "display_name": "Student", "lesson_id": "Lesson",
    "question_id": "Question", "position": "Question number", "attempt": "Attempt", "response": "Answer given",
    "earned": "Points", "possible": "Points possible",
    "score": "Share of marks",  # a student's points / points possible, first attempts
    "correct": "Fully right",  # an answer that earned full marks (1) or not (0)
    "fully_right": "Fully right",  # share of students whose first attempt earned full marks
    "facility": "Mean score",  # mean share of marks over the students who answered
    "accuracy": "Fully right",  # share of the answers counted that earned full marks
    "verdict": "Result", "confidence": "How sure (%, 50-100)", "time_taken_s": "Seconds taken",
    "submitted_at": "Answered at (UTC)", "type": "Question type", "skill": "Skill",
    "prompt": "Question text", "answered": "Students who answered", "joined": "Students who joined",
    "discrimination": "Discrimination", "mean_time_s": "Mean seconds", "option": "Option number",
    "text": "Option", "right_option": "Is a right option", "chosen": "Students who chose it",
    "share": "Share who chose it", "feedback": "Feedback for this option", "answers": "Answers",
    "time_s": "Seconds in all", "mastery": "Mastery (mean score)", "brier": "Brier score",
    "overconfidence": "How sure minus fully right (% points)", "strong": "Fully right, strong sourcing",
    "weak": "Fully right, weak sourcing", "gap": "Strong minus weak", "sourcing": "Sourcing",
    "sure": "How sure (%, band)", "students": "Students", "category": "Category", "word_number": "Word number",
    "word": "Word", "target": "A word to find", "marked": "Students who marked it",
    "marked_share": "Share who marked it", "wrong_answer": "Most common wrong answer",
    "wrong_students": "Students who gave it",
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
