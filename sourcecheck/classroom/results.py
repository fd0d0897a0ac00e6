"""The Results page's data: which classes a scope covers, and every table, chart and CSV it shows, cached.

A scope is one class, or every class on that class's lesson (the questions are those of the class chosen,
and `mixed_versions` says when some classes ran another version of the lesson). Its answers are one store
query and its students one more, whatever the number of classes. The tables are built from them once per
state of the classes in scope (their ids, state versions and counts, which the class list already read):
a rerun when nothing changed costs the class list alone.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, assert_never

import altair as alt
import pandas as pd

from sourcecheck.analytics import charts
from sourcecheck.analytics.csv import raw_answers, to_csv_bytes, written_frame
from sourcecheck.analytics.frames import answers_frame, first_attempts, items_frame, students_frame
from sourcecheck.analytics.items import distractors, item_stats, mark_words
from sourcecheck.analytics.reteach import reteach
from sourcecheck.analytics.students import (
    calibration,
    calibration_bins,
    discernment,
    mastery_by_student,
    participation,
    per_student,
    score_distribution,
    skill_mastery,
)
from sourcecheck.classroom.cache import Memo
from sourcecheck.classroom.tables import Table, table
from sourcecheck.grading.responses import Response
from sourcecheck.grading.tally import Tally, tally
from sourcecheck.lessons.loaded import BoundQuestion, LoadedLesson
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
from sourcecheck.sessions.store import ClassSummaryRow, Store

__all__ = ["CalibrationPart", "MarkHeat", "Results", "ReteachQuestion", "ReteachRow", "Scope", "results",
           "reteach_question", "scope"]

Chart = alt.Chart | alt.LayerChart


@dataclass(frozen=True)
class Scope:
    chosen: ClassSummaryRow  # the class picked; its lesson version gives the questions
    classes: tuple[ClassSummaryRow, ...]  # the classes whose answers count
    whole: bool  # every class on the lesson, or the chosen one alone
    title: str
    slug: str  # for file names
    mixed_versions: bool  # some classes in scope ran another version of the lesson

    @property
    def key(self) -> Hashable:
        """What the results depend on: the questions (the chosen class's lesson version) and, for each class in
        scope, its state version and its counts, which only grow while it runs."""
        which = ("lesson", self.chosen.session.lesson_id) if self.whole else ("class", self.chosen.session.id)
        return (*which, self.chosen.session.lesson_hash, self.title,
                tuple((c.session.id, c.session.state_version, c.students, c.answers) for c in self.classes))


def scope(classes: Sequence[ClassSummaryRow], chosen: ClassSummaryRow, lesson: LoadedLesson, *,
          whole: bool) -> Scope:
    if not whole:
        return Scope(chosen, (chosen,), False, f"class {chosen.session.code}", f"class-{chosen.session.code}", False)
    lesson_id = chosen.session.lesson_id
    same = tuple(c for c in classes if c.session.lesson_id == lesson_id)
    return Scope(chosen, same, True, f"every class on {lesson.lesson.title}", lesson_id,
                 len({c.session.lesson_hash for c in same}) > 1)


@dataclass(frozen=True, eq=False)
class MarkHeat:
    """Where students marked one mark question's passage (first attempts): the heat map's input."""

    bound: BoundQuestion
    responses: tuple[Response, ...]


@dataclass(frozen=True)
class ReteachRow:
    """One line of the Reteach list, in its order (fewest fully right first)."""

    position: int  # the question's number in the lesson
    question_id: str
    prompt: str
    skill: str  # its name
    answered: int
    fully_right: float | None  # share, 0-1; None when nobody answered
    wrong_answer: str  # in words; analytics.reteach.NOT_ANSWERED or NOBODY_WRONG when there is none
    wrong_students: int  # how many gave it
    waiting: int = 0  # written answers no teacher has scored yet: not in `answered` nor in the share


@dataclass(frozen=True, eq=False)
class ReteachQuestion:
    """One question as the reteach page shows it on the projector: no names, only counts."""

    bound: BoundQuestion
    row: ReteachRow
    total: int  # questions in the lesson
    counts: Tally  # the class's answers, per option, phrase, phrase to find or row
    responses: tuple[Response, ...]  # first attempts: a heat map's input
    chart: Chart | None  # a bar per option or row; None where a heat map or nothing is the picture


@dataclass(frozen=True, eq=False)
class CalibrationPart:
    chart: Chart
    bins: Table
    whole: Table
    per_student: Table


@dataclass(frozen=True, eq=False)
class Results:
    scope: Scope
    lesson_title: str
    joined: int  # students who joined the classes in scope
    answer_count: int  # answers stored, every attempt
    reteach: Table  # the Reteach list as a table and CSV
    reteach_rows: tuple[ReteachRow, ...]
    first_responses: Mapping[str, tuple[Response, ...]]  # per question, the first attempts in the order they came
    score_chart: Chart
    score_bands: Table
    participation: Table
    facility_chart: Chart
    per_question: Table
    options: Table
    mark_heats: tuple[MarkHeat, ...]
    marked_words: Table | None  # None: the lesson has no mark question
    skills: Table
    skills_by_student: Table
    calibration: CalibrationPart | None  # None: no question asked "how sure are you?"
    discernment: Table
    discernment_by_student: Table
    students: Table
    raw_csv: bytes  # every answer of the scope


_RESULTS: Memo[Results] = Memo(8)  # a results object holds a scope's frames and CSVs: a few per teacher


def results(db: Store, where: Scope, lesson: LoadedLesson) -> Results:
    """Every table and chart of the scope: two store queries (answers, students) the first time, none while
    the classes in scope stay as they are."""
    return _RESULTS.get(where.key, lambda: _build(db, where, lesson))


def _build(db: Store, where: Scope, lesson: LoadedLesson) -> Results:
    session = where.chosen.session
    if where.whole:
        rows, people = db.lesson_answers(session.lesson_id), db.lesson_participants(session.lesson_id)
    else:
        rows, people = db.session_answers(session.id), db.participants(session.id)
    answers, students = answers_frame(rows), students_frame(people)
    slug = where.slug
    items = items_frame(lesson)
    per = per_student(answers, students)
    distribution = score_distribution(per["score"])
    stats = item_stats(answers, items)
    mastery, mastery_whole = skill_mastery(answers, items)
    by_student = mastery_by_student(mastery, items)
    picked, picked_whole = discernment(answers, items)
    marks = [q for q in lesson.lesson.questions if isinstance(q, MarkQuestion)]
    first = first_attempts(answers)
    responses = {str(q): tuple(group["response"]) for q, group in first.groupby("question_id", sort=False)}
    to_reteach = reteach(answers, items, lesson)
    waiting: dict[str, int] = dict(zip(stats["question_id"].astype(str).tolist(),
                                       (stats["answered"] - stats["scored"]).astype(int).tolist(), strict=True))
    class_ids = [c.session.id for c in where.classes]
    written = written_frame({q.id: db.written_answers(class_ids, q.id) for q in lesson.lesson.questions
                             if isinstance(q, ShortQuestion) and q.rubric})  # one query per rubric question
    return Results(
        scope=where, lesson_title=lesson.lesson.title, joined=len(students), answer_count=len(answers),
        reteach=table("Reteach: fewest fully right first", to_reteach, f"{slug}-reteach",
                      percent=["fully_right", "facility"]),
        reteach_rows=tuple(_row(r, waiting) for r in to_reteach.itertuples(index=False)), first_responses=responses,
        score_chart=charts.score_chart(distribution),
        score_bands=table("Students per score band", distribution, f"{slug}-scores"),
        participation=table("Answers per question", participation(answers, items, len(students)),
                            f"{slug}-participation"),
        facility_chart=charts.facility_chart(stats),
        per_question=table("Per question", stats, f"{slug}-questions", percent=["fully_right", "facility"],
                           note="Fully right: the share of students whose first attempt earned full marks. Mean "
                                "score: the mean share of marks. Discrimination near 1: students who did well "
                                "overall got this right. Near 0 or below: the question does not separate them; "
                                "worth a look."),
        options=table("Which options were chosen", distractors(answers, items), f"{slug}-options",
                      percent=["share"], note="A wrong option many chose, with its feedback: a common misconception."),
        mark_heats=tuple(MarkHeat(lesson.bound(q.id), tuple(first.loc[first["question_id"] == q.id, "response"]))
                         for q in marks),
        marked_words=table("Words marked, per category", mark_words(answers, lesson), f"{slug}-marked-words",
                           percent=["marked_share"], note="Every word a student marked, and every word to find; "
                                                          "the share is of the students who answered.")
        if marks else None,
        skills=table("Mastery per skill, for the class", mastery_whole, f"{slug}-skills", percent=["mastery"],
                     note="Mastery: the mean score (share of marks) on the skill's questions, first attempts."),
        skills_by_student=table("Mastery per student and skill", by_student, f"{slug}-skills-by-student",
                                percent=["mastery"], missing="not answered",
                                note="The mean score on the skill's questions; “not answered”: the student "
                                     "answered no question on that skill."),
        calibration=_calibration(answers, slug),
        discernment=table("For the class", picked_whole, f"{slug}-discernment", percent=["accuracy"],
                          note="Fully right: the share of first-attempt answers that earned full marks."),
        discernment_by_student=table("Per student", picked, f"{slug}-discernment-by-student",
                                     percent=["strong", "weak", "gap"]),
        students=table("Per student (first attempts)", per, f"{slug}-students", percent=["score"],
                       note="Share of marks: the points a student earned over the points possible."),
        raw_csv=to_csv_bytes(raw_answers(answers, written)),
    )


def _calibration(answers: pd.DataFrame, slug: str) -> CalibrationPart | None:
    per, whole = calibration(answers)
    if not whole["answers"].iloc[0]:
        return None
    bins = calibration_bins(answers)
    return CalibrationPart(
        charts.calibration_chart(bins),
        table("By how sure students said they were", bins, f"{slug}-calibration-bins", percent=["accuracy"],
              note="How sure: the mean of what students said, in percent (50-100)."),
        table("For the class", whole, f"{slug}-calibration", percent=["accuracy"],
              note="How sure is in percent (50-100); its gap to fully right is in percentage points, above 0 "
                   "when more sure than right. Brier score: 0 is perfect; always answering 50 % sure scores 0.25."),
        table("Per student", per, f"{slug}-calibration-by-student", percent=["accuracy"]))


def _row(record: Any, waiting: dict[str, int]) -> ReteachRow:
    """A row of analytics.reteach's frame (a named tuple of its columns) as plain Python values, with how many of
    the question's answers wait for a teacher's score."""
    share = float(record.fully_right)
    return ReteachRow(int(record.position), str(record.question_id), str(record.prompt), str(record.skill),
                      int(record.answered), None if math.isnan(share) else share, str(record.wrong_answer),
                      int(record.wrong_students), waiting.get(str(record.question_id), 0))


def reteach_question(found: Results, lesson: LoadedLesson, question_id: str) -> ReteachQuestion | None:
    """One Reteach row's question with the class's answers counted (first attempts); None when the lesson has
    no such scored question."""
    row = next((r for r in found.reteach_rows if r.question_id == question_id), None)
    if row is None:
        return None
    bound = lesson.bound(question_id)
    responses = found.first_responses.get(question_id, ())
    counts = tally(bound, responses)
    return ReteachQuestion(bound, row, len(lesson.lesson.questions), counts, responses,
                           _chart(bound.question, counts))


def _chart(question: Question, counts: Tally) -> Chart | None:
    match question:
        case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | MatchQuestion():
            return charts.option_chart(counts) if counts.bars else None
        case SpansQuestion() | MarkQuestion() | ShortQuestion():
            return None  # a spans or mark question's heat map is its chart; a written answer has none
        case _:
            assert_never(question)
