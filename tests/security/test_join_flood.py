"""Issue 17, finding 1: one student must not lock a whole server out of joining.

A guesser floods the join page with 200 wrong codes, changing the `s=` token in the URL before each (it is the
client's own choice) and opening a new tab every ten. Afterwards a new student still joins with the code on the
board, a student who had joined comes back (a reconnect, F5: a new session with the class link), and one who
types the code again on the join page gets in too. Before the fix the limit was keyed on the `s=` token and
a per-process bucket refused the right code to everyone for a minute.

Only the pages are driven, so this test runs on the code before the fix as well (and failed there). The
limiter's waits are recorded instead of slept when the limiter has them (the same address, loopback, is the
guesser's and the students' here: a school behind one NAT address is slowed, never refused).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, alerts

from sourcecheck.db.codes import new_code
from sourcecheck.sessions import classes
from sourcecheck.ui import nav, teacher_nav

LESSON = "raqqa-who-says"


def new_tab(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    return at


def join(at: AppTest, code: str, token: str, name: str) -> AppTest:
    at.query_params["s"] = token
    at.switch_page(nav.JOIN).run()
    at.text_input(key="join-code").input(code)
    at.text_input(key="join-name").input(name)
    return at.button(key="join-submit").click().run()


def in_class(at: AppTest) -> bool:
    at.switch_page(nav.CLASS).run()
    return "You are in" in alerts(at)


def test_a_flood_of_wrong_codes_with_changing_tokens_locks_nobody_out(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    limits = getattr(classes, "JOIN_LIMITS", None)
    waits: list[float] = []
    if limits is not None:
        monkeypatch.setattr(limits, "sleep", waits.append)
    use_passcode(monkeypatch, tmp_path)
    teacher = signed_in(teacher_nav.CLASSES)
    teacher.selectbox(key="cls-lesson").set_value(LESSON)
    teacher.button(key="cls-start").click().run()
    code = next(m.value for m in teacher.markdown if m.value.startswith("### Join code")).split("`")[1]

    ana = secrets.token_urlsafe(16)
    assert in_class(join(new_tab(), code, ana, "Ana"))

    refused = 0
    for n in range(200):
        if n % 10 == 0:
            guesser = new_tab()
        wrong = new_code()
        page = join(guesser, wrong if wrong != code else new_code(), secrets.token_urlsafe(16), "Mallory")
        assert "There is no open class" in alerts(page) or "Too many" in alerts(page)
        refused += "Too many" in alerts(page)

    ben = join(new_tab(), code, secrets.token_urlsafe(16), "Ben")  # a new student, the code on the board
    assert "Too many" not in alerts(ben) and in_class(ben)
    assert in_class(new_tab(c=code, s=ana))  # Ana reconnects, or presses F5: a new session, the class link
    assert in_class(join(new_tab(), code, ana, "Ana"))  # Ana types the code again in a new tab
    if limits is not None:
        assert max(waits) <= limits.max_wait  # slowed, never refused
