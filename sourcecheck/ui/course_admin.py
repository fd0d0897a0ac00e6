"""The teacher's panels for one course (issue 18): roster and cards, one student's export and delete, the check
schedule, how long the course is kept, and deleting it. Each panel only draws and hands the click to
sessions/courses.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import streamlit as st

from sourcecheck.render.cards import cards_html
from sourcecheck.sessions.course_store import PHASES, ClassCourseStore, CourseRow, Phase, StudentRow
from sourcecheck.sessions.courses import (
    DELAY_DAYS,
    MOST_BOOSTER_DAYS,
    Check,
    CourseError,
    add_students,
    check_forms,
    default_retention,
    delete_student,
    export_csv,
    export_json,
    format_code,
    reissue_codes,
    schedule_check,
    set_booster_days,
    set_retention,
)
from sourcecheck.sessions.public_url import public_url
from sourcecheck.ui import course_report_view, course_state
from sourcecheck.ui.text import md

__all__ = ["show_course"]

_CARDS = "crs-cards"  # {course id: [(name, code)]}: codes just made, kept only in this session to print
PHASE_TITLES: dict[Phase, str] = {"pre": "Pre-check", "post": "Post-check", "delayed": "Delayed check"}


def show_course(db: ClassCourseStore, course: CourseRow) -> None:
    students = db.students(course.id)
    _roster(db, course, students)
    _cards(course)
    if students:
        _new_cards(db, course, students)
    if students:
        _one_student(db, students)
    _classes(db, course)
    _checks(db, course)
    _boosters(db, course)
    course_report_view.show(db, course)
    _retention(db, course)
    _delete(db, course)


def _roster(db: ClassCourseStore, course: CourseRow, students: list[StudentRow]) -> None:
    st.header(f"Roster ({len(students)})", anchor=False)
    if students:
        st.markdown(", ".join(md(s.display_name) for s in students))
    else:
        st.info("No students yet. Add their names below: each gets a personal code on a card.", icon=":material/badge:")
    with st.form(f"crs-add-form-{course.id}", clear_on_submit=True):
        names = st.text_area("Names to add, one a line", key=f"crs-names-{course.id}", height=120,
                             placeholder="Ana\nBen\nChloe", help="The names the students see, as in a class.")
        added = st.form_submit_button("Add to the roster", icon=":material/person_add:", key=f"crs-add-{course.id}")
    if added:
        lines = [line for line in names.splitlines() if line.strip()]
        made: list[tuple[StudentRow, str]] = []
        try:
            made = add_students(db, course, lines, course_state.now())
        except CourseError as e:
            st.error(md(str(e)), icon=":material/error:")
        if made:
            _keep_cards(course, made)
            st.rerun()


def _keep_cards(course: CourseRow, made: list[tuple[StudentRow, str]]) -> None:
    cards = st.session_state.setdefault(_CARDS, {})
    cards[course.id] = [*cards.get(course.id, []), *[(s.display_name, format_code(c)) for s, c in made]]


def _cards(course: CourseRow) -> None:
    cards = st.session_state.get(_CARDS, {}).get(course.id, [])
    if not cards:
        return
    with st.container(border=True, key="crs-cards-box"):
        st.markdown(f"**{len(cards)} new personal code{'s' if len(cards) != 1 else ''} to print.** They are shown "
                    "only now: the database keeps a hash of each, not the code. Print the cards before you leave "
                    "this page.")
        home = f"{public_url(int(st.get_option('server.port'))).base.rstrip('/')}/course"
        st.download_button("Print the cards (HTML page)", cards_html(course.name, cards, home_url=home),
                           file_name=f"cards-{course.id}.html", mime="text/html", icon=":material/print:",
                           key=f"crs-print-{course.id}", type="primary")
        if st.button("Done: I have printed them", key=f"crs-cards-done-{course.id}", icon=":material/done:"):
            st.session_state[_CARDS].pop(course.id, None)
            st.rerun()


def _new_cards(db: ClassCourseStore, course: CourseRow, students: list[StudentRow]) -> None:
    """Cards lost: new codes for the whole roster (a code is stored only as a hash, so it cannot be shown again)."""
    with st.container(horizontal=True, vertical_alignment="bottom"):
        sure = st.checkbox("New codes for the whole roster (the old cards stop working)",
                           key=f"crs-all-sure-{course.id}")
        if st.button("New cards for everyone", key=f"crs-all-cards-{course.id}", icon=":material/badge:",
                     disabled=not sure):
            _keep_cards(course, reissue_codes(db, students))
            st.session_state.pop(f"crs-all-sure-{course.id}", None)
            st.rerun()


def _one_student(db: ClassCourseStore, students: list[StudentRow]) -> None:
    by_id = {s.id: s for s in students}
    with st.expander("One student: new card, export, remove", icon=":material/person:"):
        chosen = st.selectbox("Student", list(by_id), key="crs-student", format_func=lambda i: by_id[i].display_name)
        if chosen is None:
            return
        student = by_id[chosen]
        with st.container(horizontal=True):
            st.download_button("Export (CSV)", export_csv(db, student), file_name=f"student-{student.id}.csv",
                               mime="text/csv", key=f"crs-csv-{student.id}", icon=":material/download:")
            st.download_button("Export (JSON)", export_json(db, student), file_name=f"student-{student.id}.json",
                               mime="application/json", key=f"crs-json-{student.id}", icon=":material/download:")
            if st.button("New card", key=f"crs-new-card-{student.id}", icon=":material/badge:",
                         help="A new personal code: the old card stops working."):
                course = db.course(student.course_id)
                if course is not None:
                    _keep_cards(course, reissue_codes(db, [student]))
                    st.rerun()
        sure = st.checkbox(f"Remove {md(student.display_name)} and everything stored about them",
                           key=f"crs-sure-{student.id}")
        if st.button("Remove", key=f"crs-remove-{student.id}", icon=":material/person_remove:", disabled=not sure):
            delete_student(db, student)
            st.rerun()


def _classes(db: ClassCourseStore, course: CourseRow) -> None:
    rows = db.course_classes(course.id)
    st.header("Classes", anchor=False)
    if not rows:
        st.caption("None yet. On Classes, pick this course when you start a class; students then join with their "
                   "personal code.")
        return
    st.markdown("\n".join(
        f"- `{r.session.code}` · {md(r.session.lesson_id)} · {r.session.status}"
        + (" · booster" if r.phase == "booster" else
           f" · {PHASE_TITLES[r.phase].lower()} form {md(r.form or '')}" if r.phase else "") for r in rows))


def _checks(db: ClassCourseStore, course: CourseRow) -> None:
    st.header("Checks", anchor=False)
    checks = course_state.checks()
    if not checks:
        st.caption("The library has no checks yet.")
        return
    scheduled = db.schedule(course.id)
    for row in scheduled:
        title = checks[row.check_id].title if row.check_id in checks else row.check_id
        st.markdown(f"- **{md(title)}**, {PHASE_TITLES[row.phase].lower()}: opens {row.opens_at:%A %d %B %Y}")
    chosen = st.selectbox("Check", list(checks), key=f"crs-check-{course.id}",
                          format_func=lambda i: f"{checks[i].title} ({len(checks[i].forms)} forms)")
    if chosen is None:
        return
    _schedule_form(db, course, checks[chosen])


def _schedule_form(db: ClassCourseStore, course: CourseRow, check: Check) -> None:
    now = course_state.now()
    have = {r.phase: r.opens_at.date() for r in db.schedule(course.id) if r.check_id == check.id}
    with st.form(f"crs-schedule-{course.id}-{check.id}"):
        st.caption(f"Forms {', '.join(check_forms(check))}: half the class plays them in one order, half in the "
                   "other, and nobody gets the same form twice. A delayed check needs a third form.")
        dates: dict[Phase, date] = {}
        for phase in PHASES:
            on = st.checkbox(PHASE_TITLES[phase], value=phase in have or phase != "delayed",
                             key=f"crs-on-{course.id}-{check.id}-{phase}")
            offset = {"pre": 0, "post": 14, "delayed": 14 + 28}[phase]
            default = have.get(phase) or (now + timedelta(days=offset)).date()
            picked = st.date_input(f"{PHASE_TITLES[phase]} opens on", value=default,
                                   key=f"crs-date-{course.id}-{check.id}-{phase}",
                                   help=f"The delayed check: {DELAY_DAYS[0]} to {DELAY_DAYS[1]} days after the "
                                        "post-check." if phase == "delayed" else None)
            if on and isinstance(picked, date):
                dates[phase] = picked
        saved = st.form_submit_button("Save the schedule", icon=":material/event:", key=f"crs-save-{check.id}")
    if saved:
        try:
            schedule_check(db, course, check, {p: datetime.combine(d, time(0), tzinfo=UTC) for p, d in dates.items()})
        except CourseError as e:
            st.error(md(str(e)), icon=":material/error:")
        else:
            st.rerun()


def _boosters(db: ClassCourseStore, course: CourseRow) -> None:
    st.header("Boosters", anchor=False)
    st.markdown(f"After their post-check, each student is offered a short library lesson on each of their two "
                f"weakest skills there, **{course.booster_days} day{'s' if course.booster_days != 1 else ''}** "
                "later, in their course page. A lesson they have not taken in this course, so every item is new.")
    with st.form(f"crs-booster-form-{course.id}"):
        days = st.number_input("Days from the post-check to the booster", min_value=0, max_value=MOST_BOOSTER_DAYS,
                               value=course.booster_days, step=1, key=f"crs-booster-days-{course.id}")
        saved = st.form_submit_button("Save", key=f"crs-booster-save-{course.id}", icon=":material/schedule:")
    if saved:
        try:
            set_booster_days(db, course, int(days))
        except CourseError as e:
            st.error(md(str(e)), icon=":material/error:")
        else:
            st.rerun()


def _retention(db: ClassCourseStore, course: CourseRow) -> None:
    st.header("Kept until", anchor=False)
    latest = default_retention(course.created_at)
    st.markdown(f"On **{course.retention_until:%d %B %Y}** everything stored for this course (its classes, answers, "
                "students and their cards) is deleted. You can pick an earlier date.")
    with st.form(f"crs-retention-form-{course.id}"):
        picked = st.date_input("Delete the course's data on", value=course.retention_until.date(),
                               max_value=latest.date(), min_value=(course_state.now() + timedelta(days=1)).date(),
                               key=f"crs-retention-{course.id}")
        saved = st.form_submit_button("Save", key=f"crs-retention-save-{course.id}", icon=":material/event_busy:")
    if saved and isinstance(picked, date):
        try:
            set_retention(db, course, datetime.combine(picked, time(0), tzinfo=UTC), course_state.now())
        except CourseError as e:
            st.error(md(str(e)), icon=":material/error:")
        else:
            st.rerun()


def _delete(db: ClassCourseStore, course: CourseRow) -> None:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        sure = st.checkbox("Delete this course now, with everything stored for it", key=f"crs-del-sure-{course.id}")
        if st.button("Delete the course", key=f"crs-delete-{course.id}", icon=":material/delete:", disabled=not sure):
            db.delete_course(course.id)
            st.rerun()
