"""Responses and right answers in words, as the end-of-lesson summary prints them."""

from __future__ import annotations

import pytest

from sourcecheck.grading.describe import NO_ANSWER, describe_answer, describe_response
from sourcecheck.lessons.loaded import BoundQuestion, Candidate
from sourcecheck.lessons.models import (
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

BASE = {"id": "q", "excerpt": "e", "prompt": "Pick", "skill": "hedges", "explanation": "Because."}
OPTIONS = [{"text": "The author"}, {"text": "The Post", "correct": True}, {"text": "Officials", "correct": True}]
SINGLE = SingleQuestion.model_validate({**BASE, "type": "single", "options": [
    {"text": "The author", "correct": True}, {"text": "The Post"}]})
MULTI = MultiQuestion.model_validate({**BASE, "type": "multi", "options": OPTIONS})
TRUE_FALSE = TrueFalseQuestion.model_validate({**BASE, "type": "true-false", "answer": False})
SPANS = SpansQuestion.model_validate({**BASE, "type": "spans", "answers": ["may"]})
CANDIDATES = (Candidate("e", "may", 0, 3, True), Candidate("e", "said", 5, 9, False),
              Candidate("e", "reportedly", 12, 22, True))
MATCH = MatchQuestion.model_validate({**BASE, "type": "match", "categories": ["named", "unnamed"], "items": [
    {"text": "Reuters", "category": "named"}, {"text": "officials", "category": "unnamed"}]})
SHORT = ShortQuestion.model_validate({**BASE, "type": "short", "model_answer": "A named source and a link."})


def bind(question) -> BoundQuestion:  # type: ignore[no-untyped-def]
    return BoundQuestion(question, candidates=CANDIDATES if question is SPANS else ())


@pytest.mark.parametrize(("question", "response", "words"), [
    (SINGLE, 1, "The Post"),
    (SINGLE, None, NO_ANSWER),
    (SINGLE, 7, NO_ANSWER),  # an index from an older version of the lesson
    (MULTI, [2, 0], "The author; Officials"),  # YAML order, whatever order they were ticked in
    (MULTI, [], NO_ANSWER),
    (TRUE_FALSE, True, "True"),
    (TRUE_FALSE, False, "False"),
    (TRUE_FALSE, None, NO_ANSWER),
    (SPANS, [2, 1], "“said”, “reportedly”"),
    (MATCH, ["unnamed", None], "Reuters → unnamed; officials → no category chosen"),
    (SHORT, "  I would look for a link.  ", "I would look for a link."),
    (SHORT, "   ", NO_ANSWER),
])
def test_describe_response(question, response, words) -> None:  # type: ignore[no-untyped-def]
    assert describe_response(bind(question), response) == words


@pytest.mark.parametrize(("question", "words"), [
    (SINGLE, "The author"),
    (MULTI, "The Post; Officials"),
    (TRUE_FALSE, "False"),
    (SPANS, "“may”, “reportedly”"),
    (MATCH, "Reuters → named; officials → unnamed"),
    (SHORT, "A named source and a link."),
])
def test_describe_answer(question, words) -> None:  # type: ignore[no-untyped-def]
    assert describe_answer(bind(question)) == words


def test_every_bundled_question_has_a_right_answer_in_words(library) -> None:  # type: ignore[no-untyped-def]
    for lesson in library.lessons:
        for question in lesson.lesson.questions:
            words = describe_answer(lesson.bound(question.id))
            assert words and words != NO_ANSWER, (lesson.id, question.id)
