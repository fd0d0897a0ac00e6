"""The teacher's set-based reads on SQLite and on a real PostgreSQL server: the class list with its counts, the
participants of every class on a lesson, and one question's count and first answers."""

from __future__ import annotations

from datetime import UTC, datetime

from sourcecheck.db import SqlStore
from sourcecheck.sessions.store import AnswerRow, FirstAnswerRow, QuestionCount


def answer(participant: int, question: str = "q1", response: object = 0, attempt: int = 1,
           lesson: str = "lesson") -> AnswerRow:
    return AnswerRow(participant_id=participant, lesson_id=lesson, lesson_hash="0" * 64, attempt=attempt,
                     question_id=question, response=response,  # type: ignore[arg-type]
                     earned=1.0, possible=1, verdict="correct", submitted_at=datetime.now(UTC))


def a_class(store: SqlStore, lesson: str = "lesson", text: str | None = None) -> int:
    digest = store.save_lesson_version(lesson, text or f"id: {lesson}\n")
    return store.create_session(lesson, digest, pacing="teacher").id


def test_the_class_list_counts_students_and_answers_in_one_row_per_class(store: SqlStore) -> None:
    empty, busy = a_class(store), a_class(store, "other")
    people = [store.join(busy, f"token-list-{n:08d}", f"S{n}") for n in range(3)]
    store.record_answer(answer(people[0].id, lesson="other"))
    store.record_answer(answer(people[0].id, "q2", lesson="other"))
    store.record_answer(answer(people[1].id, lesson="other", attempt=2))
    store.record_answer(answer(store.solo_participant("token-solo-list-0001")))  # a solo student: no class's
    rows = store.class_summaries()
    assert [(r.session.id, r.students, r.answers) for r in rows] == [(busy, 3, 3), (empty, 0, 0)]  # newest first
    assert [r.session for r in rows] == [store.session(busy), store.session(empty)]  # the same rows as read one by one


def test_participants_of_every_class_on_a_lesson(store: SqlStore) -> None:
    one, two, elsewhere = a_class(store), a_class(store), a_class(store, "other")
    for n, sid in enumerate((one, two, elsewhere, one)):
        store.join(sid, f"token-lesson-{n:07d}", f"S{n}")
    found = store.lesson_participants("lesson")
    assert [(p.session_id, p.display_name) for p in found] == [(one, "S0"), (two, "S1"), (one, "S3")]
    assert store.lesson_participants("nothing") == []


def test_one_questions_count_and_first_answers(store: SqlStore) -> None:
    sid, other = a_class(store), a_class(store)
    ana, ben, cai = (store.join(sid, f"token-count-{n:08d}", name) for n, name in enumerate(["Ana", "Ben", "Cai"]))
    stranger = store.join(other, "token-count-elsewhere", "Dee")
    assert store.question_count(sid, "q1") == QuestionCount(joined=3, answered=0)
    store.record_answer(answer(ben.id, response=[1, 2]))
    store.record_answer(answer(ana.id, response=0))
    store.record_answer(answer(ana.id, response=1, attempt=2))  # a retry is practice: never counted
    store.record_answer(answer(cai.id, "q2"))
    store.record_answer(answer(stranger.id))  # another class
    assert store.question_count(sid, "q1") == QuestionCount(joined=3, answered=2)
    assert store.first_answers(sid, "q1") == [FirstAnswerRow("Ben", [1, 2]), FirstAnswerRow("Ana", 0)]
    assert store.first_answers(sid, "q9") == [] and store.question_count(999, "q1") == QuestionCount(0, 0)
