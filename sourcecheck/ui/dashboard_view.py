"""The dashboard's views: pick a class or a lesson, then tabs of tables, charts beside their numbers, CSVs.

The first tab answers the teacher's question after a class, "what do I reteach on Monday?": the questions fewest
got fully right first, each with its most common wrong answer and a link to the question on the reteach page
(projector-size, no names). Everything shown comes ready-made from `classroom.results` (tables with their CSVs,
charts, heat maps' inputs, the Reteach rows); this module only draws it.
"""

from __future__ import annotations

import streamlit as st

from sourcecheck.classroom.class_list import class_list
from sourcecheck.classroom.results import Results, ReteachRow, results, scope
from sourcecheck.classroom.tables import Table
from sourcecheck.sessions.courses import key_may_be_shown
from sourcecheck.sessions.params import session_id_param
from sourcecheck.sessions.store import ClassSessionRow, Store
from sourcecheck.ui import class_state, course_state, teacher_nav
from sourcecheck.ui.mark_view import show_mark_heat
from sourcecheck.ui.scoring_view import scoring_links
from sourcecheck.ui.text import md

__all__ = ["CSS", "choose_scope", "show"]

# Less padding beside the page: the tables get the width (every column fits a 1366 px laptop without scrolling)
CSS = '[data-testid="stMainBlockContainer"]{padding-left:2rem;padding-right:2rem}'
_LONG_TEXT_WIDTH = 180  # px: a question's or an option's text wraps at this width (a skill's name at 160)...
# ...in rows three lines tall: Streamlit wraps text only in rows taller than 4rem, and from 1280 px wide the app's
# rem is 19 px (style.py), so 4rem is 76 px there
_WRAPPING_ROW = 84


def choose_scope(db: Store) -> Results | None:
    classes = class_list(db)
    if not classes:
        st.info("No classes yet: results appear here once a class has answered.", icon=":material/monitoring:")
        return None
    by_id = {c.session.id: c for c in classes}
    wanted = session_id_param(st.query_params.get("session"))
    first = wanted if wanted in by_id else classes[0].session.id
    whole = st.toggle("Every class on this lesson", key="db-whole")
    chosen = st.selectbox("Class", list(by_id), index=list(by_id).index(first), key="db-session",
                          format_func=lambda i: _label(by_id[i].session))
    picked = by_id[chosen]
    st.query_params["session"] = str(picked.session.id)
    lesson = class_state.lesson(db, picked.session)
    where = scope(classes, picked, lesson, whole=whole)
    if where.mixed_versions:
        st.caption("Some of these classes ran an earlier version of the lesson; the questions are those of the "
                   "class chosen above.")
    scoring_links(db, picked, lesson, teacher_nav.SCORING)  # a written question with a rubric: score it
    return results(db, where, lesson)


def show(found: Results) -> None:
    st.markdown(f"**{md(found.lesson_title)}**, {md(found.scope.title)}: {found.joined} students joined, "
                f"{found.answer_count} answers.")
    tabs = st.tabs(["Reteach", "Overview", "Questions", "Skills", "Calibration", "Discernment", "Students"])
    with tabs[0]:
        _reteach(found)
    with tabs[1]:
        _overview(found)
    with tabs[2]:
        _questions(found)
    with tabs[3]:
        _table(found.skills)
        _table(found.skills_by_student)
    with tabs[4]:
        _calibration(found)
    with tabs[5]:
        st.markdown("Share fully right on questions about **strongly** sourced passages against **weakly** "
                    "sourced ones. Right on weak but wrong on strong can mean a student distrusts everything.")
        _table(found.discernment)
        _table(found.discernment_by_student)
    with tabs[6]:
        _table(found.students)
        st.download_button("Download every answer (CSV)", found.raw_csv,
                           file_name=f"{found.scope.slug}-answers.csv", mime="text/csv", key="db-raw",
                           icon=":material/download:", on_click="ignore")


CHECK_KEY_KEPT = ("This class played a course's check or booster. Other students of the course answer these "
                  "questions later (each form of a check comes back in another phase), so they are not offered "
                  "for the projector: go over the skills with a library lesson instead.")


def _reteach(found: Results) -> None:
    """One card per scored question, fewest fully right first: what to go over again, and the link to show it."""
    st.header("Reteach: fewest fully right first", anchor=False)
    st.caption("Fully right: the share of students whose first attempt earned full marks. The most common wrong "
               "answer is the one given by most of the students who were not fully right. “Show on the "
               "projector” opens the question with its explanation and the class's answers, without names.")
    whole = "1" if found.scope.whole else "0"
    session = str(found.scope.chosen.session.id)
    projectable = key_may_be_shown(course_state.store(), found.scope.chosen.session.id)
    if not projectable:
        st.warning(CHECK_KEY_KEPT, icon=":material/visibility_off:")
    for n, row in enumerate(found.reteach_rows, start=1):
        with st.container(border=True, key=f"db-reteach-{n}"):
            st.markdown(_card(row))
            if projectable:
                st.page_link(teacher_nav.RETEACH, label=f"Show question {row.position} on the projector",
                             icon=":material/present_to_all:",
                             query_params={"session": session, "question": row.question_id, "whole": whole})
    st.download_button(f"Download “{found.reteach.title}” (CSV)", found.reteach.csv,
                       file_name=f"{found.reteach.slug}.csv", mime="text/csv", key=f"db-csv-{found.reteach.slug}",
                       icon=":material/download:", on_click="ignore")


def _card(row: ReteachRow) -> str:
    if row.fully_right is None:
        share = f"{row.waiting} answered, not scored yet" if row.waiting else "nobody answered yet"
    else:
        share = f"**{row.fully_right:.0%} fully right** ({row.answered} answered" + \
            (f", {row.waiting} more not scored yet)" if row.waiting else ")")
    wrong = "" if row.wrong_students == 0 else \
        f"  \nMost common wrong answer: {md(row.wrong_answer)} ({_students(row.wrong_students)})"
    return f"**Question {row.position}** · {share} · {md(row.skill)}  \n{md(row.prompt)}{wrong}"


def _students(count: int) -> str:
    return "1 student" if count == 1 else f"{count} students"


def _overview(found: Results) -> None:
    left, right = st.columns([3, 2])
    with left:
        st.header("Scores", anchor=False)
        st.altair_chart(found.score_chart, width="stretch")
    with right:
        _table(found.score_bands)
    _table(found.participation)


def _questions(found: Results) -> None:
    st.altair_chart(found.facility_chart, width="stretch")
    _table(found.per_question)
    _table(found.options)
    for heat in found.mark_heats:  # for each mark question, where students marked: a heat map per category
        st.header(f"Where students marked: {md(heat.bound.question.prompt)}", anchor=False)
        show_mark_heat(heat.bound, heat.responses)
    if found.marked_words is not None:
        _table(found.marked_words)


def _calibration(found: Results) -> None:
    part = found.calibration
    if part is None:
        st.info("No question in this lesson asked “how sure are you?”.", icon=":material/info:")
        return
    st.altair_chart(part.chart, width="stretch")  # the table under it: beside it, its columns would not fit
    _table(part.bins)
    _table(part.whole)
    _table(part.per_student)


def _table(table: Table) -> None:
    st.header(table.title, anchor=False)
    if table.note:
        st.caption(table.note)
    config = {
        name: st.column_config.TextColumn(width=160 if name == "Skill" else _LONG_TEXT_WIDTH)
        for name in table.long_text}
    config |= {name: st.column_config.NumberColumn(format="percent") for name in table.percent}
    st.dataframe(table.shown, hide_index=True, width="stretch", column_config=config, placeholder=table.missing,
                 row_height=_WRAPPING_ROW if table.long_text else None, alt=table.title)
    st.download_button(f"Download “{table.title}” (CSV)", table.csv, file_name=f"{table.slug}.csv", mime="text/csv",
                       key=f"db-csv-{table.slug}", icon=":material/download:", on_click="ignore")


def _label(session: ClassSessionRow) -> str:
    return f"{session.code} · {session.lesson_id} · {session.created_at:%Y-%m-%d %H:%M} · {session.status}"
