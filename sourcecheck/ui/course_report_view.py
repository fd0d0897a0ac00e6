"""The course report on the teacher's Courses page (issue 18): the class on each check, the changes between checks
(with the flag in words when it fires) and each student, every table downloadable as CSV. Only draws what
classroom/course_results.py built; the figures are explained in docs/measuring-learning.md, and in the same plain
words in the "What these mean" expander."""

from __future__ import annotations

import streamlit as st

from sourcecheck.classroom.course_results import course_results, report_tables
from sourcecheck.classroom.tables import Table
from sourcecheck.sessions.course_store import ClassCourseStore, CourseRow
from sourcecheck.ui import course_state, state
from sourcecheck.ui.text import md

__all__ = ["show"]

EXPLAINED = """\
- **Score**: the share of the marks a student earned on a check. The class score is the mean of the students'
  scores (each student counts once), with a **95 % interval**: the range another class like this one would
  probably land in.
- **Gain**: score after the lessons − score before, in percentage points (pp). **Retained gain**: score weeks later
  − score before. **Share kept**: retained gain ÷ gain, the part of the gain that lasted (100 % all of it).
- **d′** (d-prime): how well students tell strong sourcing from weak on the "Could you rely on this?" items,
  whatever their leaning; 0 is guessing, 1 is clearly better, 2 is very good.
- **c**: their leaning. Above 0: slow to trust (sceptical); below 0: quick to trust.
- **AUC**: the chance a strong passage gets a higher rating than a weak one, using "how sure" too; 50 % is guessing.
- **The flag** "more sceptical, not better at telling" (or "more trusting, …"): c moved by more than 0.2 while the
  change in d′ could be 0. Students changed how readily they trust, not how well they judge.
- **Booster**: the short lesson each student got on their two weakest skills of the post-check.

A single student's figure rests on a few items: read it as a conversation starter, not a grade. The class mean and
its interval are steadier. The full explanation, with a class worked through by hand, is in
`docs/measuring-learning.md` in the SourceCheck folder."""


def show(db: ClassCourseStore, course: CourseRow) -> None:
    st.header("Report", anchor=False)
    lessons = {lesson.id: lesson for lesson in state.library().lessons}
    results = course_results(db, course, course_state.checks(), lessons)
    if not results.answers:
        st.caption("The report appears here once students have answered a check of this course.")
        return
    tables = report_tables(results)
    with st.expander("What these mean", icon=":material/help:"):
        st.markdown(EXPLAINED)
    _table(tables.classes)
    _table(tables.changes)
    for flag in tables.flags:
        st.warning(md(flag[:1].upper() + flag[1:]) + ". The class changed how readily it trusts a passage, not how "
                   "well it tells strong sourcing from weak.", icon=":material/flag:")
    _table(tables.students)
    if tables.notes:
        with st.expander("What the class figures leave out", icon=":material/info:"):
            st.markdown("\n".join(f"- {md(note)}" for note in tables.notes))


def _table(table: Table) -> None:
    st.subheader(table.title, anchor=False)
    if table.note:
        st.caption(table.note)
    st.dataframe(table.shown, hide_index=True, width="stretch", placeholder=table.missing, alt=table.title)
    st.download_button(f"Download “{table.title}” (CSV)", table.csv, file_name=f"{table.slug}.csv", mime="text/csv",
                       key=f"crs-csv-{table.slug}", icon=":material/download:", on_click="ignore")
