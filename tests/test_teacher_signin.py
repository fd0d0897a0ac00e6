"""Teacher sign-in: the teacher pages exist for a session only after the right passcode, and sign-out ends that."""

from __future__ import annotations

import inspect
import time
from pathlib import Path

import pytest
from teacher_helpers import (
    PASSCODE,
    enter_passcode,
    open_sign_in,
    record_wrong_passcode_waits,
    signed_in,
    use_passcode,
)
from ui_helpers import alerts, start_app

from sourcecheck.sessions.passcode import WRONG_PASSCODE_DELAY, sign_in
from sourcecheck.ui import nav, teacher_nav


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.fixture(autouse=True)
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """What the sign-in form would have slept, in order: these tests assert the wait instead of spending it."""
    return record_wrong_passcode_waits(monkeypatch)


def test_the_app_waits_on_the_real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The recorder is the tests' own: without it the form waits with time.sleep, one second a wrong guess, so
    4 wrong guesses in one session still cost 4 seconds (tests/security/test_teacher_access.py times them)."""
    monkeypatch.undo()  # this module's recorder gone: what the app runs with
    assert teacher_nav.wrong_passcode_sleep is time.sleep
    assert inspect.signature(sign_in).parameters["sleep"].default is time.sleep
    assert WRONG_PASSCODE_DELAY == 1.0  # docs/security.md's figures are for this delay


def test_sign_in_waits_after_a_wrong_attempt_only() -> None:
    slept: list[float] = []
    assert sign_in("guess-1234", sleep=slept.append) is False
    assert sign_in("", sleep=slept.append) is False
    assert sign_in(PASSCODE, sleep=slept.append) is True
    assert slept == [WRONG_PASSCODE_DELAY, WRONG_PASSCODE_DELAY]


@pytest.mark.parametrize("page", [teacher_nav.WORKSHOP, teacher_nav.EXPORTS])
def test_a_student_session_has_no_teacher_pages(page: str) -> None:
    at = start_app().run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


def test_catalog_does_not_link_to_teacher_pages() -> None:
    at = start_app().run()
    links = [link.proto.page for link in at.get("page_link")]
    assert not any("teacher" in link for link in links), links


def test_wrong_passcode_is_refused_after_a_delay(waits: list[float]) -> None:
    at = open_sign_in()
    assert [t.value for t in at.title] == ["Teacher sign-in"]
    enter_passcode(at, "guess-1234")
    assert waits == [WRONG_PASSCODE_DELAY]
    assert not at.exception
    assert "That passcode is not right" in alerts(at)
    assert [t.value for t in at.title] == ["Teacher sign-in"]
    with pytest.raises(ValueError):
        at.switch_page(teacher_nav.WORKSHOP)


def test_every_wrong_guess_in_a_session_waits_again(waits: list[float]) -> None:
    at = open_sign_in()
    for n in range(4):
        enter_passcode(at, f"guess-{n:04d}")
        assert "That passcode is not right" in alerts(at)
    assert waits == [WRONG_PASSCODE_DELAY] * 4  # 4 seconds on the real clock


def test_empty_passcode_is_refused(waits: list[float]) -> None:
    at = enter_passcode(open_sign_in(), "   ")
    assert "That passcode is not right" in alerts(at)
    assert waits == [WRONG_PASSCODE_DELAY]


def test_a_passcode_that_is_only_a_prefix_is_refused(waits: list[float]) -> None:
    at = enter_passcode(open_sign_in(), PASSCODE[:-1])
    assert "That passcode is not right" in alerts(at)
    assert waits == [WRONG_PASSCODE_DELAY]


def test_right_passcode_reveals_the_teacher_pages(waits: list[float]) -> None:
    at = enter_passcode(open_sign_in(), PASSCODE)
    assert waits == []  # the right passcode is not slowed
    assert not at.exception
    assert not at.error
    assert [t.value for t in at.title] == ["Teacher"]
    links = {link.proto.page for link in at.get("page_link")}
    assert {"workshop", "exports"} <= {link.rsplit("/", 1)[-1] for link in links}
    at.switch_page(teacher_nav.WORKSHOP).run()
    assert [t.value for t in at.title] == ["Lesson workshop"]
    at.switch_page(teacher_nav.EXPORTS).run()
    assert [t.value for t in at.title] == ["Exports"]


def test_sign_out_removes_the_pages_and_the_draft() -> None:
    at = signed_in(teacher_nav.WORKSHOP)
    at.text_area(key="ws-text").input("id: draft\n").run()
    assert at.session_state["ws-draft"] == "id: draft\n"
    at.button(key="teacher:sign-out").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Teacher sign-in"]  # the same URL now shows the form
    assert "ws-draft" not in at.session_state
    with pytest.raises(ValueError):
        at.switch_page(teacher_nav.WORKSHOP)
    at.switch_page(nav.CATALOG).run()
    assert not at.exception
