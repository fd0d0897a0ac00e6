"""What a student sees of their course (issue 18): due checks and classes, what they did, their own skills.

Only draws the CourseHome that sessions/courses.py built; a click to start a check or join a class goes back there
and then to the class page, under the student's own token.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import streamlit as st

from sourcecheck.classroom.course_boosters import BoosterOffer
from sourcecheck.grading.results import SkillRow
from sourcecheck.sessions.course_store import ClassCourseStore, CourseClassRow, Phase
from sourcecheck.sessions.courses import CourseError, CourseHome, DueCheck, forget, seat, start_booster, start_check
from sourcecheck.ui import class_state, course_state, nav, state
from sourcecheck.ui.text import md, points

__all__ = ["show"]

_STUDENT = "course:student"
PHASE_TITLES: dict[Phase, str] = {"pre": "before the lessons", "post": "after the lessons",
                                  "delayed": "a few weeks later"}


def show(db: ClassCourseStore, home: CourseHome, device: str | None, boosters: Sequence[BoosterOffer] = (),
         now: datetime | None = None) -> None:
    now = now or course_state.now()
    due = [b for b in boosters if b.is_open(now) and not b.done]
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{md(home.student.display_name)}** · {md(home.course.name)}")
        st.button("Not you?", key="course-not-me", icon=":material/logout:", on_click=_forget,
                  args=(db, device), help="This browser forgets you; type your own code.")
    st.header("To do", anchor=False)
    if not home.due and not home.classes and not due:
        st.success("Nothing is due. Well done.", icon=":material/done_all:")
    for item in home.due:
        _due(db, home, item)
    for offer in due:
        _booster(db, home, offer)
    for row in home.classes:
        _open_class(db, home, row)
    later = [f"- {md(u.title)}, {PHASE_TITLES[u.phase]}: opens {u.opens_at:%A %d %B}" for u in home.upcoming]
    later += [f"- Booster: {md(b.lesson.lesson.title)} ({md(b.skill_title.lower())}): opens {b.opens_on:%A %d %B}"
              for b in boosters if not b.is_open(now)]
    if later:
        st.markdown("\n".join(later))
    st.header("Done", anchor=False)
    done = [f"- {md(d.title)}, {PHASE_TITLES[d.phase]}: {d.questions} questions answered" for d in home.done]
    done += [f"- Booster: {md(b.lesson.lesson.title)}: {b.questions} questions answered" for b in boosters if b.done]
    if done:
        st.markdown("\n".join(done))
    else:
        st.caption("Nothing yet.")
    _skills(home.skills)
    st.caption(f"Your teacher keeps your answers in this course until {home.course.retention_until:%d %B %Y}; then "
               "they are deleted. Only you and your teacher see this page's figures.")


def _due(db: ClassCourseStore, home: CourseHome, item: DueCheck) -> None:
    with st.container(border=True, key=f"course-due-{item.check_id}-{item.phase}"):
        st.markdown(f"**{md(item.title)}**, {PHASE_TITLES[item.phase]}")
        done = f"{item.answered} of {item.questions} answered" if item.answered else f"{item.questions} questions"
        st.caption(done)
        if st.button("Continue" if item.answered else "Start", key=f"course-start-{item.check_id}-{item.phase}",
                     type="primary", icon=":material/play_arrow:"):
            check = course_state.checks().get(item.check_id)
            if check is None:
                st.error("This check is not in the library any more. Tell your teacher.", icon=":material/error:")
                return
            try:
                session, _ = start_check(db, home.student, check, item.phase, course_state.now())
            except CourseError as e:
                st.error(md(str(e)), icon=":material/error:")
                return
            class_state.remember(session.code)
            st.switch_page(nav.CLASS, query_params={"c": session.code, "s": home.student.token})


def _booster(db: ClassCourseStore, home: CourseHome, offer: BoosterOffer) -> None:
    """A booster: a short lesson on one of the student's weakest skills in the post-check, items they have not seen."""
    with st.container(border=True, key=f"course-booster-{offer.lesson.id}"):
        st.markdown(f"**Booster: {md(offer.lesson.lesson.title)}**")
        done = f"{offer.answered} of {offer.questions} answered." if offer.answered else f"{offer.questions} questions."
        st.caption(f"Practice on {md(offer.skill_title.lower())}, a skill your post-check showed you could most "
                   f"improve. {done}")
        if st.button("Continue" if offer.answered else "Start", key=f"course-booster-start-{offer.lesson.id}",
                     type="primary", icon=":material/fitness_center:"):
            try:
                session, _ = start_booster(db, home.student, offer.lesson, course_state.now())
            except CourseError as e:
                st.error(md(str(e)), icon=":material/error:")
                return
            class_state.remember(session.code)
            st.switch_page(nav.CLASS, query_params={"c": session.code, "s": home.student.token})


def _open_class(db: ClassCourseStore, home: CourseHome, row: CourseClassRow) -> None:
    with st.container(border=True, key=f"course-class-{row.session.id}"):
        lesson = state.library().get(row.session.lesson_id)
        title = md(lesson.lesson.title) if lesson is not None else f"Class {row.session.code}"
        st.markdown(f"**{title}** ({'live' if row.session.pacing == 'teacher' else 'homework'}, class "
                    f"{row.session.code})")
        if st.button("Open", key=f"course-join-{row.session.id}", type="primary", icon=":material/login:"):
            try:
                seat(db, row.session, home.student)
            except CourseError as e:
                st.error(md(str(e)), icon=":material/error:")
                return
            class_state.remember(row.session.code)
            st.switch_page(nav.CLASS, query_params={"c": row.session.code, "s": home.student.token})


def _skills(skills: list[SkillRow]) -> None:
    st.header("My skills", anchor=False)
    if not skills:
        st.caption("Your progress by skill shows here once your first class in the course has ended.")
        return
    for row in skills:
        share = row.earned / row.possible if row.possible else 0.0
        st.progress(share, text=f"{md(row.title)}: {points(row.earned)} of {row.possible} "
                    f"point{'s' if row.possible != 1 else ''}")


def _forget(db: ClassCourseStore, device: str | None) -> None:
    forget(db, device)
    st.session_state.pop(_STUDENT, None)
