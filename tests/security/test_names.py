"""Finding 5 of issue 17: names. A duplicate name cost one more query per earlier namesake (the 998th took
625 ms) and the 999th raised after storing its row; a pupil could join under a classmate's name in
look-alike letters; and a class took any number of joins. Now: the lowest free suffix is read in one query,
names are compared folded (NFKC, case, invisible characters, look-alike letters), a class takes at most
`max_students` (the teacher can raise it), and a refused join stores nothing."""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode
from ui_helpers import APP, TIMEOUT, alerts

from sourcecheck.db import SqlStore, open_store
from sourcecheck.sessions.classes import JoinRefused, join_class
from sourcecheck.sessions.guesses import Guesser
from sourcecheck.sessions.names import NameRejected, clean_display_name, name_key
from sourcecheck.sessions.store import ClassFull, ParticipantRow
from sourcecheck.ui import nav, teacher_nav

TAB = Guesser(session="names-tab", address="198.51.100.9")  # one browser tab: a right code never waits

def a_class(store: SqlStore) -> int:
    digest = store.save_lesson_version("lesson", "id: lesson\n")
    return store.create_session("lesson", digest, pacing="teacher").id


def token(n: int) -> str:
    return f"token-names-{n:09d}"


def join(store: SqlStore, sid: int, n: int, typed: str) -> ParticipantRow:
    """A join as the join page makes it: the name tidied first."""
    return store.join(sid, token(n), clean_display_name(typed))


@pytest.mark.parametrize(("typed", "like"), [
    ("Аna", "Ana"),  # Cyrillic A
    ("Αnа", "Ana"),  # Greek capital alpha, Cyrillic a
    ("ＡＮＡ", "ana"),  # full-width letters
    ("ﬁona", "Fiona"),  # the "fi" ligature
    ("A\u200bna", "Ana"),  # a zero-width space
    ("Ana\u3164", "Ana"),  # a Hangul filler: draws nothing
    ("  ANA  ", "ana"),
    ("Ёmma", "Ëmma"),  # Cyrillic Yo: E with a diaeresis
    ("AIex", "Alex"),  # capital I for small l
    ("Ρорру", "Poppy"),  # Greek Rho, Cyrillic o, p, y
])
def test_look_alike_names_have_one_key(typed: str, like: str) -> None:
    assert name_key(clean_display_name(typed)) == name_key(like)


def test_different_names_keep_different_keys() -> None:
    names = ["Ana", "Anna", "Ana B", "Zoë", "Zoe", "Sam (2)", "Sam", "Łukasz", "Юлия", "李明"]
    assert len({name_key(n) for n in names}) == len(names)
    assert name_key("Sam (12)") == name_key("Sam") + " (12)"  # a suffix keeps its digits


@pytest.mark.parametrize("typed", ["\u200b\u200b", "\u3164", " \ufe0f "])
def test_a_name_of_invisible_characters_is_refused(typed: str) -> None:
    with pytest.raises(NameRejected):
        clean_display_name(typed)


def test_a_look_alike_of_a_classmate_gets_a_visible_suffix(store: SqlStore) -> None:
    sid = a_class(store)
    ana = join(store, sid, 1, "Ana")
    fakes = [join(store, sid, n, typed) for n, typed in enumerate(["Аna", "ＡＮＡ", "A\u200bna", "ana"], start=2)]
    assert ana.display_name == "Ana"
    # the student's own spelling stays; the suffix shows the class (and the projector) that it is someone else
    assert [p.display_name for p in fakes] == ["Аna (2)", "ＡＮＡ (3)", "Ana (4)", "ana (5)"]
    assert [p.display_name for p in store.participants(sid)] == ["Ana", "Аna (2)", "ＡＮＡ (3)", "Ana (4)", "ana (5)"]
    assert join(store, sid, 2, "Someone else").display_name == "Аna (2)"  # the same token: the same participant


def test_the_lowest_free_suffix_and_a_typed_suffix(store: SqlStore) -> None:
    sid = a_class(store)
    assert join(store, sid, 1, "Sam (2)").display_name == "Sam (2)"  # typed so
    assert [join(store, sid, n, "Sam").display_name for n in (2, 3, 4)] == ["Sam", "Sam (3)", "Sam (4)"]
    assert join(store, sid, 5, "Sam_%").display_name == "Sam_%"  # LIKE's wildcards are literal
    assert join(store, sid, 6, "Sam_%").display_name == "Sam_% (2)"


def _timed(call: Callable[[], ParticipantRow]) -> tuple[float, ParticipantRow]:
    start = time.perf_counter()
    row = call()
    return time.perf_counter() - start, row


def test_the_500th_namesake_joins_as_fast_as_the_first_and_the_999th_is_stored_once(store: SqlStore) -> None:
    sid = a_class(store)
    store.set_max_students(sid, 1000)
    join(store, sid, 0, "Sam")
    first: list[float] = []
    late: list[float] = []
    for n in range(1, 1000):
        seconds, row = _timed(functools.partial(join, store, sid, n, "Sam"))
        assert row.display_name == f"Sam ({n + 1})"
        (first if n <= 5 else late if 500 <= n < 505 else []).append(seconds)
    # Before: one more SELECT and INSERT per earlier namesake (9 ms, then 625 ms at the 998th). Now a fixed
    # handful of statements: the best of five at the 500th duplicate within a loose factor of the first five.
    assert min(late) < 4 * min(first) + 0.005, (first, late)
    people = store.participants(sid)
    assert len(people) == 1000 and len({p.display_name for p in people}) == 1000
    with pytest.raises(ClassFull):
        join(store, sid, 1000, "Sam")
    assert len(store.participants(sid)) == 1000  # nothing stored by the refusal


def test_a_full_class_refuses_newcomers_but_takes_back_its_students(store: SqlStore) -> None:
    sid = a_class(store)
    session = store.session(sid)
    assert session is not None and session.max_students == 60  # the schema's default
    assert store.set_max_students(sid, 3) is True
    inside = [join(store, sid, n, f"Student {n}") for n in range(3)]
    with pytest.raises(JoinRefused, match=r"This class is full \(3 students\)\. Ask your teacher to raise the limit\."):
        join_class(store, session.code, token(99), "Late", TAB)
    assert store.participant(sid, token(99)) is None and len(store.participants(sid)) == 3  # nothing stored
    again = join_class(store, session.code, token(1), "Another name", TAB)[1]  # a refresh, another device
    assert again == inside[1]
    store.set_max_students(sid, 4)
    assert join_class(store, session.code, token(99), "Late", TAB)[1].display_name == "Late"


def test_nothing_is_stored_when_the_class_is_gone(store: SqlStore) -> None:
    sid = a_class(store)
    store.close_session(sid)
    with pytest.raises(LookupError):
        join(store, sid, 1, "Sam")
    assert store.participants(sid) == []


@pytest.mark.parametrize("limit", [5, 60])
def test_eight_students_with_one_name_at_once(store: SqlStore, limit: int) -> None:
    """Joins to one class run one after another (the class row is locked first), so the cap holds exactly and
    every namesake gets a different suffix, on both databases."""
    sid = a_class(store)
    store.set_max_students(sid, limit)
    gate = threading.Barrier(8)
    names: list[str] = []
    full: list[int] = []
    errors: list[BaseException] = []

    def one(n: int) -> None:
        gate.wait()
        try:
            names.append(join(store, sid, n, "Sam").display_name or "")
        except ClassFull as e:
            full.append(e.limit)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    joined = min(8, limit)
    assert sorted(names) == sorted(["Sam"] + [f"Sam ({n})" for n in range(2, joined + 1)])
    assert full == [limit] * (8 - joined)
    assert len(store.participants(sid)) == joined


def join_page(code: str, name: str, browser: str) -> str:
    """A student types the code and a name on the join page; what the page then says."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["s"] = browser
    at.switch_page(nav.JOIN)
    at.run()
    at.text_input(key="join-code").input(code)
    at.text_input(key="join-name").input(name)
    at.button(key="join-submit").click().run()
    assert not at.exception
    return str(alerts(at))


def test_the_teacher_picks_the_cap_and_raises_it_on_the_classes_page(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)
    db = open_store(os.environ["DATABASE_URL"])
    teacher = signed_in(teacher_nav.CLASSES)
    teacher.selectbox(key="cls-lesson").set_value("raqqa-who-says")
    teacher.number_input(key="cls-max").set_value(2)
    teacher.button(key="cls-start").click().run()
    assert not teacher.exception
    code = next(m.value for m in teacher.markdown if m.value.startswith("### Join code")).split("`")[1]
    session = db.session_by_code(code)
    assert session is not None and session.max_students == 2
    assert join_page(code, "Ana", "browser-cap-000000001").startswith("You are in.")
    assert join_page(code, "Ben", "browser-cap-000000002").startswith("You are in.")
    full = join_page(code, "Cai", "browser-cap-000000003")
    assert "This class is full (2 students). Ask your teacher to raise the limit." in full
    assert join_page(code, "Ana", "browser-cap-000000001").startswith("You are in.")  # already in: back in
    assert [p.display_name for p in db.participants(session.id)] == ["Ana", "Ben"]
    cap = teacher.number_input(key=f"cls-max-{session.id}")
    assert cap.value == 2
    cap.set_value(3).run()
    assert not teacher.exception
    assert (db.session(session.id) or session).max_students == 3
    assert join_page(code, "Cai", "browser-cap-000000003").startswith("You are in.")
    assert [p.display_name for p in db.participants(session.id)] == ["Ana", "Ben", "Cai"]
    db.engine.dispose()


def test_a_name_from_before_name_keys_still_gets_a_suffix(store: SqlStore) -> None:
    """Rows stored before migration 0003 have no key: the display name's own unique constraint still holds."""
    from sourcecheck.db.tables import participants

    sid = a_class(store)
    with store.engine.begin() as c:
        c.execute(participants.insert().values(session_id=sid, token=token(0), display_name="Sam", name_key=None))
    assert join(store, sid, 1, "Sam").display_name == "Sam (2)"
    assert [p.display_name for p in store.participants(sid)] == ["Sam", "Sam (2)"]


def test_the_cap_in_the_schema_the_code_and_the_docs_agree() -> None:
    from sourcecheck.db.tables import class_sessions
    from sourcecheck.lessons.paths import PROJECT_ROOT
    from sourcecheck.sessions.classes import DEFAULT_MAX_STUDENTS, MOST_STUDENTS

    default = class_sessions.c.max_students.server_default
    assert str(getattr(default, "arg", "")) == str(DEFAULT_MAX_STUDENTS) == "60"
    doc = (PROJECT_ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert f"{DEFAULT_MAX_STUDENTS} unless the teacher" in doc and f"(1 to {MOST_STUDENTS:,})" in doc
    assert f"This class is full ({DEFAULT_MAX_STUDENTS} students). Ask your teacher to raise the limit." in doc
