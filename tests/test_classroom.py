"""The classroom layer's reads on SQLite and PostgreSQL: the class list, a results scope (one class, every class
on a lesson, the lesson-version check), the projector's feed and reveal, and their caches."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sourcecheck.analytics.options import choices, listed
from sourcecheck.classroom.cache import Memo, clear_all
from sourcecheck.classroom.class_list import class_list, classes_frame
from sourcecheck.classroom.projector import answer_feed, reveal, roll
from sourcecheck.classroom.results import results, scope
from sourcecheck.db import SqlStore
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.store import AnswerRow, ClassSessionRow, ClassSummaryRow

LESSON = "raqqa-who-says"


@pytest.fixture(autouse=True)
def cold() -> None:
    clear_all()


@pytest.fixture
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def answered(db: SqlStore, session: ClassSessionRow, name: str, question: str, response: object, *,
             attempt: int = 1) -> int:
    who = db.join(session.id, f"token-{session.id}-{name}".ljust(20, "x"), name)
    db.record_answer(AnswerRow(participant_id=who.id, lesson_id=session.lesson_id, lesson_hash=session.lesson_hash,
                               attempt=attempt, question_id=question, response=response,  # type: ignore[arg-type]
                               earned=1.0, possible=1, verdict="correct", time_taken_ms=5000,
                               submitted_at=datetime.now(UTC)))
    return who.id


def summary(db: SqlStore, session_id: int) -> ClassSummaryRow:
    return next(c for c in class_list(db) if c.session.id == session_id)


def test_the_class_list_and_its_table(store: SqlStore, lesson: LoadedLesson) -> None:
    first = start_class(store, lesson, pacing="teacher")
    second = start_class(store, lesson, pacing="self")
    answered(store, second, "Ana", lesson.lesson.questions[0].id, 0)
    rows = class_list(store)
    assert [(c.session.id, c.students, c.answers) for c in rows] == [(second.id, 1, 1), (first.id, 0, 0)]
    frame = classes_frame(rows)
    assert list(frame.columns) == ["Code", "Lesson", "Status", "Students", "Closes", "Pacing", "Started"]
    newest = frame.values.tolist()[0]
    assert newest[:4] == [second.code, LESSON, "open", 1] and newest[5] == "Self-paced"


def test_results_for_one_class_and_for_every_class_on_its_lesson(store: SqlStore, lesson: LoadedLesson,
                                                                library: Library) -> None:
    q1 = lesson.lesson.questions[0].id
    one, two = start_class(store, lesson, pacing="teacher"), start_class(store, lesson, pacing="teacher")
    other_lesson = next(x for x in library.lessons if x.id != LESSON)
    other = start_class(store, other_lesson, pacing="teacher")
    answered(store, one, "Ana", q1, 0)
    answered(store, two, "Ben", q1, 1)
    answered(store, two, "Cai", q1, 2)
    answered(store, other, "Dee", other_lesson.lesson.questions[0].id, 0)
    store.join(two.id, "token-two-no-answer-x", "Eli")  # joined, answered nothing
    classes = class_list(store)

    alone = scope(classes, summary(store, one.id), lesson, whole=False)
    assert (alone.title, alone.slug, alone.mixed_versions) == (f"class {one.code}", f"class-{one.code}", False)
    found = results(store, alone, lesson)
    assert (found.joined, found.answer_count) == (1, 1)
    assert found.students.shown["Student"].tolist() == ["Ana"]

    every = scope(classes, summary(store, one.id), lesson, whole=True)
    assert [c.session.id for c in every.classes] == [two.id, one.id] and not every.mixed_versions
    found = results(store, every, lesson)
    assert (found.joined, found.answer_count) == (4, 3)
    assert sorted(found.students.shown["Student"]) == ["Ana", "Ben", "Cai", "Eli"]
    first_row = found.participation.shown.iloc[0]
    assert (first_row["Students who answered"], first_row["Students who joined"]) == (3, 4)
    assert found.students.csv.startswith("\ufeffStudent number,Student".encode())
    assert "Share of marks" in found.students.percent


def test_every_class_on_a_lesson_says_when_they_ran_different_versions(store: SqlStore, lesson: LoadedLesson) -> None:
    old = start_class(store, lesson, pacing="teacher")
    text = Path(lesson.path).read_text(encoding="utf-8") + "\n# edited after the first class\n"
    newer = store.create_session(LESSON, store.save_lesson_version(LESSON, text), pacing="teacher")
    classes = class_list(store)
    assert scope(classes, summary(store, newer.id), lesson, whole=True).mixed_versions
    assert not scope(classes, summary(store, old.id), lesson, whole=False).mixed_versions


def test_results_are_read_once_per_state_of_the_classes(store: SqlStore, lesson: LoadedLesson) -> None:
    q1, q2 = (q.id for q in lesson.lesson.questions[:2])
    session = start_class(store, lesson, pacing="teacher")
    answered(store, session, "Ana", q1, 0)
    first = results(store, scope(class_list(store), summary(store, session.id), lesson, whole=False), lesson)
    again = results(store, scope(class_list(store), summary(store, session.id), lesson, whole=False), lesson)
    assert again is first  # nothing changed: the cached tables
    answered(store, session, "Ben", q2, True)
    later = results(store, scope(class_list(store), summary(store, session.id), lesson, whole=False), lesson)
    assert later is not first and later.answer_count == 2


def test_the_projector_counts_names_and_reveals(store: SqlStore, lesson: LoadedLesson) -> None:
    single = next(q for q in lesson.lesson.questions if q.type == "single")
    session = start_class(store, lesson, pacing="teacher", show_names=True)
    store.join(session.id, "token-lurker-000000x", "Zoe")
    assert roll(store, session).joined == 1 and roll(store, session).names == ("Zoe",)
    assert answer_feed(store, session, single.id).answered == 0
    ben = answered(store, session, "Ben", single.id, 1)
    answered(store, session, "Ana", single.id, 0)
    store.record_answer(AnswerRow(participant_id=ben, lesson_id=LESSON, lesson_hash=session.lesson_hash, attempt=2,
                                  question_id=single.id, response=0, earned=1.0, possible=1,
                                  verdict="correct"))  # a retry
    feed = answer_feed(store, session, single.id)
    assert (feed.answered, feed.joined, feed.names) == (2, 3, ("Ana", "Ben"))
    hidden = ClassSessionRow(**{**session.__dict__, "show_names": False})
    assert answer_feed(store, hidden, single.id).names == () and roll(store, hidden).names == ()

    store.set_position(session.id, 0, lesson.lesson.questions[0].id)
    store.reveal(session.id)
    live = store.live_state(session.id)
    assert live is not None
    shown = reveal(store, session, live.version, lesson.bound(single.id))
    assert shown.counts.answered == 2 and shown.responses == (1, 0)  # first attempts, in the order they came
    assert [letter for letter, _ in shown.lettered] == [c.letter for c in choices(single)]
    assert [bar.count for _, bar in shown.lettered][:2] == [1, 1] and shown.marks is None
    assert reveal(store, session, live.version, lesson.bound(single.id)) is shown  # a rerun: the count alone
    mark = next(q for q in lesson.lesson.questions if q.type == "mark")
    assert reveal(store, session, live.version, lesson.bound(mark.id)).marks is not None  # its phrases, ranked


def test_options_are_listed_once_for_every_type(library: Library) -> None:
    seen = set()
    for loaded in library.lessons:
        for q in loaded.lesson.questions:
            seen.add(q.type)
            picks = choices(q)
            if q.type == "true-false":
                assert [c.text for c in picks] == ["True", "False"]
            elif q.type in ("single", "multi"):
                assert [c.text for c in picks] == [o.text for o in q.options]  # type: ignore[union-attr]
            else:
                assert picks == ()
            if q.type == "match":
                assert [c.text for c in listed(q)] == [i.text for i in q.items]  # type: ignore[union-attr]
            assert [c.letter for c in listed(q)] == [chr(65 + n) for n in range(len(listed(q)))]
    assert {"single", "multi", "true-false", "match"} <= seen


def test_the_memo_is_bounded_and_shared_between_threads() -> None:
    memo: Memo[int] = Memo(3)
    calls: list[int] = []

    def compute(n: int) -> int:
        calls.append(n)
        return n * n

    for n in range(5):
        assert memo.get(n, lambda n=n: compute(n)) == n * n  # type: ignore[misc]
    assert len(memo) == 3
    assert memo.get(4, lambda: compute(-1)) == 16 and calls == [0, 1, 2, 3, 4]  # held: not computed again
    threads = [threading.Thread(target=lambda n=n: memo.get(n % 7, lambda: n % 7)) for n in range(200)]  # type: ignore[misc]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(memo) == 3
