"""One answer, one score: the student's feedback and summary show the score stored with the answer, the one
the teacher sees, and the answer is scored once, when it is stored."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from sqlalchemy import update
from ui_helpers import alerts, fill, next_question, open_quiz, page_text, progress_of, submit

import sourcecheck.grading.scoring as scoring
from sourcecheck.db.tables import answers
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.ui import state

LESSON = "raqqa-who-says"


def count_scoring(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every module that holds score_question gets a counting wrapper: a caller anywhere is counted."""
    original = scoring.score_question
    calls: list[str] = []

    def counted(bound: Any, response: Any) -> scoring.Score:
        calls.append(bound.id)
        return original(bound, response)

    for module in list(sys.modules.values()):
        if getattr(module, "score_question", None) is original:
            monkeypatch.setattr(module, "score_question", counted)
    return calls


def tamper(question_id: str, participant_id: int, **values: object) -> None:
    """Change a stored score behind the app's back, to a value no rescoring of the response could give."""
    with state.store().engine.begin() as c:  # type: ignore[attr-defined]
        c.execute(update(answers).where(answers.c.question_id == question_id,
                                        answers.c.participant_id == participant_id).values(**values))


def test_feedback_and_summary_show_the_stored_score_scored_once_per_submit(
        library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    lesson = library.get(LESSON)
    assert lesson is not None
    calls = count_scoring(monkeypatch)
    at = open_quiz(LESSON, token="stored-score-token-0001")
    progress = progress_of(at, LESSON)
    first, *rest = lesson.lesson.questions
    assert calls == []  # drawing a question scores nothing

    fill(at, lesson, progress, first, "right")
    submit(at, progress, first)
    assert calls == [first.id]  # scored once, as it was stored
    assert alerts(at).startswith("Correct: 1 of 1 point")

    # The stored row is what the student reads: a score the rules could never give shows as stored.
    pid = progress.participant_id
    tamper(first.id, pid, earned=0.25, verdict="partial")
    at.run()
    assert alerts(at).startswith("Partly correct: 0.25 of 1 point"), alerts(at)
    next_question(at, progress, first)

    for question in rest:
        fill(at, lesson, progress, question, "right")
        submit(at, progress, question)
        next_question(at, progress, question)
    assert calls == [q.id for q in lesson.lesson.questions]  # once per submit: never for feedback or summary

    # The summary adds up the stored scores: the tampered 0.25 counts, and the question is offered for a retry.
    possible = sum(q.points for q in lesson.lesson.questions if not isinstance(q, ShortQuestion))
    assert at.metric[0].value.startswith(f"{possible - 1 + 0.25:g} of {possible} points"), at.metric[0].value
    assert "Partly correct: 0.25 of 1 point" in page_text(at)
    assert f"{LESSON}:1:retry" in [b.key for b in at.button]
    assert calls == [q.id for q in lesson.lesson.questions]


def test_no_view_scores_an_answer() -> None:
    """score_question has one caller in the app: Progress.submit, when the answer is stored."""
    import sourcecheck.sessions.progress  # noqa: F401  (loaded, so its modules are in sys.modules)
    import sourcecheck.ui.feedback_view  # noqa: F401
    import sourcecheck.ui.summary_view  # noqa: F401

    names = sorted(name for name, module in sys.modules.items()
                   if name.startswith("sourcecheck.") and name != "sourcecheck.grading.scoring"
                   and getattr(module, "score_question", None) is scoring.score_question)
    assert names == ["sourcecheck.sessions.progress"]
