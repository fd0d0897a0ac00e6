"""Join codes are not guessable in practice: 31**6 codes from a cryptographic random source, and wrong codes are
limited per browser tab and slowed per address and for everyone, in the database every process shares, on the join
page and on a class link (`/class?c=...`) alike; a student who belongs to the class is never limited."""

from __future__ import annotations

import math
import os
import string
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
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
from sourcecheck.sessions.guesses import ANY, Guesser, JoinLimits, address_key, session_key
from sourcecheck.ui import nav, teacher_nav

LESSON = "raqqa-who-says"


class Clock:
    """The limiter's clock and sleep: the test moves time, and a wait is recorded and moves it, never slept."""

    def __init__(self) -> None:
        self.now = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
        self.waits: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += timedelta(seconds=seconds)

    def move(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """The app's own limits on a clock the test moves."""
    fake = Clock()
    real = classes.JOIN_LIMITS
    monkeypatch.setattr(classes, "JOIN_LIMITS", JoinLimits(
        per_session=real.per_session, session_window=real.session_window, per_address=real.per_address,
        address_window=real.address_window, free_per_minute=real.free_per_minute, step=real.step,
        max_wait=real.max_wait, clock=fake, sleep=fake.sleep))
    yield fake


@pytest.fixture
def db(store: SqlStore) -> SqlStore:
    """SQLite and PostgreSQL (tests/conftest.py)."""
    return store


@pytest.fixture
def open_class(db: SqlStore, library: object) -> str:
    lesson = library.get(LESSON)  # type: ignore[attr-defined]
    assert isinstance(lesson, LoadedLesson)
    return start_class(db, lesson, pacing="teacher").code


def wrong_code(right: str, n: int = 0) -> str:
    """A well-formed code that is not the open one."""
    code = new_code()
    return code if code != right else wrong_code(right, n)


def tab(n: int, address: str = "203.0.113.7") -> Guesser:
    return Guesser(f"streamlit-session-{n:04d}", address)


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
    limits = classes.JOIN_LIMITS
    assert "31^6 = 887,503,681" in doc and "29.7 bits" in doc
    assert f"{limits.per_session} wrong codes per browser tab in {limits.session_window / 60:g} minutes" in doc
    assert f"{limits.per_address} wrong codes in {limits.address_window / 60:g} minutes" in doc
    assert f"{limits.free_per_minute} wrong codes a minute" in doc and f"{limits.max_wait:g} s" in doc
    assert "X-SourceCheck-Upstream" not in (PROJECT_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def test_a_tab_is_stopped_after_ten_wrong_codes_whatever_token_it_sends(db: SqlStore, open_class: str,
                                                                        clock: Clock) -> None:
    """The bug of issue 17: the limit was keyed on the URL's `s=` token, which a client changes at will."""
    for n in range(10):
        with pytest.raises(JoinRefused) as refused:
            find_class(db, wrong_code(open_class), tab(1), f"token-{n}")
        assert not isinstance(refused.value, TooManyGuesses)
    with pytest.raises(TooManyGuesses, match="from this browser: wait up to 10 minutes"):
        find_class(db, open_class, tab(1), "yet-another-token")  # the right code, too late: no oracle left
    assert find_class(db, open_class, tab(2, "198.51.100.9"), "student").code == open_class  # others join
    clock.move(601)
    assert find_class(db, open_class, tab(1), "token-0").code == open_class  # the window has passed


def test_the_right_code_never_counts(db: SqlStore, open_class: str, clock: Clock) -> None:
    for n in range(50):  # under the class size cap (60): every one a right code
        session, participant = join_class(db, open_class, f"student-token-{n:04d}", f"Sam {n}", tab(3))
        assert session.code == open_class
    assert clock.waits == [] and db.guess_counts([(session_key(tab(3).session), clock.now - timedelta(1))]) == [0]


def test_a_flood_slows_guessers_and_never_refuses_a_right_code(db: SqlStore, open_class: str,
                                                               clock: Clock) -> None:
    """200 wrong codes from fresh tabs on one address: the guesser waits longer and longer, one guess at a time,
    while a student elsewhere joins at once and a student on the guesser's own address (a school's NAT) still
    joins, after a wait; a student already in the class never waits."""
    inside = join_class(db, open_class, "joined-student", "Ana", tab(900))[1]
    for n in range(200):
        with pytest.raises(JoinRefused) as refused:
            find_class(db, wrong_code(open_class), tab(100 + n // 10), f"random-token-{n}")
        assert not isinstance(refused.value, TooManyGuesses)
    limits = classes.JOIN_LIMITS
    assert clock.waits[0] == pytest.approx(limits.step) and max(clock.waits) == limits.max_wait
    assert len(clock.waits) == 200 - limits.per_address  # from the 31st on

    waited = len(clock.waits)
    assert join_class(db, open_class, "new-student-elsewhere", "Ben", tab(901, "192.0.2.44"))[0].code == open_class
    assert len(clock.waits) == waited  # a clean tab on a clean address never waits
    assert find_class(db, open_class, tab(902), "joined-student").id == inside.session_id  # a reload: no wait
    assert len(clock.waits) == waited
    same_nat = join_class(db, open_class, "student-behind-the-nat", "Cy", tab(903))
    assert same_nat[0].code == open_class and len(clock.waits) == waited + 1  # slowed, not refused


def test_counts_are_shared_by_every_process(db: SqlStore, open_class: str, clock: Clock) -> None:
    """A second process (a second store on the same database) sees the first one's wrong codes: choosing the
    process behind the proxy (its route cookie) is no way around the limits."""
    other = SqlStore(db.engine)
    for _ in range(5):
        with pytest.raises(JoinRefused):
            find_class(db, wrong_code(open_class), tab(7), None)
        with pytest.raises(JoinRefused):
            find_class(other, wrong_code(open_class), tab(7), None)
    with pytest.raises(TooManyGuesses):
        find_class(other, open_class, tab(7), None)


def test_guess_rows_expire_in_bounded_batches(db: SqlStore, clock: Clock) -> None:
    for n in range(25):
        db.record_guesses([session_key(f"s{n}"), address_key("203.0.113.1"), ANY], clock.now)
    clock.move(3600)
    assert db.prune_guesses(clock.now - timedelta(seconds=600), 30) == 30
    assert rows(db) == 75 - 30
    limits = JoinLimits(clock=clock, sleep=clock.sleep, prune_batch=100)
    limits.wrong(db, tab(1))  # each wrong code also clears a batch of expired rows
    assert rows(db) == 3  # the 45 expired rows went with this call's batch of 100


def rows(db: SqlStore) -> int:
    with db.engine.connect() as c:
        return int(c.exec_driver_sql("SELECT count(*) FROM join_guesses").scalar_one())


def test_address_keys() -> None:
    assert address_key("203.0.113.7") == "address:203.0.113.7"
    assert address_key("::ffff:203.0.113.7") == "address:203.0.113.7"
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:ffff::9") == "address:2001:db8:1:2::/64"
    assert address_key("loopback") == "address:loopback"


# The pages: the join form and a class link both go through the limit, keyed on the tab, not the URL's token.

def typed(at: AppTest, code: str, token: str) -> AppTest:
    """On the join page of this tab, with this token in the URL: type a code and a name, press Join."""
    at.query_params["s"] = token
    at.switch_page(nav.JOIN).run()
    at.text_input(key="join-code").input(code)
    at.text_input(key="join-name").input("Guesser")
    return at.button(key="join-submit").click().run()


def linked(at: AppTest, code: str, token: str) -> AppTest:
    at.query_params["c"] = code
    at.query_params["s"] = token
    return at.switch_page(nav.CLASS).run()


def new_tab() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()  # AppTest finds the page by its file name before a first run, and /class is class_room.py
    return at


def test_the_join_page_and_class_links_share_the_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                       clock: Clock) -> None:
    use_passcode(monkeypatch, tmp_path)
    teacher = signed_in(teacher_nav.CLASSES)
    teacher.selectbox(key="cls-lesson").set_value(LESSON)
    teacher.button(key="cls-start").click().run()
    code = next(m.value for m in teacher.markdown if m.value.startswith("### Join code")).split("`")[1]
    guesser = new_tab()
    for n in range(5):
        assert "There is no open class with that code" in alerts(typed(guesser, wrong_code(code), f"tok-a{n}"))
    for n in range(5):
        assert "This class has ended, or the code is not right" in alerts(linked(guesser, wrong_code(code),
                                                                                 f"tok-b{n}"))
    refused = typed(guesser, code, "a-token-never-seen")
    assert "Too many wrong class codes from this browser" in alerts(refused)
    assert not refused.exception and "You are in" not in alerts(refused)
    again = linked(guesser, code, "another-token-never-seen")
    assert "Too many wrong class codes from this browser" in alerts(again)
    assert not again.exception

    other = typed(new_tab(), code, "an-honest-student-0001")  # another tab joins as usual
    other.switch_page(nav.CLASS).run()
    assert "You are in" in alerts(other)
    for _ in range(20):  # its own reruns of the class page never count as guesses
        other.run()
    assert "You are in" in alerts(other)
    db = open_store(os.environ["DATABASE_URL"])
    assert db.session_by_code(code) is not None
    db.engine.dispose()
