"""A class code on the board lets anyone join, so one browser tab must not fill a class with made-up students:
changing the URL's `s=` token between joins (the client's own choice), a tab once made a new seat each time, up
to the class's cap, and the real students then found the class full. A tab now makes at most SEATS_PER_TAB
seats; a student who already has a seat gets back in whatever the count, and other tabs are not affected."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, alerts

from sourcecheck.db import open_store
from sourcecheck.sessions.budget import SEATS_PER_TAB
from sourcecheck.ui import nav, teacher_nav

LESSON = "raqqa-who-says"


def join(at: AppTest, code: str, token: str, name: str) -> str:
    """Join from this tab with this token; what the page then says (its alerts), or "in" on the class page."""
    at.query_params["s"] = token
    at.switch_page(nav.JOIN).run()
    at.text_input(key="join-code").input(code)
    at.text_input(key="join-name").input(name)
    at.button(key="join-submit").click().run()
    assert not at.exception
    refused = alerts(at)
    return refused if "joined" in refused else "in"


def test_one_tab_cannot_fill_a_class(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)
    teacher = signed_in(teacher_nav.CLASSES)
    teacher.selectbox(key="cls-lesson").set_value(LESSON)
    teacher.button(key="cls-start").click().run()
    code = next(m.value for m in teacher.markdown if m.value.startswith("### Join code")).split("`")[1]
    session = open_store().session_by_code(code)
    assert session is not None

    tab = AppTest.from_file(APP, default_timeout=TIMEOUT)
    tab.run()
    tokens = [f"seat-token-{n:02d}-padding-xx" for n in range(SEATS_PER_TAB + 1)]
    assert [join(tab, code, t, f"Made up {n}") for n, t in enumerate(tokens[:SEATS_PER_TAB])] == ["in"] * SEATS_PER_TAB
    refused = join(tab, code, tokens[-1], "One too many")
    assert f"already joined {SEATS_PER_TAB} students" in refused
    assert len(open_store().participants(session.id)) == SEATS_PER_TAB  # nothing stored for the refused one
    assert join(tab, code, tokens[0], "Made up 0") == "in"  # a student with a seat always gets back in

    other = AppTest.from_file(APP, default_timeout=TIMEOUT)
    other.run()
    assert join(other, code, "a-real-student-token-001", "Ana") == "in"  # another tab is not held by that one
