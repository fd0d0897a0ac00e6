"""The scoring tests' seed (tests/written_seed.py) stores a lesson that loads: the library's raqqa-who-says with the
test's rubric in place of the library's own. When the library's file changes so that the seed breaks, this says so
plainly, instead of every scoring test failing on "This class's lesson cannot be shown"."""

from __future__ import annotations

import pytest
from written_seed import LESSON, QUESTION, class_with_answers, plain_text

from sourcecheck.db import SqlStore
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.sessions.classes import class_lesson


@pytest.mark.parametrize(("two", "ten", "criteria"), [
    (False, False, ["Names what would have to be checked"]),
    (True, False, ["Names what would have to be checked", "Says why the column alone is not enough"]),
    (False, True, ["Names what would have to be checked"]),
])
def test_the_seeded_class_lesson_loads_with_the_tests_rubric(store: SqlStore, catalog: Catalog, two: bool,
                                                            ten: bool, criteria: list[str]) -> None:
    sid = class_with_answers(store, ["A source."], two_criteria=two, ten=ten)
    session = store.session(sid)
    assert session is not None
    lesson = class_lesson(store, session, catalog)
    question = lesson.bound(QUESTION).question
    assert isinstance(question, ShortQuestion) and question.rubric is not None
    assert [c.criterion for c in question.rubric] == criteria
    assert len(lesson.lesson.questions) > 1  # the rest of the library's lesson is still there


def test_the_plain_lesson_has_no_rubric_question(store: SqlStore, catalog: Catalog) -> None:
    session = store.create_session(LESSON, store.save_lesson_version(LESSON, plain_text()), pacing="self")
    lesson = class_lesson(store, session, catalog)
    assert not any(isinstance(q, ShortQuestion) and q.rubric for q in lesson.lesson.questions)
