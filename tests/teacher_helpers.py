"""Driving the teacher pages in AppTest: sign in, open a page, read what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from ui_helpers import APP, TIMEOUT

from sourcecheck.ui import teacher_nav

PASSCODE = "test-passcode-4821"
FIXTURES = Path(__file__).parent / "fixtures"


def use_passcode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A known passcode and sign-in secret, and a private state folder so no generated file is touched."""
    monkeypatch.setenv("SOURCECHECK_TEACHER_PASSCODE", PASSCODE)
    monkeypatch.setenv("SOURCECHECK_TEACHER_SECRET", "test-teacher-secret")
    monkeypatch.setenv("SOURCECHECK_STATE", str(tmp_path / "state"))


def record_wrong_passcode_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The sign-in form's waits after wrong passcodes, recorded instead of slept: a page test then asserts the wait
    a user would sit through without spending it (tests/security/test_teacher_access.py times the real one)."""
    waits: list[float] = []
    monkeypatch.setattr(teacher_nav, "wrong_passcode_sleep", waits.append)
    return waits


def open_sign_in() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(teacher_nav.SIGN_IN)
    return at.run()


def enter_passcode(at: AppTest, passcode: str) -> AppTest:
    at.text_input(key="teacher:passcode").input(passcode)
    return at.button(key="teacher:sign-in").click().run()


def signed_in(page: str) -> AppTest:
    """A new session that signs in on /teacher and then opens `page` (a teacher page script)."""
    at = enter_passcode(open_sign_in(), PASSCODE)
    assert not at.exception
    at.switch_page(page)
    return at.run()


def codes(at: AppTest) -> list[str]:
    """The code blocks shown, but not the workshop's copy of the whole draft with line numbers."""
    return [c.value for c in at.code if not c.proto.show_line_numbers]
