""""How sure are you?" has no default: an answer given without a pick is stored without a confidence (so it never
enters calibration), and a pick is stored as picked. Issue 16, defect 7."""

from __future__ import annotations

import pytest
from ui_helpers import fill, next_question, open_quiz, page_text, progress_of, submit

from sourcecheck.lessons.loader import Library
from sourcecheck.ui.question_view import CONFIDENCE, confidence_label, key

LESSON = "raqqa-who-says"


@pytest.mark.parametrize("picked", [None, 70, 100])
def test_confidence_is_stored_only_when_the_student_picks_it(library: Library, picked: int | None) -> None:
    lesson = library.get(LESSON)
    assert lesson is not None
    at = open_quiz(LESSON, token=f"confidence-{picked}-student-token")
    progress = progress_of(at, LESSON)
    for question in lesson.lesson.questions:  # on to the first question that asks
        if question.confidence:
            break
        fill(at, lesson, progress, question, "right")
        submit(at, progress, question)
        next_question(at, progress, question)
    else:
        pytest.fail(f"{LESSON} asks no confidence")
    sure = at.radio(key=key(progress, question.id, "sure"))
    assert sure.label == "How sure are you?"
    assert sure.value is None  # nothing preselected
    assert sure.options == [confidence_label(v) for v in CONFIDENCE]
    fill(at, lesson, progress, question, "right")  # fill picks 90 % like a student would; undo or change it
    at.radio(key=key(progress, question.id, "sure")).set_value(picked)
    submit(at, progress, question)
    assert not at.exception
    answer = progress.attempt.answers[question.id]
    assert answer.confidence == picked
    shown = page_text(at)
    assert ("You said you were" in shown) == (picked is not None)
    assert picked is None or f"You said you were {picked} % sure." in shown
