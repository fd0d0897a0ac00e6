"""A student's progress through a lesson survives reruns, double clicks and refreshes without double counting."""

from __future__ import annotations

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.progress import Progress, ProgressStore


def first_lesson(library: Library) -> LoadedLesson:
    return next(lesson for lesson in library.lessons if lesson.id == "raqqa-who-says")


def test_submit_twice_records_once(library: Library) -> None:
    lesson = first_lesson(library)
    progress = Progress.start(lesson, "student-token-0001")
    first = progress.current()
    assert first == lesson.lesson.questions[0].id
    assert progress.submit(first, 0) is True
    assert progress.submit(first, 1) is False  # a second click, or a rerun of the same submit
    assert progress.attempt.answers[first].response == 0
    assert progress.current() == first  # feedback still showing until Next


def test_next_clicked_twice_moves_one_question(library: Library) -> None:
    lesson = first_lesson(library)
    progress = Progress.start(lesson, "student-token-0001")
    q1, q2 = (q.id for q in lesson.lesson.questions[:2])
    assert progress.move_on(q1) is False  # cannot skip a question without answering
    progress.submit(q1, 0)
    assert progress.move_on(q1) is True
    assert progress.move_on(q1) is False
    assert progress.current() == q2


def test_answer_for_a_question_not_on_screen_is_refused(library: Library) -> None:
    lesson = first_lesson(library)
    progress = Progress.start(lesson, "student-token-0001")
    later = lesson.lesson.questions[2].id
    assert progress.submit(later, 0) is False
    assert progress.attempt.answers == {}


def test_retry_once_over_the_missed_questions(library: Library) -> None:
    lesson = first_lesson(library)
    progress = Progress.start(lesson, "student-token-0001")
    ids = [q.id for q in lesson.lesson.questions]
    assert progress.retry(ids[:1], after=1) is False  # not finished yet
    for qid in ids:
        progress.submit(qid, 0)
        progress.move_on(qid)
    assert progress.current() is None
    assert progress.retry(ids[:2], after=1) is True
    assert progress.retry(ids[:2], after=1) is False  # double click
    assert progress.attempt.number == 2
    assert progress.attempt.question_ids == ids[:2]
    assert progress.current() == ids[0]
    assert progress.retry([], after=2) is False


def test_store_returns_the_same_progress_for_the_same_student(library: Library) -> None:
    lesson = first_lesson(library)
    store = ProgressStore()
    progress = store.get(lesson, "student-token-0001")
    progress.submit(progress.current() or "", 0)
    assert store.get(lesson, "student-token-0001") is progress  # a refresh finds the answer again
    assert store.get(lesson, "student-token-0002") is not progress


def test_store_forgets_the_oldest_past_capacity(library: Library) -> None:
    lesson = first_lesson(library)
    store = ProgressStore(capacity=2)
    a = store.get(lesson, "a" * 16)
    store.get(lesson, "b" * 16)
    store.get(lesson, "a" * 16)  # touched: now the newest
    store.get(lesson, "c" * 16)
    assert len(store) == 2
    assert store.get(lesson, "a" * 16) is a


def test_store_starts_again_when_the_lesson_lost_a_question(library: Library) -> None:
    lesson = first_lesson(library)
    store = ProgressStore()
    progress = store.get(lesson, "student-token-0001")
    progress.attempts[0].question_ids.append("removed-by-the-teacher")
    fresh = store.get(lesson, "student-token-0001")
    assert fresh is not progress and fresh.attempt.answers == {}
