"""Teacher sign-in: the teacher pages exist for a session only after the right passcode, and sign-out ends that."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from teacher_helpers import PASSCODE, enter_passcode, open_sign_in, signed_in, use_passcode
from ui_helpers import alerts, start_app

from sourcecheck.sessions.passcode import WRONG_PASSCODE_DELAY
from sourcecheck.ui import nav, teacher_nav


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


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


def test_wrong_passcode_is_refused_after_a_delay() -> None:
    at = open_sign_in()
    assert [t.value for t in at.title] == ["Teacher sign-in"]
    started = time.monotonic()
    enter_passcode(at, "guess-1234")
    assert time.monotonic() - started >= WRONG_PASSCODE_DELAY
    assert not at.exception
    assert "That passcode is not right" in alerts(at)
    assert [t.value for t in at.title] == ["Teacher sign-in"]
    with pytest.raises(ValueError):
        at.switch_page(teacher_nav.WORKSHOP)


def test_empty_passcode_is_refused() -> None:
    at = enter_passcode(open_sign_in(), "   ")
    assert "That passcode is not right" in alerts(at)


def test_a_passcode_that_is_only_a_prefix_is_refused() -> None:
    at = enter_passcode(open_sign_in(), PASSCODE[:-1])
    assert "That passcode is not right" in alerts(at)


def test_right_passcode_reveals_the_teacher_pages() -> None:
    at = enter_passcode(open_sign_in(), PASSCODE)
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
