"""Join codes are not guessable in practice: 31**6 codes from a cryptographic random source, and wrong codes are
limited per browser and per server process, on the join page and on a class link (`/class?c=...`) alike."""

from __future__ import annotations

import math
import os
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, alerts

from sourcecheck.db import SqlStore, open_store
from sourcecheck.db.codes import ALPHABET, CODE_LENGTH, new_code
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions import classes
from sourcecheck.sessions.classes import JoinRefused, TooManyGuesses, find_class, join_class, start_class
from sourcecheck.sessions.guesses import GuessLimiter
from sourcecheck.ui import nav, teacher_nav

LESSON = "raqqa-who-says"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """The app's own limits on a clock the test moves: a fresh limiter, so other tests' guesses do not count."""
    fake = Clock()
    real = classes.JOIN_GUESSES
    monkeypatch.setattr(classes, "JOIN_GUESSES", GuessLimiter(
        per_guesser=real.per_guesser, guesser_window=real.guesser_window, per_process=real.per_process,
        process_window=real.process_window, clock=fake))
    yield fake


@pytest.fixture
def db(tmp_path: Path) -> Iterator[SqlStore]:
    store = open_store(f"sqlite:///{tmp_path / 'guess.db'}")
    yield store
    store.engine.dispose()


@pytest.fixture
def open_class(db: SqlStore, library: object) -> str:
    lesson = library.get(LESSON)  # type: ignore[attr-defined]
    assert isinstance(lesson, LoadedLesson)
    return start_class(db, lesson, pacing="teacher").code


def wrong_code(right: str, n: int) -> str:
    """A well-formed code that is not the open one."""
    code = new_code()
    return code if code != right else wrong_code(right, n)


def test_the_code_space_and_its_source() -> None:
    assert len(ALPHABET) == 31 and CODE_LENGTH == 6
    assert not set(ALPHABET) & set("0O1IL") and set(ALPHABET) <= set(string.ascii_uppercase + string.digits)
    assert len(ALPHABET) ** CODE_LENGTH == 887_503_681
    assert round(CODE_LENGTH * math.log2(len(ALPHABET)), 1) == 29.7
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) == 6 and set(c) <= set(ALPHABET) for c in codes)
    used = {ch for c in codes for ch in c}
    assert used == set(ALPHABET)  # every character of the alphabet turns up: not a narrower generator


def test_security_doc_states_the_entropy_and_the_limits() -> None:
    doc = (PROJECT_ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    limit = classes.JOIN_GUESSES
    assert "31^6 = 887,503,681" in doc and "29.7 bits" in doc
    assert f"{limit.per_guesser} wrong codes per browser in {limit.guesser_window / 60:g} minutes" in doc
    assert f"{limit.per_process} wrong codes a minute" in doc and limit.process_window == 60


def test_a_browser_is_stopped_after_ten_wrong_codes_even_with_the_right_one(db: SqlStore, open_class: str,
                                                                            clock: Clock) -> None:
    for n in range(10):
        with pytest.raises(JoinRefused) as refused:
            find_class(db, wrong_code(open_class, n), "guesser-token-0000001")
        assert not isinstance(refused.value, TooManyGuesses)
    with pytest.raises(TooManyGuesses, match="from this browser: wait 10 minutes"):
        find_class(db, open_class, "guesser-token-0000001")  # the right code, too late: no oracle left
    assert find_class(db, open_class, "student-token-0000002").code == open_class  # others still join
    clock.now += 601
    assert find_class(db, open_class, "guesser-token-0000001").code == open_class  # the window has passed


def test_the_right_code_never_counts(db: SqlStore, open_class: str, clock: Clock) -> None:
    for n in range(200):
        session, participant = join_class(db, open_class, "student-token-0000003", f"Sam {n}")
        assert session.code == open_class
    with pytest.raises(JoinRefused):
        find_class(db, wrong_code(open_class, 0), "student-token-0000003")
    assert find_class(db, open_class, "student-token-0000003").code == open_class


def test_new_browsers_for_every_guess_are_held_by_the_process_limit(db: SqlStore, open_class: str,
                                                                    clock: Clock) -> None:
    limit = classes.JOIN_GUESSES.per_process
    for n in range(limit):
        with pytest.raises(JoinRefused):
            find_class(db, wrong_code(open_class, n), f"fresh-browser-{n:08d}")
        clock.now += 0.1
    with pytest.raises(TooManyGuesses, match="on this server just now: wait 1 minute"):
        find_class(db, open_class, "a-new-browser-000001")
    clock.now += 60
    assert find_class(db, open_class, "a-new-browser-000001").code == open_class


def test_the_limiter_forgets_idle_guessers_and_keeps_its_memory_bounded() -> None:
    clock = Clock()
    limiter = GuessLimiter(per_guesser=2, guesser_window=10, per_process=10**9, process_window=1, clock=clock,
                           max_guessers=100)
    for n in range(1000):
        limiter.wrong(f"g{n}")
        clock.now += 0.001
    assert len(limiter._guessers) <= 100
    limiter.wrong("g999")
    refusal = limiter.refusal("g999")
    assert refusal is not None and not refusal.whole_process and 9 < refusal.wait_seconds <= 10


# The pages: the join form and a class link both go through the limit.

def join_page(code: str, token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["s"] = token
    at.switch_page(nav.JOIN)
    at.run()
    at.text_input(key="join-code").input(code)
    at.text_input(key="join-name").input("Guesser")
    return at.button(key="join-submit").click().run()


def class_link(code: str, token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["c"] = code
    at.query_params["s"] = token
    at.run()  # AppTest finds the page by its file name before a first run, and /class is class_room.py
    at.switch_page(nav.CLASS)
    return at.run()


def test_the_join_page_and_class_links_share_the_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                       clock: Clock) -> None:
    use_passcode(monkeypatch, tmp_path)
    teacher = signed_in(teacher_nav.CLASSES)
    teacher.selectbox(key="cls-lesson").set_value(LESSON)
    teacher.button(key="cls-start").click().run()
    code = next(m.value for m in teacher.markdown if m.value.startswith("### Join code")).split("`")[1]
    token = "page-guesser-000000001"
    for n in range(5):
        assert "There is no open class with that code" in alerts(join_page(wrong_code(code, n), token))
    for n in range(5):
        assert "This class has ended, or the code is not right" in alerts(class_link(wrong_code(code, n), token))
    refused = join_page(code, token)
    assert "Too many wrong class codes from this browser" in alerts(refused)
    assert not refused.exception and "You are in" not in alerts(refused)
    linked = class_link(code, token)
    assert "Too many wrong class codes from this browser" in alerts(linked)
    assert not linked.exception

    other = join_page(code, "an-honest-student-0001")  # another browser joins as usual
    other.switch_page(nav.CLASS).run()
    assert "You are in" in alerts(other)
    for _ in range(20):  # its own reruns of the class page never count as guesses
        other.run()
    assert "You are in" in alerts(other)
    db = open_store(os.environ["DATABASE_URL"])
    assert db.session_by_code(code) is not None
    db.engine.dispose()
