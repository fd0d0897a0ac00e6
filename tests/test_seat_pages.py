"""Issue 16, defect 2, in AppTest: the join page welcomes a browser back to its seat (with a way out for someone
else on the same device), typing the same name again finds the seat instead of making "Ana-María (2)", a seat
code brings a student back from another device, a wrong one says so, and a student the teacher removed on the
Classes page is told so on their own page. The browser's device cookie is set by patching ui/browser.py's reader
(the one place the app reads it)."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import PASSCODE, enter_passcode, open_sign_in, signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, alerts, fill, page_text, progress_of, submit

from sourcecheck.db import SqlStore, open_store
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.classes import move
from sourcecheck.sessions.seats import seat_code
from sourcecheck.ui import browser, class_state, nav, teacher_nav

LESSON = "raqqa-who-says"


class Devices:
    """Which browser the next AppTest session is: its device cookie, as ui/browser.py would read it."""

    def __init__(self) -> None:
        self.current: str | None = None

    def use(self, device: str | None) -> None:
        self.current = device


@pytest.fixture
def devices(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Devices:
    use_passcode(monkeypatch, tmp_path)
    held = Devices()
    monkeypatch.setattr(browser, "device_id", lambda: held.current)
    return held


@pytest.fixture
def db() -> SqlStore:
    return open_store(os.environ["DATABASE_URL"])


@pytest.fixture(scope="module")
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def start_class() -> str:
    at = signed_in(teacher_nav.CLASSES)
    at.selectbox(key="cls-lesson").set_value(LESSON)
    at.button(key="cls-start").click().run()
    assert not at.exception
    return next(m.value for m in at.markdown if m.value.startswith("### Join code")).split("`")[1]


def open_join(code: str | None = None) -> AppTest:
    """A new tab on the join page: the join link (with the code) or the home page's box (without)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if code is not None:
        at.query_params["code"] = code
    at.switch_page(nav.JOIN)
    return at.run()


def on_class_page(at: AppTest) -> AppTest:
    """Where a join's switch_page leads: the browser is on /class from then on."""
    assert not at.exception
    at.switch_page(nav.CLASS)
    return at.run()


def typed(at: AppTest, code: str, name: str = "", seat: str = "") -> AppTest:
    at.text_input(key="join-code").input(code)
    at.text_input(key="join-name").input(name)
    at.text_input(key="join-seat").input(seat)
    return at.button(key="join-submit").click().run()


def shown_seat_code(at: AppTest) -> str:
    found = re.search(r"Your seat code: \**([A-Z0-9]{6})", page_text(at))
    assert found, page_text(at)
    return found.group(1)


def test_the_join_link_again_welcomes_the_browser_back_to_its_seat(devices: Devices, db: SqlStore,
                                                                    lesson: LoadedLesson) -> None:
    code = start_class()
    devices.use(secrets.token_urlsafe(32))
    first = on_class_page(typed(open_join(code), code, "Ana-María"))
    assert "you are Ana-María" in page_text(first)
    session = db.session_by_code(code)
    assert session is not None
    move(db, session.id, lesson, 0)
    first.run()
    question = lesson.lesson.questions[0]
    progress = progress_of(first, LESSON)
    fill(first, lesson, progress, question, "right")
    submit(first, progress, question)
    assert "Your answer is saved" in alerts(first)
    token = first.session_state["student"]

    again = open_join(code)  # the tab was closed; the QR code is scanned again in the same browser
    assert not again.exception
    assert "Welcome back, Ana-María" in page_text(again)
    assert "Not Ana-María? Join with your own name" in page_text(again)
    assert not [t for t in again.text_input if t.key == "join-name"]  # no name to type, so no new name
    back = on_class_page(again.button(key="join-continue").click().run())
    assert back.session_state["student"] == token  # the same seat...
    assert "you are Ana-María" in page_text(back) and "Your answer is saved" in alerts(back)  # ...with her answer
    assert [p.display_name for p in db.participants(session.id)] == ["Ana-María"]


def test_someone_else_on_the_same_browser_joins_with_their_own_name(devices: Devices, db: SqlStore) -> None:
    code = start_class()
    devices.use(secrets.token_urlsafe(32))
    ana = on_class_page(typed(open_join(code), code, "Ana"))
    other = open_join(code)
    other.button(key="join-not-me").click().run()
    assert "Welcome back" not in page_text(other)
    ben = on_class_page(typed(other, code, "Ben"))
    assert "you are Ben" in page_text(ben)
    assert ben.session_state["student"] != ana.session_state["student"]
    session = db.session_by_code(code)
    assert session is not None and [p.display_name for p in db.participants(session.id)] == ["Ana", "Ben"]


def test_typing_the_same_name_in_the_same_browser_makes_no_second_student(devices: Devices, db: SqlStore) -> None:
    """The defect as reported: the same browser, the same name typed again, made 'Ana-María (2)'."""
    code = start_class()
    devices.use(secrets.token_urlsafe(32))
    ana = on_class_page(typed(open_join(), code, "Ana-María"))
    again = on_class_page(typed(open_join(), code, "Ana-María"))  # the home page's box: the code typed
    assert "you are Ana-María" in page_text(again) and "Ana-María (2)" not in page_text(again)
    assert again.session_state["student"] == ana.session_state["student"]
    other_name = typed(open_join(), code, "Someone Else")  # another name typed: is this the seat's student?
    assert "Welcome back, Ana-María" in page_text(other_name)
    session = db.session_by_code(code)
    assert session is not None and [p.display_name for p in db.participants(session.id)] == ["Ana-María"]


def test_a_seat_code_brings_the_student_back_on_another_device(devices: Devices, db: SqlStore) -> None:
    code = start_class()
    devices.use(secrets.token_urlsafe(32))
    phone = on_class_page(typed(open_join(code), code, "Ana"))
    shown = shown_seat_code(phone)
    session = db.session_by_code(code)
    assert session is not None and shown == seat_code(session.id, phone.session_state["student"])

    devices.use(secrets.token_urlsafe(32))  # a laptop: another browser, no seat of its own
    laptop = open_join(code)
    assert "Welcome back" not in page_text(laptop)
    wrong = typed(laptop, code, seat="ACDEFG" if shown != "ACDEFG" else "ACDEFH")
    assert "That seat code does not match anyone in this class" in alerts(wrong)
    assert "count toward the limit on wrong codes from this network" in alerts(wrong)
    back = on_class_page(typed(wrong, code, seat=shown.lower()))
    assert "you are Ana" in page_text(back) and back.session_state["student"] == phone.session_state["student"]
    assert [p.display_name for p in db.participants(session.id)] == ["Ana"]
    assert shown_seat_code(back) == shown  # the same code on the second device


def test_a_removed_student_is_told_so_and_the_teacher_can_remove_with_answers(devices: Devices, db: SqlStore) -> None:
    code = start_class()
    devices.use(secrets.token_urlsafe(32))
    ana = on_class_page(typed(open_join(code), code, "Ana"))
    devices.use(secrets.token_urlsafe(32))
    ben = on_class_page(typed(open_join(code), code, "Ben"))
    session = db.session_by_code(code)
    assert session is not None
    people = {p.display_name: p.id for p in db.participants(session.id)}

    closed = signed_in(teacher_nav.CLASSES)
    assert not closed.exception
    assert any(e.label == "Students (2)" for e in closed.expander)
    assert not [b for b in closed.button if b.key == f"cls-rm-{people['Ana']}"]  # read only when opened
    teacher = enter_passcode(open_sign_in(), PASSCODE)
    teacher.session_state["cls-students"] = True  # the Students panel open (AppTest cannot click an expander)
    teacher.switch_page(teacher_nav.CLASSES)
    teacher.run()
    teacher.button(key=f"cls-rm-{people['Ana']}").click().run()
    assert "Remove **Ana** from class" in alerts(teacher)
    teacher.button(key=f"cls-rm-yes-{people['Ana']}").click().run()
    assert not teacher.exception and any(e.label == "Students (1)" for e in teacher.expander)

    class_state._LIVE.clear()  # the poll reruns the page once it has read the new version: no stale read left
    ana.run()  # what the poll does once the class's version moved
    assert "Your teacher removed you from this class." in alerts(ana)
    assert not ana.get("form")  # no question, no Submit
    teacher.button(key=f"cls-rm-{people['Ben']}").click().run()
    teacher.button(key=f"cls-rm-erase-{people['Ben']}").click().run()
    class_state._LIVE.clear()
    ben.run()
    assert "Your teacher removed you from this class." in alerts(ben)
    assert [(p.display_name, p.removed) for p in db.participants(session.id)] == [("Ana", True)]
