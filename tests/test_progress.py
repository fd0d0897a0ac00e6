"""A student's progress through a lesson survives reruns, double clicks, refreshes and restarts, never double counted.

Each test runs on the workshop's scratch store and on the database (SQLite; PostgreSQL too when the
`stores` fixture has it): the rules are the same wherever progress is kept.
"""

from __future__ import annotations

from dataclasses import replace

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.progress import Progress
from sourcecheck.sessions.store import ProgressStore

TOKEN = "student-token-0001"
FIRST = f"{TOKEN}-1"  # the token start() gives student 1


def first_lesson(library: Library) -> LoadedLesson:
    return next(lesson for lesson in library.lessons if lesson.id == "raqqa-who-says")


def start(store: ProgressStore, lesson: LoadedLesson, student: int = 1) -> Progress:
    return Progress.load(store, lesson, store.solo_participant(f"{TOKEN}-{student}"), TOKEN)


def test_submit_twice_records_once(library: Library, progress_store: ProgressStore) -> None:
    lesson = first_lesson(library)
    progress = start(progress_store, lesson)
    first = progress.current()
    assert first == lesson.lesson.questions[0].id
    assert progress.submit(first, 0) is True
    assert progress.submit(first, 1) is False  # a second click, or a rerun of the same submit
    assert progress.attempt.answers[first].response == 0
    assert progress.current() == first  # feedback still showing until Next
    assert len(progress_store.answers(progress_store.solo_participant(FIRST), lesson.id)) == 1


def test_a_second_tab_sees_the_first_tabs_answer(library: Library, progress_store: ProgressStore) -> None:
    lesson = first_lesson(library)
    one, two = start(progress_store, lesson), start(progress_store, lesson)
    first = lesson.lesson.questions[0].id
    assert one.submit(first, 0) is True
    assert two.submit(first, 1) is False  # the other tab still showed the question
    assert two.attempt.answers[first].response == 0  # and now shows the stored answer


def test_the_score_is_stored_with_the_answer(library: Library, progress_store: ProgressStore) -> None:
    lesson = first_lesson(library)
    progress = start(progress_store, lesson)
    question = lesson.lesson.questions[0]
    right = next(i for i, o in enumerate(question.options) if o.correct)  # type: ignore[union-attr]
    progress.submit(question.id, right, 80, time_taken_ms=4200)
    [row] = progress_store.answers(progress_store.solo_participant(FIRST), lesson.id)
    assert (row.earned, row.possible, row.verdict, row.confidence, row.time_taken_ms) == (1.0, 1, "correct", 80, 4200)
    assert row.lesson_hash == lesson.origin.sha256 and len(row.lesson_hash) == 64


def test_next_clicked_twice_moves_one_question(library: Library, progress_store: ProgressStore) -> None:
    lesson = first_lesson(library)
    progress = start(progress_store, lesson)
    q1, q2 = (q.id for q in lesson.lesson.questions[:2])
    assert progress.move_on(q1) is False  # cannot skip a question without answering
    progress.submit(q1, 0)
    assert progress.move_on(q1) is True
    assert progress.move_on(q1) is False
    assert progress.current() == q2
    assert start(progress_store, lesson).current() == q2  # a refresh, or a restart, resumes here


def test_answer_for_a_question_not_on_screen_is_refused(library: Library, progress_store: ProgressStore) -> None:
    lesson = first_lesson(library)
    progress = start(progress_store, lesson)
    later = lesson.lesson.questions[2].id
    assert progress.submit(later, 0) is False
    assert progress.submit(later, 0, on_screen=lesson.lesson.questions[0].id) is False  # teacher-paced
    assert progress.attempt.answers == {}


def test_retry_once_over_the_missed_questions(library: Library, progress_store: ProgressStore) -> None:
    lesson = first_lesson(library)
    progress = start(progress_store, lesson)
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
    again = start(progress_store, lesson)
    assert [a.number for a in again.attempts] == [1, 2] and again.current() == ids[0]


def test_students_do_not_share_progress(library: Library, progress_store: ProgressStore) -> None:
    lesson = first_lesson(library)
    start(progress_store, lesson, student=1).submit(lesson.lesson.questions[0].id, 0)
    assert start(progress_store, lesson, student=2).attempt.answers == {}


def test_a_lesson_that_lost_a_question_starts_a_new_attempt(library: Library,
                                                             progress_store: ProgressStore) -> None:
    lesson = first_lesson(library)
    start(progress_store, lesson).submit(lesson.lesson.questions[0].id, 0)
    shorter = replace(lesson, lesson=lesson.lesson.model_copy(update={"questions": lesson.lesson.questions[1:]}))
    fresh = start(progress_store, shorter)
    assert fresh.attempt.number == 2 and fresh.attempt.answers == {}
    kept = progress_store.answers(progress_store.solo_participant(FIRST), lesson.id)
    assert len(kept) == 1  # the old answer is kept, not lost
