"""Issue 16, defect 1: a reveal is one-way. On SQLite and PostgreSQL: reveal, move away, move back, and the
question is still revealed, and a Submit to it is refused. Defect 8: a teacher-paced phone letters the options as
the projector does."""

from __future__ import annotations

import pytest

from sourcecheck.analytics.options import listed
from sourcecheck.db import SqlStore
from sourcecheck.grading.shuffle import option_order, shown_options
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import SingleQuestion
from sourcecheck.sessions.classes import answerable, move, phase, start_class
from sourcecheck.sessions.progress import Progress

LESSON = "raqqa-who-says"


@pytest.fixture
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def test_a_revealed_question_stays_revealed_and_takes_no_answer(store: SqlStore, lesson: LoadedLesson) -> None:
    session = start_class(store, lesson, pacing="teacher")
    ana = store.join(session.id, "token-reveal-ana-000001", "Ana")
    first, second = lesson.lesson.questions[0], lesson.lesson.questions[1]
    assert move(store, session.id, lesson, 0)
    assert answerable(store, session.id, lesson) == first.id
    assert store.reveal(session.id) is True
    assert store.reveal(session.id) is False  # a repeat stores nothing and moves no version
    assert move(store, session.id, lesson, 1)  # Next
    live = store.live_state(session.id)
    assert live is not None and phase(live, lesson).question_id == second.id and not live.revealed
    assert answerable(store, session.id, lesson) == second.id
    assert move(store, session.id, lesson, 0)  # Previous: question 1 again, still revealed
    back = store.live_state(session.id)
    assert back is not None and back.current_index == 0 and back.revealed
    row = store.session(session.id)
    assert row is not None and row.revealed
    assert store.reveal(session.id) is False  # nothing to reveal again
    assert answerable(store, session.id, lesson) is None
    progress = Progress.load(store, lesson, ana.id, "token-reveal-ana-000001", retries=False)
    refused = progress.submit(first.id, 0, on_screen=answerable(store, session.id, lesson) or "")
    assert refused is False
    assert store.question_count(session.id, first.id).answered == 0  # nothing stored
    assert move(store, session.id, lesson, -1) and move(store, session.id, lesson, 0)  # the lobby and back
    again = store.live_state(session.id)
    assert again is not None and again.revealed


def test_a_deleted_class_takes_its_reveals_with_it(store: SqlStore, lesson: LoadedLesson) -> None:
    session = start_class(store, lesson, pacing="teacher")
    move(store, session.id, lesson, 0)
    store.reveal(session.id)
    assert store.delete_session(session.id)
    with store.engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM reveals").scalar() == 0


def test_teacher_paced_phones_show_the_projectors_letters_in_its_order(library: Library) -> None:
    for lesson in library.lessons:
        for question in lesson.lesson.questions:
            on_phone = [(s.letter, s.index) for s in shown_options(lesson, question, "student-a", paced=True)]
            on_projector = [(c.letter, i) for i, c in enumerate(listed(question))]
            assert on_phone == on_projector, (lesson.id, question.id)


def test_self_paced_and_solo_keep_the_shuffle_unlettered(library: Library) -> None:
    shuffled = [(lesson, q) for lesson in library.lessons for q in lesson.lesson.questions
                if isinstance(q, SingleQuestion) and option_order(lesson, q, "s") != list(range(len(q.options)))]
    assert shuffled, "no lesson shuffles its options"
    lesson, question = shuffled[0]
    shown = shown_options(lesson, question, "s", paced=False)
    assert [s.index for s in shown] == option_order(lesson, question, "s")
    assert all(s.letter is None for s in shown)
