"""No answer patterns a test-wise student can use: every strategy in tests/testwise.py stays near chance.

The strategies read whatever is in lessons/, so a lesson added later is held to the same rule. Run with
`-s` to see every strategy's rate beside chance.
"""

from __future__ import annotations

import dataclasses
import random

import pytest
from testwise import MARGIN, MIN_QUESTIONS, STRATEGIES, Play, Result, plays, run_strategies

from sourcecheck.grading.marking import mark_key
from sourcecheck.lessons.loaded import LoadedLesson, PlacedAnnotation
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import (
    Annotation,
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    Question,
    SingleQuestion,
    TrueFalseQuestion,
)


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
        elif isinstance(question, MarkQuestion):
            _check_marking_chance(play)
        else:  # multi and spans: a random non-empty set of ticks scores above nothing and below everything right
            right = [i for i, _ in enumerate(play.choices) if play.score([i]) > 0]
            assert 0 < play.chance() < play.score(right) == 1.0


def _check_marking_chance(play: Play) -> None:
    """The exact chance of a random marking agrees with the app's scoring of random markings, sampled."""
    key = mark_key(play.bound)
    size = len(key.words)
    everything = [[label, 0, size - 1] for label in play.items]
    assert play.chance_of_marking(everything) == pytest.approx(play.score(everything), abs=1e-3)  # no choice left
    assert play.chance_of_marking([]) == 0 == play.score([])
    perfect = [[t.label, t.first, t.last] for t in key.targets]
    assert play.score(perfect) == 1.0 and 0 < play.chance() < 0.5
    rng = random.Random(play.bound.id)
    for counts in ([len(c.required) for c in key.categories], [max(1, size // 4)] * len(key.categories)):
        pairs = list(zip(key.categories, counts, strict=True))
        sampled = [play.score([[c.label, i, i] for c, k in pairs for i in rng.sample(range(size), k)])
                   for _ in range(600)]
        shape = [[c.label, i, i] for c, k in pairs for i in range(k)]
        assert sum(sampled) / len(sampled) == pytest.approx(play.chance_of_marking(shape), abs=0.03), play.bound.id


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


def _last_sentence_as_targets(lesson: LoadedLesson) -> LoadedLesson:
    """Every mark question's targets moved to its passage's last sentence, in each category it asks."""
    excerpts = dict(lesson.excerpts)
    for question in lesson.lesson.questions:
        if not isinstance(question, MarkQuestion):
            continue
        play = next(p for p in plays([lesson]) if p.bound.id == question.id)
        last = STRATEGIES["mark: the last sentence, in every category"](play)
        assert last, f"{question.id}: its passage has one sentence; plant another pattern"
        found = mark_key(play.bound).words
        start, end = found[int(last[0][1])].start, found[int(last[0][2])].end
        placed = excerpts[question.excerpt_ids[0]]
        planted = tuple(PlacedAnnotation(Annotation.model_construct(text=placed.text[start:end], label=label,
                                                                    note="planted"), start, end)
                        for label in question.labels)
        excerpts[placed.excerpt.id] = dataclasses.replace(placed, annotations=planted)
    return dataclasses.replace(lesson, excerpts=excerpts)


def test_a_planted_marking_pattern_is_caught(library: Library) -> None:
    """Move every mark question's targets to the last sentence of its passage: marking the last sentence wins."""
    marking = [x for x in library.lessons if any(isinstance(q, MarkQuestion) for q in x.lesson.questions)]
    if sum(isinstance(q, MarkQuestion) for x in marking for q in x.lesson.questions) < MIN_QUESTIONS:
        pytest.fail(f"the library needs {MIN_QUESTIONS} mark questions for this check")
    planted = [_last_sentence_as_targets(x) for x in marking]
    results = run_strategies(plays(planted))
    caught = [r for r in _failing(results) if (r.strategy, r.type) == ("mark: the last sentence, in every category",
                                                                       "mark")]
    assert caught, "\n".join(r.line() for r in results if r.type == "mark")
