"""Review 19 H1: the projector's end of lesson (classroom/lesson_end.py) counts a written answer only once a teacher
has scored it. Before that it is not "answered", never the question most missed, does not lower its skill's share,
and its rubric points are not on the axis of the class's totals."""

from __future__ import annotations

import pytest

from sourcecheck.classroom.lesson_end import Missed, summarise
from sourcecheck.grading.scoring import Verdict
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.sessions.store import AnswerRow, SessionAnswerRow

LESSON = "raqqa-who-says"  # 6 questions worth a point each, then a written one with a rubric worth 4


@pytest.fixture
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def row(student: int, question: str, earned: float, possible: int, verdict: Verdict) -> SessionAnswerRow:
    return SessionAnswerRow(AnswerRow(participant_id=student, lesson_id=LESSON, lesson_hash="h", attempt=1,
                                      question_id=question, response="text", earned=earned, possible=possible,
                                      verdict=verdict), f"S{student}")


def test_an_unscored_written_answer_is_not_most_missed_and_leaves_the_skill_share_alone(
        lesson: LoadedLesson) -> None:
    questions = lesson.lesson.questions
    written = questions[-1]
    assert isinstance(written, ShortQuestion) and written.rubric  # the library's rubric, worth 4
    rows = [r for s in range(1, 6) for r in (
        row(s, questions[0].id, 1, 1, "correct"), row(s, questions[1].id, 1, 1, "correct"),
        row(s, written.id, 0, 0, "unscored"))]
    end = summarise(lesson, rows)
    assert end.possible == 6  # the machine-scored questions' points only: nobody can have the written 4 yet
    assert end.missed is not None and end.missed.number != len(questions)
    assert end.missed.share == 1.0  # every answer counted was fully right
    assert all(s.right == s.answered for s in end.skills)  # 10 of 10, not 10 of 15
    assert sum(s.answered for s in end.skills) == 10
    assert [b.students for b in end.bands if b.low <= 2 <= b.high] == [5]


def test_once_scored_the_written_answer_counts(lesson: LoadedLesson) -> None:
    questions = lesson.lesson.questions
    written = questions[-1]
    rows = [row(1, questions[0].id, 1, 1, "correct"), row(1, written.id, 1, 4, "partial"),
            row(2, questions[0].id, 1, 1, "correct"), row(2, written.id, 0, 0, "unscored")]
    end = summarise(lesson, rows)
    assert end.possible == 10  # its rubric's 4 points join the axis
    assert end.missed == Missed(len(questions), written.prompt, 0, 1)  # 1 scored answer, not fully right; the
    # unscored one is not counted
    share = {s.skill: (s.right, s.answered) for s in end.skills}
    assert share[written.skill] == ((2, 3) if written.skill == questions[0].skill else (0, 1))
