"""Test-wise strategies: ways to score without reading the passage, played over a lesson library.

A test-wise student looks at the form of the options, not at the text: pick the one without "always",
the most hedged one, the longest, the one that repeats the passage's words, "both", the middle one.
Each strategy here sees only what a student sees before answering (the prompt, the passage, the
options or phrases in the order the app shows them) and answers; the app's own scoring
(`score_question`) marks the answer. Chance is the expected score of a random guess at the same
question, computed exactly with the same scoring.

A strategy that finds no difference between the options of a question (all tie) is a random guess
there, so that question is left out of its rate: the rate says how well the pattern works where a
student can use it. A strategy and its reverse ("longest" and "shortest", "with absolute words" and
"without") are both played, so a rewrite that flips a pattern is caught as well as the pattern.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import median

from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.loaded import BoundQuestion, LoadedLesson
from sourcecheck.lessons.models import (
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["MARGIN", "MIN_QUESTIONS", "Play", "Result", "STRATEGIES", "plays", "run_strategies"]

MARGIN = 0.10  # a strategy may beat chance by at most 10 percentage points
MIN_QUESTIONS = 5  # fewer are not a pattern a student could learn: one question there moves a rate 20+ points

# ---------------------------------------------------------------------------------------------- words

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset("""
a an the and or of to in on at by for from with as is are was were be been being it its it's this that these
those there their they them he his him she her we our you your i me my not no do does did has have had so than
then which who whom what when where why how into about over after before own one any each out up only just also
more most such other same own yet here s t
""".split())
ABSOLUTE = frozenset("""
always never every everything everyone all none nothing nobody no-one only prove proves proved proven proof
certainly certain definitely completely entirely totally must cannot can't impossible exactly sure settles settle
""".split())
HEDGE = frozenset("""
may might could can perhaps possibly possible probably likely seem seems seemed appear appears suggest suggests
some often sometimes usually mostly partly rather but yet although though unless still not limit limits
""".split())
VERDICT = frozenset("true false wrong right proof prove proves proved proven disproved lie lies lying fake correct"
                    .split())
PRAISE = frozenset("honest honestly honesty careful carefully clear clearly checkable fair fairly admits admit".split())
COMBINED = re.compile(r"\b(both|all of|each of|either|neither|none of|every one of)\b")
QUOTE = re.compile(r"[\"“”‘]")  # quotation marks, not the apostrophe of "Reuters' words"


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))


def stems(text: str) -> set[str]:
    """Content words cut to six letters, so 'hedges' meets 'hedged' and 'verified' meets 'verify'."""
    return {w[:6] for w in words(text) if w not in STOPWORDS and len(w) > 2}


def count(text: str, vocabulary: frozenset[str]) -> int:
    return sum(w in vocabulary for w in words(text))


# ---------------------------------------------------------------------------------------------- plays


@dataclass(frozen=True)
class Play:
    """One auto-scored question as a student sees it before answering.

    kind 'one': pick one of `choices` (single, true-false); 'some': tick any of them (multi, spans);
    'sort': give each of `items` one of `choices` (match).
    """

    lesson: str
    bound: BoundQuestion
    kind: str
    choices: tuple[str, ...]
    items: tuple[str, ...] = ()
    ordered: bool = False  # the options are shown in the YAML order (shuffle is off)
    typical_length: float = 0.0  # true-false: the median prompt length over the library ("long ones are true")

    @property
    def type(self) -> str:
        return self.bound.question.type

    @property
    def prompt(self) -> str:
        return self.bound.question.prompt

    @property
    def passage(self) -> str:
        return "\n".join(p.text for p in self.bound.excerpts)

    def score(self, response: object) -> float:
        return score_question(self.bound, response).fraction  # type: ignore[arg-type]

    def expected_one(self, picks: Iterable[int]) -> float:
        """A student who picks uniformly among `picks`."""
        picks = list(picks)
        if self.type == "true-false":
            return sum(self.score(i == 0) for i in picks) / len(picks)  # choices are ("True", "False")
        return sum(self.score(i) for i in picks) / len(picks)

    def expected_sort(self, picks: Sequence[Sequence[int]]) -> float:
        """Each row guessed uniformly among its `picks`: by linearity, the mean of the rows' chances."""
        assert isinstance(self.bound.question, MatchQuestion)
        total = 0.0
        for row, options in enumerate(picks):
            # score one row at a time through the app's scoring: a full response where only this row varies
            hits = 0.0
            for c in options:
                response = [self.choices[c] if j == row else None for j in range(len(self.items))]
                hits += self.score(response) * len(self.items)
            total += hits / len(options)
        return total / len(self.items)

    def chance(self) -> float:
        if self.kind == "one":
            return self.expected_one(range(len(self.choices)))
        if self.kind == "sort":
            return self.expected_sort([range(len(self.choices))] * len(self.items))
        n = len(self.choices)  # 'some': a random non-empty set of ticks, every set equally likely
        subsets = [s for r in range(1, n + 1) for s in itertools.combinations(range(n), r)]
        return sum(self.score(list(s)) for s in subsets) / len(subsets)


def plays(lessons: Iterable[LoadedLesson]) -> list[Play]:
    """Every auto-scored question of every lesson; a question type this module does not know fails loudly."""
    lessons = list(lessons)
    tf_median = median([len(q.prompt) for x in lessons for q in x.lesson.questions
                        if isinstance(q, TrueFalseQuestion)] or [0])
    out = []
    for lesson in lessons:
        for question in lesson.lesson.questions:
            bound = lesson.bound(question.id)
            shuffle = lesson.lesson.shuffle if question.shuffle is None else question.shuffle
            if isinstance(question, SingleQuestion):
                out.append(Play(lesson.id, bound, "one", tuple(o.text for o in question.options), ordered=not shuffle))
            elif isinstance(question, MultiQuestion):
                out.append(Play(lesson.id, bound, "some", tuple(o.text for o in question.options), ordered=not shuffle))
            elif isinstance(question, TrueFalseQuestion):
                out.append(Play(lesson.id, bound, "one", ("True", "False"), ordered=True,
                                typical_length=tf_median))
            elif isinstance(question, SpansQuestion):
                out.append(Play(lesson.id, bound, "some", tuple(c.text for c in bound.candidates), ordered=True))
            elif isinstance(question, MatchQuestion):
                out.append(Play(lesson.id, bound, "sort", tuple(question.categories),
                                tuple(i.text for i in question.items), ordered=True))
            elif isinstance(question, ShortQuestion):
                continue  # never scored
            else:
                raise AssertionError(f"{lesson.id}/{question.id}: the test-wise strategies cannot play a "
                                     f"{question.type!r} question yet; add it to tests/testwise.py")
    return out


# ---------------------------------------------------------------------------------------------- strategies
# A strategy takes a play and returns what the student picks, or None where it sees no difference:
#   'one'  -> the options it would choose between (picked uniformly)
#   'some' -> the options it ticks
#   'sort' -> per item, the categories it would choose between


Pick = list[int] | list[list[int]] | None


def _best(scores: Sequence[float], *, highest: bool = True) -> list[int] | None:
    """The indexes with the top (or bottom) score; None when every option ties."""
    if len(set(scores)) < 2:
        return None
    target = max(scores) if highest else min(scores)
    return [i for i, s in enumerate(scores) if s == target]


def _split(scores: Sequence[float], *, high: bool = True) -> list[int] | None:
    """For ticking: the options above (or below) the median; None when that is none or all of them."""
    mid = median(scores)
    chosen = [i for i, s in enumerate(scores) if (s > mid if high else s < mid)]
    return chosen if 0 < len(chosen) < len(scores) else None


def _flags(flags: Sequence[bool]) -> list[int] | None:
    chosen = [i for i, f in enumerate(flags) if f]
    return chosen if 0 < len(chosen) < len(flags) else None


def by_score(feature: Callable[[Play, str], float], *, highest: bool = True) -> Callable[[Play], Pick]:
    """Single: the option(s) with the top score. Multi and spans: tick those above the median."""
    def strategy(play: Play) -> Pick:
        scores = [feature(play, c) for c in play.choices]
        if play.kind == "one" and play.type != "true-false":
            return _best(scores, highest=highest)
        if play.kind == "some":
            return _split(scores, high=highest)
        return None
    return strategy


def ruling_out(feature: Callable[[Play, str], float], *, highest: bool = True) -> Callable[[Play], Pick]:
    """Single: rule out the option(s) with the top (or bottom) score and guess among the rest."""
    def strategy(play: Play) -> Pick:
        if play.kind != "one" or play.type == "true-false":
            return None
        out = _best([feature(play, c) for c in play.choices], highest=highest)
        return [i for i in range(len(play.choices)) if i not in out] if out else None
    return strategy


def by_flag(flag: Callable[[Play, str], bool]) -> Callable[[Play], Pick]:
    """Single: choose among the flagged options. Multi and spans: tick the flagged ones."""
    def strategy(play: Play) -> Pick:
        if play.kind not in ("one", "some") or play.type == "true-false":
            return None
        return _flags([flag(play, c) for c in play.choices])
    return strategy


def middle_by_certainty(play: Play) -> Pick:
    """The calibrated middle: rank options from most hedged to most absolute and take the middle one(s)."""
    if play.kind != "one" or play.type == "true-false" or len(play.choices) < 3:
        return None
    certainty = [count(c, ABSOLUTE) - count(c, HEDGE) for c in play.choices]
    if len(set(certainty)) < 2:
        return None
    mid = median(certainty)
    return [i for i, s in enumerate(certainty) if s == mid] or None


def by_position(where: str) -> Callable[[Play], Pick]:
    """Only where the options keep their written order (shuffle off): the first, last or middle one."""
    def strategy(play: Play) -> Pick:
        if play.kind != "one" or play.type == "true-false" or not play.ordered:
            return None
        n = len(play.choices)
        return [{"first": 0, "last": n - 1, "middle": n // 2}[where]]
    return strategy


def tick_all(play: Play) -> Pick:
    return list(range(len(play.choices))) if play.kind == "some" else None


def true_false(rule: Callable[[Play], bool], *, reverse: bool = False) -> Callable[[Play], Pick]:
    """Answer True when the rule holds for the statement (False when reversed)."""
    def strategy(play: Play) -> Pick:
        if play.type != "true-false":
            return None
        return [0 if rule(play) != reverse else 1]
    return strategy


def sort_by_shared_words(play: Play) -> Pick:
    """Match: put each item in the category that shares most words with it."""
    if play.kind != "sort":
        return None
    picks = [_best([len(stems(item) & stems(c)) for c in play.choices]) or list(range(len(play.choices)))
             for item in play.items]
    return picks if any(len(p) < len(play.choices) for p in picks) else None


def _excerpt_cover(play: Play, option: str) -> float:
    mine, passage = stems(option), stems(play.passage)
    return len(mine & passage) / len(mine) if mine else 0.0


def _prompt_overlap(play: Play, option: str) -> float:
    return len(stems(option) & stems(play.prompt))


def _convergence(play: Play, option: str) -> float:
    """How many words an option shares with the other options: the 'answer the others orbit' tell."""
    mine = stems(option)
    return sum(len(mine & stems(other)) for other in play.choices if other != option)


STRATEGIES: dict[str, Callable[[Play], Pick]] = {
    "without absolute words": by_flag(lambda p, c: count(c, ABSOLUTE) == 0),
    "with absolute words": by_flag(lambda p, c: count(c, ABSOLUTE) > 0),
    "most hedged": by_score(lambda p, c: count(c, HEDGE)),
    "least hedged": by_score(lambda p, c: count(c, HEDGE), highest=False),
    "not the most hedged (rule it out)": ruling_out(lambda p, c: count(c, HEDGE)),
    "not the most words from the passage (rule it out)": ruling_out(_excerpt_cover),
    "middle by certainty": middle_by_certainty,
    "not the most certain (rule it out)": ruling_out(lambda p, c: count(c, ABSOLUTE) - count(c, HEDGE)),
    "not the least certain (rule it out)": ruling_out(lambda p, c: count(c, ABSOLUTE) - count(c, HEDGE),
                                                      highest=False),
    "longest": by_score(lambda p, c: len(c)),
    "shortest": by_score(lambda p, c: len(c), highest=False),
    "not the longest (rule it out)": ruling_out(lambda p, c: len(c)),
    "not the shortest (rule it out)": ruling_out(lambda p, c: len(c), highest=False),
    "most words from the passage": by_score(_excerpt_cover),
    "fewest words from the passage": by_score(_excerpt_cover, highest=False),
    "not the fewest words from the passage (rule it out)": ruling_out(_excerpt_cover, highest=False),
    "most words from the prompt": by_score(_prompt_overlap),
    "fewest words from the prompt": by_score(_prompt_overlap, highest=False),
    "most like the other options": by_score(_convergence),
    "without verdict words (true, false, prove)": by_flag(lambda p, c: count(c, VERDICT) == 0),
    "without praise words (honest, careful, clear)": by_flag(lambda p, c: count(c, PRAISE) == 0),
    "with praise words (honest, careful, clear)": by_flag(lambda p, c: count(c, PRAISE) > 0),
    '"both", "neither", "all of"': by_flag(lambda p, c: bool(COMBINED.search(c.lower()))),
    'not "both", "neither", "all of"': by_flag(lambda p, c: not COMBINED.search(c.lower())),
    "quotes the text": by_flag(lambda p, c: bool(QUOTE.search(c))),
    "quotes nothing": by_flag(lambda p, c: not QUOTE.search(c)),
    "first option (unshuffled)": by_position("first"),
    "last option (unshuffled)": by_position("last"),
    "middle option (unshuffled)": by_position("middle"),
    "tick everything": tick_all,
    "true-false: always True": true_false(lambda p: True),
    "true-false: always False": true_false(lambda p: True, reverse=True),
    "true-false: False if absolute words, else True": true_false(lambda p: count(p.prompt, ABSOLUTE) == 0),
    "true-false: True if absolute words, else False": true_false(lambda p: count(p.prompt, ABSOLUTE) == 0,
                                                                reverse=True),
    "true-false: True if hedged, else False": true_false(lambda p: count(p.prompt, HEDGE) > 0),
    "true-false: False if hedged, else True": true_false(lambda p: count(p.prompt, HEDGE) > 0, reverse=True),
    "true-false: True if it quotes the text": true_false(lambda p: bool(QUOTE.search(p.prompt))),
    "true-false: False if it quotes the text": true_false(lambda p: bool(QUOTE.search(p.prompt)), reverse=True),
    "true-false: True if longer than most": true_false(lambda p: len(p.prompt) > p.typical_length),
    "true-false: True if shorter than most": true_false(lambda p: len(p.prompt) > p.typical_length, reverse=True),
    "match: the category sharing most words": sort_by_shared_words,
}


# ---------------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Result:
    strategy: str
    type: str
    questions: int
    rate: float
    chance: float
    where: tuple[str, ...]  # lesson/question ids it was played on

    @property
    def advantage(self) -> float:
        return self.rate - self.chance

    @property
    def fails(self) -> bool:
        return self.questions >= MIN_QUESTIONS and self.advantage > MARGIN

    def line(self) -> str:
        return (f"{self.strategy:48} {self.type:10} {self.questions:4d} questions  rate {self.rate:6.1%}  "
                f"chance {self.chance:6.1%}  {self.advantage:+6.1%}")


def _expected(play: Play, pick: Pick) -> float:
    assert pick is not None
    if play.kind == "one":
        return play.expected_one(pick)  # type: ignore[arg-type]
    if play.kind == "sort":
        return play.expected_sort(pick)  # type: ignore[arg-type]
    return play.score(list(pick))


def run_strategies(all_plays: Sequence[Play]) -> list[Result]:
    """Each strategy against each question type it can play: its mean expected score beside chance."""
    chances = {id(p): p.chance() for p in all_plays}
    results = []
    for name, strategy in STRATEGIES.items():
        by_type: dict[str, list[tuple[Play, float]]] = {}
        for play in all_plays:
            pick = strategy(play)
            if pick is not None:
                by_type.setdefault(play.type, []).append((play, _expected(play, pick)))
        for qtype, scored in sorted(by_type.items()):
            n = len(scored)
            results.append(Result(
                name, qtype, n, sum(s for _, s in scored) / n, sum(chances[id(p)] for p, _ in scored) / n,
                tuple(f"{p.lesson}/{p.bound.id}" for p, _ in scored)))
    return results
