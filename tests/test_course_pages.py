"""The course pages in AppTest (issue 18): a teacher makes a course, adds a roster and gets cards to print,
schedules a check and shortens the retention; a course's class asks for the personal code (a remembered browser
skips it); a student's course home shows what is due, starts it, and shows nothing of anyone else."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, alerts, assert_no_leak, page_text

from sourcecheck.db import SqlStore, open_store
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.render.cards import cards_html
from sourcecheck.sessions import courses
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.course_store import CourseRow, StudentRow
from sourcecheck.sessions.guesses import Guesser
from sourcecheck.ui import browser, course_state, nav, teacher_nav


@dataclass(frozen=True)
class FakeCheck:
    id: str
    title: str
    forms: Mapping[str, LoadedLesson]


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture
def db() -> SqlStore:
    return open_store(os.environ["DATABASE_URL"])


@pytest.fixture
def check(library: Library, monkeypatch: pytest.MonkeyPatch) -> FakeCheck:
    made = FakeCheck("reading-check", "Reading check", {"A": library.lessons[0], "B": library.lessons[1]})
    monkeypatch.setattr(course_state, "checks", lambda: {made.id: made})
    return made


def device(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    monkeypatch.setattr(browser, "device_id", lambda: value)


def a_course(db: SqlStore, *names: str) -> tuple[CourseRow, list[tuple[StudentRow, str]]]:
    now = datetime.now(UTC)
    course = courses.create_course(db, f"Course {secrets.token_hex(3)}", now, secrets.token_hex(8))
    return course, courses.add_students(db, course, names, now)


def test_a_teacher_makes_a_course_adds_a_roster_and_gets_cards(db: SqlStore, check: FakeCheck) -> None:
    at = signed_in(teacher_nav.COURSES)
    assert not at.exception
    name = f"Year 10 · Period {secrets.token_hex(2)}"
    at.text_input(key="crs-name").input(name)
    at.button(key="crs-create").click().run()
    course = next(c for c in db.courses() if c.name == name)
    at.text_area(key=f"crs-names-{course.id}").input("Ana\nBen\n\nChloe")
    at.button(key=f"crs-add-{course.id}").click().run()
    assert not at.exception
    assert [s.display_name for s in db.students(course.id)] == ["Ana", "Ben", "Chloe"]
    cards = at.session_state["crs-cards"][course.id]
    assert [n for n, _ in cards] == ["Ana", "Ben", "Chloe"]
    assert "3 new personal codes to print" in page_text(at)
    for _, code in cards:  # each code on the cards opens that student
        assert courses.find_student(db, code, Guesser("t", "10.1.1.1")).course_id == course.id
    at.button(key=f"crs-add-{course.id}")  # the form is still there for more names
    # the schedule: pre and post with two forms is fine; a delayed check too is refused (a form would repeat)
    at.button(key=f"crs-save-{check.id}").click().run()
    assert [r.phase for r in db.schedule(course.id)] == ["pre", "post"]
    at.checkbox(key=f"crs-on-{course.id}-{check.id}-delayed").check()
    at.button(key=f"crs-save-{check.id}").click().run()
    assert "would see one twice" in alerts(at)
    assert [r.phase for r in db.schedule(course.id)] == ["pre", "post"]
    # a shorter retention
    sooner = (datetime.now(UTC) + timedelta(days=20)).date()
    at.date_input(key=f"crs-retention-{course.id}").set_value(sooner)
    at.button(key=f"crs-retention-save-{course.id}").click().run()
    assert db.course(course.id).retention_until.date() == sooner  # type: ignore[union-attr]
    # removing a student takes a tick first
    ben = db.students(course.id)[1]
    at.selectbox(key="crs-student").set_value(ben.id).run()
    assert at.button(key=f"crs-remove-{ben.id}").disabled
    at.checkbox(key=f"crs-sure-{ben.id}").check().run()
    at.button(key=f"crs-remove-{ben.id}").click().run()
    assert [s.display_name for s in db.students(course.id)] == ["Ana", "Chloe"]
    # cards lost: new codes for everyone, the old ones stop working
    at.button(key=f"crs-cards-done-{course.id}").click().run()
    assert course.id not in at.session_state["crs-cards"]  # nothing left to print
    old_ana = cards[0][1]
    at.checkbox(key=f"crs-all-sure-{course.id}").check().run()
    at.button(key=f"crs-all-cards-{course.id}").click().run()
    fresh = at.session_state["crs-cards"][course.id]
    assert [n for n, _ in fresh] == ["Ana", "Chloe"] and fresh[0][1] != old_ana
    with pytest.raises(courses.CourseError):
        courses.find_student(db, old_ana, Guesser("t2", "10.1.1.2"))
    assert_no_leak(page_text(at))


def test_cards_escape_names_and_print_one_card_a_student() -> None:
    page = cards_html("Year <10>", [("<b>Sam</b>", "ACDE-FH34"), ("Ana", "KMNP-RTUV")], home_url="http://x/course")
    assert page.count('class="card"') == 2 and "<b>Sam</b>" not in page and "&lt;b&gt;Sam&lt;/b&gt;" in page
    assert "@media print" in page and "break-inside: avoid" in page


def test_the_classes_page_starts_a_class_for_a_course(db: SqlStore) -> None:
    course, _ = a_course(db, "Dev")
    at = signed_in(teacher_nav.CLASSES)
    at.selectbox(key="cls-lesson").set_value("raqqa-who-says")
    at.radio(key="cls-pacing").set_value("self")
    at.selectbox(key="cls-course").set_value(course.id)
    at.button(key="cls-start").click().run()
    assert not at.exception
    [linked] = db.course_classes(course.id)
    assert linked.session.lesson_id == "raqqa-who-says" and linked.check_id is None


def join_page(code: str, token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["code"] = code
    at.query_params["s"] = token
    at.switch_page(nav.JOIN)
    return at.run()


def test_a_course_class_takes_the_personal_code_and_then_the_remembered_browser(
        db: SqlStore, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    course, made = a_course(db, "Eve", "Finn")
    session = start_class(db, library.get("raqqa-who-says"), pacing="self")  # type: ignore[arg-type]
    db.link_class(session.id, course.id)
    (eve, code), _ = made
    device(monkeypatch, "D" * 43)
    at = join_page(session.code, "tab-token-aaaaaaaaaaaa")
    at.button(key="join-submit").click().run()
    assert "type the personal code" in page_text(at)
    at.text_input(key="join-personal").input(code.lower())
    at.button(key="join-submit").click().run()
    assert not at.exception and not at.error
    seat = db.participant(session.id, eve.token)
    assert seat is not None and seat.display_name == "Eve"
    again = join_page(session.code, "tab-token-bbbbbbbbbbbb")  # the same browser, another tab: no code asked...
    again.button(key="join-submit").click().run()
    assert not again.exception and not again.error and "personal code" not in alerts(again)
    assert "Are you Eve?" in page_text(again)  # ...but who is at the keyboard is (a shared laptop)
    again.button(key="join-continue").click().run()
    assert not again.exception and not again.error
    assert len(db.participants(session.id)) == 1


def test_a_shared_laptop_asks_are_you_before_it_seats_or_shows_the_last_student(
        db: SqlStore, library: Library, check: FakeCheck, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ana typed her code in period 1; in period 3 Ben, on the same laptop, types his course class's code."""
    course, made = a_course(db, "Ana", "Ben")
    (ana, ana_code), (ben, ben_code) = made
    courses.schedule_check(db, course, check, {"pre": datetime.now(UTC) - timedelta(hours=1)})
    session = start_class(db, library.get("raqqa-who-says"), pacing="self")  # type: ignore[arg-type]
    db.link_class(session.id, course.id)
    laptop = "L" * 43
    device(monkeypatch, laptop)
    courses.remember(db, ana, laptop, datetime.now(UTC))
    home = course_home()  # My course: nothing of Ana's before "Continue"
    assert "Are you Ana?" in page_text(home) and "To do" not in page_text(home) and "Reading check" not in page_text(
        home)
    at = join_page(session.code, "tab-token-cccccccccccc")
    at.button(key="join-submit").click().run()
    assert "Are you Ana?" in page_text(at) and db.participants(session.id) == []  # not seated as Ana
    at.button(key="join-not-me").click().run()  # "Not Ana": the browser forgets her, and asks for the code
    assert not at.exception and courses.recognised(db, laptop, datetime.now(UTC)) is None
    at.text_input(key="join-personal").input(ben_code)
    at.button(key="join-submit").click().run()
    assert not at.exception and not at.error
    assert [p.display_name for p in db.participants(session.id)] == ["Ben"]
    home = course_home()  # the laptop now remembers Ben, and asks him too
    assert "Are you Ben?" in page_text(home) and "Ana" not in page_text(home)
    home.button(key="course-not-me").click().run()
    assert not home.exception and home.text_input(key="course-code") is not None
    assert courses.recognised(db, laptop, datetime.now(UTC)) is None
    assert ana.id != ben.id and ana_code != ben_code


def course_home() -> AppTest:
    """A new tab on /course (run once first: before its first run AppTest finds a page by its file name only)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(nav.COURSE)
    return at.run()


def test_a_student_opens_their_course_home_by_code_and_sees_only_their_own(
        db: SqlStore, check: FakeCheck, monkeypatch: pytest.MonkeyPatch) -> None:
    course, made = a_course(db, "Gus", "Hana")
    now = datetime.now(UTC)
    courses.schedule_check(db, course, check, {"pre": now - timedelta(hours=1), "post": now + timedelta(days=20)})
    (gus, code), (hana, _) = made
    device(monkeypatch, "E" * 43)
    at = course_home()
    at.text_input(key="course-code").input("WRONGCODE")
    at.button(key="course-open").click().run()
    assert "not right" in alerts(at)
    at.text_input(key="course-code").input(code)
    at.button(key="course-open").click().run()
    assert not at.exception
    text = page_text(at)
    assert "Gus" in text and course.name in text and "Reading check" in text and "Hana" not in text
    assert "opens" in text  # the post-check, later
    # a new tab of the same browser is recognised without the code, after "Are you Gus?"
    later = course_home()
    assert "Are you Gus?" in page_text(later) and "Reading check" not in page_text(later)
    later.button(key="course-continue").click().run()
    assert "Gus" in page_text(later) and "Reading check" in page_text(later)
    later.button(key=f"course-start-{check.id}-pre").click().run()
    assert not later.exception
    classes = db.course_classes(course.id)
    assert [c.phase for c in classes] == ["pre"]
    assert db.participant(classes[0].session.id, gus.token) is not None
    assert db.participant(classes[0].session.id, hana.token) is None
    assert_no_leak(page_text(later))
    # "Not you?": this browser forgets Gus, and the page asks for a code again
    other = course_home()
    other.button(key="course-continue").click().run()
    other.button(key="course-not-me").click().run()
    assert not other.exception and other.text_input(key="course-code") is not None
    assert "Gus" not in page_text(other)
    assert courses.recognised(db, "E" * 43, datetime.now(UTC)) is None


def test_a_course_class_page_shows_no_seat_code(db: SqlStore, library: Library,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A course seat has no seat code (its personal code brings a student back): showing one that never works, and
    counts as a wrong guess when typed, misleads (review M1). A one-off class still shows it."""
    course, made = a_course(db, "Ivo")
    (ivo, code), = made
    session = start_class(db, library.get("raqqa-who-says"), pacing="self")  # type: ignore[arg-type]
    db.link_class(session.id, course.id)
    device(monkeypatch, "S" * 43)
    at = join_page(session.code, "tab-token-dddddddddddd")
    at.button(key="join-submit").click().run()
    at.text_input(key="join-personal").input(code)
    at.button(key="join-submit").click().run()
    assert not at.exception and not at.error
    at.switch_page(nav.CLASS)
    at.run()
    assert not at.exception and db.participant(session.id, ivo.token) is not None
    assert "seat code" not in page_text(at).lower()
    one_off = start_class(db, library.get("raqqa-who-says"), pacing="self", submission="one-off")  # type: ignore[arg-type]
    plain = join_page(one_off.code, "tab-token-eeeeeeeeeeee")
    plain.text_input(key="join-name").input("Jo")
    plain.button(key="join-submit").click().run()
    plain.switch_page(nav.CLASS)
    plain.run()
    assert "Your seat code" in page_text(plain)
