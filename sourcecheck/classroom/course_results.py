"""A course's report (issue 18), from the store's answers to the tables the teacher's Courses page draws.

The store hands over every first attempt in the course's check and booster classes in one query
(`SqlStore.course_answers`); this module turns each into the `analytics.course_report.CheckAnswer` the report
reads, and builds the `CourseReport` with its tables:
- the skill is the skill of the question in what the class played: the check's form (`Check.forms[form]`), or for a
  booster the library lesson it played;
- a judgement item's truth is `Check.truth(form, question_id)` (the passage's sourcing tag), and the student's
  answer is read from the stored response of that single-choice question, whose two options are fixed in a fixed
  order (lessons/check_forms.py: JUDGEMENT_YES "strong", then JUDGEMENT_NO "weak"), by the option's text rather
  than its position, so a reordering there cannot silently flip every answer;
- an answer to a question the check or lesson no longer has is left out and counted (`CourseResults.skipped`), as
  is a second first attempt at the same item in one phase (a student who sat two classes of a check's series: the
  earlier answer counts).
The report is memoised per course and answers (classroom/cache.py): a teacher's rerun with no new answer costs
the one query, not the bootstrap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from sourcecheck.analytics.course_report import (
    CHANGES,
    PHASE_NAMES,
    CheckAnswer,
    CourseReport,
    change_table,
    class_table,
    course_report,
    student_table,
)
from sourcecheck.analytics.csv import to_csv_bytes
from sourcecheck.analytics.discernment import Verdict
from sourcecheck.analytics.intervals import Estimate
from sourcecheck.classroom.cache import Memo
from sourcecheck.classroom.tables import NO_VALUE, Table
from sourcecheck.grading.responses import picked_indexes
from sourcecheck.lessons.check_forms import JUDGEMENT_NO, JUDGEMENT_YES
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import SingleQuestion
from sourcecheck.sessions.course_store import CourseAnswerRow, CourseRow, CourseStore, StudentRow
from sourcecheck.sessions.courses import Check

__all__ = ["BOOSTER_FORM", "CourseResults", "JudgedCheck", "check_answers_of", "course_results", "report_tables"]

BOOSTER_FORM = "lesson"  # a booster plays a lesson, not a check's form: the report's form column says so
_VERDICTS: Mapping[str, Verdict] = {JUDGEMENT_YES: "strong", JUDGEMENT_NO: "weak"}
_MEMO: Memo[CourseResults] = Memo(16)


class JudgedCheck(Check, Protocol):
    """A check as lessons/check_forms.Check gives it: its forms by letter, and a judgement item's truth."""

    def truth(self, form: str, question_id: str) -> Verdict | None: ...


@dataclass(frozen=True)
class CourseResults:
    report: CourseReport
    answers: tuple[CheckAnswer, ...]
    skipped: int  # answers left out: a question no longer there, or an item answered twice in one phase


def check_answers_of(rows: Sequence[CourseAnswerRow], names: Mapping[int, str], checks: Mapping[str, JudgedCheck],
                     lessons: Mapping[str, LoadedLesson]) -> tuple[list[CheckAnswer], int]:
    """The report's records for the stored rows (students by their roster name), and how many rows were left out.
    An item is "<check or lesson id>/<question id>": a booster's two lessons may reuse a question id."""
    out: list[CheckAnswer] = []
    seen: set[tuple[int, str, str]] = set()
    skipped = 0
    for row in rows:
        item = f"{row.check_id}/{row.question_id}"
        found = _question(row, checks, lessons)
        if found is None or row.student_id not in names or (row.student_id, row.phase, item) in seen:
            skipped += 1
            continue
        seen.add((row.student_id, row.phase, item))
        skill, question = found
        truth = answer = None
        check = checks.get(row.check_id) if row.phase != "booster" else None
        if check is not None and row.form is not None and isinstance(question, SingleQuestion):
            truth = check.truth(row.form, row.question_id)
            picked = sorted(picked_indexes(row.response))
            if truth is not None and len(picked) == 1 and 0 <= picked[0] < len(question.options):
                answer = _VERDICTS.get(question.options[picked[0]].text)
            if answer is None:  # no readable verdict: the item still counts for its score, not for discernment
                truth = None
        out.append(CheckAnswer(names[row.student_id], row.phase, row.check_id,
                               BOOSTER_FORM if row.phase == "booster" else row.form or BOOSTER_FORM, item, skill,
                               min(max(row.earned, 0.0), float(row.possible)), row.possible, truth, answer,
                               row.confidence if row.confidence is not None and 0 <= row.confidence <= 100 else None))
    return out, skipped


def _question(row: CourseAnswerRow, checks: Mapping[str, JudgedCheck],
              lessons: Mapping[str, LoadedLesson]) -> tuple[str, object] | None:
    """The question's skill and the question, in the check's form or the booster's lesson; None when gone."""
    if row.phase == "booster":
        lesson = lessons.get(row.check_id)
    else:
        check = checks.get(row.check_id)
        lesson = check.forms.get(row.form) if check is not None and row.form is not None else None
    if lesson is None:
        return None
    question = next((q for q in lesson.lesson.questions if q.id == row.question_id), None)
    return None if question is None else (question.skill, question)


def course_results(store: CourseStore, course: CourseRow, checks: Mapping[str, JudgedCheck],
                   lessons: Mapping[str, LoadedLesson]) -> CourseResults:
    """The course's report: two queries (the roster and the answers), and the report itself only when they
    changed since the last call for this course."""
    roster: list[StudentRow] = store.students(course.id)
    names = {s.id: s.display_name for s in roster}
    answers, skipped = check_answers_of(store.course_answers(course.id), names, checks, lessons)
    key = (course.id, tuple(s.display_name for s in roster), tuple(answers), skipped)
    return _MEMO.get(key, lambda: CourseResults(course_report(answers, [s.display_name for s in roster]),
                                                tuple(answers), skipped))


# --- what the page shows: compact tables, the full ones as CSV ----------------------------------------------------

def _pct(value: float | None) -> str:
    return NO_VALUE if value is None else f"{100 * value:.0f} %"


def _num(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:+.2f}".replace("-", "−").lstrip("+")


def _span(low: str, high: str, both_positive: bool) -> str:
    return f"({low}–{high})" if both_positive else f"({low}, {high})"


def _with_interval(estimate: Estimate | None, show: str) -> str:
    """"62 % (55–70)": the figure and its 95 % interval in one cell, short, so the table fits a laptop's screen."""
    if estimate is None:
        return NO_VALUE
    value, low, high = estimate.value, estimate.interval.low, estimate.interval.high
    if show == "pct":
        return f"{100 * value:.0f} % " + _span(f"{100 * low:.0f}", f"{100 * high:.0f}", low >= 0)
    if show == "pp":
        return (f"{100 * value:+.0f} pp " + _span(f"{100 * low:+.0f}", f"{100 * high:+.0f}", False)).replace("-", "−")
    return f"{_num(value)} " + _span(_num(low), _num(high), low >= 0)


def _class_shown(report: CourseReport) -> pd.DataFrame:
    rows = []
    for p in report.phases:
        d = p.discernment
        rows.append([PHASE_NAMES[p.phase], p.took, _with_interval(p.score, "pct"),
                     _with_interval(None if d is None else d.d_prime, "z"),
                     _with_interval(None if d is None else d.criterion, "z"),
                     _with_interval(None if d is None else d.auc, "pct")])
    return pd.DataFrame(rows, columns=["Check", "Took it", "Score", "d′", "c", "AUC"])


def _changes_shown(report: CourseReport) -> pd.DataFrame:
    rows = []
    for c in report.changes:
        shift = c.discernment
        rows.append([f"{PHASE_NAMES[c.before]} → {PHASE_NAMES[c.after].lower()}",
                     None if c.score is None else c.score.students, _with_interval(c.score, "pp"),
                     _with_interval(c.retention, "pct"),
                     _with_interval(None if shift is None else shift.d_prime_change, "z"),
                     _with_interval(None if shift is None else shift.criterion_change, "z")])
    return pd.DataFrame(rows, columns=["Change", "Students", "Score", "Share kept", "d′", "c"]).astype(
        {"Students": "Int64"})


def _students_shown(report: CourseReport) -> pd.DataFrame:
    frame = student_table(report)
    short = {"Student": "Student", "Pre score (%)": "Pre %", "Post score (%)": "Post %",
             "Booster score (%)": "Booster %", "Delayed score (%)": "Delayed %",
             "Gain (percentage points)": "Gain pp", "Retained gain (percentage points)": "Kept pp",
             "Pre d′ (z units)": "Pre d′", "Post d′ (z units)": "Post d′"}
    shown = frame[list(short)].rename(columns=short)
    for name in shown.columns[1:]:
        shown[name] = shown[name].round(0 if name.endswith(("%", "pp")) else 2)
    return shown


@dataclass(frozen=True)
class ReportTables:
    classes: Table
    changes: Table
    students: Table
    flags: tuple[str, ...]  # each fired flag in words, e.g. "Pre to post: more sceptical, not better at telling"
    notes: tuple[str, ...]


def report_tables(results: CourseResults) -> ReportTables:
    """The three tables as the page shows them (compact: every column fits at 1366 px) and as CSV (every figure
    of analytics.course_report's tables, each interval bound its own column)."""
    report = results.report
    flags = tuple(f"{PHASE_NAMES[c.before]} to {c.after}: {c.discernment.flag}" for c in report.changes
                  if c.discernment is not None and c.discernment.flag)
    assert len(report.changes) == len(CHANGES)
    notes = report.notes + ((f"{results.skipped} answer{'s' if results.skipped != 1 else ''} left out: the question "
                             "is no longer in its check or lesson, or was answered twice in one phase",)
                            if results.skipped else ())
    return ReportTables(
        Table("The class on each check", _class_shown(report), to_csv_bytes(class_table(report)), "course-checks",
              note="Each figure with its 95 % interval in brackets. Score: the mean of the students' scores. d′: how "
                   "well they tell strong sourcing from weak; c: their leaning (above 0: sceptical); AUC: the chance "
                   "they rate a strong passage above a weak one."),
        Table("Changes between checks", _changes_shown(report), to_csv_bytes(change_table(report)),
              "course-changes", note="The change in each figure, with its 95 % interval in brackets; pp: percentage "
                                     "points. Share kept: the part of the pre-to-post gain still there at the "
                                     "delayed check."),
        Table("Each student", _students_shown(report), to_csv_bytes(student_table(report)), "course-students",
              note="Scores in %, gains in percentage points; the CSV has every figure, the booster and the rates "
                   "included."),
        flags, notes)
