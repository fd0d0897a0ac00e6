"""The dashboard's views: pick a class or a lesson, then tabs of tables, charts beside their numbers, CSVs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from sourcecheck.analytics import charts
from sourcecheck.analytics.csv import for_people, raw_answers, to_csv_bytes
from sourcecheck.analytics.frames import answers_frame, first_attempts, items_frame, students_frame
from sourcecheck.analytics.items import distractors, item_stats, mark_words
from sourcecheck.analytics.students import (
    calibration,
    calibration_bins,
    discernment,
    participation,
    per_student,
    score_distribution,
    skill_mastery,
)
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import MarkQuestion
from sourcecheck.sessions.store import ClassSessionRow, Store
from sourcecheck.ui import class_state
from sourcecheck.ui.mark_view import show_mark_heat
from sourcecheck.ui.text import md

__all__ = ["Scope", "choose_scope", "show"]


@dataclass(frozen=True)
class Scope:
    title: str
    lesson: LoadedLesson
    answers: pd.DataFrame
    students: pd.DataFrame
    slug: str  # for file names


def choose_scope(db: Store) -> Scope | None:
    sessions = db.sessions()
    if not sessions:
        st.info("No classes yet: results appear here once a class has answered.", icon=":material/monitoring:")
        return None
    by_id = {s.id: s for s in sessions}
    wanted = st.query_params.get("session")
    first = int(wanted) if wanted and wanted.isdigit() and int(wanted) in by_id else sessions[0].id
    whole = st.toggle("Every class on this lesson", key="db-whole")
    chosen = st.selectbox("Class", list(by_id), index=list(by_id).index(first), key="db-session",
                          format_func=lambda i: _label(by_id[i]))
    session = by_id[chosen]
    st.query_params["session"] = str(session.id)
    lesson = class_state.lesson(db, session)
    if whole:
        rows, people = db.lesson_answers(session.lesson_id), [
            p for s in sessions if s.lesson_id == session.lesson_id for p in db.participants(s.id)]
        title, slug = f"every class on {lesson.lesson.title}", session.lesson_id
        if len({s.lesson_hash for s in sessions if s.lesson_id == session.lesson_id}) > 1:
            st.caption("Some of these classes ran an earlier version of the lesson; the questions are those of the "
                       "class chosen above.")
    else:
        rows, people = db.session_answers(session.id), db.participants(session.id)
        title, slug = f"class {session.code}", f"class-{session.code}"
    return Scope(title, lesson, answers_frame(rows), students_frame(people), slug)


def show(scope: Scope) -> None:
    items = items_frame(scope.lesson)
    students = per_student(scope.answers, scope.students)
    st.markdown(f"**{md(scope.lesson.lesson.title)}**, {md(scope.title)}: {len(scope.students)} students joined, "
                f"{len(scope.answers)} answers.")
    tabs = st.tabs(["Overview", "Questions", "Skills", "Calibration", "Discernment", "Students"])
    with tabs[0]:
        _overview(scope, items, students)
    with tabs[1]:
        _questions(scope, items)
    with tabs[2]:
        per, whole = skill_mastery(scope.answers, items)
        _table("Mastery per skill, for the class", whole, f"{scope.slug}-skills", percent=["mastery"])
        wide = per.pivot_table(index="display_name", columns="skill", values="mastery").reset_index()
        _table("Mastery per student and skill", wide, f"{scope.slug}-skills-by-student",
               percent=[c for c in wide.columns if c != "display_name"])
    with tabs[3]:
        _calibration(scope)
    with tabs[4]:
        per, whole = discernment(scope.answers, items)
        st.markdown("Share fully right on questions about **strongly** sourced passages against **weakly** "
                    "sourced ones. Right on weak but wrong on strong can mean a student distrusts everything.")
        _table("For the class", whole, f"{scope.slug}-discernment", percent=["accuracy"])
        _table("Per student", per, f"{scope.slug}-discernment-by-student", percent=["strong", "weak", "gap"])
    with tabs[5]:
        _table("Per student (first attempts)", students, f"{scope.slug}-students", percent=["score"])
        st.download_button("Download every answer (CSV)", to_csv_bytes(raw_answers(scope.answers)),
                           file_name=f"{scope.slug}-answers.csv", mime="text/csv", key="db-raw",
                           icon=":material/download:", on_click="ignore")


def _overview(scope: Scope, items: pd.DataFrame, students: pd.DataFrame) -> None:
    distribution = score_distribution(students["score"])
    left, right = st.columns([3, 2])
    with left:
        st.header("Scores", anchor=False)
        st.altair_chart(charts.score_chart(distribution), width="stretch")
    with right:
        _table("Students per score band", distribution, f"{scope.slug}-scores")
    _table("Answers per question", participation(scope.answers, items, len(scope.students)),
           f"{scope.slug}-participation")


def _questions(scope: Scope, items: pd.DataFrame) -> None:
    stats = item_stats(scope.answers, items)
    st.altair_chart(charts.facility_chart(stats), width="stretch")
    _table("Per question", stats, f"{scope.slug}-questions", percent=["facility"],
           note="Discrimination near 1: students who did well overall got this right. Near 0 or below: the "
                "question does not separate them; worth a look.")
    wrong = distractors(scope.answers, items)
    _table("Which options were chosen", wrong, f"{scope.slug}-options", percent=["share"],
           note="A wrong option many chose, with its feedback: a common misconception.")
    _marked(scope)


def _marked(scope: Scope) -> None:
    """For each mark question, where students marked: a heat map per category, and its numbers in a table."""
    questions = [q for q in scope.lesson.lesson.questions if isinstance(q, MarkQuestion)]
    if not questions:
        return
    first = first_attempts(scope.answers)
    words = mark_words(scope.answers, scope.lesson)
    for question in questions:
        st.header(f"Where students marked: {md(question.prompt)}", anchor=False)
        show_mark_heat(scope.lesson.bound(question.id),
                       first.loc[first["question_id"] == question.id, "response"])
    _table("Words marked, per category", words, f"{scope.slug}-marked-words", percent=["share"],
           note="Every word a student marked, and every word to find; the share is of the students who answered.")


def _calibration(scope: Scope) -> None:
    per, whole = calibration(scope.answers)
    if not whole["answers"].iloc[0]:
        st.info("No question in this lesson asked “how sure are you?”.", icon=":material/info:")
        return
    bins = calibration_bins(scope.answers)
    left, right = st.columns([3, 2])
    with left:
        st.altair_chart(charts.calibration_chart(bins), width="stretch")
    with right:
        _table("By how sure students said they were", bins, f"{scope.slug}-calibration-bins",
               percent=["confidence", "accuracy"])
    _table("For the class", whole, f"{scope.slug}-calibration", percent=["confidence", "accuracy", "overconfidence"],
           note="Brier score: 0 is perfect; always answering 50 % sure scores 0.25.")
    _table("Per student", per, f"{scope.slug}-calibration-by-student",
           percent=["confidence", "accuracy", "overconfidence"])


def _table(title: str, frame: pd.DataFrame, slug: str, *, percent: list[str] | None = None,
           note: str | None = None) -> None:
    st.header(title, anchor=False)
    if note:
        st.caption(note)
    shown = frame.drop(columns=[c for c in ("participant_id", "question_id") if c in frame.columns], errors="ignore")
    config = {name: st.column_config.NumberColumn(format="percent") for name in (percent or []) if name in shown}
    st.dataframe(for_people(shown), hide_index=True, width="stretch",
                 column_config={for_people(pd.DataFrame(columns=[k])).columns[0]: v for k, v in config.items()})
    st.download_button(f"Download “{title}” (CSV)", to_csv_bytes(frame), file_name=f"{slug}.csv", mime="text/csv",
                       key=f"db-csv-{slug}", icon=":material/download:", on_click="ignore")


def _label(session: ClassSessionRow) -> str:
    return f"{session.code} · {session.lesson_id} · {session.created_at:%Y-%m-%d %H:%M} · {session.status}"
