"""No answer patterns a test-wise student can use: every strategy in tests/testwise.py stays near chance.

The strategies read whatever is in lessons/, so a lesson added later is held to the same rule. Run with
`-s` to see every strategy's rate beside chance.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from testwise import MARGIN, MIN_QUESTIONS, STRATEGIES, Play, Result, plays, run_strategies

from sourcecheck.grading.marking import mark_key
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.check_forms import load_checks
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
from sourcecheck.lessons.paths import PROJECT_ROOT


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


# --- Cues that single out one option ------------------------------------------------------------------------------
# The strategies above are played on every question. A form cue that only some questions have is diluted there:
# "the one option with a colon is the key" was right on 7 of the 8 single-answer questions where exactly one
# option had a colon or a semicolon, yet a strategy "pick options with a colon" ties on the other hundred-odd
# questions and stays near chance. So each cue below is judged only where it applies: the questions (single or
# multi) where it singles out exactly one option. Over those, count how often that option is a key. By chance
# it is a key with probability keys/options on each question (1/k for a single answer), so the number of hits is
# a sum of unequal coin flips (Poisson-binomial), computed exactly. The cue fails when that many hits (or that
# few: a rewrite that always puts the cue on a distractor is a pattern too) has probability under CUE_P AND the
# hit rate is more than CUE_MARGIN from chance, so a handful of coincidences never fails it. A check's judgement
# items are left out: their two answers are the same words on every passage (their cues are judgement_cues').
CUE_P = 0.01
CUE_MARGIN = 0.2
LENGTH_RATIO = 1.25  # "longest by a clear margin": a quarter longer (in characters) than every other option

_COLON = re.compile(r"[:;]")
_COMMA = re.compile(r",")
_QUOTATION = re.compile(r"[\"“”‘]")  # not the apostrophe of "Reuters' words"
_DIGIT = re.compile(r"\d")
_DASH = re.compile(r"[—–]|\s-\s|\s-$|--")
_PAREN = re.compile(r"[()\[\]]")


def _lone(pattern: re.Pattern[str]) -> Callable[[list[str]], int | None]:
    def singled_out(texts: list[str]) -> int | None:
        having = [i for i, text in enumerate(texts) if pattern.search(text)]
        return having[0] if len(having) == 1 else None
    return singled_out


def _by_length(longest: bool) -> Callable[[list[str]], int | None]:
    def singled_out(texts: list[str]) -> int | None:
        ranked = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=longest)
        first, second = len(texts[ranked[0]]), len(texts[ranked[1]])
        short, long = (second, first) if longest else (first, second)
        return ranked[0] if long >= LENGTH_RATIO * max(short, 1) else None
    return singled_out


FORM_CUES: dict[str, Callable[[list[str]], int | None]] = {
    "the one option with a colon or a semicolon": _lone(_COLON),
    "the one option with a comma": _lone(_COMMA),
    "the one option with quotation marks": _lone(_QUOTATION),
    "the one option with a number": _lone(_DIGIT),
    "the one option with a dash": _lone(_DASH),
    "the one option with brackets": _lone(_PAREN),
    f"the longest option, by {LENGTH_RATIO - 1:.0%}+": _by_length(longest=True),
    f"the shortest option, by {LENGTH_RATIO - 1:.0%}+": _by_length(longest=False),
}


def poisson_binomial(chances: Sequence[float]) -> list[float]:
    """P(exactly h hits) for h = 0..n, when question i is hit with probability chances[i]."""
    dist = [1.0]
    for p in chances:
        dist = [(dist[h] if h < len(dist) else 0.0) * (1 - p) + (dist[h - 1] * p if h else 0.0)
                for h in range(len(dist) + 1)]
    return dist


@dataclass(frozen=True)
class CueTally:
    cue: str
    type: str  # "single", "multi" or "single or multi"
    hits: tuple[bool, ...]
    chances: tuple[float, ...]
    where: tuple[str, ...]

    @property
    def rate(self) -> float:
        return sum(self.hits) / len(self.hits)

    @property
    def chance(self) -> float:
        return sum(self.chances) / len(self.chances)

    def p_values(self) -> tuple[float, float]:
        """(P(at least this many hits), P(at most this many)) by chance."""
        dist, h = poisson_binomial(self.chances), sum(self.hits)
        return min(1.0, sum(dist[h:])), min(1.0, sum(dist[:h + 1]))

    @property
    def fails(self) -> bool:
        above, below = self.p_values()
        return ((above < CUE_P and self.rate - self.chance > CUE_MARGIN)
                or (below < CUE_P and self.chance - self.rate > CUE_MARGIN))

    def line(self) -> str:
        above, below = self.p_values()
        return (f"{self.cue:45} {self.type:15} key on {sum(self.hits)} of {len(self.hits)} ({self.rate:.0%}, "
                f"chance {self.chance:.0%}; p above {above:.3g}, below {below:.3g})")


def cue_tallies(all_plays: Sequence[Play]) -> list[CueTally]:
    """Each cue on each of single, multi and both together, over the questions where it singles out one option."""
    out = []
    for cue, singled_out in FORM_CUES.items():
        found: dict[str, list[tuple[bool, float, str]]] = {"single": [], "multi": []}
        for play in all_plays:
            question = play.bound.question
            if not isinstance(question, (SingleQuestion, MultiQuestion)) or play.judgement:
                continue
            if (i := singled_out([o.text for o in question.options])) is None:
                continue
            keys = sum(o.correct for o in question.options)
            hit = question.options[i].correct
            found[question.type].append((hit, keys / len(question.options),
                                         f"{play.lesson}/{question.id}{' (the key)' if hit else ''}"))
        found["single or multi"] = found["single"] + found["multi"]
        for qtype, rows in found.items():
            if rows:
                hits, chances, where = zip(*rows, strict=True)
                out.append(CueTally(cue, qtype, hits, chances, where))
    return out


def _cue_failures(all_plays: Sequence[Play]) -> list[str]:
    return [f"{t.line()}\n    where it applies: {', '.join(t.where)}" for t in cue_tallies(all_plays) if t.fails]


def test_no_form_cue_singles_out_the_key_where_it_applies(library: Library, catalog: Catalog) -> None:
    """Over the lessons, and over the check's forms (a separate pool: a class sits them as a test)."""
    forms = [form for check in load_checks(PROJECT_ROOT / "checks", catalog) for form in check.forms.values()]
    failing = []
    for name, pool in (("lessons", plays(library.lessons)), ("check forms", plays(forms))):
        tallies = cue_tallies(pool)
        print(f"\n{name}:\n" + "\n".join(t.line() for t in tallies))
        failing += [f"{name}: {m}" for m in _cue_failures(pool)]
    assert not failing, (f"form cues that pick out the key (or a distractor) where they apply, p < {CUE_P} and "
                         f"{CUE_MARGIN:.0%}+ from chance:\n" + "\n".join(failing))


def test_poisson_binomial_is_exact() -> None:
    assert poisson_binomial([0.5, 0.5]) == pytest.approx([0.25, 0.5, 0.25])
    assert poisson_binomial([0.25] * 3)[3] == pytest.approx(1 / 64)
    assert sum(poisson_binomial([0.2, 0.25, 1 / 3, 0.4])) == pytest.approx(1.0)


def _cue_planted(mark: str, every: int, *, on_key: bool = True,
                 at_most: int = 10_000) -> Callable[[Question], Question]:
    """Colons and semicolons taken out of every option; then on every `every`-th single question (at most
    `at_most` of them) `mark` added to the key, or to the first distractor."""
    seen = itertools.count()
    planted = itertools.count()

    def change(q: Question) -> Question:
        if not isinstance(q, (SingleQuestion, MultiQuestion)):
            return q
        texts = [o.text.replace(":", ",").replace(";", ",") for o in q.options]
        if isinstance(q, SingleQuestion) and not next(seen) % every and next(planted) < at_most:
            target = next(i for i, o in enumerate(q.options) if o.correct == on_key)
            texts[target] += f"{mark} as it says"
        return q.model_copy(update={"options": [o.model_copy(update={"text": text})
                                                for o, text in zip(q.options, texts, strict=True)]})
    return change


def test_a_planted_cue_is_caught_where_it_applies(library: Library) -> None:
    """A colon on the key of one single question in four is caught (only there: the other questions, with no
    colon, tie); a colon on a distractor instead is caught as the reverse; a colon on the key of three questions
    is a coincidence the rule lets through."""
    def colon_failures(change: Callable[[Question], Question]) -> list[CueTally]:
        return [t for t in cue_tallies(plays(_plant(library, change)))
                if t.fails and t.cue == "the one option with a colon or a semicolon"]

    caught = colon_failures(_cue_planted(":", every=4))
    assert any(t.type == "single" and t.rate > t.chance for t in caught), caught
    reverse = colon_failures(_cue_planted(";", every=2, on_key=False))
    assert any(t.type == "single" and t.rate < t.chance for t in reverse), reverse
    assert colon_failures(_cue_planted(":", every=4, at_most=3)) == []


def test_a_couple_of_coincidences_never_fail_a_cue() -> None:
    def tally(hits: int, n: int, chance: float) -> CueTally:
        return CueTally("cue", "single", (True,) * hits + (False,) * (n - hits), (chance,) * n, ("q",) * n)

    assert not tally(3, 3, 0.25).fails and not tally(2, 2, 1 / 3).fails and not tally(3, 5, 0.25).fails
    assert tally(7, 8, 0.25).fails and tally(5, 5, 0.25).fails
    assert not tally(0, 8, 0.25).fails and tally(0, 20, 0.25).fails
    lone, longest = FORM_CUES["the one option with a colon or a semicolon"], FORM_CUES[
        f"the longest option, by {LENGTH_RATIO - 1:.0%}+"]
    assert lone(["a: b", "c", "d"]) == 0 and lone(["a: b", "c; d"]) is None and lone(["a", "b"]) is None
    assert longest(["a" * 10, "b" * 13, "c" * 5]) == 1 and longest(["a" * 11, "b" * 13]) is None
