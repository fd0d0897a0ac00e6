"""No answer patterns a test-wise student can use: every strategy in tests/testwise.py stays near chance.

The strategies read whatever is in lessons/, so a lesson added later is held to the same rule. Run with
`-s` to see every strategy's rate beside chance.
"""

from __future__ import annotations

import dataclasses

import pytest
from testwise import MARGIN, MIN_QUESTIONS, Result, plays, run_strategies

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import MatchQuestion, MultiQuestion, Question, SingleQuestion, TrueFalseQuestion


def _failing(results: list[Result]) -> list[Result]:
    return [r for r in results if r.fails]


def test_no_test_wise_strategy_beats_chance(library: Library) -> None:
    results = run_strategies(plays(library.lessons))
    print("\n" + "\n".join(r.line() for r in results))
    failing = _failing(results)
    assert not failing, (
        f"test-wise strategies that beat chance by more than {MARGIN:.0%} (on {MIN_QUESTIONS}+ questions):\n"
        + "\n".join(f"{r.line()}\n    on {', '.join(r.where)}" for r in failing))


def test_every_auto_scored_question_is_played(library: Library) -> None:
    scored = [q for x in library.lessons for q in x.lesson.questions if q.type != "short"]
    assert len(plays(library.lessons)) == len(scored)


def test_chance_is_the_expected_score_of_a_random_answer(library: Library) -> None:
    for play in plays(library.lessons):
        question = play.bound.question
        if isinstance(question, SingleQuestion):
            assert play.chance() == pytest.approx(1 / len(question.options))
        elif isinstance(question, TrueFalseQuestion):
            assert play.chance() == pytest.approx(0.5)
        elif isinstance(question, MatchQuestion):
            assert play.chance() == pytest.approx(1 / len(question.categories), abs=1e-3)  # scores round to 4 places
        else:  # multi and spans: a random non-empty set of ticks scores above nothing and below everything right
            right = [i for i, _ in enumerate(play.choices) if play.score([i]) > 0]
            assert 0 < play.chance() < play.score(right) == 1.0


def _plant(library: Library, change) -> list[LoadedLesson]:
    """The library with every question passed through `change` (which may return it unchanged)."""
    out = []
    for lesson in library.lessons:
        questions: list[Question] = [change(q) for q in lesson.lesson.questions]
        out.append(dataclasses.replace(lesson, lesson=lesson.lesson.model_copy(update={"questions": questions})))
    return out


def _options(question: Question, rewrite) -> Question:
    if not isinstance(question, (SingleQuestion, MultiQuestion)):
        return question
    options = [o.model_copy(update={"text": rewrite(o)}) for o in question.options]
    return question.model_copy(update={"options": options})


@pytest.mark.parametrize(("strategy", "kind", "change"), [
    ("longest", "single", lambda q: _options(q, lambda o: o.text + " in the passage, as it says" * o.correct)),
    ("without absolute words", "single", lambda q: _options(q, lambda o: o.text if o.correct else "Always " + o.text)),
    ("most hedged", "single", lambda q: _options(q, lambda o: o.text + ", but it may not" * o.correct)),
    ("quotes the text", "multi", lambda q: _options(q, lambda o: f'"{o.text}"' if o.correct else o.text)),
    ("true-false: always True", "true-false",
     lambda q: q.model_copy(update={"answer": True}) if isinstance(q, TrueFalseQuestion) else q),
])
def test_a_planted_pattern_is_caught(library: Library, strategy: str, kind: str, change) -> None:
    """The check can fail: give every key the same tell and the strategy that looks for it must win."""
    results = run_strategies(plays(_plant(library, change)))
    caught = [r for r in _failing(results) if (r.strategy, r.type) == (strategy, kind)]
    assert caught, "\n".join(r.line() for r in results if r.strategy == strategy)
