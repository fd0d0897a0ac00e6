"""Issue 16, defect 2, on SQLite and PostgreSQL: a student who closed the tab gets their seat back from the same
browser (no "Ana (2)"), or from another device with their seat code; a wrong seat code counts as a wrong code;
a teacher removes a student, and the projector's count then reaches everyone still in the class."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from sourcecheck.db import SqlStore
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions import classes
from sourcecheck.sessions.classes import (
    JoinRefused,
    TooManyGuesses,
    answerable,
    join_class,
    move,
    reclaim_seat,
    start_class,
    welcome_back,
)
from sourcecheck.sessions.guesses import Guesser, JoinLimits, address_key
from sourcecheck.sessions.seats import SEAT_ALPHABET, device_hash, seat_code, seat_hash
from sourcecheck.sessions.store import AnswerRow, QuestionCount

LESSON = "raqqa-who-says"


def device() -> str:
    return secrets.token_urlsafe(32)  # what the sc_device cookie holds: 43 characters


def tab(n: int, address: str = "203.0.113.7") -> Guesser:
    return Guesser(f"streamlit-session-{n:04d}", address)


def answer(participant: int, question: str) -> AnswerRow:
    return AnswerRow(participant_id=participant, lesson_id=LESSON, lesson_hash="0" * 64, attempt=1,
                     question_id=question, response=0, earned=1.0, possible=1, verdict="correct",
                     submitted_at=datetime.now(UTC))


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    waits: list[float] = field(default_factory=list)

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock()
    real = classes.JOIN_LIMITS
    monkeypatch.setattr(classes, "JOIN_LIMITS", JoinLimits(
        per_session=real.per_session, session_window=real.session_window, per_address=real.per_address,
        address_window=real.address_window, free_per_minute=real.free_per_minute, step=real.step,
        max_wait=real.max_wait, clock=fake, sleep=fake.sleep))
    yield fake


@pytest.fixture
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


@pytest.fixture
def code(store: SqlStore, lesson: LoadedLesson) -> str:
    return start_class(store, lesson, pacing="teacher").code


def test_the_seat_code_alphabet_has_no_look_alikes() -> None:
    assert len(SEAT_ALPHABET) == 25 and len(set(SEAT_ALPHABET)) == 25
    assert not set(SEAT_ALPHABET) & set("0O1IL5S2Z8B")
    assert set(SEAT_ALPHABET) <= set(string.ascii_uppercase + string.digits)
    codes = {seat_code(7, secrets.token_urlsafe(16)) for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) == 6 and set(c) <= set(SEAT_ALPHABET) for c in codes)
    assert {ch for c in codes for ch in c} == set(SEAT_ALPHABET)  # every character turns up
    assert seat_code(7, "token-a") == seat_code(7, "token-a") != seat_code(8, "token-a")  # per class
    assert seat_hash(7, "ab-c d e f") == seat_hash(7, "ABCDEF")  # typed loosely, compared as shown


def test_the_same_browser_typing_the_same_name_gets_its_seat_back(store: SqlStore, code: str,
                                                                  lesson: LoadedLesson) -> None:
    """The defect: a closed tab, the QR code scanned again, the same name typed: 'Ana-María (2)', a new student
    with no answers, and a count of '2 of 3 answered' in a class of two."""
    phone, other = device(), device()
    session, ana = join_class(store, code, "token-ana-first-tab", "Ana-María", tab(1), device=phone)
    _, ben = join_class(store, code, "token-ben-0000000001", "Ben", tab(2), device=other)
    move(store, session.id, lesson, 0)
    first = lesson.lesson.questions[0].id
    store.record_answer(answer(ana.id, first))
    store.record_answer(answer(ben.id, first))
    # The tab is closed; a new tab of the same browser has a new token and types the same name.
    again_session, again = join_class(store, code, "token-ana-second-tab", "ana-maría", tab(3), device=phone)
    assert again.id == ana.id and again.display_name == "Ana-María" and again.token == ana.token
    assert again_session.id == session.id
    assert store.question_count(session.id, first) == QuestionCount(joined=2, answered=2)  # "2 of 2", not "of 3"
    assert [a.question_id for a in store.answers(again.id, LESSON)] == [first]  # with her answers
    # The join link opened again finds it before any name is typed.
    found = welcome_back(store, code.lower(), phone)
    assert found is not None and found[1].id == ana.id and found[0].id == session.id
    assert welcome_back(store, code, device()) is None and welcome_back(store, code, None) is None
    # Another browser typing the same name is another student, as before.
    assert join_class(store, code, "token-someone-else-1", "Ana-María", tab(4), device=device())[1].display_name \
        == "Ana-María (2)"


def test_a_suffixed_name_typed_plainly_from_the_same_browser_finds_its_seat(store: SqlStore, code: str) -> None:
    join_class(store, code, "token-sam-one-000001", "Sam", tab(1), device=device())
    phone = device()
    sam2 = join_class(store, code, "token-sam-two-000001", "Sam", tab(2), device=phone)[1]
    assert sam2.display_name == "Sam (2)"
    assert join_class(store, code, "token-sam-two-000002", "Sam", tab(3), device=phone)[1].id == sam2.id


def test_another_person_on_the_same_browser_gets_a_seat_of_their_own(store: SqlStore, code: str) -> None:
    tablet = device()
    ana = join_class(store, code, "token-ana-tablet-001", "Ana", tab(1), device=tablet)[1]
    ben = join_class(store, code, "token-ben-tablet-001", "Ben", tab(2), device=tablet)[1]
    assert ben.id != ana.id and ben.display_name == "Ben"
    found = welcome_back(store, code, tablet)
    assert found is not None and found[1].id == ben.id  # the browser's latest seat is the one welcomed


def test_a_seat_code_from_another_device_returns_to_the_seat(store: SqlStore, code: str, clock: Clock) -> None:
    phone, laptop = device(), device()
    session, ana = join_class(store, code, "token-ana-on-phone01", "Ana", tab(1), device=phone)
    shown = seat_code(session.id, ana.token)  # what her phone's class page shows her
    back_session, back = reclaim_seat(store, code, f" {shown[:3].lower()}-{shown[3:]} ", tab(2), laptop)
    assert back.id == ana.id and back.token == ana.token and back_session.id == session.id
    found = welcome_back(store, code, laptop)  # the laptop now finds the seat by itself
    assert found is not None and found[1].id == ana.id
    assert clock.waits == [] and store.guess_counts([(address_key(tab(2).address), clock.now - timedelta(1))]) == [0]


def test_a_wrong_seat_code_counts_as_a_wrong_code_and_a_right_one_still_works(store: SqlStore, code: str,
                                                                             clock: Clock) -> None:
    session, ana = join_class(store, code, "token-ana-guessed-01", "Ana", tab(1), device=device())
    right = seat_code(session.id, ana.token)
    wrong = next(c for c in ("AAAAAA", "CCCCCC") if c != right)
    limits = classes.JOIN_LIMITS
    for _ in range(limits.per_session):
        with pytest.raises(JoinRefused, match="does not match anyone in this class") as refused:
            reclaim_seat(store, code, wrong, tab(5), device())
        assert not isinstance(refused.value, TooManyGuesses)
    address = address_key(tab(5).address)
    assert store.guess_counts([(address, clock.now - timedelta(minutes=1))]) == [limits.per_session]
    with pytest.raises(TooManyGuesses, match="open a new tab"):
        reclaim_seat(store, code, right, tab(5), device())  # this tab is refused, right code or not: no oracle
    for n in range(limits.per_address):  # more wrong codes from other tabs on the same network (a school NAT)
        with pytest.raises(JoinRefused):
            reclaim_seat(store, code, wrong, tab(100 + n // 5), device())
    waited = len(clock.waits)
    assert waited > 0  # the address is being slowed now...
    back = reclaim_seat(store, code, right, tab(999), device())[1]  # ...and Ana, on the same network, gets in
    assert back.id == ana.id and len(clock.waits) > waited  # after the same wait as a guess, never refused


def test_a_removed_student_is_out_of_the_count_and_finds_no_seat(store: SqlStore, code: str,
                                                                 lesson: LoadedLesson) -> None:
    phone = device()
    session, ana = join_class(store, code, "token-ana-removed-01", "Ana", tab(1), device=phone)
    _, ben = join_class(store, code, "token-ben-stays-0001", "Ben", tab(2), device=device())
    move(store, session.id, lesson, 0)
    first = lesson.lesson.questions[0].id
    store.record_answer(answer(ana.id, first))
    version = store.live_state(session.id)
    assert version is not None
    assert store.question_count(session.id, first) == QuestionCount(joined=2, answered=1)

    assert store.remove_participant(session.id, ana.id) is True
    assert store.remove_participant(session.id, ana.id) is False  # a repeat changes nothing
    after = store.live_state(session.id)
    assert after is not None and after.version > version.version  # every screen looks again
    assert store.question_count(session.id, first) == QuestionCount(joined=1, answered=0, removed=1)
    assert store.first_answers(session.id, first) == []
    assert [s.students for s in store.class_summaries() if s.session.id == session.id] == [1]
    assert [(p.display_name, p.removed) for p in store.participants(session.id)] == [("Ana", True), ("Ben", False)]
    assert [r.answer.question_id for r in store.session_answers(session.id)] == [first]  # kept in the results
    removed = store.participant(session.id, ana.token)
    assert removed is not None and removed.removed
    assert answerable(store, session.id, lesson, ana.token) is None  # she cannot answer
    assert answerable(store, session.id, lesson, ben.token) == first
    assert welcome_back(store, code, phone) is None  # her device no longer finds the seat...
    assert store.reclaim_seat(session.id, seat_hash(session.id, seat_code(session.id, ana.token)), None) is None
    # ...her name is free for a new join, and her own tab joining again is a new student
    again = join_class(store, code, ana.token, "Ana", tab(3), device=phone)[1]
    assert again.id != ana.id and again.display_name == "Ana" and again.token != ana.token
    assert store.question_count(session.id, first) == QuestionCount(joined=2, answered=0, removed=1)


def test_remove_and_delete_their_answers(store: SqlStore, code: str, lesson: LoadedLesson) -> None:
    session, ana = join_class(store, code, "token-ana-deleted-01", "Ana", tab(1))
    move(store, session.id, lesson, 0)
    first = lesson.lesson.questions[0].id
    store.record_answer(answer(ana.id, first))
    assert store.remove_participant(session.id, ana.id, delete_answers=True) is True
    assert store.session_answers(session.id) == [] and store.participants(session.id) == []
    assert store.participant(session.id, ana.token) is None
    assert store.remove_participant(session.id, ana.id, delete_answers=True) is False
    assert store.remove_participant(session.id + 1, ana.id) is False  # another class's id removes nobody


def test_removed_students_do_not_fill_the_class(store: SqlStore, lesson: LoadedLesson) -> None:
    session = start_class(store, lesson, pacing="teacher", max_students=2)
    people = [join_class(store, session.code, f"token-cap-{n:011d}", f"S{n}", tab(n))[1] for n in range(2)]
    with pytest.raises(JoinRefused, match="full"):
        join_class(store, session.code, "token-cap-late-0001", "Late", tab(9))
    store.remove_participant(session.id, people[0].id)
    assert join_class(store, session.code, "token-cap-late-0001", "Late", tab(9))[1].display_name == "Late"


def test_a_closed_class_welcomes_no_one(store: SqlStore, code: str) -> None:
    phone = device()
    session, _ = join_class(store, code, "token-closed-000001", "Ana", tab(1), device=phone)
    store.close_session(session.id)
    assert welcome_back(store, code, phone) is None
    assert store.device_seat(code, device_hash(phone)) is None
