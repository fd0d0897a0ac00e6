"""CSV for a spreadsheet user: plain column names, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pandas as pd

from sourcecheck.sessions.store import FIRST_ATTEMPT, WrittenAnswerRow

__all__ = ["COLUMN_NAMES", "WRITTEN_COLUMNS", "for_people", "raw_answers", "to_csv_bytes", "written_frame"]

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
    "prompt": "Question text", "answered": "Students who answered", "scored": "Scored",
    "joined": "Students who joined",
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
    "scored_by": "Scored by", "levels": "Levels per criterion", "teacher_comment": "Teacher's comment",
}

# A written answer a teacher scored (issue 19): its points are in "Points" like any answer's; these say who scored
# it, the level given per criterion, and the comment the student reads. Empty for every other answer.
WRITTEN_COLUMNS = ["scored_by", "levels", "teacher_comment"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns=COLUMN_NAMES)


def written_frame(scored: Mapping[str, Sequence[WrittenAnswerRow]]) -> pd.DataFrame:
    """Per question id, Store.written_answers' rows as one row per first-attempt answer the first scorer scored."""
    rows = [{"participant_id": r.participant_id, "question_id": question_id, "attempt": FIRST_ATTEMPT,
             "scored_by": r.first.scorer, "levels": " + ".join(str(n) for n in r.first.levels),
             "teacher_comment": r.first.comment}
            for question_id, answers in scored.items() for r in answers if r.first is not None]
    return pd.DataFrame(rows, columns=["participant_id", "question_id", "attempt", *WRITTEN_COLUMNS])


def raw_answers(answers: pd.DataFrame, written: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every answer, one row each; `written` (written_frame) adds who scored a written answer, the levels and
    the comment beside its points."""
    columns = ["session_id", "participant_id", "display_name", "lesson_id", "question_id", "attempt", "response",
               "earned", "possible", "verdict", "confidence", "time_taken_s", "submitted_at"]
    out = answers[columns].copy()
    out["response"] = [json.dumps(r, ensure_ascii=False) for r in out["response"]]
    if written is not None and (written.empty or out.empty):  # nothing to join (and empty frames' key dtypes differ)
        out[WRITTEN_COLUMNS] = ""
    elif written is not None:
        out = out.merge(written, on=["participant_id", "question_id", "attempt"], how="left", validate="m:1")
        out[WRITTEN_COLUMNS] = out[WRITTEN_COLUMNS].astype(object).where(out[WRITTEN_COLUMNS].notna(), "")
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
